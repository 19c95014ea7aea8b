"""IPCC 2006 fuel emission factors.

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from _build import (
    BuildError,
    builder,
    write_dataset,
)


@builder("ipcc2006-fuels")
def build_ipcc_fuels(raw: Path, out: Path, name: str):
    path = raw / "ipcc2006-defaults-bonsai" / "ipcc2006_v2c1_ncv_carbon_co2_by_fuel_derived.csv"
    df = pd.read_csv(path)
    recomputed = df.carbon_kgC_per_GJ_default * 44 / 12 * 1000
    if not np.allclose(recomputed, df.co2_kgCO2_per_TJ_derived, rtol=1e-5):
        raise BuildError(f"{name}: CO2 factor is not carbon x 44/12 x 1000")
    meta = {
        "title": "IPCC 2006 default net calorific values, carbon contents and derived CO2 factors by fuel",
        "kind": "table",
        "year": 2006,
        "units": {"ncv_GJ_per_t_*": "GJ/t", "carbon_kgC_per_GJ_*": "kg C/GJ", "co2_kgCO2_per_TJ_derived": "kg CO2/TJ"},
        "source": {
            "publication": "IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 2 Ch. 1, Tables 1.2 "
            "(NCV) and 1.3 (carbon content)",
            "package": "bonsai-ipcc 0.5.3 (PyPI, MIT; gitlab.com/bonsamurais/bonsai/util/ipcc), "
            "data/generic/par_energy_content_per_mass.csv and par_carbon_content_per_energy.csv",
        },
        "licence": "MIT (bonsai-ipcc); IPCC defaults are public",
        "caveats": [
            "CO2 factor derived as carbon x 44/12 (full oxidation); may differ in the last digits from the rounded "
            "IPCC Table 1.4.",
            "Not checked against the IPCC PDF.",
        ],
    }
    write_dataset(out, name, {"fuels.csv": df}, meta, [path])

"""Brightway 2.5 foundation: a project in a folder you choose, a minimal biosphere, IPCC AR6 GWP100,
and the shipped factors as a background database.

Brightway (``bw2data`` >= 4, ``bw2calc`` >= 2) is an optional dependency: ``pip install
"ioemissions[lca]"``. This module writes Brightway's own objects (``bw2data.Database``,
``bw2data.Method``) and leaves the calculation to ``bw2calc.LCA`` / ``MultiLCA``.

Why our own biosphere and method: bw2io's offline LCIA shortcut fails on bw2data 4.8, and the
ecoinvent biosphere is not needed for CO2-only Chinese accounting. The biosphere holds CO2 (fossil),
CH4 (fossil and non-fossil), N2O and one aggregated flow, "GHG, CO2-equivalents", for factors that
are published already characterised (GB/T 51366 gives kg CO2e per unit); the method gives it 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

from ..errors import IOEmissionsError

__all__ = [
    "BIOSPHERE",
    "FACTORS_DB",
    "METHOD",
    "bw",
    "open_project",
    "write_biosphere_and_method",
    "write_factor_database",
]

BIOSPHERE = "ioemissions-biosphere"
FACTORS_DB = "ioemissions-factors"
METHOD = ("ioemissions", "IPCC AR6", "GWP100")
#: biosphere flow code -> (name, GWP100 key in tables/ipcc-ar6-gwp100 or None for the aggregate)
FLOWS = {
    "co2": ("Carbon dioxide, fossil", "CO2"),
    "ch4-fossil": ("Methane, fossil", "CH4_fossil"),
    "ch4-non-fossil": ("Methane, non-fossil", "CH4_non_fossil"),
    "n2o": ("Dinitrogen monoxide", "N2O"),
    "co2e": ("GHG, CO2-equivalents (already characterised)", None),
}


def bw():
    """Import and return ``(bw2data, bw2calc)``, or raise a clear error if the lca extra is missing."""
    try:
        import bw2calc
        import bw2data
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise IOEmissionsError('Brightway is not installed: pip install "ioemissions[lca]"') from exc
    return bw2data, bw2calc


def open_project(name: str = "ioemissions", folder: str | os.PathLike | None = None):
    """Open (or create) Brightway project ``name``, in ``folder`` if given (created if needed).

    Without ``folder`` Brightway's own location applies (``BRIGHTWAY2_DIR`` or the user data dir);
    tests always pass a temporary folder. With ``folder``, if bw2data is not imported yet,
    ``BRIGHTWAY2_DIR`` is set to it for this process, so bw2data never starts in another place.
    Returns ``bw2data``.
    """
    if folder is not None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if "bw2data" not in sys.modules:
            # bw2data settles its base folder at import (and fails if BRIGHTWAY2_DIR names a missing one):
            # the folder asked for here is the one it should use
            os.environ["BRIGHTWAY2_DIR"] = str(folder)
    bd, _ = bw()
    if folder is not None:
        bd.projects.change_base_directories(folder, project_name=name, update=False)
    bd.projects.set_current(name)
    return bd


def write_biosphere_and_method() -> None:
    """Write the minimal biosphere and the IPCC AR6 GWP100 method into the current project."""
    from ..characterization import gwp100_ar6

    bd, _ = bw()
    gwp = gwp100_ar6()
    bd.Database(BIOSPHERE).write(
        {
            (BIOSPHERE, code): {"name": name, "type": "emission", "unit": "kilogram", "categories": ("air",)}
            for code, (name, _) in FLOWS.items()
        }
    )
    method = bd.Method(METHOD)
    method.register(unit="kg CO2e", description="IPCC AR6 WG1 Table 7.15 GWP100 (tables/ipcc-ar6-gwp100)")
    method.write([((BIOSPHERE, code), float(gwp[key]) if key else 1.0) for code, (_, key) in FLOWS.items()])


UNIT_NAMES = {
    "t": "ton",
    "m3": "cubic meter",
    "m2": "square meter",
    "kg": "kilogram",
    "t km": "ton kilometer",
    "kWh": "kilowatt hour",
}


def factor_activities() -> pd.DataFrame:
    """The background activities: GB/T 51366 materials and transport, MEE grid electricity (code, name, unit,
    kg CO2e or kg CO2 per unit, flow)."""
    from ..tables import load

    g = load("gbt51366-factors")
    rows = [
        {
            "code": r.id,
            "name": r.name_zh,
            "unit": r.unit,
            "value": float(r.value),
            "flow": "co2e",
            "source": f"GB/T 51366-2019 Appendix {r.appendix}",
        }
        for r in g.itertuples()
    ]
    grid = load("grid-factors-mee").query("basis == 'average'")
    for r in grid.itertuples():
        rows.append(
            {
                "code": f"electricity-{r.region}-{r.year}",
                "name": f"electricity, grid average, {r.region}, {r.year}",
                "unit": "kWh",
                "value": float(r.value),
                "flow": "co2",
                "source": "MEE/NBS average CO2 emission factor of electricity",
            }
        )
    return pd.DataFrame(rows)


def write_factor_database() -> None:
    """Write the shipped factors as database ``ioemissions-factors``: one activity per factor, producing one
    unit, with its CO2 (grid) or CO2e (GB/T 51366) as a biosphere exchange."""
    bd, _ = bw()
    acts = factor_activities()
    data = {}
    for r in acts.itertuples():
        data[(FACTORS_DB, r.code)] = {
            "name": r.name,
            "unit": UNIT_NAMES.get(r.unit, r.unit),
            "reference product": r.name,
            "comment": r.source,
            "exchanges": [
                {"input": (FACTORS_DB, r.code), "amount": 1.0, "type": "production"},
                {"input": (BIOSPHERE, r.flow), "amount": r.value, "type": "biosphere"},
            ],
        }
    bd.Database(FACTORS_DB).write(data)


def setup(folder: str | os.PathLike | None = None, name: str = "ioemissions"):
    """Open the project and write biosphere, method and factor database (idempotent). Returns ``bw2data``."""
    bd = open_project(name, folder)
    write_biosphere_and_method()
    write_factor_database()
    return bd

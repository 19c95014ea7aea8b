"""Export vehicle data for ``ioemissions.lca.transport`` from a carculator run for China (2020).

This is the one build step that needs a foreign environment: carculator pins ``numpy<2``, which
ioemissions does not accept, so it runs in a throw-away virtual environment and writes its result
straight into ``tables/carculator-vehicles-2020`` (CSV + metadata.json, written atomically)::

    python -m venv /tmp/ccv
    /tmp/ccv/bin/pip install carculator==1.9.5 carculator-utils==1.3.5 \
        carculator-truck==0.5.0 carculator-bus==0.1.0
    /tmp/ccv/bin/python scripts/carculator_export.py --out tables

The wheels are the ones recorded in ``../shared/data/raw/carculator-offline-data/SOURCE.md``; their
SHA-256 digests are written to the metadata. The run is the static (deterministic) one: two runs
give byte-identical files. What it writes, per vehicle (car, bus, truck), size and powertrain:

``vehicles.csv``
    carculator's own vehicle parameters: masses, tank-to-wheel energy, fuel and electricity use per
    km, battery capacity and replacements, fuel-cell power, lifetime, passengers and cargo.
``stages.csv``
    carculator's life-cycle climate change per vehicle-km by its stages (glider, powertrain, energy
    storage, energy chain, …), method ReCiPe 2016 midpoint "climate change" (IPCC 2021 GWP100),
    background REMIND SSP2-NPi 2020, country of use CN.
``hydrogen.csv``
    kg CO2e per kg of hydrogen at the fuelling station for the pathways ioemissions offers (grey
    from natural-gas reforming or coal gasification, blue with CCS, green by PEM electrolysis with wind power): the FCEV
    car's energy-chain impact per km divided by its hydrogen use per km.
``uncertainty.csv``
    2.5/50/97.5 percentiles of tank-to-wheel energy from carculator's stochastic mode (its own
    parameter ranges), for the Monte Carlo in ioemissions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")

YEAR = 2020
COUNTRY = "CN"
SPECS = {  # vehicle: (size, cycle, powertrains)
    "car": ("Medium", "WLTC", ["ICEV-p", "ICEV-d", "HEV-p", "BEV", "FCEV"]),
    "bus": ("13m-city", "bus", ["ICEV-d", "HEV-d", "BEV-depot", "FCEV"]),
    "truck": ("40t", "Long haul", ["ICEV-d", "HEV-d", "BEV", "FCEV"]),
}
PARAMS = {  # carculator parameter -> column
    "curb mass": "curb_mass_kg",
    "driving mass": "driving_mass_kg",
    "TtW energy": "ttw_energy_kj_per_km",
    "TtW efficiency": "ttw_efficiency",
    "electricity consumption": "electricity_kwh_per_km",
    "fuel mass": "fuel_tank_kg",
    "electric energy stored": "battery_kwh",
    "battery cell mass": "battery_cell_kg",
    "battery lifetime replacements": "battery_replacements",
    "fuel cell power": "fuel_cell_kw",
    "fuel cell lifetime replacements": "fuel_cell_replacements",
    "lifetime kilometers": "lifetime_km",
    "kilometers per year": "km_per_year",
    "average passengers": "passengers",
    "cargo mass": "cargo_kg",
}
H2_PATHWAYS = {
    "grey": "hydrogen - smr - natural gas",
    "blue": "hydrogen - smr - natural gas with CCS",
    "green": "hydrogen - electrolysis - PEM",
}
# carculator's 21 electricity technologies, in the column order of its electricity_mixes.csv
MIX_TECHS = [
    "Hydro", "Nuclear", "Gas", "Solar", "Wind", "Biomass", "Coal", "Oil", "Geothermal", "Waste", "Biogas CCS",
    "Biomass CCS", "Coal CCS", "Gas CCS", "Wood CCS", "Hydro, reservoir", "Gas CCGT", "Gas CHP", "Solar, thermal",
    "Wind, offshore", "Lignite",
]  # fmt: skip
PACKAGES = {"carculator": "1.9.5", "carculator-utils": "1.3.5", "carculator-truck": "0.5.0", "carculator-bus": "0.1.0"}
WHEEL_SHA256 = {  # as downloaded from PyPI (pip download --no-deps), recorded in the metadata
    "carculator-1.9.5-py3-none-any.whl": "3d9477df513d76b024793bc9ad50d8e3c030f7f7e43e3a4cda0f09d688777361",
    "carculator_utils-1.3.5-py3-none-any.whl": "64e9d4a6ae55925772b2971af5811db80e1b54b9cdd9fb3f41c3475d544b8346",
    "carculator_truck-0.5.0-py3-none-any.whl": "cc8b24258ddeaf59a60a99b5df26f0e1e0f224dc6f1d3998c825612fc4ae01b1",
    "carculator_bus-0.1.0-py3-none-any.whl": "314ea34125019257514496959d08fcb9f00de6b3ee0c2ccb096dda083258c793",
}


def _api(vehicle):
    if vehicle == "car":
        import carculator as m

        return m.CarInputParameters, m.CarModel, m.InventoryCar, m.fill_xarray_from_input_parameters
    if vehicle == "bus":
        import carculator_bus as m

        return m.BusInputParameters, m.BusModel, m.InventoryBus, m.fill_xarray_from_input_parameters
    import carculator_truck as m

    return m.TruckInputParameters, m.TruckModel, m.InventoryTruck, m.fill_xarray_from_input_parameters


def _seeded_stochastic(ip, iterations, seed=2020):
    """klausen's ``stochastic()`` draws from an unseeded stats_arrays generator; seed it for a reproducible table."""
    import functools

    import stats_arrays as sa

    orig = sa.MCRandomNumberGenerator
    sa.MCRandomNumberGenerator = functools.partial(orig, seed=seed)
    try:
        ip.stochastic(iterations)
    finally:
        sa.MCRandomNumberGenerator = orig


def _model(vehicle, powertrains, *, iterations=None, fuel_blend=None):
    Params, Model, _, fill = _api(vehicle)
    size, cycle, _ = SPECS[vehicle]
    ip = Params()
    if iterations:
        _seeded_stochastic(ip, iterations)
    else:
        ip.static()
    _, array = fill(ip, scope={"powertrain": powertrains, "size": [size], "year": [YEAR]})
    kw = {"fuel_blend": fuel_blend} if fuel_blend else {}
    m = Model(array, cycle=cycle, country=COUNTRY, **kw)
    m.set_all()
    return m


def _impacts(vehicle, model, background=None):
    _, _, Inventory, _ = _api(vehicle)
    kw = {"background_configuration": background} if background else {}
    inv = Inventory(model, method="recipe", indicator="midpoint", functional_unit="vkm", **kw)
    res = inv.calculate_impacts()
    size = SPECS[vehicle][0]
    return res.sel(impact_category="climate change", value=0, size=size, year=YEAR).to_pandas()


def export_vehicles():
    rows, stages = [], []
    for vehicle, (size, cycle, pts) in SPECS.items():
        m = _model(vehicle, pts)
        imp = _impacts(vehicle, m)
        for pt in pts:
            sel = {"powertrain": pt, "size": size, "year": YEAR, "value": 0}
            row = {"vehicle": vehicle, "size": size, "powertrain": pt, "cycle": cycle}
            for p, col in PARAMS.items():
                ok = p in m.array.coords["parameter"].values
                row[col] = float(m.array.sel(parameter=p, **sel).values) if ok else 0.0
            # fuel use per km from tank-to-wheel energy and the blend's lower heating value
            blend = {k: v for k, v in getattr(m, "fuel_blend", {}).items()}
            row["fuel"], row["fuel_kg_per_km"] = _fuel_use(pt, blend, row["ttw_energy_kj_per_km"], m, sel)
            rows.append(row)
            for stage, v in imp.loc[pt].items():
                stages.append({"vehicle": vehicle, "size": size, "powertrain": pt, "stage": stage, "kgco2e_per_vkm": v})
    return pd.DataFrame(rows), pd.DataFrame(stages)


def _fuel_use(pt, blend, ttw_kj, m, sel):
    """(fuel, kg per km) for combustion and fuel-cell powertrains; ("electricity", 0) for BEVs."""
    if pt.startswith("BEV"):
        return "electricity", 0.0
    if pt == "FCEV":
        fuel = "hydrogen"
    elif pt.endswith("-p"):
        fuel = "petrol"
    else:
        fuel = "diesel"
    b = blend[fuel]
    lhv = sum(float(np.ravel(b[k]["share"])[0]) * b[k]["lhv"] for k in ("primary", "secondary") if k in b)
    if "TtW energy, combustion mode" in m.array.coords["parameter"].values and pt.startswith(("HEV", "ICEV")):
        ttw_kj = float(m.array.sel(parameter="TtW energy, combustion mode", **sel).values) or ttw_kj
    return fuel, ttw_kj / (lhv * 1000.0)


def export_hydrogen():
    wind = [[1.0 if t == "Wind" else 0.0 for t in MIX_TECHS]]
    rows = []
    for pathway, ftype in H2_PATHWAYS.items():
        blend = {"hydrogen": {"primary": {"type": ftype, "share": [1.0]}}}
        m = _model("car", ["FCEV"], fuel_blend=blend)
        bg = {"custom electricity mix": wind} if pathway == "green" else None
        imp = _impacts("car", m, bg)
        sel = {"powertrain": "FCEV", "size": "Medium", "year": YEAR, "value": 0}
        kg_km = float(m.array.sel(parameter="TtW energy", **sel).values) / (120.0 * 1000.0)
        rows.append(
            {
                "pathway": pathway,
                "carculator_fuel": ftype,
                "electricity": "100 % wind (custom mix)" if pathway == "green" else "CN mix",
                "kgco2e_per_kg": float(imp.loc["FCEV", "energy chain"]) / kg_km,
            }
        )
    # Coal gasification, China's main hydrogen route, cannot be run as a fuel blend in carculator 1.9.5
    # (KeyError in its fuel market). Its plant-gate score is in carculator's background scores; the
    # grey (natural gas) pathway above equals its own plant-gate score, so the boundary is the same.
    smr = _background_score("hydrogen production, steam methane reforming", "RER")
    grey = rows[0]["kgco2e_per_kg"]
    if abs(smr - grey) > 1e-6 * grey:
        raise SystemExit(f"boundary check failed: SMR plant-gate {smr} != grey pathway {grey}")
    rows.append(
        {
            "pathway": "grey-coal",
            "carculator_fuel": "hydrogen production, coal gasification (RoW), background score",
            "electricity": "in the background score",
            "kgco2e_per_kg": _background_score("hydrogen production, coal gasification", "RoW"),
        }
    )
    return pd.DataFrame(rows)


def _background_score(activity: str, location: str) -> float:
    """Climate change per unit of one background activity, read from carculator-utils' own scores
    (``data/IAM/B_matrix_recipe_midpoint_remind_SSP2-NPi_2020.npz``, row 0 = IPCC 2021 GWP100)."""
    import carculator_utils
    import scipy.sparse as sp

    data = Path(carculator_utils.__file__).parent / "data"
    names = [line.rstrip("\n").split(";") for line in open(data / "IAM" / "dict_inputs_A_matrix.csv", encoding="utf-8")]
    col = next(i for i, r in enumerate(names) if r[0] == activity and r[1] == location)
    B = sp.load_npz(data / "IAM" / "B_matrix_recipe_midpoint_remind_SSP2-NPi_2020.npz")
    return float(B[0, col])


def export_uncertainty(n=200):
    rows = []
    for vehicle, (size, _, pts) in SPECS.items():
        m = _model(vehicle, pts, iterations=n)
        for pt in pts:
            v = m.array.sel(parameter="TtW energy", powertrain=pt, size=size, year=YEAR).values.ravel()
            p = np.percentile(v, [2.5, 50, 97.5])
            rows.append(
                {
                    "vehicle": vehicle,
                    "size": size,
                    "powertrain": pt,
                    "quantity": "ttw_energy_kj_per_km",
                    "p2_5": p[0],
                    "p50": p[1],
                    "p97_5": p[2],
                    "iterations": n,
                }
            )
    return pd.DataFrame(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "tables")
    ap.add_argument("--iterations", type=int, default=200)
    args = ap.parse_args(argv)
    from importlib.metadata import version

    got = {p: version(p) for p in PACKAGES}
    if got != PACKAGES:
        raise SystemExit(f"needs {PACKAGES}, found {got}")
    vehicles, stages = export_vehicles()
    frames = {
        "vehicles.csv": vehicles.round(10),
        "stages.csv": stages.round(12),
        "hydrogen.csv": export_hydrogen().round(10),
        "uncertainty.csv": export_uncertainty(args.iterations).round(6),
    }
    meta = {
        "name": "carculator-vehicles-2020",
        "title": "Vehicle parameters and life-cycle climate change per km from carculator, China, 2020",
        "kind": "tables",
        "year": YEAR,
        "units": {
            "curb_mass_kg, driving_mass_kg, fuel_tank_kg, battery_cell_kg, cargo_kg": "kg",
            "ttw_energy_kj_per_km": "kJ/vkm (tank-to-wheel, on the listed driving cycle)",
            "electricity_kwh_per_km": "kWh/vkm drawn from the grid (carculator, incl. charging losses)",
            "fuel_kg_per_km": "kg fuel/vkm (TtW energy / lower heating value of carculator's blend)",
            "battery_kwh": "kWh",
            "fuel_cell_kw": "kW",
            "lifetime_km, km_per_year": "km",
            "passengers": "persons per vehicle (average occupancy)",
            "kgco2e_per_vkm": "kg CO2e/vkm, IPCC 2021 GWP100 (carculator's ReCiPe midpoint 'climate change')",
            "kgco2e_per_kg": "kg CO2e/kg H2 delivered",
            "ttw_energy percentiles": "kJ/vkm",
        },
        "source": {
            "software": "carculator 1.9.5, carculator-utils 1.3.5, carculator-truck 0.5.0, carculator-bus 0.1.0 "
            "(Paul Scherrer Institut; Sacchi et al. 2022, Renew. Sust. Energ. Rev. 162, 112475)",
            "wheels_sha256": WHEEL_SHA256,
            "run": f"static mode, year {YEAR}, country {COUNTRY}; car Medium/WLTC, bus 13m-city/Urban, truck 40t/"
            "Long haul; InventoryX(method='recipe', indicator='midpoint', functional_unit='vkm'); background "
            "REMIND SSP2-NPi",
            "check": "reproduces the run check in ../shared/data/raw/carculator-offline-data/SOURCE.md: medium car "
            "BEV 0.269 and ICEV-p 0.318 kg CO2e/vkm, TtW 609 and 2,337 kJ/km, curb mass 1,764 and 1,579 kg",
        },
        "licence": "BSD 3-Clause, Copyright (c) 2020, Paul Scherrer Institut (carculator); the background "
        "life-cycle scores carculator ships are derived from ecoinvent and premise",
        "caveats": [
            "European vehicle parameters (HBEFA, ACEA): carculator is not China-specific beyond the electricity mix "
            "(CN, national) and battery production in CN.",
            "The 'energy chain' stage uses carculator's national CN mix; ioemissions replaces it with a provincial "
            "grid factor for battery-electric vehicles.",
            "Petrol and diesel carry carculator's default 1-3 % bio-blend; fuel_kg_per_km uses the blend's LHV.",
            "Green hydrogen = PEM electrolysis with a 100 % wind electricity mix (carculator's 'custom electricity "
            "mix'). grey-coal (coal gasification, China's main route) cannot be run as a fuel in carculator 1.9.5 "
            "(KeyError in its fuel market); its value is carculator's plant-gate background score for "
            "'hydrogen production, coal gasification' (RoW), the same boundary as the grey pathway (checked).",
            "Uncertainty covers tank-to-wheel energy only, from carculator's own parameter ranges (its stochastic "
            f"mode, {args.iterations} iterations, seed 2020).",
        ],
        "files": list(frames),
        "script": "scripts/carculator_export.py (run in a separate numpy<2 environment; see its docstring)",
        "raw_inputs": [{"path": f"PyPI wheel {k}", "sha256": v} for k, v in WHEEL_SHA256.items()],
        "estimated": False,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    dest = args.out / meta["name"]
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=args.out))
    try:
        for fname, df in frames.items():
            df.to_csv(tmp / fname, index=False, lineterminator="\n")
        (tmp / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    for f, df in frames.items():
        print(f"{f}: {len(df)} rows, sha256 {hashlib.sha256(df.to_csv(index=False).encode()).hexdigest()[:12]}")


if __name__ == "__main__":
    main()

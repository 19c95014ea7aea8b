"""Transport LCA: reproduces carculator's China run, the provincial grid, units, errors, Monte Carlo."""

from __future__ import annotations

import pandas as pd
import pytest

from ioemissions.cli.main import main
from ioemissions.errors import LabelError, NegativeOutputError, UnitError
from ioemissions.lca import transport
from ioemissions.tables import load, metadata


def test_vehicle_data_match_the_carculator_run_check():
    # ../shared/data/raw/carculator-offline-data/SOURCE.md, "Run check" (carculator 1.9.5, CN, 2020)
    bev, petrol = transport.vehicle("car", "BEV"), transport.vehicle("car", "ICEV-p")
    assert bev["ttw_energy_kj_per_km"] == pytest.approx(609, abs=0.5)
    assert petrol["ttw_energy_kj_per_km"] == pytest.approx(2337, abs=0.5)
    assert bev["curb_mass_kg"] == pytest.approx(1764, abs=0.5)
    assert petrol["curb_mass_kg"] == pytest.approx(1579, abs=0.5)
    truck_bev, truck_d = transport.vehicle("truck", "BEV"), transport.vehicle("truck", "ICEV-d")
    assert truck_bev["ttw_energy_kj_per_km"] == pytest.approx(4738, abs=0.5)
    assert truck_d["ttw_energy_kj_per_km"] == pytest.approx(9562, abs=0.5)
    assert truck_d["cargo_kg"] == 13800


def test_reproduces_carculator_china_results_with_its_grid():
    # SOURCE.md: medium car BEV 0.269, ICEV-p 0.318 kg CO2e/vkm; 40 t truck BEV 0.132, ICEV-d 0.096 kg CO2e/tkm
    car = transport.compare("car", ["BEV", "ICEV-p"], grid="carculator")["total"]
    assert car["BEV"] == pytest.approx(0.269, abs=5e-4)
    assert car["ICEV-p"] == pytest.approx(0.318, abs=5e-4)
    truck = transport.compare("truck", ["BEV", "ICEV-d"], grid="carculator", per="tkm")["total"]
    assert truck["BEV"] == pytest.approx(0.132, abs=5e-4)
    assert truck["ICEV-d"] == pytest.approx(0.096, abs=5e-4)
    # the total is carculator's sum of stages, to rounding of the table
    stages = load("carculator-vehicles-2020")["stages"]
    s = stages.query("vehicle == 'car' and powertrain == 'BEV'").kgco2e_per_vkm.sum()
    assert transport.assess("car", "BEV", grid="carculator").total == pytest.approx(s, rel=1e-12)


def test_provincial_grid_changes_only_the_electricity_line():
    cc = transport.assess("car", "BEV", grid="carculator")
    sh = transport.assess("car", "BEV", province="Shanghai", grid_year=2023)
    kwh = transport.vehicle("car", "BEV")["electricity_kwh_per_km"]
    gf = load("grid-factors-mee").query("region == 'Shanghai' and year == 2023 and basis == 'average'").value.iloc[0]
    a, b = cc.lines.set_index("line").kgco2e, sh.lines.set_index("line").kgco2e
    assert b["electricity"] == pytest.approx(kwh * gf, rel=1e-12)
    assert (a.drop("electricity") == b.drop("electricity")).all()
    # Gan et al. (2023): battery-electric cars in China 231-279 g CO2e/km, Shanghai's grid lands inside
    assert 0.231 <= sh.total <= 0.279
    # a cleaner grid lowers it; an explicit factor overrides the province
    assert transport.assess("car", "BEV", province="Yunnan", grid_year=2022).total < sh.total
    assert transport.assess("car", "BEV", grid_factor_kg_per_kwh=0.0).lines.set_index("line").kgco2e[
        "electricity"
    ] == pytest.approx(0.0)


def test_functional_units_and_hydrogen_pathways():
    v = transport.vehicle("bus", "BEV")
    vkm = transport.assess("bus", "BEV").total
    assert transport.assess("bus", "BEV", per="pkm").total == pytest.approx(vkm / v["passengers"])
    t = transport.vehicle("truck", "FCEV")
    vkm = transport.assess("truck", "FCEV").total
    assert transport.assess("truck", "FCEV", per="tkm").total == pytest.approx(vkm / (t["cargo_kg"] / 1000))
    h = {p: transport.assess("car", "FCEV", hydrogen=p) for p in ("grey-coal", "grey", "blue", "green")}
    kg = transport.vehicle("car", "FCEV")["fuel_kg_per_km"]
    for p, r in h.items():
        assert r.lines.set_index("line").kgco2e["hydrogen"] == pytest.approx(kg * transport.hydrogen_factor(p))
    assert h["grey-coal"].total > h["grey"].total > h["blue"].total > h["green"].total
    # carculator's grey pathway equals its plant-gate score of steam reforming (checked by the export script)
    assert transport.hydrogen_factor("grey") == pytest.approx(8.8605522529)


def test_fuel_cell_vehicle_storage_splits_into_battery_and_the_rest():
    # carculator's "energy storage" stage holds battery, fuel cell and tanks; the battery gets the BEV's factor
    stages = load("carculator-vehicles-2020")["stages"].set_index(["vehicle", "powertrain", "stage"]).kgco2e_per_vkm
    for vt, pt in [("car", "FCEV"), ("car", "HEV-p"), ("truck", "FCEV"), ("bus", "FCEV")]:
        v = transport.vehicle(vt, pt)
        lines = transport.assess(vt, pt, grid="carculator").lines.set_index("line").kgco2e
        expected = v["battery_kwh"] * (1 + v["battery_replacements"]) * transport.battery_factor(vt) / v["lifetime_km"]
        assert lines["battery"] == pytest.approx(expected, rel=1e-12)
        assert lines["battery"] + lines["fuel cell and tanks"] == pytest.approx(
            stages[(vt, transport.POWERTRAINS[vt][pt], "energy storage")], rel=1e-12
        )
        assert lines["fuel cell and tanks"] >= 0


def test_battery_is_kwh_times_factor():
    base = transport.assess("car", "BEV")
    f = base.inputs["battery_factor_kgco2e_per_kwh"]
    life = transport.vehicle("car", "BEV")["lifetime_km"]
    bigger = transport.assess("car", "BEV", battery_kwh=100)
    assert bigger.lines.set_index("line").kgco2e["battery"] == pytest.approx(100 * f / life)
    assert transport.assess("car", "BEV", battery_factor=0).total == pytest.approx(
        base.total - base.lines.set_index("line").kgco2e["battery"]
    )


def test_bad_input_is_named():
    with pytest.raises(LabelError, match="plane"):
        transport.assess("plane", "BEV")
    with pytest.raises(LabelError, match="plane"):
        transport.compare("plane")
    with pytest.raises(LabelError, match="PHEV"):
        transport.assess("car", "PHEV")
    with pytest.raises(UnitError, match="tkm"):
        transport.assess("car", "BEV", per="tkm")
    with pytest.raises(LabelError, match="Atlantis"):
        transport.assess("car", "BEV", province="Atlantis")
    with pytest.raises(LabelError, match="purple"):
        transport.assess("car", "FCEV", hydrogen="purple")
    with pytest.raises(NegativeOutputError):
        transport.assess("car", "BEV", battery_kwh=-1)
    with pytest.raises(LabelError, match="no traction battery"):
        transport.assess("car", "ICEV-p", battery_kwh=50)


def test_dataset_provenance():
    meta = metadata("carculator-vehicles-2020")
    assert "carculator 1.9.5" in meta["source"]["software"]
    assert all(len(r["sha256"]) == 64 for r in meta["raw_inputs"])
    assert "BSD" in meta["licence"]


def test_cli_transport(tmp_path, capsys):
    assert main(["transport", "--vehicle", "car", "--province", "Shanghai", "--out", str(tmp_path / "t")]) == 0
    out = capsys.readouterr().out
    assert "BEV" in out and "MEE Shanghai 2023" in out
    table = pd.read_csv(tmp_path / "t" / "powertrains.csv", index_col=0)
    assert table.loc["BEV", "total"] == pytest.approx(transport.assess("car", "BEV").total)
    assert (tmp_path / "t" / "powertrains.png").is_file()
    assert main(["transport", "--vehicle", "car", "--per", "tkm"]) == 2


# ----------------------------------------------------------------------------- Monte Carlo (Brightway)
pytest.importorskip("bw2calc")


def test_transport_monte_carlo_percentiles(tmp_path):
    r = transport.assess("car", "BEV")
    mc = transport.monte_carlo(r, iterations=200, seed=1, folder=tmp_path / "bw", progress=False)
    assert mc.static == pytest.approx(r.total, rel=1e-6)  # Brightway's static score (float32 amounts)
    p = mc.percentiles((2.5, 50, 97.5))
    lo, hi = transport.ttw_range("car", "BEV")
    lo, hi = min(lo, 1.0), max(hi, 1.0)  # the range is widened to contain the static value (issue 15 item 4)
    assert p[2.5] < p[50] < p[97.5]
    assert p[2.5] <= mc.static <= p[97.5]  # the static value lies inside its own interval
    assert set(mc.positions().static_at) <= {"mode", "fixed"}  # every distribution has it as its mode
    # bounds: everything fixed except kWh (TtW range) and the factor (Shanghai 2021-2023)
    kwh = r.inputs["electricity_kwh_per_km"]
    fixed = r.total - r.lines.set_index("line").kgco2e["electricity"]
    tol = 1e-6 * r.total
    assert fixed + kwh * lo * 0.5737 - tol <= mc.samples.min()
    assert mc.samples.max() <= fixed + kwh * hi * 0.5849 + tol
    again = transport.monte_carlo(r, iterations=200, seed=1, folder=tmp_path / "bw", progress=False)
    assert (again.samples == mc.samples).all()  # seeded


def test_monte_carlo_components_reject_bad_values():
    from ioemissions.errors import DistributionError, NonFiniteError
    from ioemissions.lca.uncertainty import Component, uniform

    with pytest.raises(NonFiniteError, match="grid"):
        Component("grid", float("nan"), 0.5)
    with pytest.raises(DistributionError, match="outside its range"):
        Component("grid", 1.0, 0.7, factor_dist=uniform(0.5, 0.6))


def test_monte_carlo_uses_the_folder_given_even_if_brightway2_dir_is_missing(tmp_path):
    # tox sets BRIGHTWAY2_DIR to a folder that may not exist; bw2data refuses that at import
    import os
    import subprocess
    import sys

    code = (
        "from ioemissions.lca.uncertainty import Component, monte_carlo\n"
        f"r = monte_carlo([Component('a', 2.0, 3.0)], iterations=3, folder={str(tmp_path / 'bw')!r}, progress=False)\n"
        "print(r.static)\n"
    )
    env = {**os.environ, "BRIGHTWAY2_DIR": str(tmp_path / "missing" / "brightway")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "6.0"
    assert not (tmp_path / "missing").exists() and (tmp_path / "bw").is_dir()

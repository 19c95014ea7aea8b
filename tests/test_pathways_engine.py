"""The pathways engine: exact identities with the core accounts, wedges, named errors."""

import numpy as np
import pandas as pd
import pytest

import ioemissions as ie
from ioemissions.errors import LabelError, ScenarioError
from ioemissions.pathways import Scenario
from ioemissions.pathways.engine import _Base, build_state

REGIONS = ["Shanghai", "Jiangsu", "Zhejiang", "Anhui", "RestOfChina"]


@pytest.fixture(scope="module")
def yrd17():
    return ie.tables.load("yrd-mrio-2017")


@pytest.fixture(scope="module")
def baseline():
    return ie.pathways.run("baseline", end=2030)


def _sc(levers, end=2030):
    return Scenario.from_dict({"scenario": {"name": "t", "end": end}, "levers": levers})


def test_base_year_reproduces_the_base_table_accounts(yrd17, baseline):
    acc = yrd17.accounts("CO2")
    got = baseline.accounts.loc[2017]
    np.testing.assert_allclose(got.to_numpy(), acc.loc[got.index, got.columns].to_numpy(), rtol=1e-9, atol=1e-9)
    # value added of the base year: x - e'Z - e'Z_imp of the table
    va_table = yrd17.x - yrd17.Z.sum(axis=0) - yrd17.Z_imp.sum(axis=0)
    va = baseline.indicators.xs(2017, level="year")["value_added"]
    np.testing.assert_allclose(va.to_numpy(), va_table.groupby(level=0).sum().loc[REGIONS].to_numpy(), rtol=1e-9)


def test_base_year_jobs_equal_national_employment(baseline):
    # national jobs per output applied to the regions' outputs, which add up to the national table's
    io42 = ie.tables.load("employment-china")["io42"]
    jobs = baseline.indicators.xs(2017, level="year")["jobs"].sum()
    assert jobs == pytest.approx(io42["jobs"].sum(), rel=1e-6)


def test_every_year_matches_the_core_accounts_of_that_years_table(yrd17, drivers):
    """Year t's accounts equal MRIO.accounts of an MRIO built from year t's A, Y, S (not only the base year)."""
    sc = _sc(
        [
            {"type": "grid-factor", "regions": ["Shanghai"], "factor": {"2017": 1.0, "2030": 0.5, "source": "s"}},
            {
                "type": "energy-efficiency",
                "regions": ["Jiangsu"],
                "factor": {"2017": 1.0, "2030": 0.8, "source": "s"},
            },
        ]
    )
    p = ie.pathways.run(sc, drivers=drivers, jobs_per_output=False)
    b = _Base(yrd17, "CO2", 2017)
    st = build_state(sc, b, 2025, drivers)
    nodes, ycols = yrd17.nodes, yrd17.Y.columns
    M_imp = pd.DataFrame(st.M_imp[:, [0]].T, index=yrd17.stressors, columns=yrd17.Z_imp.index)
    x = np.linalg.solve(np.eye(len(nodes)) - st.A, st.Y.sum(axis=1))
    m = ie.MRIO(
        pd.DataFrame(st.A * x[None, :], index=nodes, columns=nodes),
        pd.DataFrame(st.Y, index=nodes, columns=ycols),
        pd.DataFrame((st.S * x)[None, :], index=yrd17.stressors, columns=nodes),
        pd.DataFrame(st.F_Y[None, :], index=yrd17.stressors, columns=ycols),
        units=yrd17.units,
        Z_imp=pd.DataFrame(st.A_imp * x[None, :], index=yrd17.Z_imp.index, columns=nodes),
        Y_imp=pd.DataFrame(st.Y_imp, index=yrd17.Z_imp.index, columns=ycols),
        M_imp=M_imp,
    )
    acc = m.accounts("CO2")
    got = p.accounts.loc[2025]
    np.testing.assert_allclose(got.to_numpy(), acc.loc[got.index, got.columns].to_numpy(), rtol=1e-9)


def test_lu_is_reused_while_A_does_not_change(baseline):
    assert baseline.factorisations == 1  # the baseline changes only S and Y


def test_peak_is_the_maximum_of_the_column(baseline):
    col = baseline.emissions[("Shanghai", "consumption")]
    pk = baseline.peak("Shanghai", "consumption")
    assert pk.level == col.max() and col[pk.year] == pk.level


def test_wedges_sum_exactly_to_the_difference():
    ref = ie.pathways.run("baseline", end=2030)
    alt = ie.pathways.run("peak-plan-topdown", end=2030)
    w = ie.pathways.wedges(ref, alt, "Shanghai", "production")
    diff = alt.emissions[("Shanghai", "production")] - ref.emissions[("Shanghai", "production")]
    np.testing.assert_allclose(w.sum(axis=1).to_numpy(), diff.to_numpy(), rtol=0, atol=1e-9)
    assert set(w.columns) == {lv.name for lv in alt.scenario.levers} - {"historical intensity trends"} | {
        "historical intensity trends"
    }
    # cleaner power in RestOfChina leaves Shanghai's territorial emissions alone but lowers its footprint
    assert w.at[2030, "green electricity into Shanghai"] == 0.0
    wc = ie.pathways.wedges(ref, alt, "Shanghai", "consumption")
    assert wc.at[2030, "green electricity into Shanghai"] < 0
    # charging cars in Shanghai adds power-sector CO2 there (the cut in car fuel is in households' direct CO2)
    assert w.at[2030, "car fuel to electricity"] > 0
    # the ensemble range's lever (issue 15) sits at its static value 1: no wedge
    assert (w["trend uncertainty"] == 0.0).all()
    others = w.loc[2030].drop(
        [
            "historical intensity trends",
            "green electricity into Shanghai",
            "car fuel to electricity",
            "trend uncertainty",
        ]
    )
    assert (others < 0).all()


def test_topdown_files_reproduce_the_top_down_scenarios_numbers():
    # peak-plan-topdown / deep-topdown are the peak-plan / deep files before issue 14 expressed them with the
    # technology levers (same levers, renamed): Shanghai's CO2 (Mt) of those scenarios, computed before the change
    old = {
        "peak-plan-topdown": (168.11520459736045, 132.0374826571001, 301.92921830907983, 374.82784891652494),
        "deep-topdown": (151.43190907689757, 52.32912785476288, 267.0785586832962, 146.98742675509578),
    }
    for name, values in old.items():
        e = ie.pathways.run(name, end=2060).emissions
        got = [e.at[y, ("Shanghai", b)] for b in ("production", "consumption") for y in (2030, 2060)]
        np.testing.assert_allclose(got, values, rtol=1e-9, err_msg=name)


def test_shipped_peak_plan_wedges_sum_to_the_difference_and_the_line_is_counted_once():
    ref = ie.pathways.run("baseline", end=2030)
    alt = ie.pathways.run("peak-plan", end=2030)
    for basis in ("production", "consumption"):
        w = ie.pathways.wedges(ref, alt, "Shanghai", basis)
        diff = alt.emissions[("Shanghai", basis)] - ref.emissions[("Shanghai", basis)]
        np.testing.assert_allclose(w.sum(axis=1).to_numpy(), diff.to_numpy(), rtol=0, atol=1e-9)
    types = {lv.type_name for lv in alt.scenario.levers}
    # the plan's power, cars and buildings are technology levers; the top-down ones they replace are gone,
    # and no grid-factor lever models the Inner Mongolia line a second time (power-mix carries it)
    assert {"power-mix", "road-fleet", "building-stock"} <= types
    assert not types & {"grid-factor", "household-direct", "demand-mix"}
    # PV, wind and the line cut Shanghai's territorial CO2 in 2030
    w = ie.pathways.wedges(ref, alt, "Shanghai", "production")
    assert w.at[2030, "Shanghai power mix (PV, wind, Inner Mongolia line)"] < 0


def test_shipped_deep_captures_each_sectors_co2_with_one_lever_only():
    # deep moves Shanghai's steel and petrochemicals CCUS into the technology levers; the generic ccus
    # levers must not capture the same (region, sector) again, and the line is not in a grid-factor lever
    from ioemissions.pathways.technology.industry import PETROCHEM

    sc = ie.pathways.scenario("deep")
    captured = []
    for lv in sc.levers:
        if lv.type_name == "ccus":
            captured += [(r, s) for r in lv.params["regions"] for s in lv.params["sectors"]]
        elif lv.type_name == "steel-routes" and "ccus_capture" in lv.params:
            captured += [(lv.region, s) for s in lv.params["ccus_sectors"]]
        elif lv.type_name == "petrochemicals" and "ccus_capture" in lv.params:
            captured += [(lv.region, s) for s in lv.params.get("sectors", PETROCHEM)]
    assert len(captured) == len(set(captured))
    assert ("Shanghai", "Smelting and processing of metals") in captured
    types = {lv.type_name for lv in sc.levers}
    assert {"power-mix", "road-fleet", "building-stock", "steel-routes", "petrochemicals", "hydrogen"} <= types
    assert not types & {"household-direct", "demand-mix"}
    grid = [lv for lv in sc.levers if lv.type_name == "grid-factor"]
    assert all("Shanghai" not in lv.params["regions"] for lv in grid)


def test_non_productive_A_names_lever_year_and_column(drivers):
    sc = _sc(
        [
            {
                "type": "energy-efficiency",
                "name": "too much energy",
                "regions": ["Shanghai"],
                "sectors": ["Smelting and processing of metals"],
                "factor": {"2017": 1.0, "2030": 40.0, "source": "s"},
            }
        ]
    )
    with pytest.raises(ScenarioError, match=r"too much energy.*non-productive in 20\d\d.*Smelting and processing"):
        ie.pathways.run(sc, drivers=drivers, jobs_per_output=False)


def test_negative_intensity_and_bad_share_name_key_and_year(drivers):
    sc = _sc([{"type": "intensity", "factor": {"2017": 1.0, "2030": -0.5, "source": "s"}}])
    with pytest.raises(ScenarioError, match=r"levers\[0\] \('intensity'\): factor is -0\.\d+ in 2026"):
        ie.pathways.run(sc, drivers=drivers, jobs_per_output=False)
    sc = _sc([{"type": "ccus", "sectors": ["Construction"], "capture": {"2017": 0.0, "2030": 1.5, "source": "s"}}])
    with pytest.raises(ScenarioError, match=r"capture is 1\.\d+ in 2026; a share"):
        ie.pathways.run(sc, drivers=drivers, jobs_per_output=False)


def test_unknown_region_sector_and_years_outside_the_data(drivers):
    sc = _sc([{"type": "grid-factor", "regions": ["Shenzhen"], "factor": {"2017": 1.0, "source": "s"}}])
    with pytest.raises(ScenarioError, match="Shenzhen"):
        ie.pathways.run(sc, drivers=drivers)
    sc = _sc([{"type": "intensity", "sectors": ["Spaceflight"], "factor": {"2017": 1.0, "source": "s"}}])
    with pytest.raises(ScenarioError, match="Spaceflight"):
        ie.pathways.run(sc, drivers=drivers)
    with pytest.raises(ScenarioError, match="not the years 2041–2050"):
        ie.pathways.run(_sc([], end=2050), drivers=drivers)
    with pytest.raises(ScenarioError, match="covers 2020–2100, not the years 2020–2101"):
        ie.pathways.run(_sc([], end=2101))
    with pytest.raises(LabelError, match="Shenzhen"):
        ie.pathways.run(_sc([], end=2018), drivers=drivers).peak("Shenzhen")


def test_bad_toml_names_file_and_line(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(
        '[scenario]\nname = "x"\n\n[[levers]]\ntype = "grid-factor"\nfactor = {2017 = 1.0, source = "s"}\n\n'
        '[[levers]]\ntype = "no-such"\n'
    )
    with pytest.raises(ScenarioError, match=r"bad\.toml: levers\[1\] \(line 8\)\.type: unknown lever type 'no-such'"):
        ie.pathways.scenario(f)
    f.write_text('[scenario]\nname = "x"\nssp = \n')
    with pytest.raises(ScenarioError, match=r"invalid TOML .*line 3"):
        ie.pathways.scenario(f)
    with pytest.raises(ScenarioError, match="unknown scenario 'nope'"):
        ie.pathways.scenario("nope")


def test_shipped_scenarios_cite_every_number():
    for name in ie.pathways.shipped():
        sc = ie.pathways.scenario(name)
        for lv in sc.levers:
            for k, v in lv.params.items():
                if isinstance(v, ie.pathways.Path | ie.pathways.Value):
                    assert v.source.strip(), (name, lv.name, k)


def test_targets_report_the_peak_target(baseline):
    t = baseline.targets().set_index("id")
    pk = baseline.peak("Shanghai", "production")
    assert t.at["CP-05", "value"] == pk.year and t.at["CP-05", "met"] == (pk.year <= 2030)
    assert "not evaluable" in t.at["CP-04", "note"]  # no 2005 CO2 in the shipped tables: said, not NaN silently


def test_to_xarray_holds_the_emissions(baseline):
    ds = baseline.to_xarray()
    assert float(ds["emissions"].sel(year=2030, region="Shanghai", basis="consumption")) == pytest.approx(
        baseline.emissions.at[2030, ("Shanghai", "consumption")], rel=1e-15
    )


def test_backcast_error_is_computed_against_ceads():
    from ioemissions.pathways.backcast import backcast

    b = backcast()
    assert list(b.index.get_level_values("year").unique()) == [2017, 2018, 2019]
    np.testing.assert_allclose(b["error"], b["projected"] / b["observed"] - 1, rtol=1e-15)
    # the observed side is CEADs: Shanghai 2017 territorial CO2 equals the 2017 table's production account
    assert b.at[(2017, "Shanghai"), "observed"] == pytest.approx(
        ie.tables.load("yrd-mrio-2017").accounts("CO2").at["Shanghai", "production"], rel=1e-9
    )

"""CCUS investment: capture capacity x capex, the allocation and the IO footprint of the capture plants,
sourced default capture rate and electricity penalty, named errors, and the fast deployment_impacts
against the per-record reference implementation."""

import numpy as np
import pandas as pd
import pytest
from conftest import P, V, embodied_by_rerun, power_mix, sc, state_of

import ioemissions as ie
from ioemissions.errors import ScenarioError, UnitMismatchError
from ioemissions.pathways import Lever
from ioemissions.pathways.technology import capture as tcap
from ioemissions.pathways.technology import investment as inv

METALS = "Smelting and processing of metals"
PETRO = "Processing of petroleum, coking, and nuclear fuel"
CHEM = "Manufacture of chemical products"
ELEC = "Production and supply of electric power and heat power"
HOURS = 8760.0


def ccus(**over):
    lv = {
        "type": "ccus",
        "name": "cc",
        "regions": ["Shanghai"],
        "sectors": [METALS],
        "coverage": P({2017: 0.0, 2020: 0.6}),
    }
    lv.update(over)
    return lv


def _capex_row(tech, year):
    cap = ie.tables.load("technology-costs")["capex"]
    r = cap[(cap.technology == tech) & (cap.year == year)]
    assert len(r) == 1
    return float(r.capex.iloc[0]), r.unit.iloc[0], int(r.price_year.iloc[0])


# ---------------------------------------------------------------- data
def test_capture_rows_reproduce_the_npc_plant():
    """NPC steel retrofit: 1,342 million USD (2019) for 3,324,000 t CO2/yr, at 7.5 CNY/USD, per t/h."""
    capex, unit, py = _capex_row("steel-ccs-retrofit", 2030)
    assert unit == "CNY/(t CO2/h)" and py == 2019
    assert capex == pytest.approx(1342e6 / (3324000 / HOURS) * 0.90 / 0.12, rel=1e-12)
    assert tcap.capture_parameter("steel-ccs-retrofit", 2030, "capture_rate") == 0.9
    assert tcap.capture_parameter("steel-ccs-retrofit", 2030, "electricity_mwh_per_t") == 0.16
    assert tcap.capture_parameter("cement-ccs", 2035, "capture_rate") == 0.925
    assert tcap.capture_parameter("cement-ccs", 2060, "capture_rate") == 0.95  # held after 2050
    for tech in inv.CAPTURE_TECHNOLOGIES:
        assert sum(inv.allocation(tech).values()) == pytest.approx(1.0, abs=1e-12)


# ---------------------------------------------------------------- levers
def test_default_capture_rate_is_coverage_times_the_sourced_rate(base, drivers):
    lv = Lever.from_dict(ccus())
    s = state_of(base, drivers, 2019, lv)
    j = s.nodes_of(["Shanghai"], [METALS])
    S0 = s.S.copy()
    lv.apply(s)
    c = 0.6 * 2 / 3 * 0.9
    np.testing.assert_allclose(s.S[j], S0[j] * (1 - c), rtol=1e-15)
    assert s.info["capture_rate"]["cc"] == pytest.approx(c, rel=1e-15)
    # an explicit rate and the old explicit capture share still work
    lv2 = Lever.from_dict(ccus(capture_rate=V(0.5)))
    s2 = state_of(base, drivers, 2019, lv2)
    lv2.apply(s2)
    assert s2.info["capture_rate"]["cc"] == pytest.approx(0.6 * 2 / 3 * 0.5, rel=1e-15)
    explicit = ccus(capture=P({2017: 0.0, 2020: 0.3}))
    del explicit["coverage"]
    lv3 = Lever.from_dict(explicit)
    s3 = state_of(base, drivers, 2019, lv3)
    lv3.apply(s3)
    assert s3.info["capture_rate"]["cc"] == pytest.approx(0.2, rel=1e-15)


def test_default_penalty_buys_the_sourced_electricity(base, drivers):
    """Δ electricity purchases of the column = c s u e 10^-3 P (P = power output / generation, base year)."""
    from ioemissions.pathways.technology.electricity import base_network

    lv = Lever.from_dict(ccus(energy_penalty="default"))
    s = state_of(base, drivers, 2019, lv)
    j = int(s.nodes_of(["Shanghai"], [METALS])[0])
    el = s.nodes_of(None, [ELEC])
    A0, S0 = s.A.copy(), s.S.copy()
    lv.apply(s)
    x0 = np.linalg.solve(np.eye(len(base.S)) - base.A, base.Y.sum(axis=1))
    price = x0[int(s.nodes_of(["Shanghai"], [ELEC])[0])] / base_network(2017)["generation"]["Shanghai"]
    c = 0.6 * 2 / 3 * 0.9
    want = c * S0[j] * 1e6 * 0.16 * 1e-3 * price
    assert s.A[el, j].sum() - A0[el, j].sum() == pytest.approx(want, rel=1e-12)
    np.testing.assert_allclose(s.A[el, j] / s.A[el, j].sum(), A0[el, j] / A0[el, j].sum(), rtol=1e-12)
    other = np.ones(len(s.S), bool)
    other[el] = False
    np.testing.assert_array_equal(s.A[other, j], A0[other, j])  # electricity only: no fuel penalty


# ---------------------------------------------------------------- investment
def test_capture_capex_is_capacity_times_capex(drivers):
    p = ie.pathways.run(sc([ccus()], end=2021), drivers=drivers)
    d = inv.deployment_impacts(p, costs="hold")  # capture capex data start in 2020
    j = int(np.flatnonzero([tuple(n) == ("Shanghai", METALS) for n in p._base.nodes])[0])
    s0 = p._base.S[j]
    k = {}
    for i, y in enumerate(p.years):
        c = 0.6 * min(y - 2017, 3) / 3 * 0.9
        k[y] = c * s0 * p._r[i]["x"][j] * 1e6  # t CO2/yr captured
    capex, _, py = _capex_row("steel-ccs-retrofit", 2020)
    defl = inv.deflator(2017) / inv.deflator(py)
    for y in (2018, 2019, 2020, 2021):
        row = d.loc[(y, "Shanghai", "steel-ccs-retrofit")]
        added = max(k[y] - k[y - 1], 0.0)
        assert row["stock"] == pytest.approx(k[y], rel=1e-12)
        assert row["added"] == pytest.approx(added, rel=1e-12, abs=1e-9)
        assert row["avoided_co2"] == pytest.approx(k[y] / 1e6, rel=1e-12)
        assert row["investment"] == pytest.approx(added / HOURS * capex * defl / 1e4, rel=1e-12, abs=1e-12)
    assert d.loc[(2017, "Shanghai", "steel-ccs-retrofit"), "investment"] == 0.0  # no addition in the base year
    assert d.loc[(2019, "Shanghai", "steel-ccs-retrofit"), "investment"] > 0


def test_zero_capture_gives_zero_ccus_investment(drivers):
    p = ie.pathways.run(sc([ccus(coverage=P({2017: 0.0}))], end=2020), drivers=drivers)
    d = inv.deployment_impacts(p, costs="hold")
    cols = ["investment", "output", "value_added", "jobs", "imports", "embodied_co2", "avoided_co2", "added", "stock"]
    assert len(d) == 4
    assert (d[cols].to_numpy() == 0.0).all()
    assert inv.deployment_impacts(p, costs="hold", ccus=False).empty


def test_allocation_adds_up_to_the_capex(drivers):
    p = ie.pathways.run(sc([ccus(sectors=[METALS, CHEM, PETRO])], end=2019), drivers=drivers)
    from ioemissions.pathways.engine import build_state

    st = build_state(p.scenario, p._base, 2019, drivers)
    for tech in ("steel-ccs-retrofit", "ammonia-ccs-retrofit", "chp-ccs"):
        y, ym = inv.final_demand(st, "Shanghai", tech, 1234.5)
        assert y.sum() + ym.sum() == pytest.approx(1234.5, rel=1e-12)
        assert (y >= 0).all() and (ym >= 0).all()
    d = inv.deployment_impacts(p, costs="hold")
    assert set(d.loc[2019].index.get_level_values("technology")) == {
        "steel-ccs-retrofit",
        "ammonia-ccs-retrofit",
        "chp-ccs",
    }


def test_embodied_co2_of_capture_plants_is_their_io_footprint(drivers):
    row, diff = embodied_by_rerun([ccus()], drivers, 2019, "steel-ccs-retrofit")
    assert row["investment"] > 0 and row["embodied_co2"] > 0
    assert diff == pytest.approx(row["embodied_co2"], rel=1e-9)


def test_technology_levers_ccus_options_are_priced(drivers):
    steel = {
        "type": "steel-routes",
        "name": "steel",
        "bf_bof": P({2017: 1.0}),
        "eaf": P({2017: 0.0}),
        "h2_dri": P({2017: 0.0}),
        "intensity_bf_bof": V(2.0),
        "intensity_eaf": V(0.1),
        "intensity_h2_dri": V(0.05),
        "steel_share_of_sector": V(0.8),
        "ccus_coverage": P({2017: 0.0, 2020: 0.5}),
        "ccus_sectors": [METALS],
    }
    petro = {"type": "petrochemicals", "name": "pc", "ccus_coverage": P({2017: 0.0, 2020: 0.5})}
    p = ie.pathways.run(sc([steel, petro], end=2020), drivers=drivers)
    assert p.info[2020]["steel_routes"]["steel"]["ccus_capture"] == pytest.approx(0.45, rel=1e-15)
    assert p.info[2020]["petrochemicals"]["pc"]["ccus_capture"] == {PETRO: 0.5 * 0.9, CHEM: 0.5 * 0.99}
    d = inv.deployment_impacts(p, costs="hold").loc[2020]
    got = d[d.group == "ccus"]
    assert set(got.index.get_level_values("technology")) == {"steel-ccs-retrofit", "chp-ccs", "ammonia-ccs-retrofit"}
    assert (got["investment"] > 0).all()


# ---------------------------------------------------------------- errors
def test_capture_without_cost_data_names_lever_year_and_field(drivers):
    lv = {"type": "ccus", "name": "cc", "regions": ["Shanghai"], "sectors": ["Construction"],
          "capture": P({2017: 0.0, 2020: 0.3})}  # fmt: skip
    p = ie.pathways.run(sc([lv], end=2019), drivers=drivers)
    with pytest.raises(ScenarioError, match=r"lever 'cc', year 2017, field 'capture_technology'.*Construction"):
        inv.deployment_impacts(p, costs="hold")
    # a named technology without cost data
    lv = {"type": "ccus", "name": "cc2", "regions": ["Shanghai"], "sectors": [METALS],
          "capture": P({2017: 0.0, 2020: 0.3}), "capture_technology": "unobtainium"}  # fmt: skip
    p2 = ie.pathways.run(sc([lv], end=2019), drivers=drivers)
    with pytest.raises(ScenarioError, match=r"'unobtainium' by lever 'cc2', year 2018, field 'added'.*no cost data"):
        inv.deployment_impacts(p2, costs="hold")
    # coverage with a default rate on a sector without a capture technology: named at run time
    lv3 = ccus(name="cc3", sectors=["Construction"])
    with pytest.raises(ScenarioError, match=r"\('cc3'\), year 2017, capture_rate: no default capture rate"):
        ie.pathways.run(sc([lv3], end=2018), drivers=drivers)
    with pytest.raises(ScenarioError, match=r"give capture or coverage"):
        ie.pathways.run(sc([ccus(capture=P({2017: 0.1}))], end=2018), drivers=drivers)
    with pytest.raises(ScenarioError, match=r"energy_penalty is 'lots'"):
        ie.pathways.run(sc([ccus(energy_penalty="lots")], end=2018), drivers=drivers)


def test_a_unit_it_cannot_convert_names_lever_year_and_field():
    rec = {"technology": "steel-ccs-retrofit", "lever": "cc", "year": 2030, "added": 5.0, "unit": "m2"}
    with pytest.raises(UnitMismatchError, match=r"'steel-ccs-retrofit' by lever 'cc', year 2030, field 'added'"):
        inv.investment_of(rec)
    rec["unit"] = "Mt/yr"  # a mass rate converts: 5 Mt/yr = 5e6/8760 t/h
    capex, _, py = _capex_row("steel-ccs-retrofit", 2030)
    want = 5e6 / HOURS * capex * inv.deflator(2017) / inv.deflator(py)
    assert inv.investment_of(rec) == pytest.approx(want, rel=1e-12)


# ---------------------------------------------------------------- the fast path = the reference
def _reference(p, costs="hold"):
    """The per-record implementation deployment_impacts replaced: rebuild each year's state, one solve per
    record (numpy's dense solve), the formulas of the investment module's docstring."""
    from ioemissions.pathways.engine import _jobs_per_output, build_state

    b = p._base
    l_node = _jobs_per_output(b)
    cap = tcap.capture_deployments(p)
    rows = []
    for year in p.years:
        recs = [*p.info[year].get("deployment", []), *cap.get(year, [])]
        if not recs:
            continue
        st = build_state(p.scenario, b, year, p.drivers)
        L = np.eye(len(st.S)) - st.A
        v = 1.0 - st.A.sum(axis=0) - st.A_imp.sum(axis=0)
        pi = np.array(
            [st.drivers[r]["gdp_index"] / st.drivers[r]["population_index"] for r in np.array(b.regions)[b.node_region]]
        )
        for rec in recs:
            row = {"year": year, "region": rec["region"], "technology": rec["technology"]}
            i = inv.investment_of({**rec, "year": year}, costs=costs) / 1e4 if rec["added"] > 0 else 0.0
            out = dict.fromkeys(["output", "value_added", "jobs", "imports", "embodied_co2"], 0.0)
            if i > 0:
                y, ym = inv.final_demand(st, rec["region"], rec["technology"], i)
                x = np.linalg.solve(L, y)
                m = st.A_imp @ x + ym
                r = st.regions.index(rec["region"])
                out = {"output": x.sum(), "value_added": v @ x, "jobs": (l_node * x / pi).sum(), "imports": m.sum(),
                       "embodied_co2": st.S @ x + st.M_imp[:, r] @ m}  # fmt: skip
            rows.append({**row, "investment": i, **out, "avoided_co2": rec.get("avoided_co2", 0.0)})
    return pd.DataFrame(rows).groupby(["year", "region", "technology"], sort=True).sum()


def test_fast_deployment_impacts_equal_the_reference(drivers):
    p = ie.pathways.run(sc([power_mix(), ccus(sectors=[METALS, ELEC])], end=2021), drivers=drivers)
    assert p._io  # the run kept the states of the deployment years
    fast = inv.deployment_impacts(p, costs="hold")
    ref = _reference(p)
    cols = ["investment", "output", "value_added", "jobs", "imports", "embodied_co2", "avoided_co2"]
    assert list(fast.index) == list(ref.index)
    np.testing.assert_allclose(fast[cols].to_numpy(float), ref[cols].to_numpy(float), rtol=1e-12, atol=1e-12)
    # without the kept states (e.g. a pickled pathway) the rebuilt path gives the same frame
    import pickle

    q = pickle.loads(pickle.dumps(p))
    assert q._io == {}
    pd.testing.assert_frame_equal(inv.deployment_impacts(q, costs="hold"), fast, rtol=1e-13, atol=0)

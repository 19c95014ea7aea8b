"""The power-mix lever's fast traced factor (numpy proportional sharing) equals ``electricity.trace``,
and the shipped technology pathways are unchanged by the speed-up (issues 14/15)."""

import numpy as np
import pandas as pd
import pytest
from conftest import power_mix, state_of

import ioemissions as ie
from ioemissions.electricity import sharing_intensity, trace
from ioemissions.errors import UnbalancedTableError
from ioemissions.pathways import Lever
from ioemissions.pathways.engine import build_state
from ioemissions.pathways.technology import electricity as tel

UNITS = {"energy": "GWh", "emissions": "Mt CO2"}


def traced(nw) -> float:
    """The province's factor (kg/kWh) by the public, validated API on the lever's labelled network."""
    res = trace(nw["generation"], nw["emissions"], nw["flows"], units=UNITS)
    return float(res.intensity["Shanghai"]) * tel.TO_KG_PER_KWH


@pytest.fixture(scope="module")
def shipped():
    return {name: ie.pathways.run(name) for name in ("peak-plan", "deep")}


def power_lever(pathway):
    (lv,) = [lv for lv in pathway.scenario.levers if lv.type_name == "power-mix"]
    return lv


def test_sharing_intensity_is_trace_on_the_base_network():
    net = tel.base_network(2017)
    g, e, F = net["generation"], net["emissions"], net["flows"]
    want = trace(g, e, F, units=UNITS).intensity
    got = sharing_intensity(g.to_numpy(), e.to_numpy(), F.to_numpy())
    np.testing.assert_allclose(got, want.to_numpy(), rtol=1e-12, atol=0)


def test_fast_base_year_factor_is_the_electricity_modules_2017_factor(shipped):
    p = shipped["peak-plan"]
    lv = power_lever(p)
    s = build_state(p.scenario, p._base, 2017, p.drivers)
    want = ie.electricity.imported_emissions("Shanghai", 2017).factors["consumption-based (traced)"]
    assert s.info["grid_factor"]["Shanghai"] == pytest.approx(want, rel=1e-12)
    assert s.info["grid_factor"]["Shanghai"] == pytest.approx(0.605365, abs=5e-7)
    assert lv.grid_factor(s) == pytest.approx(traced(lv.network(s)), rel=1e-12)


@pytest.mark.parametrize("name", ["peak-plan", "deep"])
@pytest.mark.parametrize("year", [2030, 2045, 2060])
def test_fast_factor_equals_trace_in_the_shipped_scenarios(shipped, name, year):
    p = shipped[name]
    lv = power_lever(p)
    s = build_state(p.scenario, p._base, year, p.drivers)
    nw = lv.network(s)
    assert nw["line"] > 0 and "Shanghai line (green)" in nw["generation"].index  # the line node is traced too
    want = traced(nw)
    assert s.info["grid_factor"]["Shanghai"] == pytest.approx(want, rel=1e-12)
    assert p.info[year]["grid_factor"]["Shanghai"] == pytest.approx(want, rel=1e-12)


def test_a_network_the_cheap_checks_refuse_goes_to_trace_and_its_named_error(base, drivers):
    lv = Lever.from_dict(power_mix())
    s = state_of(base, drivers, 2030, lv)
    b = tel._base_arrays(2017)
    a = lv._arrays(s)
    assert tel._plain(a["generation"], a["emissions"], a["flows"], b)
    # a base flow gone: a node may lose its supply, so the fast path must not be trusted
    i, j = np.argwhere(b["links"])[0]
    cut = a["flows"].copy()
    cut[i, j] = 0.0
    assert not tel._plain(a["generation"], a["emissions"], cut, b)
    neg = a["generation"].copy()
    neg[0] = -1.0
    assert not tel._plain(neg, a["emissions"], a["flows"], b)
    # a node that sends more than it has: trace's error, naming it, instead of a number
    over = a["flows"].copy()
    over[i, j] = 1e9
    assert not tel._plain(a["generation"], a["emissions"], over, b)
    with pytest.raises(UnbalancedTableError, match=str(b["nodes"][i])):
        lv.grid_factor(s, {**a, "flows": over})
    # two appended nodes passing power round a loop with no generation: trace's error too
    n = len(a["generation"])
    loop = np.pad(a["flows"], ((0, 2), (0, 2)))
    loop[n, n + 1] = loop[n + 1, n] = 10.0
    bad = {
        **a,
        "nodes": [*a["nodes"], "X", "Y"],
        "generation": np.append(a["generation"], [0.0, 0.0]),
        "emissions": np.append(a["emissions"], [0.0, 0.0]),
        "flows": loop,
    }
    assert not tel._plain(bad["generation"], bad["emissions"], bad["flows"], b)
    with pytest.raises(UnbalancedTableError, match=r"'X', 'Y'.*without any generation upstream"):
        lv.grid_factor(s, bad)


# Shanghai's emissions (Mt CO2) of the shipped pathways recorded before the speed-up (trace every year),
# ioemissions at commit 9b845aa, Python 3.11.7, numpy 2: the speed-up must not move them.
BEFORE = {
    ("peak-plan", 2030): (165.2995107094587, 301.69214439300254, 0.4921780988914982),
    ("peak-plan", 2060): (123.38960776707856, 377.03658625507984, 0.33464091047597067),
    ("deep", 2030): (155.80123100411615, 266.3705729146579, 0.4866225560172627),
    ("deep", 2060): (52.045841191200644, 144.45149124805067, 0.24569515020824406),
}


@pytest.mark.parametrize(("name", "year"), list(BEFORE))
def test_shipped_pathways_equal_the_ones_before_the_speed_up(shipped, name, year):
    p = shipped[name]
    prod, cons, grid = BEFORE[(name, year)]
    e = p.emissions
    assert e.loc[year, ("Shanghai", "production")] == pytest.approx(prod, rel=1e-9)
    assert e.loc[year, ("Shanghai", "consumption")] == pytest.approx(cons, rel=1e-9)
    assert tel.grid_factor_series(p)[year] == pytest.approx(grid, rel=1e-9)


def test_network_labels_match_the_arrays(base, drivers):
    from conftest import P, V

    lv = Lever.from_dict(
        power_mix(line=P({2017: 0.0, 2030: 400.0}, "10^8 kWh"), line_green_share=V(0.5), line_origin="Inner Mongolia")
    )
    s = state_of(base, drivers, 2030, lv)
    nw, a = lv.network(s), lv._arrays(s)
    assert list(nw["generation"].index) == a["nodes"] and a["nodes"][-1] == "Shanghai line (green)"
    assert nw["flows"].loc["Inner Mongolia", "Shanghai"] == a["flows"][a["nodes"].index("Inner Mongolia"), a["p"]]
    pd.testing.assert_index_equal(nw["flows"].columns, nw["generation"].index)

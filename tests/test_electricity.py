"""Carbon emission flow tracing: validation case 5, conservation on random networks, Shanghai, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ioemissions as ie
from ioemissions.electricity import trace
from ioemissions.errors import LabelError, NegativeOutputError, NonFiniteError, UnbalancedTableError


@pytest.fixture
def three_nodes():
    """Validation case 5 (derived; Zhou, Kang et al. 2012): MW and g/kWh."""
    gen = pd.Series({"A": 100.0, "B": 50.0, "C": 0.0})
    flows = pd.DataFrame(0.0, index=gen.index, columns=gen.index)
    flows.loc["A", "B"] = 80.0
    flows.loc["B", "C"] = 70.0
    return gen, pd.Series({"A": 800.0, "B": 0.0, "C": 0.0}), flows


def test_validation_case_5(three_nodes):
    gen, intensity, flows = three_nodes
    r = trace(gen, intensity, flows, kind="intensity")
    np.testing.assert_allclose(r.intensity, [800, 492.3077, 492.3077], rtol=1e-6)
    np.testing.assert_allclose(r.consumption, [20, 60, 70])
    loads = r.intensity * r.consumption  # kg/h
    np.testing.assert_allclose(loads, [16000, 29538.46, 34461.54], rtol=1e-6)
    assert loads.sum() == pytest.approx(80000)
    np.testing.assert_allclose(r.attribution.sum(axis=0), loads, rtol=1e-12)
    np.testing.assert_allclose(r.attribution.sum(axis=1), [80000, 0, 0], rtol=1e-12)


def test_direct_method_misses_pass_through(three_nodes):
    gen, intensity, flows = three_nodes
    d = trace(gen, intensity, flows, kind="intensity", method="direct")
    assert d.intensity["B"] == pytest.approx(492.3077, rel=1e-6)  # B imports directly from A
    assert d.intensity["C"] == 0.0  # C sees only B's own (zero-carbon) generation


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 100_000), st.integers(2, 12))
def test_conservation_on_random_networks(seed, n):
    rng = np.random.default_rng(seed)
    nodes = [f"n{i}" for i in range(n)]
    gen = pd.Series(rng.uniform(0, 100, n) * (rng.random(n) < 0.8), index=nodes)
    em = gen * rng.uniform(0, 1.2, n)
    # flows: each node sends a random fraction of its generation to random neighbours (acyclic or not)
    F = np.zeros((n, n))
    for i in range(n):
        k = rng.integers(0, n)
        if k != i:
            F[i, k] = rng.uniform(0, 0.9) * gen.iloc[i]
    flows = pd.DataFrame(F, index=nodes, columns=nodes)
    r = trace(gen, em, flows)
    total = em.sum()
    np.testing.assert_allclose(r.attribution.to_numpy().sum(), total, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose((r.intensity * r.consumption).sum(), total, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(r.attribution.sum(axis=1), em, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(r.energy.to_numpy().sum(), gen.sum(), rtol=1e-9, atol=1e-9)


def test_bad_inputs_are_named(three_nodes):
    gen, intensity, flows = three_nodes
    bad = flows.copy()
    bad.loc["A", "C"] = -1.0
    with pytest.raises(NegativeOutputError, match=r"'A'.*'C'"):
        trace(gen, intensity, bad, kind="intensity")
    unknown = flows.copy()
    unknown["Z"] = 0.0
    with pytest.raises(LabelError, match="'Z'"):
        trace(gen, intensity, unknown, kind="intensity")
    too_much = flows.copy()
    too_much.loc["B", "C"] = 500.0
    with pytest.raises(UnbalancedTableError, match="'B'"):
        trace(gen, intensity, too_much, kind="intensity")
    scaled = trace(gen, intensity, too_much, kind="intensity", on_excess="scale")
    assert scaled.consumption["B"] == pytest.approx(0.0)
    nan = gen.copy()
    nan["B"] = np.nan
    with pytest.raises(NonFiniteError, match="'B'"):
        trace(nan, intensity, flows, kind="intensity")


def test_shanghai_2017_imported_electricity():
    res = ie.electricity.imported_emissions("Shanghai", 2017)
    t = res.table
    # conservation over China's network: every Mt of power-sector CO2 is consumed somewhere
    net = ie.electricity.provincial_network(2017)
    assert res.result.attribution.to_numpy().sum() == pytest.approx(net["emissions"].sum(), rel=1e-9)
    # Shanghai consumes its generation net of outflows plus traced inflows
    assert t.loc["total", "TWh"] == pytest.approx(res.result.consumption["Shanghai"] / 1e3)
    assert {"Sichuan", "Hubei", "Jiangsu", "Zhejiang"} <= set(t.index)
    f = res.factors
    # importing hydro-rich Sichuan and Hubei power lowers the factor below the production-based one
    assert f["consumption-based (traced)"] < f["production-based (CEADs power sector / generation)"]
    assert f["MEE provincial 2021"] == 0.5834 and f["MEE East China grid 2022"] == 0.5617


def test_2020_refused_and_2019_only_as_a_flagged_estimate():
    with pytest.raises(LabelError, match="copies of 2019"):
        ie.electricity.provincial_network(2020)
    with pytest.raises(LabelError, match="no provincial generation"):
        ie.electricity.provincial_network(2019)
    net = ie.electricity.provincial_network(2019, generation="interpolate")
    gen = ie.tables.load("gcam-electricity-generation").groupby(["year", "province"])["value"].sum() * 100
    assert net["generation"]["Shanghai"] == pytest.approx(0.5 * gen[(2017, "Shanghai")] + 0.5 * gen[(2021, "Shanghai")])
    res = ie.electricity.imported_emissions("Shanghai", 2019)
    assert res.factors.attrs["generation_estimated"] is True
    assert res.result.attribution.to_numpy().sum() == pytest.approx(net["emissions"].sum(), rel=1e-9)


def test_footprint_split_adds_up():
    m = ie.tables.load("yrd-mrio-2017")
    split = ie.electricity.footprint_split(m, "Shanghai")
    assert split.sum() == pytest.approx(m.accounts("CO2").loc["Shanghai", "consumption"], rel=1e-10)
    s12 = ie.electricity.scope12("Shanghai", 2017)
    assert s12.iloc[-1] == pytest.approx(s12.iloc[0] - s12.iloc[1] + s12.iloc[2])

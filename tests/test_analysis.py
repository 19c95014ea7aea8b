"""SDA, LMDI, SPA and linkages: exactness, published layers, and agreement with explicit inverses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import random_productive_system

import ioemissions as ie
from ioemissions.analysis import hypothetical_extraction, layer_totals, linkages, lmdi, log_mean, sda, structural_paths
from ioemissions.errors import LabelError, UnitMismatchError
from ioemissions.regional.yrd import harmonised

UNITS = {"monetary": "10^4 CNY", "co2": "t", "ch4": "t"}


@pytest.fixture(scope="module")
def kitzes():
    """Kitzes (2013), Resources 2:489-503 (validation case 3)."""
    idx = pd.MultiIndex.from_product([["R"], ["a", "b"]])
    Z = pd.DataFrame([[8.0, 5.0], [4.0, 2.0]], index=idx, columns=idx)
    F = pd.DataFrame([[8.0, 4.0]], index=["q"], columns=idx)
    return ie.MRIO(
        Z,
        pd.DataFrame({"R": [3.0, 6.0]}, index=idx),
        F,
        units={"monetary": "CNY", "q": "t"},
        x=pd.Series([16.0, 12.0], index=idx),
    )


@pytest.fixture(scope="module")
def yrd_pair():
    return harmonised(2012), harmonised(2017)


# ----------------------------------------------------------------------------- LMDI
def test_log_mean_cases():
    assert log_mean(2.0, 1.0) == pytest.approx(1 / np.log(2))
    assert log_mean(5.0, 5.0) == 5.0
    assert log_mean(1.0, 2.0) == log_mean(2.0, 1.0)


def test_lmdi_additive_and_multiplicative_are_exact():
    rng = np.random.default_rng(0)
    idx = list("abcdef")
    f0 = {"P": 100.0, "g": pd.Series(rng.uniform(1, 2, 6), index=idx), "e": pd.Series(rng.uniform(0, 1, 6), index=idx)}
    f1 = {"P": 103.0, "g": pd.Series(rng.uniform(1, 2, 6), index=idx), "e": pd.Series(rng.uniform(0, 1, 6), index=idx)}
    E0 = (f0["P"] * f0["g"] * f0["e"]).sum()
    E1 = (f1["P"] * f1["g"] * f1["e"]).sum()
    add = lmdi(f0, f1)
    assert add.sum() == pytest.approx(E1 - E0, rel=1e-12)
    mult = lmdi(f0, f1, kind="multiplicative")
    assert mult.prod() == pytest.approx(E1 / E0, rel=1e-12)


def test_lmdi_zero_values_keep_the_sum_exact():
    """Ang & Liu (2007): a sub-category that disappears (0 in period 1)."""
    f0 = {"a": pd.Series([2.0, 1.0], index=["x", "y"]), "b": pd.Series([1.0, 3.0], index=["x", "y"])}
    f1 = {"a": pd.Series([2.5, 0.0], index=["x", "y"]), "b": pd.Series([1.2, 3.0], index=["x", "y"])}
    add = lmdi(f0, f1)
    assert add.sum() == pytest.approx(2.5 * 1.2 - (2.0 + 3.0), rel=1e-9)
    with pytest.raises(LabelError):
        lmdi(f0, {"a": 1.0})


def test_lmdi_shanghai_2012_2017_worked_example():
    """Shanghai: CO2 = population × GDP per capita × CO2 per GDP × fuel share (data in tables/)."""
    pop = ie.tables.load("population-provinces").query("province == 'Shanghai'").set_index("year")["value"]
    exp = ie.tables.load("ipio-provincial-expenditure").query("province == 'Shanghai'")
    gdp = exp.groupby("year")["value"].sum()
    factors = {}
    for year in (2012, 2017):
        co2 = ie.inventory.ceads_co2("Shanghai", year)
        by_fuel = co2.groupby("fuel")["value"].sum()
        E = by_fuel.sum()
        factors[year] = {
            "population": pop[year],
            "gdp_per_capita": gdp[year] / pop[year],
            "co2_per_gdp": E / gdp[year],
            "fuel_mix": by_fuel / E,
        }
    fuels = factors[2012]["fuel_mix"].index.union(factors[2017]["fuel_mix"].index)
    for y in factors:
        factors[y]["fuel_mix"] = factors[y]["fuel_mix"].reindex(fuels, fill_value=0.0)
    eff = lmdi(factors[2012], factors[2017])
    assert eff.sum() == pytest.approx(196.15 - 195.93, abs=0.01)  # CEADs totals 2017 and 2012
    assert eff["gdp_per_capita"] > 0 > eff["co2_per_gdp"]  # growth pushed up, intensity pulled down


# ----------------------------------------------------------------------------- SDA
@pytest.mark.parametrize("method", ["polar", "all"])
@pytest.mark.parametrize(
    "factors",
    [("intensity", "leontief", "final_demand"), ("intensity", "technology", "level", "category_mix", "structure")],
)
def test_sda_is_exact_on_the_yrd_tables(yrd_pair, method, factors):
    before, after = yrd_pair
    d = sda(before, after, "CO2", factors=factors, method=method)
    change = after.accounts("CO2")["consumption"] - before.accounts("CO2")["consumption"]
    np.testing.assert_allclose(d.sum(axis=1), change[d.index], rtol=1e-9, atol=1e-9)
    assert d.to_numpy().sum() == pytest.approx(d.attrs["total_change"], rel=1e-9)
    if "technology" in factors:
        tech = d.attrs["technology_by_sector"]
        np.testing.assert_allclose(tech.sum(axis=1), d["technology"], rtol=1e-8)


def test_sda_two_factor_polar_equals_all_orderings_and_explicit_formula():
    rng = np.random.default_rng(5)
    a = random_productive_system(rng, 2, 3)
    b = random_productive_system(rng, 2, 3)
    m0 = ie.MRIO(*a, units=UNITS)
    m1 = ie.MRIO(b[0], b[1], a[2] * 1.3, a[3], units=UNITS)
    d_polar = sda(m0, m1, "co2", method="polar")
    d_all = sda(m0, m1, "co2", method="all")
    np.testing.assert_allclose(d_polar.sum(axis=1), d_all.sum(axis=1), rtol=1e-10)
    # intensity effect, polar average: ½[Δf L0 y0 + Δf L1 y1] for region r0
    f0, f1 = m0.S.loc["co2"].to_numpy(), m1.S.loc["co2"].to_numpy()
    L0 = np.linalg.inv(np.eye(6) - m0.A.to_numpy())
    L1 = np.linalg.inv(np.eye(6) - m1.A.to_numpy())
    y0 = m0.Y[[c for c in m0.Y.columns if c[0] == "r0"]].sum(axis=1).to_numpy()
    y1 = m1.Y[[c for c in m1.Y.columns if c[0] == "r0"]].sum(axis=1).to_numpy()
    expected = 0.5 * ((f1 - f0) @ L0 @ y0 + (f1 - f0) @ L1 @ y1)
    assert d_polar.loc["r0", "intensity"] == pytest.approx(expected, rel=1e-9)


def test_sda_refuses_mismatched_inputs(yrd_pair, two_region_mrio):
    before, after = yrd_pair
    with pytest.raises(LabelError, match="same"):
        sda(before, two_region_mrio, "CO2")
    with pytest.raises(LabelError, match="unknown SDA factors"):
        sda(before, after, "CO2", factors=("intensity", "leontief", "weather"))
    with pytest.raises(UnitMismatchError):
        sda(before, after.to_units("10^8 CNY"), "CO2")


# ----------------------------------------------------------------------------- SPA
def test_kitzes_layers(kitzes):
    """Emissions of production layers 0..3: 3.5, 2.583333, 1.795139, 1.250579; all layers sum to 12."""
    layers = layer_totals(kitzes, "q", "R", max_depth=3)
    np.testing.assert_allclose(layers.iloc[:4], [3.5, 2.583333, 1.795139, 1.250579], atol=1e-6)
    assert layers.sum() == pytest.approx(12.0)
    ten = layer_totals(kitzes, "q", "R", max_depth=10)
    assert ten.iloc[:11].sum() == pytest.approx(7.826207 + 3.945339, abs=1e-6)  # A^0..A^10 (Kitzes)


def test_spa_paths_add_up_to_the_layers(kitzes):
    paths = structural_paths(kitzes, "q", "R", max_depth=6, threshold=0.0, top=None)
    assert len(paths) == 2 * (2**7 - 1)  # every path of depth 0..6 over 2 sectors from 2 demand nodes
    layers = paths.attrs["layers"]
    assert paths["value"].sum() == pytest.approx(layers.iloc[:7].sum(), rel=1e-12)
    by_depth = paths.groupby("depth")["value"].sum()
    np.testing.assert_allclose(by_depth.to_numpy(), layers.iloc[:7].to_numpy(), rtol=1e-12)
    assert layers.sum() == pytest.approx(paths.attrs["total"])  # all layers (with remainder) = footprint


def test_spa_top_paths_are_the_largest(yrd_pair):
    _, m = yrd_pair
    top = structural_paths(m, "CO2", "Shanghai", top=50)
    assert len(top) == 50 and top["value"].is_monotonic_decreasing
    more = structural_paths(m, "CO2", "Shanghai", top=200)
    pd.testing.assert_series_equal(top["value"], more["value"].iloc[:50], rtol=1e-12)
    assert top["path"].iloc[0][-1][0] in set(m.regions)
    assert top.attrs["total"] == pytest.approx(m.embodied_trade("CO2")["Shanghai"].drop(ie.ABROAD).sum(), rel=1e-9)


# ----------------------------------------------------------------------------- linkages
def test_linkages_match_the_explicit_inverse(two_region_mrio):
    m = two_region_mrio
    L = np.linalg.inv(np.eye(6) - m.A.to_numpy())
    lk = linkages(m, "st1")
    colsum = L.sum(axis=0)
    np.testing.assert_allclose(lk["backward"], colsum / colsum.mean(), rtol=1e-12)
    x = m.x.to_numpy()
    G = np.diag(1 / x) @ L @ np.diag(x)
    np.testing.assert_allclose(lk["forward"], G.sum(axis=1) / G.sum(axis=1).mean(), rtol=1e-12)
    assert lk["backward"].mean() == pytest.approx(1.0)


def test_hypothetical_extraction(kitzes, two_region_mrio):
    he = hypothetical_extraction(kitzes, "q", ("R", "a"))
    assert he["before"] == pytest.approx(12.0) and he["after"] == pytest.approx(2.4)
    m = two_region_mrio
    full = hypothetical_extraction(m, "st1", "reg2")
    keep = np.array([r == "reg1" for r, _ in m.nodes])
    A = m.A.to_numpy()[np.ix_(keep, keep)]
    y = m.Y.to_numpy().sum(axis=1)[keep]
    expected_after = m.S.loc["st1"].to_numpy()[keep] @ np.linalg.solve(np.eye(keep.sum()) - A, y)
    assert full["after"] == pytest.approx(expected_after)
    with pytest.raises(LabelError, match="Mars"):
        hypothetical_extraction(m, "st1", "Mars")

"""Datasets for the pathways and technology levers: they reproduce the numbers in their sources' SOURCE.md checks.

Each number below is quoted from the "Checks run" section of the raw folder's SOURCE.md named in the test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ioemissions import tables


@pytest.fixture(scope="module")
def ssp():
    return tables.load("ssp-provinces")


def _at(df, **keys):
    mask = np.ones(len(df), bool)
    for k, v in keys.items():
        mask &= (df[k] == v).to_numpy()
    if mask.sum() != 1:
        raise AssertionError(f"{keys}: {mask.sum()} rows")
    return df[mask].iloc[0]


# ----------------------------------------------------------------------------- ssp-provinces
def test_ssp_projection_2020_census_anchor(ssp):
    """pypsa-china-pik-provincial-ssp/SOURCE.md: Shanghai 24,870,895, Jiangsu 84,748,016, Zhejiang 64,567,588,
    Anhui 61,027,171 persons in 2020 (every SSP)."""
    p = ssp["projection"]
    for prov, persons in [("Shanghai", 24_870_895), ("Jiangsu", 84_748_016), ("Zhejiang", 64_567_588)]:
        for s in ("SSP1", "SSP2", "SSP5"):
            assert _at(p, ssp=s, province=prov, year=2020).population == pytest.approx(persons / 1e4, abs=1e-9)
    assert _at(p, ssp="SSP2", province="Anhui", year=2020).population * 1e4 == pytest.approx(61_027_171)
    assert not _at(p, ssp="SSP2", province="Anhui", year=2020).population_interpolated


def test_ssp_projection_paths_match_source_checks(ssp):
    """SOURCE.md: Shanghai population (million) SSP2 2030 25.08, 2060 20.12; SSP3 2060 18.94; 31-province sum
    1,409.8 (2020, all SSPs) and 1,193.8 (SSP2 2060); Shanghai real GDP growth SSP2 5.01 %/yr 2020-2030,
    2.18 %/yr 2030-2060; SSP5 5.22 / 2.86."""
    p = ssp["projection"]
    assert _at(p, ssp="SSP2", province="Shanghai", year=2030).population / 100 == pytest.approx(25.08, abs=0.005)
    assert _at(p, ssp="SSP2", province="Shanghai", year=2060).population / 100 == pytest.approx(20.12, abs=0.005)
    assert _at(p, ssp="SSP3", province="Shanghai", year=2060).population / 100 == pytest.approx(18.94, abs=0.005)
    total = p.groupby(["ssp", "year"]).population.sum() / 100  # million
    for s in ("SSP1", "SSP2", "SSP3", "SSP4", "SSP5"):
        assert total[(s, 2020)] == pytest.approx(1409.8, abs=0.05)
    assert total[("SSP2", 2060)] == pytest.approx(1193.8, abs=0.05)
    for s, g1, g2 in [("SSP2", 5.01, 2.18), ("SSP5", 5.22, 2.86)]:
        sh = p[(p.ssp == s) & (p.province == "Shanghai")].set_index("year").gdp
        assert 100 * ((sh[2030] / sh[2020]) ** 0.1 - 1) == pytest.approx(g1, abs=0.005)
        assert 100 * ((sh[2060] / sh[2030]) ** (1 / 30) - 1) == pytest.approx(g2, abs=0.005)


def test_ssp_projection_layout_and_interpolation(ssp):
    p = ssp["projection"]
    assert list(p.columns) == ["ssp", "province", "year", "gdp", "population", "population_interpolated"]
    assert len(p) == 5 * 31 * 81 and p.notna().all().all()
    assert set(p.province) == set(tables.load("provinces").province)
    sh = p[(p.ssp == "SSP2") & (p.province == "Shanghai")].set_index("year")
    # 5-yearly values kept, years between on the straight line: p(2022) = p(2020) + 2/5 (p(2025) - p(2020))
    assert sh.population_interpolated.sum() == 81 - 17
    assert sh.population[2022] == pytest.approx(sh.population[2020] + 0.4 * (sh.population[2025] - sh.population[2020]))


def test_ssp_history_nbs_gdp_and_deflator(ssp):
    """SOURCE.md: NBS GDP Shanghai (10^8 CNY) 2005 9,197.1; 2010 17,915.4; 2015 26,887; 2019 37,987.6;
    2020 38,963.3; 2024 53,926.7. Population Shanghai 2019 2,481 (census-revised)."""
    h = ssp["history"]
    assert list(h.columns) == ["province", "year", "gdp_nominal", "gdp_real", "population"]
    for year, gdp in [
        (2005, 9197.1),
        (2010, 17915.4),
        (2015, 26887),
        (2019, 37987.6),
        (2020, 38963.3),
        (2024, 53926.7),
    ]:
        assert _at(h, province="Shanghai", year=year).gdp_nominal == gdp
    assert _at(h, province="Shanghai", year=2019).population == 2481
    # gdp_real is at constant 2017 prices: equal to nominal in 2017, deflated with one national index per year
    r17 = h[h.year == 2017]
    np.testing.assert_allclose(r17.gdp_real, r17.gdp_nominal, rtol=1e-15)
    ratio = (h.gdp_nominal / h.gdp_real)[h.year == 2010]
    assert ratio.max() - ratio.min() < 1e-12
    # no deflator for 2021-2024 in the raw data: those years are empty, not invented
    assert h[h.year >= 2021].gdp_real.isna().all() and h[h.year <= 2020].gdp_real.notna().all()


def test_ssp_gcam_cross_check(ssp):
    """gcam-china-socioeconomics/SOURCE.md: Shanghai population (thousand) 2019 24,214, 2030 25,131,
    2060 22,251; GDP (million 2010 USD) 2019 446,759, 2060 948,768."""
    g = ssp["gcam_ssp2"]
    sh = g[g.province == "Shanghai"].set_index("year")
    assert sh.population[2019] * 10 == pytest.approx(24214, abs=0.5)
    assert sh.population[2030] * 10 == pytest.approx(25131, abs=0.5)
    assert sh.population[2060] * 10 == pytest.approx(22251, abs=0.5)
    assert sh.gdp[2019] == pytest.approx(446759, abs=0.5)
    assert sh.gdp[2060] == pytest.approx(948768, abs=0.5)
    assert "Hong Kong" not in set(g.province) and g.province.nunique() == 31
    caveat = " ".join(tables.metadata("ssp-provinces")["caveats"])
    assert "2,012 vs 2,225" in caveat  # Shanghai 2060 population, PIK vs GCAM, computed by the build script


# ----------------------------------------------------------------------------- employment-china
def test_employment_totals_as_published():
    """ionet-china-nbs-io/SOURCE.md: employed persons by sector 1990-2018, 10^4 persons; TOT 2017 = 77,640."""
    emp = tables.load("employment-china")["employment"]
    assert list(emp.columns) == ["code", "name", "name_zh", "year", "persons"]
    assert _at(emp, code="TOT", year=2017).persons == 77640
    assert _at(emp, code="C", year=2017).persons == 11473  # manufacturing
    assert sorted(emp.year.unique()) == list(range(1990, 2019))


def test_employment_io42_adds_up_and_matches_the_io_table():
    data = tables.load("employment-china")
    io42, emp = data["io42"], data["employment"]
    model = tables.load("china-io-2017")
    assert list(io42.sector) == list(model.sectors)
    np.testing.assert_allclose(io42.output.to_numpy(), model.x.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(io42.jobs_per_output, io42.jobs * 1e4 / io42.output, rtol=1e-12)
    e17 = emp[emp.year == 2017].set_index("code").persons
    sections = e17[[c for c in e17.index if len(c) == 1]]
    # every section used once: the 42 sectors add up to the 20 sections (77,638.68), within rounding of TOT
    assert io42.jobs.sum() == pytest.approx(sections.sum(), rel=1e-12)
    assert sections.sum() == pytest.approx(77638.68, abs=1e-9)
    assert abs(io42.jobs.sum() - e17["TOT"]) < 2.0
    # manufacturing (IO 06-23) keeps section C's total; M is split 35 / 36 by its divisions M01 vs M02 + M03
    assert io42.jobs.iloc[5:23].sum() == pytest.approx(e17["C"], rel=1e-12)
    m = io42.set_index("sector").jobs
    assert m["Research and experimental development"] == pytest.approx(
        e17["M"] * e17["M01"] / (e17["M01"] + e17["M02"] + e17["M03"]), rel=1e-12
    )
    assert m["Real estate"] == e17["K"]
    assert (io42.jobs_per_output > 0).all()


# ----------------------------------------------------------------------------- shanghai-policy-targets
def test_policy_targets_carbon_peak_plan():
    """shanghai-policy-targets/SOURCE.md: energy intensity -14 % (2025 vs 2020), non-fossil 20 % / 25 % (2025 / 2030),
    CO2 intensity -70 % (2030 vs 2005); PV 400 / 700 and wind 260 / 500 x 10^4 kW (2025 / 2030); 82 rows, ids unique."""
    t = tables.load("shanghai-policy-targets")
    assert len(t) == 82 and t.id.is_unique and t.source_url.notna().all()
    assert list(t.columns[:13]) == [
        "id", "document", "doc_number", "issued", "target", "value", "unit", "comparator",
        "base_year", "target_year", "source_url", "source_kind", "note",
    ]  # fmt: skip
    r = t.set_index("id")
    assert (r.loc["CP-01", ["value", "base_year", "target_year"]] == [14, 2020, 2025]).all()
    assert (r.loc["CP-04", ["value", "base_year", "target_year"]] == [70, 2005, 2030]).all()
    assert r.loc[["CP-02", "CP-03"], "value"].tolist() == [20, 25]
    assert r.loc[["CP-02", "CP-03"], "target_year"].tolist() == [2025, 2030]
    assert r.loc[["CP-07", "CP-08", "CP-09", "CP-10"], "value"].tolist() == [400, 700, 260, 500]
    assert r.loc["OW-03", "value"] == 2930 and r.loc["OW-03", "unit"] == "10^4 kW (万千瓦)"
    # the only value that is not one number (a range) is kept as written, not guessed
    assert r.value.isna().sum() == 1 and r.loc["H2-02", "value_as_written"] == "3-5"


# ----------------------------------------------------------------------------- provincial-energy-power
@pytest.fixture(scope="module")
def power():
    return tables.load("provincial-energy-power")


def _series(df, prov, source=None, col="value"):
    rows = df[df.province == prov]
    if source is not None:
        rows = rows[rows.source == source]
    return rows.set_index("year")[col]


def test_power_shanghai_matches_crea_checks(power):
    """crea-china-tracker-provincial/SOURCE.md, Shanghai: thermal capacity (10^4 kW) 2010 1,843, 2019 2,475,
    2023 2,557, 2024 2,542; wind 2019 81, 2023 107; solar 2019 109, 2023 289, 2024 411; thermal generation
    (10^8 kWh) 2010 864.8, 2015 785.2, 2017 822.8, 2019 783.2, 2020 803.7, 2023 926.4, 2024 984.0;
    consumption 2019 1,569.0, 2020 1,576, 2024 1,984.2."""
    cap = power["capacity"]
    th = _series(cap, "Shanghai", "thermal")
    assert [th[y] for y in (2010, 2019, 2023)] == [1843, 2475, 2557] and round(th[2024]) == 2542
    assert _series(cap, "Shanghai", "wind")[2019] == 81 and _series(cap, "Shanghai", "wind")[2023] == 107
    solar = _series(cap, "Shanghai", "solar")
    assert [round(solar[y]) for y in (2019, 2023, 2024)] == [109, 289, 411]
    gen = _series(power["generation"], "Shanghai", "thermal")
    expected = {2010: 864.8, 2015: 785.2, 2017: 822.8, 2019: 783.2, 2020: 803.7, 2023: 926.4, 2024: 984.0}
    for year, v in expected.items():
        assert gen[year] == pytest.approx(v, abs=0.05)
    cons = _series(power["consumption"], "Shanghai")
    assert cons[2019] == 1569.0 and cons[2020] == 1576 and cons[2024] == pytest.approx(1984.2, abs=0.05)


def test_power_zero_means_missing_and_total_is_never_understated(power):
    gen, cap = power["generation"], power["capacity"]
    assert list(gen.columns) == ["province", "year", "source", "value"]
    assert set(gen.source) == {"thermal", "hydro", "nuclear", "wind", "solar", "total"}
    assert not (gen.value == 0).any() and not (cap.value == 0).any()  # a 0 in the source is missing, not 0
    assert np.isnan(_series(gen, "Shanghai", "wind")[2019])  # SOURCE.md: YRD wind generation missing from 2019
    assert np.isnan(_series(cap, "Shanghai", "wind")[2024])  # SOURCE.md: wind capacity 2024 missing
    # total = sum of the five sources where present; empty when an active series has a gap
    wide = gen.pivot_table(index=["province", "year"], columns="source", values="value", dropna=False)
    have = wide.total.notna()
    parts = wide.loc[have, ["thermal", "hydro", "nuclear", "wind", "solar"]].fillna(0).sum(axis=1)
    np.testing.assert_allclose(wide.total[have], parts, rtol=1e-12)
    assert wide.total["Shanghai"][2017] == pytest.approx(822.8 + 16.6389 + 0.5485, abs=1e-9)
    assert wide.total["Shanghai"].loc[2019:].isna().all()  # wind missing: no total rather than a low one


def test_power_cars_and_floorspace(power):
    """pypsa-china-pik-provincial-ssp/SOURCE.md: Shanghai private cars 2005 41, 2023 421.85 x 10^4; national sum
    2023 29,357 x 10^4. gcam-china-demand-sectors/SOURCE.md: Shanghai floor space (m2/person, urban / rural) 2000
    24.5 / 53.6, 2010 35.1 / 59.7, 2015 35.5 / 60.4, 2020 29.1 / 39.5; 2016-2019 repeat 2015."""
    cars = power["cars"]
    sh = _series(cars, "Shanghai", col="private_cars")
    assert sh[2005] == 41 and sh[2023] == 421.85
    assert cars[cars.year == 2023].private_cars.sum() == pytest.approx(29357, abs=0.5)
    fl = power["floorspace"]
    f = fl[fl.province == "Shanghai"].set_index("year")
    for year, (u, r) in {2000: (24.5, 53.6), 2010: (35.1, 59.7), 2015: (35.5, 60.4), 2020: (29.1, 39.5)}.items():
        assert f.urban_m2_per_capita[year] == pytest.approx(u, abs=0.05)
        assert f.rural_m2_per_capita[year] == pytest.approx(r, abs=0.05)
    assert f.flag[2017] == "repeats 2016" and f.flag[2020].startswith("new source")
    assert pd.isna(f.flag[2015]) and "Hong Kong" not in set(fl.province)


# ----------------------------------------------------------------------------- technology-costs
@pytest.fixture(scope="module")
def costs():
    return tables.load("technology-costs")


def test_capex_chinese_literature_values(costs):
    """pypsa-china-pik-costs/SOURCE.md: offshore wind, Zhu et al., 8,600 / 8,600 / 7,600 / 7,100 / 6,800 CNY/kW
    (2020-2060); nuclear 19,500 CNY/kW (2020, 2030); battery storage 3,300 CNY/kW (Zhu, 2030) and 310 CNY/kWh
    (LBNL, 2030); coal CCS 7,000 CNY/kW; HVDC overhead 182.97 EUR/km/MW, a Chinese value converted at 0.12."""
    c = costs["capex"].set_index(["technology", "year"])
    assert c.capex["offshore-wind"].tolist() == [8600, 8600, 7600, 7100, 6800]
    assert c.capex[("nuclear", 2020)] == c.capex[("nuclear", 2030)] == 19500
    assert c.capex[("battery-storage", 2030)] == 3300 and c.unit[("battery-storage", 2030)] == "CNY/kW"
    assert c.capex[("battery-storage-energy", 2030)] == 310 and c.unit[("battery-storage-energy", 2030)] == "CNY/kWh"
    assert c.capex[("coal-ccs", 2030)] == 7000
    assert c.capex[("uhvdc-line", 2030)] == pytest.approx(182.97 / 0.12, rel=1e-12)
    china = costs["capex"][costs["capex"].origin == "China"]
    assert china.price_year.isna().all()  # not stated in the source: left empty, not guessed


def test_capex_european_values_converted_at_the_documented_rate(costs):
    """pypsa-technology-data/SOURCE.md, 2030 investment: electrolysis 1,886.0 EUR/kW_e, HVDC inverter pair 640 EUR/kW,
    battery-electric passenger car 30,960.6 EUR/PKW, fuel cell 1,469.4 EUR/kW_e (EUR of 2025); CNY = EUR / 0.12."""
    meta = tables.metadata("technology-costs")
    assert meta["currency_conversion"]["EUR_per_CNY"] == 0.12
    c = costs["capex"].set_index(["technology", "year"])
    for tech, eur in [("electrolysis", 1886.0), ("hvdc-converter", 640), ("bev-car", 30960.6), ("fuel-cell", 1469.4)]:
        assert c.capex[(tech, 2030)] * 0.12 == pytest.approx(eur, abs=0.05)
        assert c.origin[(tech, 2030)] == "Europe" and c.price_year[(tech, 2030)] == 2025
    assert c.unit[("bev-car", 2030)] == "CNY/vehicle"
    required = {"offshore-wind", "onshore-wind", "solar-pv", "nuclear", "coal-power", "coal-ccs", "battery-storage",
                "electrolysis", "uhvdc-line", "heat-pump", "fuel-cell", "bev-car", "fcev-car"}  # fmt: skip
    assert required <= set(costs["capex"].technology)
    assert set(costs["capex"].origin) == {"China", "Europe", "US"} and (costs["capex"].capex > 0).all()


def test_splits_sum_to_one_and_match_dea(costs):
    """dea-technology-catalogue-capex-components/SOURCE.md, offshore wind 2030: equipment 0.639, installation 0.203,
    project development 0.158; accert-pwr12be-nuclear-capex/SOURCE.md: factory equipment 57.2 % of direct cost."""
    sp = costs["splits"]
    sums = sp.groupby("technology").share.sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, rtol=0, atol=1e-12)
    assert (sp.share > 0).all() and set(sp.category) <= {"equipment", "installation", "materials", "other"}
    off = sp[sp.technology == "offshore-wind"].groupby("category").share.sum()
    assert off["equipment"] == pytest.approx(0.639, abs=0.0005)
    assert off["installation"] == pytest.approx(0.203, abs=0.0005)
    assert off["other"] == pytest.approx(0.158, abs=0.0005)
    nuc = sp[sp.technology == "nuclear"].set_index("component").share
    assert nuc["factory equipment"] == pytest.approx(0.572, abs=0.0005)
    assert set(sp.technology) <= set(costs["capex"].technology)


def test_fom_and_lifetime(costs):
    fom = costs["fom"].set_index(["technology", "year"])
    # pypsa-china-pik-costs/costs_2030.csv: offwind FOM 2.32 %/year, lifetime 30 years
    assert fom.fom_pct_per_year[("offshore-wind", 2030)] == 2.32 and fom.lifetime_years[("offshore-wind", 2030)] == 30
    assert set(fom.index.get_level_values(0)) <= set(costs["capex"].technology)


# ----------------------------------------------------------------------------- build scripts
def test_every_built_dataset_names_an_existing_build_module():
    """After the split of build_tables.py, each metadata 'script' is the module that holds the dataset's builder."""
    from pathlib import Path

    root = tables.tables_root().parent
    if not (root / "scripts" / "_build.py").is_file():
        pytest.skip("not a source checkout")
    for name in tables.list()["name"]:
        script = tables.metadata(name)["script"].split()[0]
        if not script.startswith("scripts/build_"):
            continue  # hand-entered or exported elsewhere (said in the field)
        path = root / script
        assert path.is_file(), (name, script)
        assert f'"{name}"' in Path(path).read_text(encoding="utf-8") or "build_yrd" in script, (name, script)

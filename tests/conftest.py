"""Shared fixtures: the small published systems every core test starts from."""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pandas as pd
import pytest

# Brightway (lca extra) must never write into the user's home during tests: point it at a temporary
# folder (tox sets one per environment; otherwise a fresh one) and make sure it exists before bw2data loads.
os.environ.setdefault("BRIGHTWAY2_DIR", tempfile.mkdtemp(prefix="ioemissions-bw2-"))
os.makedirs(os.environ["BRIGHTWAY2_DIR"], exist_ok=True)


def node_index(regions, sectors):
    return pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])


@pytest.fixture
def miller_blair():
    """Miller & Blair (2009), Table 2.3: one region, two sectors."""
    idx = node_index(["R"], ["1", "2"])
    Z = pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=idx, columns=idx)
    Y = pd.DataFrame({"R": [350.0, 1700.0]}, index=idx)
    return Z, Y


@pytest.fixture
def two_region():
    """pymrio tests/test_math.py fixture td_small_MRIO (validation case 2)."""
    idx = node_index(["reg1", "reg2"], ["s1", "s2", "s3"])
    Z = pd.DataFrame(
        [
            [10, 5, 1, 6, 5, 7],
            [0, 2, 0, 0, 5, 3],
            [10, 3, 20, 4, 2, 0],
            [5, 0, 0, 1, 10, 9],
            [0, 10, 1, 0, 20, 1],
            [5, 0, 0, 1, 10, 10],
        ],
        index=idx,
        columns=idx,
        dtype=float,
    )
    ycols = pd.MultiIndex.from_tuples([("reg1", "fd"), ("reg2", "fd")])
    Y = pd.DataFrame([[14, 3], [2.5, 2.5], [13, 6], [5, 20], [10, 10], [3, 10]], index=idx, columns=ycols, dtype=float)
    F = pd.DataFrame([[20, 1, 42, 4, 20, 5], [5, 4, 11, 8, 2, 10]], index=["st1", "st2"], columns=idx, dtype=float)
    F_Y = pd.DataFrame([[50, 10], [100, 20]], index=["st1", "st2"], columns=ycols, dtype=float)
    return Z, Y, F, F_Y


@pytest.fixture
def two_region_mrio(two_region):
    from ioemissions import MRIO

    Z, Y, F, F_Y = two_region
    return MRIO(Z, Y, F, F_Y, units={"monetary": "CNY", "st1": "kg", "st2": "kg"})


def random_productive_system(rng: np.random.Generator, n_regions: int, n_sectors: int, n_cat: int = 2):
    """A random productive MRIO with positive output, as DataFrames."""
    idx = node_index([f"r{i}" for i in range(n_regions)], [f"s{j}" for j in range(n_sectors)])
    n = len(idx)
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.6)
    A *= rng.uniform(0.1, 0.9) / max(A.sum(axis=0).max(), 1e-9)
    ycols = pd.MultiIndex.from_product([[f"r{i}" for i in range(n_regions)], [f"c{k}" for k in range(n_cat)]])
    Y = rng.random((n, len(ycols))) * 10 + 0.01
    x = np.linalg.solve(np.eye(n) - A, Y.sum(axis=1))
    Z = A * x
    F = rng.random((2, n)) * 5
    return (
        pd.DataFrame(Z, index=idx, columns=idx),
        pd.DataFrame(Y, index=idx, columns=ycols),
        pd.DataFrame(F, index=["co2", "ch4"], columns=idx),
        pd.DataFrame(rng.random((2, len(ycols))), index=["co2", "ch4"], columns=ycols),
    )


# ------------------------------------------------------------- pathways test helpers
# Shared by the pathways test modules (engine, technology, buildings, industry/hydrogen, petrochemicals).

#: The bill of quantities of validation case 6 (building LCA, ../shared/validation), used by the
#: building tests: read-only, callers ``.assign`` or ``.copy()`` before changing it.
CASE6_BOQ = pd.DataFrame(
    {
        "item": ["concrete", "rebar", "cement", "glass"],
        "material": ["C30 混凝土", "热轧碳钢钢筋", "普通硅酸盐水泥（市场平均）", "平板玻璃"],
        "quantity": [1000, 120, 50, 20],
        "unit": ["m3", "t", "t", "t"],
        "density": [2.4, None, None, None],
        "transport_km": [40, 500, 500, 500],
        "transport_mode": ["E008"] * 4,
    }
)


REGIONS = ["Shanghai", "Jiangsu", "Zhejiang", "Anhui", "RestOfChina"]
SRC = "test fixture"


def P(points, unit=None):
    """A sourced scenario path {year: value} (test fixture)."""
    d = {str(k): v for k, v in points.items()}
    d["source"] = SRC
    if unit:
        d["unit"] = unit
    return d


def V(x, unit=None):
    """A sourced scenario value (test fixture)."""
    d = {"value": x, "source": SRC}
    if unit:
        d["unit"] = unit
    return d


def power_mix(**over):
    """A ``power-mix`` lever of Shanghai's plan capacities, no line (test fixture); ``over`` adds or replaces fields."""
    return {
        "type": "power-mix",
        "name": "pm",
        "solar": P({2017: 1.0, 2025: 4.0, 2030: 7.0}, "GW"),
        "wind": P({2017: 0.7, 2030: 5.0}, "GW"),
        "solar_capacity_factor": V(0.1682),
        "wind_hours": V(2122.0, "h"),
        "demand_elasticity": V(0.35),
        **over,
    }


def sc(levers, end=2022):
    """A scenario with these levers, from the base year to ``end``."""
    from ioemissions.pathways import Scenario

    return Scenario.from_dict({"scenario": {"name": "t", "end": end}, "levers": levers})


@pytest.fixture(scope="module")
def drivers():
    """A small driver table: GDP +5 %/yr and population +0.5 %/yr in every region (test fixture)."""
    from ioemissions.pathways.drivers import CHINA

    years = list(range(2005, 2041))
    cols = {}
    for r in [*REGIONS, CHINA]:
        cols[("gdp", r)] = pd.Series([100 * 1.05 ** (y - 2005) for y in years], index=years)
        cols[("population", r)] = pd.Series([10 * 1.005 ** (y - 2005) for y in years], index=years)
    d = pd.DataFrame(cols)
    d.index.name = "year"
    return d


@pytest.fixture(scope="module")
def base():
    """The pathways engine's base (yrd-mrio-2017, CO2, 2017)."""
    import ioemissions as ie
    from ioemissions.pathways.engine import _Base

    return _Base(ie.tables.load("yrd-mrio-2017"), "CO2", 2017)


def state_of(base, drivers, year, lever):
    """The year's state for ``lever`` (checked against the base year first)."""
    from ioemissions.pathways.engine import _year_state

    s = _year_state(base, year, drivers, sc([]))
    lever.check(_year_state(base, 2017, drivers, sc([])))
    return s


_ADDED_DEMAND: dict = {}  # {year: (y, y_imp)} that the "test-added-demand" lever adds to Shanghai's GFCF


def _register_added_demand_lever() -> str:
    """Register (once) a test lever adding ``_ADDED_DEMAND[year]`` to Shanghai's gross fixed capital formation."""
    from ioemissions.pathways import Lever, register_lever
    from ioemissions.pathways.levers import LEVERS
    from ioemissions.pathways.technology import investment as inv

    name = "test-added-demand"
    if name not in LEVERS:

        @register_lever(name)
        class _AddedDemand(Lever):
            group = "demand"

            def apply(self, state):
                if state.year in _ADDED_DEMAND:
                    y, ym = _ADDED_DEMAND[state.year]
                    col = state.columns_of(["Shanghai"], [inv.GFCF])[0]
                    state.Y[:, col] += y
                    state.Y_imp[:, col] += ym

    return name


def embodied_by_rerun(levers, drivers, year: int, technology: str):
    """The deployment row of ``technology`` in Shanghai in ``year``, and the rise of Shanghai's
    consumption-based CO2 when that investment's final demand is added through the engine
    (the two must agree: the embodied CO2 of an investment is the IO footprint of its final demand)."""
    import copy

    import ioemissions as ie
    from ioemissions.pathways.engine import build_state
    from ioemissions.pathways.technology import investment as inv

    p = ie.pathways.run(sc(copy.deepcopy(levers), end=year), drivers=drivers)
    row = inv.deployment_impacts(p, costs="hold").loc[(year, "Shanghai", technology)]
    st = build_state(p.scenario, p._base, year, drivers)
    lever = _register_added_demand_lever()
    _ADDED_DEMAND.clear()
    _ADDED_DEMAND[year] = inv.final_demand(st, "Shanghai", technology, row["investment"])
    try:
        q = ie.pathways.run(sc([*copy.deepcopy(levers), {"type": lever, "name": "add"}], year), drivers=drivers)
    finally:
        _ADDED_DEMAND.clear()
    key = (year, ("Shanghai", "consumption"))
    return row, q.emissions.loc[key] - p.emissions.loc[key]


# ------------------------------------------------------------------ CEADs-layout workbooks (reader and fuzz tests)
CEADS_FD = ["FU101", "FU102", "FU103", "FU201", "FU202"]


def ceads_system(seed: int, provinces, sectors, fd=CEADS_FD):
    """Random (Z, Y, ex, err, go) of a CEADs-layout table, balanced: go = Z e + Y e + ex + err (test fixture)."""
    rng = np.random.default_rng(seed)
    n = len(provinces) * len(sectors)
    Z = rng.uniform(1, 10, (n, n))
    Y = rng.uniform(5, 20, (n, len(fd) * len(provinces)))
    ex, err = rng.uniform(1, 5, n), rng.uniform(-0.5, 0.5, n)
    return Z, Y, ex, err, Z.sum(axis=1) + Y.sum(axis=1) + ex + err


def write_ceads_table(sheet, year, provinces, sectors, fd, Z, Y, ex, err, go, *, co2=True, header_offset=0):
    """Write one table in the layout of the CEADs MRIO workbooks into an openpyxl ``sheet``: title, province /
    sector / code header rows 2-4 (``header_offset`` moves the province row down), data from row 5, the
    value-added labels, and a CO2 row when ``co2``."""
    sheet.cell(1, 1, f"China MRIO {year}")
    col = 4
    for p in provinces:
        for name, code in sectors:
            sheet.cell(2 + header_offset, col, p)
            sheet.cell(3, col, name)
            sheet.cell(4, col, code)
            col += 1
    for p in provinces:
        for c in fd:
            sheet.cell(2 + header_offset, col, p)
            sheet.cell(4, col, c)
            col += 1
    for c in ["EX", "TFU", "ERR", "GO"]:
        sheet.cell(4, col, c)
        col += 1
    r = 5
    for i, (p, (name, code)) in enumerate([(p, s) for p in provinces for s in sectors]):
        sheet.cell(r, 1, p)
        sheet.cell(r, 2, name)
        sheet.cell(r, 3, code)
        for j, v in enumerate([*Z[i], *Y[i], ex[i], Y[i].sum() + ex[i], err[i], go[i]]):
            sheet.cell(r, 4 + j, float(v))
        r += 1
    for label in ["IM", "TII", "VA001", "VA002", "VA003", "VA004", "TVA", "TI"]:
        sheet.cell(r, 1, label)
        r += 1
    if co2:
        sheet.cell(r, 1, "CO2 (Mt)")
        for j in range(len(Z)):
            sheet.cell(r, 4 + j, float(j + 1))

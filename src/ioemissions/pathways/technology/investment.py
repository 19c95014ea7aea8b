r"""The socio-economic footprint of deploying technologies: :func:`deployment_impacts`, :func:`payback`.

For every deployment record of a pathway (``info["deployment"]``, written by the technology levers:
capacity or units **added** in year t in region r) the investment is

.. math::

    I_{r,k,t} = \Delta K_{r,k,t}\; c_k(t)\; \frac{D_{2017}}{D_{py(k)}}

with :math:`c_k(t)` the unit capex of ``technology-costs`` (``capex.csv``, linear between the
source's years; a year outside them raises unless ``costs="hold"``), converted to the base
table's prices with the GDP deflator :math:`D_y = \sum_p GDP^{nom}_{p,y} / \sum_p GDP^{real}_{p,y}`
of ``ssp-provinces`` (history, all provinces; real GDP at 2017 prices). The Chinese literature
capex has no stated price year; it is taken as 2020 (:data:`ASSUMED_PRICE_YEAR`, the first year
of the source table); price years after the last deflator year (2020) use that year's deflator.
European values were converted to CNY at 0.12 EUR/CNY by the dataset (its ``currency_conversion``).

**Allocation to IO sectors** (:func:`allocation`): the ``splits`` table's capex components of the
technology (equipment / installation / materials / other), each mapped to a supplying IO sector
(:data:`CATEGORY_SECTOR`, with component overrides in :data:`COMPONENT_SECTOR`); technologies
without a split (vehicles) go entirely to :data:`NO_SPLIT`. The shares sum to one, so the
allocation adds up to the capex (tested). Each sector's purchase is split between origin regions
and imports from abroad like region r's gross fixed capital formation of that product in the base
table: a final-demand vector :math:`y` (domestic) and :math:`y_m` (imports) with
:math:`e^\top y + e^\top y_m = I` (tested).

**Footprint** with the year's EE-MRIO (:func:`ioemissions.pathways.engine.build_state`):

.. math::

    x = (I - A_t)^{-1} y, \quad VA = (e - A_t^\top e - A_{m,t}^\top e)^\top x, \quad
    jobs = (l \circ x / \pi_t)^\top e, \quad imports = e^\top A_{m,t} x + e^\top y_m,

    embodied = s_t^\top x + m_{r,t}^\top (A_{m,t} x + y_m)

— the IO footprint of that final demand (Mt CO2; equal to the change of r's consumption-based
emissions when y is added to its final demand, tested). ``avoided_co2`` is the lever's own
bookkeeping for the year (operation of the stock in service: generation × displaced thermal
intensity; vehicle-km × operating CO2 difference to the ICEV). Money in the base table's unit and
prices (10^4 CNY, 2017), jobs in persons (employment-china's jobs per output, productivity rising
with real GDP per person as in the engine), CO2 in Mt.

**Capture plants** of the CCUS levers are priced from their captured tonnes
(:func:`ioemissions.pathways.technology.capture.capture_deployments`): capacity added
:math:`\max(K_t-K_{t-1},0)/8760` t CO2/h times the capex per t CO2/h of ``technology-costs``.

**Computation.** Per year, the LU of :math:`I - A_t` that the run factorised is reused (the run keeps
the year states with deployments, about 0.8 MB a year on the YRD table; a pickled pathway rebuilds
them) and all the year's records are solved as one multi-column right-hand side.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ...errors import ScenarioError, UnitMismatchError
from ._common import unit_factor

__all__ = [
    "ASSUMED_PRICE_YEAR",
    "CATEGORY_SECTOR",
    "COMPONENT_SECTOR",
    "NO_SPLIT",
    "allocation",
    "deflator",
    "deployment_impacts",
    "payback",
    "unit_capex",
]

ASSUMED_PRICE_YEAR = 2020
ELEC_MACH = "Manufacture of electrical machinery and equipment"
GENERAL_MACH = "Manufacture of general purpose machinery"
#: capex category of ``splits.csv`` -> supplying IO sector
CATEGORY_SECTOR = {
    "equipment": ELEC_MACH,
    "installation": "Construction",
    "materials": "Smelting and processing of metals",
    "other": "Technical services",
}
#: (technology, component) -> IO sector where the category's default does not fit
COMPONENT_SECTOR = {
    ("offshore-wind", "equipment: turbines"): GENERAL_MACH,  # wind turbines: NBS 3415, general machinery
    ("offshore-wind", "equipment: foundation"): "Manufacture of metal products",  # steel monopiles/jackets
    ("onshore-wind", "equipment"): GENERAL_MACH,
    ("electrolysis", "electrolyser stack"): GENERAL_MACH,
    ("electrolysis", "electrolyser system"): GENERAL_MACH,
    ("heat-pump", "equipment"): GENERAL_MACH,
    ("cement-ccs", "capture plant"): "Manufacture of special purpose machinery",
    ("nuclear", "factory equipment"): GENERAL_MACH,
}
#: technologies without a split in the data: all capex to one IO sector
NO_SPLIT = {
    "bev-car": "Manufacture of transport equipment",
    "fcev-car": "Manufacture of transport equipment",
    "icev-car": "Manufacture of transport equipment",
    "bev-bus": "Manufacture of transport equipment",
    "fcev-bus": "Manufacture of transport equipment",
    "diesel-bus": "Manufacture of transport equipment",
    "bev-truck": "Manufacture of transport equipment",
    "fcev-truck": "Manufacture of transport equipment",
    "diesel-truck": "Manufacture of transport equipment",
    # metallurgical plant (NBS 3516 metallurgical machinery is in special purpose machinery); the
    # steel-route capex of technology-data has no component split
    "steel-eaf": "Manufacture of special purpose machinery",
    "steel-h2-dri": "Manufacture of special purpose machinery",
    "steel-bf-bof": "Manufacture of special purpose machinery",
}
GFCF = "gross fixed capital formation"
_DENOM = {
    "vehicle": "vehicles",
    "kW_e": "kW",
    "kW_th": "kW",
    "t steel/h": "t/h",
    "t HBI/h": "t/h",
    "t CO2/h": "t/h",
}
#: the capture plants of ``technology-costs`` (priced per t CO2/h; see :mod:`.capture`)
CAPTURE_TECHNOLOGIES = ("steel-ccs-retrofit", "cement-ccs-retrofit", "ammonia-ccs-retrofit", "chp-ccs", "cement-ccs")
#: DEA capture-plant component -> IO sector: the absorber/stripper plant is process (chemical) machinery,
#: NBS 35 special purpose machinery; compressors, heat exchangers, fans and ducts general purpose machinery;
#: the owner's cost keeps its category "other" (technical services). An assumption (no Chinese breakdown).
CAPTURE_COMPONENT_SECTOR = {
    "capture plant": "Manufacture of special purpose machinery",
    "CO₂ compression&dehydration": GENERAL_MACH,
    "heat integration": GENERAL_MACH,
    "heat integration and steam plant": GENERAL_MACH,
    "utilities & flue gas integration": GENERAL_MACH,
}


@cache
def _costs():
    from ...tables import load

    return load("technology-costs")


@cache
def _capex_index() -> dict[str, tuple[np.ndarray, np.ndarray, str, float]]:
    """technology -> (years, capex, unit, price year as stored) of ``capex.csv``, sorted by year."""
    cap = _costs()["capex"]
    out = {}
    for tech, rows in cap.groupby("technology", sort=False):
        rows = rows.sort_values("year", kind="stable")
        py = rows.price_year.iloc[0]
        out[tech] = (rows.year.to_numpy(float), rows.capex.to_numpy(float), str(rows.unit.iloc[0]), py)
    return out


@cache
def deflator(year: int) -> float:
    """GDP deflator of ``year`` relative to 2017 (all provinces, ``ssp-provinces`` history)."""
    from ...tables import load

    h = load("ssp-provinces")["history"].dropna(subset=["gdp_nominal", "gdp_real"])
    by = h.groupby("year")[["gdp_nominal", "gdp_real"]].sum()
    y = min(max(year, int(by.index.min())), int(by.index.max()))
    return float(by.loc[y, "gdp_nominal"] / by.loc[y, "gdp_real"])


def unit_capex(technology: str, year: int, *, costs: str = "strict") -> tuple[float, str, int]:
    """Capex of one unit (CNY at the source's prices), its unit and the price year used.

    ``costs="strict"``: a year outside the source's years raises; ``"hold"``: the nearest year's value.
    """
    idx = _capex_index()
    if technology not in idx:
        raise ScenarioError(f"technology {technology!r}: no cost data in technology-costs (known: {sorted(idx)})")
    years, vals, unit, py = idx[technology]
    if not years[0] <= year <= years[-1] and costs != "hold":
        raise ScenarioError(
            f"technology {technology!r}, year {year}: capex data cover {int(years[0])}-{int(years[-1])}; "
            'pass costs="hold" to hold the nearest value'
        )
    py = ASSUMED_PRICE_YEAR if py != py or py is None else int(py)  # NaN: not stated
    return float(np.interp(year, years, vals)), unit, py


@cache
def _allocation(technology: str) -> tuple[tuple[str, float], ...]:
    if technology in NO_SPLIT:
        return ((NO_SPLIT[technology], 1.0),)
    sp = _costs()["splits"]
    rows = sp[sp.technology == technology]
    if rows.empty:
        raise ScenarioError(f"technology {technology!r}: no capex split in technology-costs and no NO_SPLIT sector")
    out: dict[str, float] = {}
    for comp, cat, share in rows[["component", "category", "share"]].itertuples(index=False):
        sector = COMPONENT_SECTOR.get((technology, comp))
        if sector is None and technology in CAPTURE_TECHNOLOGIES and comp in CAPTURE_COMPONENT_SECTOR:
            sector = CAPTURE_COMPONENT_SECTOR[comp]
        sector = sector or CATEGORY_SECTOR[cat]
        out[sector] = out.get(sector, 0.0) + float(share)
    total = sum(out.values())
    return tuple((k, v / total) for k, v in out.items())  # the data renormalise to 1 within 1e-6


def allocation(technology: str) -> dict[str, float]:
    """Share of the technology's capex bought from each IO sector (sums to one)."""
    return dict(_allocation(technology))


def investment_of(rec: dict, *, costs: str = "strict") -> float:
    """Investment (CNY at 2017 prices) of one deployment record."""
    where = f"deployment of {rec['technology']!r} by lever {rec.get('lever')!r}, year {rec['year']}, field 'added'"
    try:
        c, unit, py = unit_capex(rec["technology"], rec["year"], costs=costs)
    except ScenarioError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    denom = unit.split("/", 1)[1].strip("()")
    denom = _DENOM.get(denom, denom)
    amount = rec["added"] * unit_factor(rec["unit"], denom, where)
    if amount < 0:
        raise ScenarioError(f"{where}: negative addition {rec['added']} {rec['unit']}")
    return amount * c * deflator(2017) / deflator(py)


def final_demand(state, region: str, technology: str, amount: float) -> tuple[np.ndarray, np.ndarray]:
    """(y, y_m): the purchase of ``amount`` (monetary unit) split by sector, origin and imports."""
    y, ym = _unit_final_demand(state, region, technology)
    return y * amount, ym * amount


def _unit_final_demand(state, region: str, technology: str) -> tuple[np.ndarray, np.ndarray]:
    """(y, y_m) of one monetary unit of the technology's capex bought by ``region`` (see module docstring)."""
    y = np.zeros(len(state.S))
    ym = np.zeros(len(state.products))
    col = state.columns_of([region], [GFCF])
    for sector, w in _allocation(technology):
        dom_rows = state.nodes_of(None, [sector])
        dom = state.Y[dom_rows][:, col].sum(axis=1).clip(min=0)
        imp = 0.0
        if sector in state.products:
            p = state.product_pos([sector])[0]
            imp = float(state.Y_imp[p, col].sum().clip(min=0))
        tot = dom.sum() + imp
        if tot <= 0:  # the region buys none of it as investment: from its own sector
            y[state.nodes_of([region], [sector])] += w
            continue
        y[dom_rows] += w * dom / tot
        if imp:
            ym[p] += w * imp / tot
    return y, ym


def _year_io(pathway, year: int):
    """(state, solver) of ``year``: kept by the run when the year had deployments, else rebuilt."""
    from ...core.solver import LeontiefSolver
    from ..engine import build_state

    kept = getattr(pathway, "_io", {}).get(year)
    if kept is not None:
        return kept
    state = build_state(pathway.scenario, pathway._base, year, pathway.drivers)
    return state, LeontiefSolver(state.A, labels=pathway._base.nodes)


def deployment_impacts(pathway, *, costs: str = "strict", ccus: bool = True):
    """DataFrame indexed by (year, region, technology) with ``investment``, ``output``,
    ``value_added``, ``imports`` (10^4 CNY, 2017 prices), ``jobs`` (persons), ``embodied_co2`` and
    ``avoided_co2`` (Mt), and the physical ``added``/``stock`` with their ``unit``.
    With ``ccus`` (default) the capture plants of the CCUS levers are priced too
    (:func:`~ioemissions.pathways.technology.capture.capture_deployments`).
    See the module docstring for the formulas and :func:`payback` for the payback years.

    Per year the state's LU is factorised once (or reused from the run) and every record's final
    demand is solved as one column of a multi-column right-hand side."""
    import pandas as pd

    from ...core.solver import one_blas_thread
    from ..engine import _jobs_per_output
    from .capture import capture_deployments

    b = pathway._base
    try:
        l_node = _jobs_per_output(b)
    except (ScenarioError, UnitMismatchError):  # a table on another sector list or unit: no jobs
        l_node = None
    captured = capture_deployments(pathway) if ccus else {}
    region_of_node = np.array(b.regions)[b.node_region]
    cols = ["investment", "output", "value_added", "jobs", "imports", "embodied_co2", "avoided_co2"]
    keys = ["year", "region", "technology", "lever", "group", "added", "stock", "unit"]
    out = {k: [] for k in [*keys, *cols]}
    with one_blas_thread():
        for year in pathway.years:
            recs = [*pathway.info[year].get("deployment", []), *captured.get(year, [])]
            if not recs:
                continue
            inv = np.array(
                [investment_of({**r, "year": year}, costs=costs) / 1e4 if r["added"] > 0 else 0.0 for r in recs]
            )  # 10^4 CNY
            res = np.zeros((len(recs), 5))  # output, value added, jobs, imports, embodied
            buy = np.flatnonzero(inv > 0)
            if len(buy):
                state, solver = _year_io(pathway, year)
                unit_fd = {}
                for i in buy:
                    key = (recs[i]["region"], recs[i]["technology"])
                    if key not in unit_fd:
                        unit_fd[key] = _unit_final_demand(state, *key)
                Yb = np.stack([unit_fd[(recs[i]["region"], recs[i]["technology"])][0] * inv[i] for i in buy], axis=1)
                Ym = np.stack([unit_fd[(recs[i]["region"], recs[i]["technology"])][1] * inv[i] for i in buy], axis=1)
                X = solver.solve(Yb, method="lu")
                v = 1.0 - state.A.sum(axis=0) - state.A_imp.sum(axis=0)
                imp_int = state.A_imp @ X + Ym
                r_pos = np.array([state.regions.index(recs[i]["region"]) for i in buy])
                res[buy, 0] = X.sum(axis=0)
                res[buy, 1] = v @ X
                if l_node is not None:
                    d = state.drivers
                    pi = np.array([d[r]["gdp_index"] / d[r]["population_index"] for r in region_of_node])
                    res[buy, 2] = (l_node / pi) @ X
                else:
                    res[buy, 2] = np.nan
                res[buy, 3] = imp_int.sum(axis=0)
                res[buy, 4] = state.S @ X + np.einsum("pk,pk->k", state.M_imp[:, r_pos], imp_int)
            for i, rec in enumerate(recs):
                out["year"].append(year)
                out["region"].append(rec["region"])
                out["technology"].append(rec["technology"])
                out["lever"].append(rec.get("lever"))
                out["group"].append(rec.get("group"))
                out["added"].append(rec["added"])
                out["stock"].append(rec.get("stock", np.nan))
                out["unit"].append(rec["unit"])
                out["avoided_co2"].append(rec.get("avoided_co2", 0.0))
                out["investment"].append(inv[i])
                for k, c in enumerate(["output", "value_added", "jobs", "imports", "embodied_co2"]):
                    out[c].append(res[i, k])
    if not out["year"]:
        idx = pd.MultiIndex.from_arrays([[], [], []], names=["year", "region", "technology"])
        return pd.DataFrame(columns=cols, index=idx)
    df = pd.DataFrame(out).groupby(["year", "region", "technology"], sort=True)
    num = df[[*cols, "added", "stock"]].sum()
    num["unit"] = df["unit"].first()
    num["group"] = df["group"].first()
    num.attrs.update(
        units={
            "investment": f"{pathway.monetary_unit}, 2017 prices",
            "output": f"{pathway.monetary_unit}, 2017 prices",
            "value_added": f"{pathway.monetary_unit}, 2017 prices",
            "imports": f"{pathway.monetary_unit}, 2017 prices",
            "jobs": "persons (job-years)",
            "embodied_co2": pathway.unit,
            "avoided_co2": pathway.unit,
        },
        costs=costs,
        price_note=f"capex converted to 2017 prices with the ssp-provinces GDP deflator; unstated price years "
        f"taken as {ASSUMED_PRICE_YEAR}",
    )
    return num


def payback(impacts, start: int | None = None):
    """Carbon payback year per (region, technology): the first year in which cumulative avoided CO2
    reaches cumulative embodied CO2 of the investment (``<NA>`` if not within the pathway)."""
    import pandas as pd

    d = impacts if start is None else impacts[impacts.index.get_level_values("year") >= start]
    out = {}
    for (reg, tech), g in d.groupby(level=["region", "technology"]):
        g = g.droplevel(["region", "technology"]).sort_index()
        emb, av = g["embodied_co2"].cumsum(), g["avoided_co2"].cumsum()
        ok = (av >= emb) & (emb > 0)
        out[(reg, tech)] = int(ok.idxmax()) if ok.any() else pd.NA
    s = pd.Series(out, name="payback_year", dtype="Int64")
    s.index.names = ["region", "technology"]
    return s

r"""The pathways engine: one EE-MRIO per year from a base table, drivers and levers.

For every year t from the base year :math:`t_0` to ``end`` (Miller & Blair symbols):

.. math::

    Y_t = Y_0\,\mathrm{diag}(g_t), \quad F_{Y,t} = F_{Y,0}\,\mathrm{diag}(p_t), \quad
    (A_t, A_{m,t}, Y_t, s_t, F_{Y,t}, m_t) \leftarrow \text{levers}(t)

    x_t = (I - A_t)^{-1} Y_t^{dest}, \qquad E_t = \mathrm{diag}(s_t)\,X_t

where :math:`g_t` is the real-GDP index :math:`GDP_r(t)/GDP_r(t_0)` of the column's region (China's
for exports abroad), :math:`p_t` the population index (households' direct fuel use per person held at
the base year, then changed by levers), and the levers (:mod:`ioemissions.pathways.levers`) are
applied in scenario order to a fresh copy of the base arrays. The accounts have the definitions of
:mod:`ioemissions.core.accounts` (production, consumption, exports, imports; abroad as one origin
with the base table's import multipliers m), computed with one LU factorisation of
:math:`I - A_t` per year (:class:`~ioemissions.core.solver.LeontiefSolver`), reused while
:math:`A_t` does not change.

**Price basis**: every monetary quantity (Y, x, value added) is in the base table's prices (the
base year's), because Y grows with *real* GDP. Value added is :math:`v_t = (1 - e^\top A_t -
e^\top A_{m,t}) \circ x_t` (taxes included, as in the table). Jobs are
:math:`l \circ x_t / \pi_{r(t)}` with l the national jobs per output (``employment-china``) and
:math:`\pi_r(t)` the index of the region's real GDP per person (labour productivity assumed to grow
with income per person).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import NegativeOutputError, NonProductiveError, ScenarioError, UnitMismatchError
from ..errors import _fmt_labels as fmt
from .levers import YearState
from .scenario import Scenario
from .scenario import scenario as load_scenario

__all__ = ["build_state", "run"]


class _Base:
    """The base table's arrays for one stressor, and the index structures the yearly loop needs."""

    def __init__(self, model, stressor: str, base_year: int):
        self.model = model
        self.base_year = base_year
        k = model._stressor_pos(stressor)
        self.stressor = model._stressor_label(stressor)
        self.unit = model.stressor_unit(stressor)
        self.regions = list(model.regions)
        self.sectors = list(model.sectors)
        self.nodes = model.nodes
        self.ycols = [tuple(c) for c in model._ycols]
        self.categories = list(dict.fromkeys(c for _, c in self.ycols))
        self.dests = list(model.destinations)
        n, m = len(self.nodes), len(self.ycols)
        self.A = np.array(model._A, dtype=float)
        self.S = np.array(model._S[k], dtype=float)
        self.Y = np.array(model._Y, dtype=float)
        self.FY = np.array(model._FY[k], dtype=float)
        R = len(self.regions)
        if model._has_imports:
            self.products = list(model._products)
            self.A_imp = np.array(model._Aimp, dtype=float)
            self.Y_imp = np.array(model._Yimp, dtype=float)
            if isinstance(model._Mimp, str):
                self.M_imp = np.array(model._Mimp_dta[k], dtype=float)  # p × R
            else:
                self.M_imp = np.repeat(np.array(model._Mimp[k], dtype=float)[:, None], R, axis=1)
        else:
            self.products = []
            self.A_imp = np.zeros((0, n))
            self.Y_imp = np.zeros((0, m))
            self.M_imp = np.zeros((0, R))
        self.node_region = np.repeat(np.arange(R), len(self.sectors))
        dest_pos = {d: i for i, d in enumerate(self.dests)}
        self.col_dest = np.array([dest_pos[r] for r, _ in self.ycols])
        self.G = np.zeros((m, len(self.dests)))
        self.G[np.arange(m), self.col_dest] = 1.0
        # destination -> region whose import multipliers apply (external demand: the first region, as the
        # multipliers of the YRD tables are the same for every region)
        self.dest_region = np.array([i if i < R else 0 for i in range(len(self.dests))])
        self.monetary = model.monetary_unit
        self.nonneg = {"S": self.S >= 0, "A": self.A >= 0, "A_imp": self.A_imp >= 0, "M_imp": self.M_imp >= 0}


def _year_state(base: _Base, year: int, drivers, sc: Scenario) -> YearState:
    g = _growth(base, year, drivers, sc)
    return YearState(
        year=year,
        base_year=base.base_year,
        regions=base.regions,
        sectors=base.sectors,
        categories=base.categories,
        products=base.products,
        ycols=base.ycols,
        drivers=g["drivers"],
        A=base.A.copy(),
        A_imp=base.A_imp.copy(),
        Y=base.Y * g["col_gdp"][None, :],
        Y_imp=base.Y_imp * g["col_gdp"][None, :],
        S=base.S.copy(),
        F_Y=base.FY * g["col_pop"],
        M_imp=base.M_imp.copy(),
        monetary_unit=base.monetary,
        stressor_unit=base.unit,
        info={"drivers": drivers},
    )


_LOOKUPS: dict = {}


def _driver_lookup(drivers) -> dict:
    """``{(variable, region): {year: value}}`` of a driver table, cached per table object."""
    key = id(drivers)
    hit = _LOOKUPS.get(key)
    if hit is None or hit[0] is not drivers:
        hit = (
            drivers,
            {c: dict(zip(drivers.index, drivers[c].to_numpy(dtype=float), strict=True)) for c in drivers.columns},
        )
        _LOOKUPS.clear()
        _LOOKUPS[key] = hit
    return hit[1]


def _growth(base: _Base, year: int, drivers, sc: Scenario) -> dict:
    from .drivers import CHINA

    def factor(key):
        v = sc.drivers.get(key)
        if v is None:
            return 1.0
        f = v(year) if callable(v) else v.static
        if not (f > 0 and math.isfinite(f)):
            raise ScenarioError(f"drivers.{key}: {f} in {year}; a driver factor must be > 0")
        return f

    t0 = base.base_year
    out = {}
    gdp_idx, pop_idx = {}, {}
    lookup = _driver_lookup(drivers)
    for r in [*base.regions, CHINA]:
        gdp, pop = lookup[("gdp", r)], lookup[("population", r)]
        gdp_idx[r] = gdp[year] / gdp[t0]
        pop_idx[r] = pop[year] / pop[t0]
        out[r] = {
            "gdp": float(gdp[year]),
            "population": float(pop[year]),
            "gdp_index": float(gdp_idx[r]),
            "population_index": float(pop_idx[r]),
        }
    fg, fp, fe = factor("gdp_factor"), factor("population_factor"), factor("export_factor")
    for r in base.regions:  # the scenario's GDP factor of the year (1 without [drivers]); read by power-mix's load
        out[r]["gdp_factor"] = float(fg)
    col_gdp = np.array(
        [gdp_idx[r] * fg if r in base.regions else gdp_idx[CHINA] * fe for r, _ in base.ycols], dtype=float
    )
    col_pop = np.array([pop_idx[r] * fp if r in base.regions else 1.0 for r, _ in base.ycols], dtype=float)
    return {"drivers": out, "col_gdp": col_gdp, "col_pop": col_pop}


def _check(state: YearState, base: _Base, lever, year: int) -> None:
    """Named errors for an impossible state after ``lever`` (None: the drivers)."""
    who = f"lever {lever.name!r} ({lever.where})" if lever is not None else "the drivers"
    for name in ("A", "A_imp", "Y", "Y_imp", "S", "F_Y", "M_imp"):
        arr = getattr(state, name)
        if not np.isfinite(arr).all():
            raise ScenarioError(f"{who} made {name} non-finite in {year}")
    for name, labels in (("S", base.nodes), ("A", None), ("A_imp", None), ("M_imp", None)):
        arr = getattr(state, name)
        # an entry negative in the base table (e.g. RestOfChina gas, see yrd-mrio caveats) is not the lever's doing
        neg = (arr < 0) & (base.nonneg[name])
        if neg.any():
            bad = np.argwhere(neg)[:3]
            where = [labels[i[0]] for i in bad] if labels is not None else [tuple(int(v) for v in i) for i in bad]
            raise ScenarioError(f"{who} made {name} negative in {year} at {fmt(where)}")
    colsum = state.A.sum(axis=0) + state.A_imp.sum(axis=0)
    bad = np.flatnonzero(colsum >= 1.0)
    if bad.size:
        raise ScenarioError(
            f"{who} makes A non-productive in {year}: inputs per unit of output >= 1 (no value added) in columns "
            f"{fmt([(base.nodes[j], round(float(colsum[j]), 6)) for j in bad])}"
        )


def build_state(sc: Scenario, base: _Base, year: int, drivers) -> YearState:
    """The state of ``year`` after the drivers and every lever, checked.

    The checks run once after all levers; if they fail, the levers are applied again one at a time
    to name the lever that broke the state (the error path only, so a valid run pays one check).
    """
    state = _apply_levers(sc, base, year, drivers, check_each=False)
    try:
        _check(state, base, None, year)
    except ScenarioError:
        _apply_levers(sc, base, year, drivers, check_each=True)  # raises naming the lever
        raise
    return state


def _apply_levers(sc: Scenario, base: _Base, year: int, drivers, *, check_each: bool) -> YearState:
    state = _year_state(base, year, drivers, sc)
    if check_each:
        _check(state, base, None, year)
    for lever in sc.levers:
        try:
            lever.apply(state)
        except ScenarioError:
            raise
        except (KeyError, ValueError) as exc:
            raise ScenarioError(f"lever {lever.name!r} ({lever.where}) failed in {year}: {exc}") from exc
        if check_each:
            _check(state, base, lever, year)
    return state


def _solve_year(state: YearState, base: _Base, solver) -> dict:
    """Accounts of one year (definitions of :mod:`ioemissions.core.accounts`)."""
    R, D = len(base.regions), len(base.dests)
    Yd = state.Y @ base.G
    Ymd = state.Y_imp @ base.G
    X = solver.solve(Yd)
    x = X.sum(axis=1)
    if (x < -1e-9 * max(1.0, float(np.abs(x).max()))).any():
        bad = [base.nodes[i] for i in np.flatnonzero(x < 0)]
        raise NegativeOutputError(f"negative gross output in {state.year} at {fmt(bad)}")
    E = state.S[:, None] * X  # n × D
    Rn = np.zeros((R, len(x)))
    Rn[base.node_region, np.arange(len(x))] = 1.0
    T = Rn @ E
    m_node = (state.M_imp[:, base.node_region] * state.A_imp).sum(axis=0)
    T_ab = m_node @ X + (state.M_imp[:, base.dest_region] * Ymd).sum(axis=0)
    T = np.vstack([T, T_ab[None, :]]) if len(base.products) else np.vstack([T, np.zeros((1, D))])
    fy = state.F_Y @ base.G  # D
    prod_node = state.S * x
    production = Rn @ prod_node + fy[:R]
    own = np.diag(T[:R, :R])
    consumption = T[:, :R].sum(axis=0) + fy[:R]
    exports = T[:R, :].sum(axis=1) - own
    imports = T[:, :R].sum(axis=0) - own
    v = 1.0 - state.A.sum(axis=0) - state.A_imp.sum(axis=0)
    va = v * x
    # electricity bought by each region from other regions, and its CO2 at the origin's intensity
    from ._builtin_levers import ELECTRICITY

    s = len(base.sectors)
    e_pos = base.sectors.index(ELECTRICITY) if ELECTRICITY in base.sectors else None
    imp_elec = np.zeros(R)
    elec_use = np.zeros(R)
    if e_pos is not None:
        rows = np.arange(R) * s + e_pos
        Z_e = state.A[rows, :] * x[None, :]  # R(origin) × n
        flows = Z_e @ Rn.T + state.Y[rows, :] @ base.G[:, :R]  # origin × destination region
        for r in range(R):
            other = [o for o in range(R) if o != r]
            imp_elec[r] = float((state.S[rows[other]] * flows[other, r]).sum())
            elec_use[r] = float(flows[:, r].sum())
    return {
        "production": production,
        "consumption": consumption,
        "exports": exports,
        "imports": imports,
        "T": T,
        "fy": fy[:R],
        "prod_node": prod_node,
        "E_dest": E[:, :R],
        "x": x,
        "va": va,
        "imported_electricity_co2": imp_elec,
        "electricity_use": elec_use,
    }


def _jobs_per_output(base: _Base):
    """National jobs per output (persons per 10^4 CNY, 2017) by sector, from ``employment-china``, or None."""
    from ..errors import DatasetNotFoundError
    from ..tables import load

    try:
        emp = load("employment-china")
    except DatasetNotFoundError:
        return None
    df = emp["io42"] if isinstance(emp, dict) else emp
    if base.monetary != "10^4 CNY":
        raise UnitMismatchError(f"employment-china gives persons per 10^4 CNY; the base table is in {base.monetary!r}")
    per = dict(zip(df["sector"], df["jobs_per_output"], strict=False))
    missing = [s for s in base.sectors if s not in per]
    if missing:
        raise ScenarioError(f"employment-china has no jobs_per_output for sectors {fmt(missing)}")
    return np.tile(np.array([per[s] for s in base.sectors], dtype=float), len(base.regions))


_BASE_TABLES: dict = {}


def _base_table(name: str):
    """A shipped MRIO, loaded once per process (models are immutable)."""
    if name not in _BASE_TABLES:
        from ..tables import load

        _BASE_TABLES[name] = load(name)
    return _BASE_TABLES[name]


def run(
    scenario,
    end: int | None = None,
    *,
    base=None,
    base_year: int | None = None,
    drivers=None,
    jobs_per_output=None,
    progress: bool = False,
    start_states: bool = False,
):
    """Run a scenario (a name, a TOML path, a dict or a :class:`Scenario`) to ``end`` → :class:`Pathway`.

    Parameters
    ----------
    base:
        An :class:`~ioemissions.MRIO` to start from instead of the scenario's ``base_table``
        (``base_year`` is then required).
    drivers:
        A driver table (see :mod:`ioemissions.pathways.drivers`) instead of ``ssp-provinces``.
    jobs_per_output:
        Persons per monetary unit by node (array n) instead of ``employment-china``; ``False``: no jobs.
    progress:
        Show a tqdm progress bar.
    """
    from ..core.solver import LeontiefSolver, check_productive
    from .results import Pathway

    sc = (
        scenario
        if isinstance(scenario, Scenario)
        else (Scenario.from_dict(scenario) if isinstance(scenario, dict) else load_scenario(scenario))
    )
    end = sc.end if end is None else int(end)
    if base is None:
        from ..tables import metadata

        base = _base_table(sc.base_table)
        base_year = int(metadata(sc.base_table)["year"]) if base_year is None else base_year
    elif base_year is None:
        raise ScenarioError("run(base=...): give base_year too")
    if end < base_year:
        raise ScenarioError(f"end: {end} is before the base year {base_year}")
    b = _Base(base, sc.stressor, base_year)
    if drivers is None:
        from .drivers import driver_table

        drivers = driver_table(b.regions, sc.ssp, end)
    from .drivers import CHINA

    need = [("gdp", r) for r in [*b.regions, CHINA]] + [("population", r) for r in [*b.regions, CHINA]]
    missing = [c for c in need if c not in drivers.columns]
    if missing:
        raise ScenarioError(f"drivers: no series for {fmt(missing)}")
    years = list(range(base_year, end + 1))
    outside = [y for y in years if y not in drivers.index]
    if outside:
        raise ScenarioError(
            f"end: the driver data ({sc.ssp}) cover {drivers.index.min()}–{drivers.index.max()}, "
            f"not the years {outside[0]}–{outside[-1]}"
        )
    if jobs_per_output is False:  # jobs not computed (e.g. a base table on another sector list)
        l_node = None
    else:
        l_node = _jobs_per_output(b) if jobs_per_output is None else np.asarray(jobs_per_output, dtype=float)

    from ..core.solver import one_blas_thread

    # labels checked before any year runs
    state0 = _year_state(b, base_year, drivers, sc)
    with one_blas_thread():  # a lever's check may solve the base system (e.g. road-fleet's prices)
        for lever in sc.levers:
            lever.check(state0)

    iterator = years
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(years, desc=f"pathway {sc.name}", unit="year")
    out, infos, solver, A_prev, factorisations = [], [], None, None, 0
    io = {}  # year -> (state, solver) of the years with technology deployments, for deployment_impacts
    with one_blas_thread():  # small systems: BLAS threads only contend on a shared machine
        for year in iterator:
            state = build_state(sc, b, year, drivers)
            if A_prev is None or not np.array_equal(state.A, A_prev):
                try:
                    check_productive(state.A, b.nodes)
                    solver = LeontiefSolver(state.A, labels=b.nodes)
                except NonProductiveError as exc:
                    raise ScenarioError(f"year {year}: {exc}") from None
                A_prev = state.A
                factorisations += 1
            res = _solve_year(state, b, solver)
            if l_node is not None:
                pi = np.array(
                    [
                        state.drivers[r]["gdp_index"] / state.drivers[r]["population_index"]
                        for r in np.array(b.regions)[b.node_region]
                    ]
                )
                res["jobs"] = l_node * res["x"] / pi
            res["drivers"] = state.drivers
            out.append(res)
            info = {k: v for k, v in state.info.items() if k != "drivers"}
            infos.append(info)
            if info.get("deployment") or info.get("capture"):
                io[year] = (state, solver)
    return Pathway(sc, b, years, out, infos, drivers, factorisations=factorisations, io=io)

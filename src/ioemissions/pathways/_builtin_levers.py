r"""The engine's built-in levers (registered on import; see :mod:`ioemissions.pathways.levers`).

Each acts on the year's state in place; paths are factors or shares for ``state.year``.

* ``intensity-trend`` (efficiency): :math:`s_{ri}(t) = s_{ri}(t_0)\,e^{g_{ri}\,\tau(t)}`, with the rate
  g given (``rate``) or calibrated on CEADs history (``calibrate = "ceads"``, fitted years
  ``fit = "2012-2019"``; :mod:`ioemissions.pathways.calibration`), by region and sector group, and
  :math:`\tau = t - t_0`, or with ``half_life`` h the rate fading as :math:`2^{-(t-t_0)/h}`:
  :math:`\tau = \tfrac{h}{\ln 2}(1 - 2^{-(t-t_0)/h})`. Also scales households' direct emissions F_Y
  with the households' rate.
* ``intensity`` (any group): :math:`s_{ri}(t) = s_{ri}(t_0) f(t)` on named regions × sectors.
* ``grid-factor`` (electricity): the CO2 intensity of the power sector of ``regions`` times f(t) —
  the fuel mix of generation (and of imported electricity, through the interregional table).
* ``electrification`` (electricity/transport/buildings/industry): a share σ(t) of the fossil-fuel
  inputs of ``sectors`` moves to electricity at ``efficiency`` (units of electricity per unit of
  fuel replaced, in base-year money): :math:`a_{fj} \to (1-\sigma)a_{fj}`,
  :math:`a_{ej} \to a_{ej} + \eta\,\sigma \sum_f a_{fj}` (domestic rows, summed over origins, with
  the electricity added in proportion to the column's existing electricity sources), and the
  sector's direct CO2 (fuel combustion) :math:`s_j \to (1-\sigma)s_j`.
* ``energy-efficiency`` (efficiency): the energy inputs (fossil and electricity rows, or the rows of
  ``inputs``) of ``sectors`` times f(t) and their direct CO2 intensity times f(t).
* ``ccus`` (ccus): :math:`s_j \to (1-c(t))s_j` for the named sectors, with an optional energy penalty
  p(t): energy inputs times :math:`1 + p\,c`; or c = coverage × capture rate (sourced by default) and
  the sourced electricity penalty (``"default"``), see :mod:`ioemissions.pathways.technology.capture`.
* ``demand-mix`` (demand): a share σ(t) of final demand of ``categories`` for ``from_sectors`` moves
  to ``to_sectors`` (split by their existing shares), keeping the column total.
* ``household-direct`` (buildings/transport): households' direct emissions F_Y of ``regions`` times f(t).
* ``import-intensity`` (trade): CO2 per unit of imports from abroad times f(t).

All are checked: a share outside [0, 1], a negative factor, a column of A summing to ≥ 1 raise
:class:`~ioemissions.errors.ScenarioError` naming the lever, year and column.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from ..errors import ScenarioError
from .levers import Lever, YearState, register_lever

ELECTRICITY = "Production and supply of electric power and heat power"
PETROLEUM = "Processing of petroleum, coking, and nuclear fuel"
CHEMICALS = "Manufacture of chemical products"
#: sectors whose products are fossil fuels (their rows in A are fuel purchases)
FOSSIL_FUELS = (
    "Mining and washing of coal",
    "Exploitation of petroleum and natural gas",
    PETROLEUM,
    "Production and supply of gas",
)
HOUSEHOLD_CATEGORIES = ("consumption",)


def _energy(state: YearState) -> list[str]:
    """The energy products (fossil fuels and electricity) among the table's sectors."""
    return [s for s in (*FOSSIL_FUELS, ELECTRICITY) if s in state.sectors]


def _rows_of(state: YearState, sectors) -> np.ndarray:
    """Rows of A for products ``sectors`` from every origin region."""
    return state.nodes_of(None, sectors)


def apply_capture(state: YearState, cols, c: float, penalty: float = 0.0) -> None:
    r"""CCUS on the nodes ``cols``: :math:`s_j \leftarrow (1-c)\,s_j` and the energy inputs (fossil fuels
    and electricity from every origin) :math:`a_{ij} \leftarrow (1 + p\,c)\,a_{ij}`, with capture rate
    c and energy penalty p (extra energy per unit of energy, per unit of capture). Used by the
    ``ccus`` lever and by the technology levers' CCUS options, so the formula is written once."""
    state.S[cols] *= 1 - c
    if penalty:
        state.A[np.ix_(_rows_of(state, _energy(state)), cols)] *= 1 + penalty * c


class _Factor(Lever):
    """A lever with a factor path ``factor`` that must stay >= 0."""

    def factor(self, year: int, key: str = "factor") -> float:
        f = self.at(key, year)
        if f < 0 or not math.isfinite(f):
            raise ScenarioError(f"{self.where} ({self.name!r}): {key} is {f} in {year}; it must be >= 0")
        return f


def _share(lever: Lever, key: str, year: int) -> float:
    s = lever.at(key, year)
    if not 0.0 <= s <= 1.0:
        raise ScenarioError(f"{lever.where} ({lever.name!r}): {key} is {s} in {year}; a share lies in [0, 1]")
    return s


@register_lever("intensity-trend")
class IntensityTrend(Lever):
    group = "efficiency"
    required = ()
    optional = ("regions", "sectors", "rate", "calibrate", "fit", "households", "source", "half_life")

    def validate(self):
        if "rate" not in self.params and self.params.get("calibrate") != "ceads":
            raise ScenarioError(f'{self.where}: intensity-trend needs rate = {{...}} or calibrate = "ceads"')
        if "rate" in self.params and "calibrate" in self.params:
            raise ScenarioError(f"{self.where}: give rate or calibrate, not both")
        if self.params.get("calibrate", "ceads") != "ceads":
            raise ScenarioError(f"{self.where}.calibrate: only 'ceads' is known, got {self.params['calibrate']!r}")
        fit = self.params.get("fit", "2012-2019")
        try:
            y0, y1 = (int(x) for x in fit.split("-"))
        except (ValueError, AttributeError):
            raise ScenarioError(f'{self.where}.fit: write the fitted years as "2012-2019", got {fit!r}') from None
        if y1 - y0 < 2:
            raise ScenarioError(f"{self.where}.fit: at least three years are needed, got {fit!r}")
        self.fit_years = (y0, y1)
        self._rates = None

    def rates(self, state: YearState) -> tuple[np.ndarray, np.ndarray]:
        """Annual log-rates by node (n) and for households' direct emissions by Y column (m)."""
        if "rate" in self.params:
            g = self.at("rate", state.year)
            return np.full(len(state.S), g), np.full(len(state.F_Y), g)
        key = state.info.get("drivers")
        if self._rates is None or self._rates[0] is not key:
            from .calibration import node_rates

            self._rates = (key, node_rates(state, *self.fit_years), dict(state.info.get("calibrated_rates", {})))
        state.info.setdefault("calibrated_rates", {}).update(self._rates[2])  # reported every year
        return self._rates[1]

    def years_equivalent(self, dt: int) -> float:
        """∫ 2^(-τ/h) dτ over [0, dt]: the years of full-rate change after dt years (dt without half_life)."""
        if "half_life" not in self.params:
            return float(dt)
        h = self.at("half_life", 0)
        if not h > 0:
            raise ScenarioError(f"{self.where}.half_life: must be > 0 years, got {h}")
        return h / math.log(2) * (1 - 2 ** (-dt / h))

    def apply(self, state):
        g_node, g_col = self.rates(state)
        dt = self.years_equivalent(state.year - state.base_year)
        nodes = state.nodes_of(self.regions, self.sectors)
        state.S[nodes] *= np.exp(g_node[nodes] * dt)
        if self.params.get("households", True):
            cols = state.columns_of(self.regions, None)
            state.F_Y[cols] *= np.exp(g_col[cols] * dt)
        state.info.setdefault("intensity_rate", {})[self.name] = float(np.mean(g_node[nodes]))


@register_lever("intensity")
class Intensity(_Factor):
    group = "efficiency"
    required = ("factor",)
    optional = ("regions", "sectors")

    def apply(self, state):
        state.S[state.nodes_of(self.regions, self.sectors)] *= self.factor(state.year)


@register_lever("grid-factor")
class GridFactor(_Factor):
    group = "electricity"
    required = ("factor",)
    optional = ("regions",)

    def apply(self, state):
        nodes = state.nodes_of(self.regions, [ELECTRICITY])
        state.S[nodes] *= self.factor(state.year)


@register_lever("electrification")
class Electrification(Lever):
    group = "electricity"
    required = ("share", "efficiency")
    optional = ("regions", "sectors", "fuels")

    def apply(self, state):
        sigma = _share(self, "share", state.year)
        eta = self.at("efficiency", state.year)
        if eta < 0:
            raise ScenarioError(f"{self.where} ({self.name!r}): efficiency is {eta} in {state.year}; it must be >= 0")
        if sigma == 0:
            return
        fuels = self.params.get("fuels", [f for f in FOSSIL_FUELS if f in state.sectors])
        fuel_rows = _rows_of(state, fuels)
        elec_rows = _rows_of(state, [ELECTRICITY])
        fuel_imp = state.product_pos([p for p in fuels if p in state.products])
        elec_imp = state.product_pos([ELECTRICITY]) if ELECTRICITY in state.products else []
        cols = state.nodes_of(self.regions, self.sectors)
        fr, fi = np.ix_(fuel_rows, cols), np.ix_(fuel_imp, cols)
        moved = sigma * (state.A[fr].sum(axis=0) + state.A_imp[fi].sum(axis=0))
        state.A[fr] *= 1 - sigma
        state.A_imp[fi] *= 1 - sigma
        er, ei = np.ix_(elec_rows, cols), np.ix_(elec_imp, cols)
        e_dom, e_imp = state.A[er], state.A_imp[ei]
        total = e_dom.sum(axis=0) + e_imp.sum(axis=0)
        add = eta * moved
        has = total > 0
        w = np.divide(add, total, out=np.zeros_like(add), where=has)
        state.A[er] += e_dom * w[None, :]  # in proportion to the column's existing electricity sources
        state.A_imp[ei] += e_imp * w[None, :]
        if (~has).any():  # no electricity bought yet: from the own region
            s = state.n_sectors
            e = state.sectors.index(ELECTRICITY)
            js = cols[~has]
            state.A[(js // s) * s + e, js] += add[~has]
        state.S[cols] *= 1 - sigma


@register_lever("energy-efficiency")
class EnergyEfficiency(_Factor):
    group = "efficiency"
    required = ("factor",)
    optional = ("regions", "sectors", "inputs")

    def apply(self, state):
        f = self.factor(state.year)
        inputs = self.params.get("inputs", _energy(state))
        rows = _rows_of(state, inputs)
        imp = state.product_pos([p for p in inputs if p in state.products])
        cols = state.nodes_of(self.regions, self.sectors)
        state.A[np.ix_(rows, cols)] *= f
        state.A_imp[np.ix_(imp, cols)] *= f
        state.S[cols] *= f


@register_lever("ccus")
class CCUS(Lever):
    """CCUS on ``sectors`` × ``regions``: ``capture`` c(t), or ``coverage`` σ(t) × ``capture_rate`` κ (omitted
    or ``"default"``: the sourced rate of the sector's ``capture_technology``); ``energy_penalty`` p or
    ``"default"`` (sourced electricity per t CO2). See :mod:`ioemissions.pathways.technology.capture`."""

    group = "ccus"
    required = ("sectors",)
    optional = ("regions", "capture", "coverage", "capture_rate", "energy_penalty", "capture_technology")
    KEYS: ClassVar[dict[str, str]] = {
        "capture": "capture",
        "coverage": "coverage",
        "rate": "capture_rate",
        "penalty": "energy_penalty",
        "technology": "capture_technology",
    }

    def check(self, state):
        from .technology.capture import check_ccus

        super().check(state)
        check_ccus(self, state, self.KEYS)

    def apply(self, state):
        from .technology.capture import apply_ccus

        sectors = [state.sectors[i] for i in state.sector_pos(self.sectors)]
        c = apply_ccus(self, state, self.regions, sectors, self.KEYS)
        vals = set(c.values())
        state.info.setdefault("capture_rate", {})[self.name] = vals.pop() if len(vals) == 1 else c


@register_lever("demand-mix")
class DemandMix(Lever):
    group = "demand"
    required = ("share", "from_sectors", "to_sectors")
    optional = ("regions", "categories")

    def apply(self, state):
        sigma = _share(self, "share", state.year)
        if sigma == 0:
            return
        cols = state.columns_of(self.regions, self.params.get("categories", list(HOUSEHOLD_CATEGORIES)))
        src = _rows_of(state, self.params["from_sectors"])
        dst = _rows_of(state, self.params["to_sectors"])
        for c in cols:
            moved = sigma * state.Y[src, c].clip(min=0)
            w = state.Y[dst, c].clip(min=0)
            if w.sum() <= 0:
                raise ScenarioError(
                    f"{self.where} ({self.name!r}): column {state.ycols[c]} buys none of to_sectors in {state.year}"
                )
            state.Y[src, c] -= moved
            state.Y[dst, c] += moved.sum() * w / w.sum()


@register_lever("household-direct")
class HouseholdDirect(_Factor):
    group = "buildings"
    required = ("factor",)
    optional = ("regions", "categories")

    def apply(self, state):
        cols = state.columns_of(self.regions, self.params.get("categories", list(HOUSEHOLD_CATEGORIES)))
        state.F_Y[cols] *= self.factor(state.year)


@register_lever("import-intensity")
class ImportIntensity(_Factor):
    group = "trade"
    required = ("factor",)
    optional = ("regions", "products")

    def check(self, state):
        super().check(state)
        if "products" in self.params:
            try:
                state.product_pos(self.params["products"])
            except Exception as exc:
                raise ScenarioError(f"{self.where} ({self.name!r}): {exc}") from None

    def apply(self, state):
        f = self.factor(state.year)
        rows = state.product_pos(self.params["products"]) if "products" in self.params else slice(None)
        regs = state.region_pos(self.regions)
        state.M_imp[np.ix_(np.arange(len(state.products))[rows], regs)] *= f


__all__ = [
    "CCUS",
    "ELECTRICITY",
    "FOSSIL_FUELS",
    "DemandMix",
    "Electrification",
    "EnergyEfficiency",
    "GridFactor",
    "HouseholdDirect",
    "ImportIntensity",
    "Intensity",
    "IntensityTrend",
]

r"""Buildings lever ``building-stock``: a residential floor-space stock by vintage replacing the top-down
building part of households' direct emissions and energy purchases, and scaling construction demand.

**Stock** (:func:`stock_model`). Floor space :math:`A_t = a_t P_t` (m² per person × population, both
paths of the scenario with their sources, e.g. ``provincial-energy-power`` ``floorspace.csv`` and
``ssp-provinces``). Demolition :math:`D_t = \delta A_{t-1}` (δ the demolition rate, an assumption the
scenario states), taken from the base-year vintages (un-retrofitted and retrofitted in proportion;
buildings put up after the base year are not demolished within the horizon). New build
:math:`N_t = \max(A_t - A_{t-1} + D_t, 0)`; when the stock shrinks by more than the demolition,
:math:`D_t = A_{t-1} - A_t`. So :math:`A_t = A_{t-1} + N_t - D_t` holds exactly (tested). Each year
a share ρ (the retrofit rate) of the un-retrofitted base-year floor space left is retrofitted.

**Energy use intensity by vintage**, as factors *relative to the base-year stock* (= 1): the
retrofitted stock uses :math:`e_R`, floor space built in year v uses :math:`e_N(v)` (a path over
the year of construction). The energy of the stock relative to the base year is

.. math::

    H_t = \frac{U_t + e_R R_t + \sum_{v \le t} e_N(v)\, n_{v,t}}{A_0}

(U un-retrofitted, R retrofitted base-year floor space, :math:`n_{v,t}` the vintage-v floor space
still standing). No absolute kWh/m² is needed: the base-year absolute energy is the base table's
(households' direct fuel CO2 :math:`F_Y` and their purchases of electricity and gas in Y), and the
lever only scales it.

**Electrification** of heating and cooking: a share σ(t) of the buildings' direct fuel use moves to
electricity purchases at ``efficiency`` η (units of electricity bought per unit of gas purchases
replaced, base-year money, as the ``electrification`` lever).

**Acting on the EE-MRIO without double counting**, for the region's households (``consumption``)
columns, with β the buildings' share of households' direct CO2, ε the buildings' share of their
electricity purchases, γ the buildings' share of their gas purchases (scenario values, sourced):

.. math::

    F_{Y,t} &\leftarrow F_{Y,t} - \beta X_t + \beta F_{Y,0} H_t (1-\sigma_t) \\
    y_{gas,t} &\leftarrow y_{gas,t} - \gamma\, y_{gas,0} g_t + \gamma\, y_{gas,0} H_t (1-\sigma_t) \\
    y_{el,t} &\leftarrow y_{el,t} - \varepsilon\, y_{el,0} g_t + \varepsilon\, y_{el,0} H_t
               + \eta\,\sigma_t\,\gamma\, y_{gas,0} H_t

with g the engine's scaling of the households' columns (the region's GDP index times the
scenario's ``gdp_factor``, read off :math:`Y_{imp}`, which no lever changes) and X the top-down F_Y: the households'
direct CO2 *before* any bottom-up lever replaced part of it (``road-fleet`` leaves it in
``info["households_direct_topdown"]``; without it, the F_Y the lever finds). The top-down building
part is removed, not added to, so the trend lever no longer acts on it; operational CO2 of the
electricity then arises in the IO model at the power sector's intensity of the year (changed by
``power-mix``). Run ``building-stock`` after ``road-fleet`` (which rescales F_Y in proportion).

**Embodied CO2 of new floor space** through construction demand: the region's final demand for
construction (all origins, all the region's columns) is, for a share κ (buildings' share of it),
scaled by new build relative to the base year:
:math:`y_{con,t} \leftarrow (1-\kappa) y_{con,t} + \kappa\, y_{con,0} N_t/N_0`. The embodied CO2 is
then the IO footprint of that demand (construction's supply chain: cement, steel, transport). No
per-m² LCA number from :mod:`ioemissions.lca.building` is added on top, so nothing is counted twice;
the LCA's per-m² values are a cross-check, not an input.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from .._builtin_levers import ELECTRICITY
from ..levers import register_lever
from ..values import Path
from ._common import PHYSICAL, TechLever

__all__ = ["BuildingStock", "stock_model"]

GAS = "Production and supply of gas"
CONSTRUCTION = "Construction"

# population units for the stock (persons); added here so the shared table is not edited
PHYSICAL.setdefault("persons", ("persons", 1.0))
PHYSICAL.setdefault("10^4 persons", ("persons", 1e4))


def stock_model(area, demolition, retrofit, eui_new, eui_retrofit) -> dict:
    r"""Floor-space stock by vintage for consecutive years (see the module docstring).

    ``area``: length T+1, the stock :math:`A` of the year *before* the base year and of the T years
    base..end (m²); ``demolition``, ``retrofit``: length T rates per year; ``eui_new``: length T
    relative intensity of floor space built in each year; ``eui_retrofit``: length T relative
    intensity of the retrofitted stock. Returns arrays of length T: ``stock``, ``new``,
    ``demolished``, ``unretrofitted``, ``retrofitted``, ``new_stock``, ``retrofits`` (m² retrofitted
    in the year) and ``energy`` (:math:`H_t`, relative to the base year's stock).
    """
    area = np.asarray(area, dtype=float)
    T = len(area) - 1
    out = {k: np.zeros(T) for k in ("stock", "new", "demolished", "unretrofitted", "retrofitted", "new_stock")}
    out["retrofits"] = np.zeros(T)
    out["energy"] = np.zeros(T)
    A0 = area[1]
    U, R = A0, 0.0
    vint = np.zeros(T)  # floor space built in year index v, still standing
    for t in range(T):
        prev = area[t]
        D = demolition[t] * prev
        N = area[t + 1] - prev + D
        if N < 0:
            N, D = 0.0, prev - area[t + 1]
        if t == 0:  # the base year's stock is the base stock: its new build is reported, not a vintage
            U, R = A0, 0.0
        else:
            base = U + R
            if D > base:
                from ...errors import ScenarioError

                raise ScenarioError(f"demolition {D:.4g} m2 exceeds the base-year floor space left ({base:.4g} m2)")
            if base > 0:
                U, R = U - D * U / base, R - D * R / base
            vint[t] = N
            moved = retrofit[t] * U
            U, R = U - moved, R + moved
            out["retrofits"][t] = moved
        out["stock"][t] = U + R + vint.sum()
        out["new"][t], out["demolished"][t] = N, D
        out["unretrofitted"][t], out["retrofitted"][t], out["new_stock"][t] = U, R, vint.sum()
        out["energy"][t] = (U + eui_retrofit[t] * R + float(np.dot(eui_new, vint))) / A0
    return out


@register_lever("building-stock")
class BuildingStock(TechLever):
    group = "buildings"
    required = (
        "floor_per_capita",
        "population",
        "demolition_rate",
        "retrofit_rate",
        "eui_new",
        "eui_retrofit",
        "direct_share",
    )
    optional = (
        "region",
        "electricity_share",
        "gas_share",
        "electrification",
        "efficiency",
        "construction_share",
        "source",
    )
    units: ClassVar[dict[str, str]] = {
        **TechLever.units,
        "demolition_rate": "1/yr",
        "retrofit_rate": "1/yr",
        "eui_new": "1",
        "eui_retrofit": "1",
        "direct_share": "1",
        "electricity_share": "1",
        "gas_share": "1",
        "electrification": "1",
        "construction_share": "1",
    }

    def validate(self):
        from ._common import unit_factor

        for key, unit in (("floor_per_capita", "m2"), ("population", "persons")):
            given = getattr(self.params[key], "unit", None)
            if given is None:
                raise self.err(None, key, f'give its unit (unit = "{unit}")')
            unit_factor(given, unit, f"{self.where}.{key}")  # a different dimension raises, naming the key
        if ("electrification" in self.params) != ("efficiency" in self.params):
            raise self.err(None, "electrification/efficiency", "give both (the share moved and its efficiency ratio)")

    def check(self, state):
        super().check(state)
        if self.region not in state.regions:
            raise self.err(state.base_year, "region", f"unknown region {self.region!r}")
        for key in ("floor_per_capita", "population"):
            v = self.params[key]
            if isinstance(v, Path) and min(v.points) > state.base_year - 1:
                raise self.err(
                    state.base_year - 1,
                    key,
                    f"the path starts in {min(v.points)}; the stock model needs the year before the base year",
                )
        c = state.columns_of([self.region], ["consumption"])
        self._cols = c
        self._gas = state.nodes_of(None, [GAS])
        self._el = state.nodes_of(None, [ELECTRICITY])
        self._FY0 = state.F_Y[c].copy()
        self._Yel0 = state.Y[np.ix_(self._el, c)].copy()
        self._Ygas0 = state.Y[np.ix_(self._gas, c)].copy()
        self._Yimp0 = state.Y_imp[:, c].copy()
        self._ccols = state.columns_of([self.region], None)
        self._con = state.nodes_of(None, [CONSTRUCTION])
        self._Ycon0 = state.Y[np.ix_(self._con, self._ccols)].copy()
        el_tot = self._Yel0.sum(axis=0, keepdims=True)
        self._el_split = np.divide(self._Yel0, el_tot, out=np.full_like(self._Yel0, 0.0), where=el_tot > 0)
        self._cache = {}

    # ------------------------------------------------------------------ the stock
    def area(self, year: int) -> float:
        """Floor space (m²) = m² per person × persons."""
        return self.qty("floor_per_capita", year, "m2", default_unit=None) * self.qty(
            "population", year, "persons", default_unit=None
        )

    def rate(self, key: str, year: int) -> float:
        r = self.at(key, year)
        if not 0.0 <= r <= 1.0:
            raise self.err(year, key, f"{r} per year is not a rate in [0, 1]")
        return r

    def relative(self, key: str, year: int) -> float:
        e = self.at(key, year)
        if not e >= 0:
            raise self.err(year, key, f"{e} is negative: a relative energy intensity is >= 0")
        return e

    def stock(self, base_year: int, year: int) -> dict:
        """The stock model's arrays for base_year..year (cached per lever)."""
        key = (base_year, year)
        if key in self._cache:
            return self._cache[key]
        years = list(range(base_year, year + 1))
        area = [self.area(base_year - 1)] + [self.area(y) for y in years]
        out = stock_model(
            area,
            [self.rate("demolition_rate", y) for y in years],
            [self.rate("retrofit_rate", y) for y in years],
            [self.relative("eui_new", y) for y in years],
            [self.relative("eui_retrofit", y) for y in years],
        )
        out["years"] = years
        self._cache[key] = out
        return out

    def apply(self, state):
        y, t0 = state.year, state.base_year
        s = self.stock(t0, y)
        H = float(s["energy"][-1])
        sigma = self.share("electrification", y) if "electrification" in self.params else 0.0
        eta = self.at("efficiency", y) if "efficiency" in self.params else 0.0
        if eta < 0:
            raise self.err(y, "efficiency", f"{eta} is negative")
        beta = self.share("direct_share", y)
        eps = self.share("electricity_share", y) if "electricity_share" in self.params else 0.0
        gam = self.share("gas_share", y) if "gas_share" in self.params else 0.0
        kap = self.share("construction_share", y) if "construction_share" in self.params else 0.0
        imp0 = self._Yimp0.sum()
        g = float(state.Y_imp[:, self._cols].sum() / imp0) if imp0 > 0 else state.drivers[self.region]["gdp_index"]
        c = self._cols
        X = state.info.get("households_direct_topdown", {}).get(self.region)
        X = state.F_Y[c].copy() if X is None else X
        fy = state.F_Y[c] - beta * X + beta * self._FY0 * H * (1 - sigma)
        if (fy < -1e-12 * max(1.0, float(np.abs(self._FY0).max()))).any():
            raise self.err(y, "direct_share", "households' direct CO2 turns negative (shares of F_Y sum above 1)")
        state.F_Y[c] = np.maximum(fy, 0.0)
        gas, el = np.ix_(self._gas, c), np.ix_(self._el, c)
        state.Y[gas] += gam * self._Ygas0 * (H * (1 - sigma) - g)
        moved = eta * sigma * gam * self._Ygas0.sum(axis=0) * H  # electricity bought for the fuel replaced
        state.Y[el] += eps * self._Yel0 * (H - g) + self._el_split * moved[None, :]
        N0 = float(s["new"][0])
        if kap > 0:
            if N0 <= 0:
                raise self.err(t0, "floor_per_capita", "no new build in the base year: construction cannot be scaled")
            cc = np.ix_(self._con, self._ccols)
            state.Y[cc] = (1 - kap) * state.Y[cc] + kap * self._Ycon0 * float(s["new"][-1]) / N0
        state.info.setdefault("building_stock", {})[self.name] = {
            "stock_m2": float(s["stock"][-1]),
            "new_m2": float(s["new"][-1]),
            "demolished_m2": float(s["demolished"][-1]),
            "retrofitted_m2": float(s["retrofits"][-1]),
            "energy_index": H,
            "electrified_share": sigma,
            "direct_co2_Mt": float((beta * self._FY0 * H * (1 - sigma)).sum()),
        }
        # no deployment record: technology-costs has no capex per m2 of retrofit or new build (left out)

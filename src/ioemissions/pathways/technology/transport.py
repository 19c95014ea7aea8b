r"""Road-transport lever ``road-fleet``: a vehicle stock model by powertrain replacing the top-down
car part of households' direct emissions and fuel purchases.

**Stock model** (:func:`stock_model`). The stock :math:`N_t` (a path, e.g. Shanghai's private cars
from ``provincial-energy-power``) is held by vintages. A vintage of age a survives to a+1 with
probability :math:`S(a+1)/S(a)`, S the Weibull survival curve
(:func:`~._common.weibull_survival`, scale = the vehicle lifetime of ``technology-costs``, shape
from the scenario). Sales fill the gap, :math:`s_t = \max(N_t - \sum_a n_{a,t}, 0)`, split by the
sales shares of the year (BEV, FCEV, the rest ICEV; shares outside [0, 1] or summing above one
raise). The base-year fleet is at the steady-state age profile :math:`\propto S(a)` with the
initial powertrain shares.

**Activity and energy.** Vehicle-km :math:`V_{p,t} = n_{p,t}\,d` (d km per vehicle and year,
carculator's ``km_per_year`` unless given), so the total vehicle-km depend on the stock, not on the
mix (tested); energy per powertrain = :math:`V_p` × carculator's tank-to-wheel use (kg fuel/km,
kWh/km, kg H2/km).

**Acting on the EE-MRIO without double counting.** The lever replaces a share of the *top-down*
quantities by the bottom-up ones, for the region's households (``consumption`` column):

.. math::

    F_{Y,t} \leftarrow (1-\varphi) F_{Y,t} + \varphi F_{Y,0}\,\frac{T_t}{T_0}, \qquad
    y_{oil,t} \leftarrow (1-\psi) y_{oil,t} + \psi\, y_{oil,0}\,\frac{Q_t}{Q_0}, \qquad
    y_{el,t} \leftarrow y_{el,t} + p_{el}\,(K_t - K_0)

with φ the car-fuel share of households' direct CO2 and ψ the car-fuel share of their purchases of
refined petroleum (scenario values, sourced), T tailpipe CO2 and Q fuel (ICEV), K the BEVs'
electricity, :math:`p_{el}` the base table's output of the region's power sector per kWh generated
(basic prices). The top-down car part (φ of F_Y after the drivers and earlier levers) is removed,
not added to, so the trend levers no longer act on it. The BEVs' electricity CO2 then arises in the
IO model at the electricity sector's intensity (changed by ``power-mix``).

**Per-km factors** for the avoided-CO2 bookkeeping come from :func:`ioemissions.lca.transport.assess`
with the year's traced grid factor (``info["grid_factor"]`` of a preceding ``power-mix`` lever, else
the base year's traced factor) and the hydrogen route (``hydrogen``, or
``info["hydrogen_factor"]`` of a preceding ``hydrogen-supply`` lever). Hydrogen demand (kg) is
left in ``info["hydrogen_demand"]``.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .._builtin_levers import ELECTRICITY, PETROLEUM
from ..levers import register_lever
from ._common import TechLever, weibull_survival

__all__ = ["RoadFleet", "stock_model"]

MAX_AGE = 60
ICEV = {"car": "ICEV-p", "bus": "ICEV-d", "truck": "ICEV-d"}
COST_NAME = {"BEV": "bev", "FCEV": "fcev", "ICEV-p": "icev", "ICEV-d": "diesel"}


def stock_model(stock, shares, scale: float, shape: float, initial) -> tuple[np.ndarray, np.ndarray]:
    r"""Fleet and sales by powertrain for consecutive years (see the module docstring).

    ``stock``: length T (vehicles); ``shares``: T × P sales shares; ``initial``: P base-year fleet
    shares. Returns ``(fleet T × P, sales T × P)``; sales of the first year are zero.
    """
    stock = np.asarray(stock, dtype=float)
    shares = np.asarray(shares, dtype=float)
    ages = np.arange(MAX_AGE + 1)
    S = weibull_survival(ages, scale, shape)
    step = np.divide(S[1:], S[:-1], out=np.zeros(MAX_AGE), where=S[:-1] > 0)  # survive a -> a+1
    P = shares.shape[1]
    n = (S / S.sum())[:, None] * stock[0] * np.asarray(initial, dtype=float)[None, :]  # ages × P
    fleet, sales = np.zeros((len(stock), P)), np.zeros((len(stock), P))
    fleet[0] = n.sum(axis=0)
    for t in range(1, len(stock)):
        new = np.zeros_like(n)
        new[1:] = n[:-1] * step[:, None]
        s = max(stock[t] - new.sum(), 0.0)
        new[0] = s * shares[t]
        n = new
        fleet[t], sales[t] = n.sum(axis=0), new[0]
    return fleet, sales


@cache
def _lifetime(tech: str) -> float:
    from ...tables import load

    fom = load("technology-costs")["fom"]
    rows = fom[fom.technology == tech].sort_values("year")
    if rows.empty:
        raise KeyError(tech)
    return float(rows.lifetime_years.iloc[0])


#: the operating lines of :func:`ioemissions.lca.transport.assess` summed for the avoided-CO2 bookkeeping
OPERATING_LINES = ("fuel supply", "electricity", "hydrogen", "exhaust")


@cache
def _operating_parts(vehicle: str, powertrain: str) -> dict[str, tuple[float, str | None]]:
    """Each operating line of a vehicle per vkm as ``(coefficient, driver)``: the line is the coefficient
    times the grid factor (``"grid"``: kWh/km), the hydrogen factor (``"hydrogen"``: kg H2/km) or 1
    (``None``: fuel supply and exhaust, which depend on neither). :func:`ioemissions.lca.transport.assess`
    is linear in both factors (``electricity = kWh/km x grid``, ``hydrogen = kg/km x factor``), so the
    lines are read once per vehicle instead of every year (the ensemble reruns them thousands of times)."""
    from ...lca import transport as lt

    r = lt.assess(vehicle, powertrain, grid_factor_kg_per_kwh=0.0, hydrogen_factor_kg_per_kg=0.0)
    lines = r.lines.set_index("line")["kgco2e"]
    parts = {}
    for k in OPERATING_LINES:
        if k == "electricity" and k in lines:
            parts[k] = (float(r.inputs["electricity_kwh_per_km"]) / r.inputs["divisor"], "grid")
        elif k == "hydrogen" and k in lines:
            parts[k] = (float(r.inputs["hydrogen_kg_per_km"]) / r.inputs["divisor"], "hydrogen")
        elif k in lines:
            parts[k] = (float(lines[k]), None)
    return parts


def operating_factor(vehicle: str, powertrain: str, grid: float, hydrogen: float) -> float:
    """Operating kg CO2e per vkm: fuel supply + electricity (kWh/km x ``grid`` kg/kWh) + hydrogen
    (kg/km x ``hydrogen`` kg CO2e/kg) + exhaust, the lines of :func:`ioemissions.lca.transport.assess`."""
    x = {"grid": grid, "hydrogen": hydrogen, None: 1.0}
    return float(sum(c * x[d] if d is not None else c for c, d in _operating_parts(vehicle, powertrain).values()))


@cache
def _exhaust(vehicle: str, powertrain: str) -> float:
    from ...lca import transport as lt

    return float(lt.assess(vehicle, powertrain).lines.set_index("line")["kgco2e"]["exhaust"])


@cache
def _vehicle_km(vehicle: str) -> float:
    """km per year of the battery-electric ``vehicle`` (carculator, :func:`ioemissions.lca.transport.vehicle`)."""
    from ...lca import transport as lt

    return float(lt.vehicle(vehicle, "BEV")["km_per_year"])


@cache
def _energy_per_km(vehicle: str, powertrains: tuple[str, ...]) -> tuple[float, ...]:
    """Fuel (kg/km) or, for BEV, electricity (kWh/km) per km of each powertrain (carculator)."""
    from ...lca import transport as lt

    return tuple(
        float(lt.vehicle(vehicle, p)["fuel_kg_per_km"])
        if p != "BEV"
        else float(lt.vehicle(vehicle, p)["electricity_kwh_per_km"])
        for p in powertrains
    )


@cache
def _base_traced_factor(province: str, year: int) -> float:
    from ...electricity import imported_emissions

    return float(imported_emissions(province, year).factors["consumption-based (traced)"])


@register_lever("road-fleet")
class RoadFleet(TechLever):
    group = "transport"
    required = ("stock", "bev_sales_share", "survival_shape", "fuel_share_of_direct", "fuel_share_of_spending")
    optional = (
        "region",
        "vehicle",
        "fcev_sales_share",
        "initial_bev_share",
        "lifetime",
        "km_per_vehicle",
        "hydrogen",
        "source",
    )

    @property
    def vehicle(self) -> str:
        return self.params.get("vehicle", "car")

    @property
    def powertrains(self) -> list[str]:
        return [ICEV[self.vehicle], "BEV", "FCEV"]

    def validate(self):
        if self.vehicle not in ICEV:
            raise self.err(None, "vehicle", f"unknown vehicle {self.vehicle!r}; choose one of {sorted(ICEV)}")
        if self.vehicle != "car":
            # the lever replaces a share of *households'* fuel and direct CO2; buses and trucks burn the transport
            # sector's fuel, whose fleet (stock by powertrain) is not in the shipped data
            raise self.err(
                None,
                "vehicle",
                f"road-fleet models households' cars only, not {self.vehicle!r}: buses' and trucks' fuel is the "
                "transport sector's; use the 'electrification' lever on 'Transport, storage, and postal services'",
            )

    def check(self, state):
        super().check(state)
        if self.region not in state.regions:
            raise self.err(state.base_year, "region", f"unknown region {self.region!r}")
        # base-year arrays (the check runs on the base year's state, before any lever)
        self._cols = state.columns_of([self.region], ["consumption"])
        self._oil = state.nodes_of(None, [PETROLEUM])
        self._el = state.nodes_of(None, [ELECTRICITY])
        self._FY0 = state.F_Y[self._cols].copy()
        self._Y0_oil = state.Y[np.ix_(self._oil, self._cols)].copy()
        # price of electricity: the region's power-sector output per GWh generated (base table, basic prices)
        from .electricity import base_network

        x = np.linalg.solve(np.eye(len(state.S)) - state.A, state.Y.sum(axis=1))
        node = int(state.nodes_of([self.region], [ELECTRICITY])[0])
        gen = float(base_network(state.base_year)["generation"][self.params.get("province", self.region)])
        self._price = x[node] / gen  # monetary unit per GWh
        e_own = state.Y[np.ix_(self._el, self._cols)]
        self._el_split = e_own / e_own.sum(axis=0, keepdims=True)
        self._cache = {}

    # ------------------------------------------------------------------ the fleet
    def _shares(self, year: int) -> np.ndarray:
        bev = self.share("bev_sales_share", year)
        fcev = self.share("fcev_sales_share", year) if "fcev_sales_share" in self.params else 0.0
        if bev + fcev > 1 + 1e-12:
            raise self.err(year, "bev_sales_share + fcev_sales_share", f"{bev + fcev} > 1: shares must sum to one")
        return np.array([1.0 - bev - fcev, bev, fcev])

    def fleet(self, base_year: int, year: int) -> dict:
        """Fleet, sales, vehicle-km and energy by powertrain for base_year..year (cached per lever)."""
        key = (id(self), base_year, year)
        if key in self._cache:
            return self._cache[key]
        years = list(range(base_year, year + 1))
        stock = np.array([self.qty("stock", y, "vehicles", default_unit=None) for y in years])
        shares = np.array([self._shares(y) for y in years])
        b0 = self.share("initial_bev_share", base_year) if "initial_bev_share" in self.params else 0.0
        if "lifetime" in self.params:
            scale = self.at("lifetime", base_year)
        else:
            scale = _lifetime(f"icev-{self.vehicle}" if self.vehicle == "car" else f"diesel-{self.vehicle}")
        shape = self.at("survival_shape", base_year)
        if scale <= 0 or shape <= 0:
            raise self.err(base_year, "lifetime/survival_shape", "must be > 0")
        fleet, sales = stock_model(stock, shares, scale, shape, [1 - b0, b0, 0.0])
        km = self.at("km_per_vehicle", base_year) if "km_per_vehicle" in self.params else _vehicle_km(self.vehicle)
        vkm = fleet * km
        per_km = np.array(_energy_per_km(self.vehicle, tuple(self.powertrains)))
        out = {"years": years, "fleet": fleet, "sales": sales, "vkm": vkm, "energy": vkm * per_km[None, :], "km": km}
        self._cache[key] = out
        return out

    def apply(self, state):
        from ...lca import transport as lt

        y, t0 = state.year, state.base_year
        f = self.fleet(t0, y)
        ice, bev, fcev = self.powertrains
        exhaust = _exhaust(self.vehicle, ice)  # kg/vkm
        tail_t, tail_0 = f["vkm"][-1, 0] * exhaust, f["vkm"][0, 0] * exhaust
        fuel_t, fuel_0 = f["energy"][-1, 0], f["energy"][0, 0]
        kwh_t, kwh_0 = f["energy"][-1, 1], f["energy"][0, 1]
        phi = self.share("fuel_share_of_direct", y)
        psi = self.share("fuel_share_of_spending", y)
        c = self._cols
        ratio_T = tail_t / tail_0 if tail_0 > 0 else 0.0
        ratio_Q = fuel_t / fuel_0 if fuel_0 > 0 else 0.0
        # the top-down F_Y before any bottom-up replacement (read by building-stock)
        state.info.setdefault("households_direct_topdown", {}).setdefault(self.region, state.F_Y[c].copy())
        state.F_Y[c] = (1 - phi) * state.F_Y[c] + phi * self._FY0 * ratio_T
        oil = np.ix_(self._oil, c)
        state.Y[oil] = (1 - psi) * state.Y[oil] + psi * self._Y0_oil * ratio_Q
        d_money = self._price * (kwh_t - kwh_0) / 1e6  # kWh -> GWh
        state.Y[np.ix_(self._el, c)] += self._el_split * d_money
        # bookkeeping with the year's grid factor and hydrogen route
        grid = state.info.get("grid_factor", {}).get(self.region)
        if grid is None:
            grid = _base_traced_factor(self.params.get("province", self.region), t0)
        h2 = state.info.get("hydrogen_factor", {}).get(self.region)
        if h2 is None:
            h2 = lt.hydrogen_factor(self.params.get("hydrogen", "grey"))
        op = {p: operating_factor(self.vehicle, p, grid, h2) for p in self.powertrains}
        state.info.setdefault("hydrogen_demand", {}).setdefault(self.region, 0.0)
        state.info["hydrogen_demand"][self.region] += f["energy"][-1, 2]
        state.info.setdefault("road_fleet", {})[self.name] = {
            "fleet": dict(zip(self.powertrains, f["fleet"][-1], strict=True)),
            "sales": dict(zip(self.powertrains, f["sales"][-1], strict=True)),
            "vkm": float(f["vkm"][-1].sum()),
            "tailpipe_Mt": tail_t / 1e9,
            "grid_factor": grid,
            "operating_kg_per_vkm": op,
        }
        for j, p in ((1, bev), (2, fcev)):
            self.record(
                state,
                region=self.region,
                technology=f"{COST_NAME[p]}-{self.vehicle}",
                added=float(f["sales"][-1, j]),
                unit="vehicles",
                stock=float(f["fleet"][-1, j]),
                avoided_co2=float(f["vkm"][-1, j] * (op[ice] - op[p]) / 1e9),
            )

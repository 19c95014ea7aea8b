r"""Hydrogen lever ``hydrogen``: demand → production by route → CO2 and electricity in the producing
region's chemical sector.

**Demand** (kg/yr) :math:`H_t = H^{FCEV}_t + H^{DRI}_t + H^{given}_t`: the FCEV fleet's hydrogen of
preceding ``road-fleet`` levers (``info["hydrogen_demand"][region]``, vehicle-km × carculator's kg
H2/km), the H2-DRI hydrogen of preceding ``steel-routes`` levers
(``info["hydrogen_demand_industry"][region]``) and an optional ``demand`` path (t/yr). Put this lever
after those levers.

**Production** by route shares :math:`w_c, w_s, w_e` (coal gasification, SMR, electrolysis; each in
[0, 1], summing to one, else a named error): :math:`H_{k,t} = w_k H_t`, so
:math:`\sum_k H_{k,t} = H_t` (mass balance, tested). A share ρ of electrolysis runs on dedicated
renewables (``renewable_share``), the rest on the grid.

**CO2 and electricity** added to the producing region's sector ``Manufacture of chemical products``
(hydrogen is a chemical product, NBS 2619/2611 — industrial gases — in the IO classification):

.. math::

    E_t = H_{c,t} f_{coal} + H_{s,t} f_{SMR} + \rho H_{e,t} f_{green}, \qquad
    W_t = (1-\rho)\,H_{e,t}\,\frac{LHV}{\eta}

with f the cradle-to-gate factors of carculator (``hydrogen.csv``: ``grey-coal``, ``grey``, ``green``,
kg CO2e/kg H2; :func:`ioemissions.lca.transport.hydrogen_factor`), LHV the lower heating value implied
by carculator's FCEV car (tank-to-wheel kJ/km ÷ kg H2/km) and η the electrolyser efficiency (LHV
basis, a sourced scenario value). Grid electrolysis adds no CO2 of its own: its electricity W is
added to the chemical sector's purchases from the region's power sector,
:math:`\Delta A_{el,j} = p_{el} W_t / x_j`, so its CO2 arises in the IO model at the year's power
intensity (which ``power-mix`` changes); the fossil routes' factor is added to the intensity,
:math:`\Delta s_j = E_t / x_j`, with :math:`x_j` the sector's output of the state when the lever is
applied (:math:`x = (I-A)^{-1} Y e`) — exact for that output; the extra electricity demand raises
x slightly, so the added CO2 in the solved year is :math:`E_t\,x'_j/x_j` (a second-order overshoot).

**No double counting with the base table.** The base-year chemical sector already holds today's
hydrogen (refineries, ammonia, methanol); the lever adds only the *new* demand of FCEVs and H2-DRI,
which is zero in the base year (the fleet's FCEV stock and the DRI share start at zero in the shipped
scenario; a non-zero base-year demand is added as well, so give ``demand`` as the increase). The
fossil-route factors are cradle-to-gate, but no coal or gas purchases are added to A, so the upstream
part is counted once.

Records ``electrolysis`` capacity (kW_e at full load, :math:`W/8760\,h` — a lower bound) for
:func:`~.investment.deployment_impacts`, and ``info["hydrogen_factor"][region]`` (the mix's kg
CO2e/kg, grid electrolysis at the year's grid factor) for later levers.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .._builtin_levers import CHEMICALS, ELECTRICITY
from ..levers import register_lever
from ._common import TechLever, capacity_added

__all__ = ["ROUTES", "Hydrogen", "lhv_kwh_per_kg", "production"]

ROUTES = ("coal", "smr", "electrolysis")
CARCULATOR = {"coal": "grey-coal", "smr": "grey", "green": "green"}


@cache
def lhv_kwh_per_kg() -> float:
    """Lower heating value of hydrogen implied by carculator's FCEV car: TtW kJ/km ÷ kg H2/km → kWh/kg."""
    from ...lca import transport as lt

    v = lt.vehicle("car", "FCEV")
    return float(v["ttw_energy_kj_per_km"]) / float(v["fuel_kg_per_km"]) / 3600.0


def production(demand_kg: float, shares) -> np.ndarray:
    r"""Production by route :math:`H_k = w_k H` (kg); sums to ``demand_kg`` when the shares sum to one."""
    return demand_kg * np.asarray(shares, dtype=float)


@register_lever("hydrogen")
class Hydrogen(TechLever):
    group = "hydrogen"
    required = (*ROUTES, "electrolysis_efficiency")
    optional = ("region", "producer", "demand", "renewable_share", "source")

    @property
    def producer(self) -> str:
        return self.params.get("producer", self.region)

    def shares(self, year: int) -> np.ndarray:
        w = np.array([self.share(k, year) for k in ROUTES])
        if abs(w.sum() - 1.0) > 1e-9:
            raise self.err(year, "coal + smr + electrolysis", f"{w.sum()} != 1: route shares must sum to one")
        return w

    def check(self, state):
        super().check(state)
        for key, r in (("region", self.region), ("producer", self.producer)):
            if r not in state.regions:
                raise self.err(state.base_year, key, f"unknown region {r!r}; known {state.regions}")
        self.shares(state.base_year)
        eta = self.at("electrolysis_efficiency", state.base_year)
        if not 0 < eta <= 1:
            raise self.err(state.base_year, "electrolysis_efficiency", f"{eta} is not in (0, 1]")
        from .electricity import base_network

        x = np.linalg.solve(np.eye(len(state.S)) - state.A, state.Y.sum(axis=1))
        node = int(state.nodes_of([self.producer], [ELECTRICITY])[0])
        gen = float(base_network(state.base_year)["generation"][self.producer])
        self._price = x[node] / gen  # monetary unit per GWh (base table, basic prices)

    def demand(self, state) -> dict[str, float]:
        """Hydrogen demand of the year by origin (kg)."""
        y = state.year
        return {
            "FCEV": float(state.info.get("hydrogen_demand", {}).get(self.region, 0.0)),
            "H2-DRI": float(state.info.get("hydrogen_demand_industry", {}).get(self.region, 0.0)),
            "given": self.qty("demand", y, "t/yr") * 1e3 if "demand" in self.params else 0.0,
        }

    def apply(self, state):
        from ...lca import transport as lt

        y = state.year
        dem = self.demand(state)
        H = sum(dem.values())
        w = self.shares(y)
        Hk = production(H, w)
        rho = self.share("renewable_share", y) if "renewable_share" in self.params else 0.0
        eta = self.at("electrolysis_efficiency", y)
        if not 0 < eta <= 1:
            raise self.err(y, "electrolysis_efficiency", f"{eta} is not in (0, 1]")
        kwh_per_kg = lhv_kwh_per_kg() / eta
        f = {k: lt.hydrogen_factor(v) for k, v in CARCULATOR.items()}
        co2_kg = Hk[0] * f["coal"] + Hk[1] * f["smr"] + rho * Hk[2] * f["green"]
        grid_kwh = (1 - rho) * Hk[2] * kwh_per_kg
        node = state.nodes_of([self.producer], [CHEMICALS])
        j = int(node[0])
        if H > 0:
            x = np.linalg.solve(np.eye(len(state.S)) - state.A, state.Y.sum(axis=1))
            if x[j] <= 0:
                raise self.err(y, "producer", f"{self.producer}'s chemical sector has no output")
            state.S[j] += co2_kg / 1e9 / x[j]  # Mt per monetary unit
            el = int(state.nodes_of([self.producer], [ELECTRICITY])[0])
            state.A[el, j] += self._price * grid_kwh / 1e6 / x[j]
        grid = state.info.get("grid_factor", {}).get(self.producer)
        if grid is None:
            from .transport import _base_traced_factor

            grid = _base_traced_factor(self.producer, state.base_year)
        mix = w[0] * f["coal"] + w[1] * f["smr"] + w[2] * (rho * f["green"] + (1 - rho) * kwh_per_kg * grid)
        state.info.setdefault("hydrogen_factor", {})[self.region] = float(mix)
        state.info.setdefault("hydrogen", {})[self.name] = {
            "demand_kg": dem,
            "production_kg": dict(zip(ROUTES, Hk, strict=True)),
            "co2_Mt": co2_kg / 1e9,
            "grid_electricity_GWh": grid_kwh / 1e6,
            "kwh_per_kg": kwh_per_kg,
            "factor_kg_per_kg": float(mix),
        }
        kw = Hk[2] * kwh_per_kg / 8760.0  # electrolyser capacity at full load (kW_e)
        prev = getattr(self, "_prev_kw", {}).get(y - 1)
        self._prev_kw = {**getattr(self, "_prev_kw", {}), y: kw}
        self.record(
            state,
            region=self.producer,
            technology="electrolysis",
            added=capacity_added(kw, prev),
            unit="kW",
            stock=kw,
            avoided_co2=Hk[2] * (f["coal"] - (rho * f["green"] + (1 - rho) * kwh_per_kg * grid)) / 1e9,
        )

r"""Electricity lever ``power-mix``: a province's generation mix path → the year's traced grid factor.

Each year t the lever rebuilds the interprovincial network of the base year
(:func:`ioemissions.electricity.provincial_network`: generation, power-sector CO2 and flows) and
changes the province P (Shanghai):

1. **load**: P's electricity use grows as :math:`k_t = (f_t\,GDP_P(t)/GDP_P(t_0))^{\varepsilon}` (ε the
   income elasticity of electricity use, a scenario value with its source; :math:`f_t` the scenario's
   ``[drivers] gdp_factor`` of the year, 1 without it, so an ensemble's GDP draw moves the load as it
   moves the final demand); P's generation and the
   flows into P are scaled by :math:`k_t`, the exporters generating the extra at their own
   production intensity;
2. **new capacity**: solar and wind capacity paths (GW) give the extra generation
   :math:`\Delta G = (C_t - C_{t_0})\,h` (h full-load hours, or capacity factor × 8760 h);
3. **dedicated line** (e.g. Inner Mongolia–Shanghai): ``line`` (energy per year) of which a share
   ``line_green_share`` is zero-carbon (a separate node) and the rest comes from ``line_origin`` at
   its production intensity;
4. P's **thermal** generation is what remains, :math:`T_t = k_t T_{P,0} - \Delta G - L_t`, at the
   base year's CO2 per unit of thermal power; the base year's mix grows with the load (as in the
   top-down pathway, which holds the mix) and the new capacity and the line displace thermal
   generation on top of it; a negative T raises (the capacities exceed the load);
5. the network is traced (:func:`ioemissions.electricity.trace`, proportional sharing) → the
   consumption-based factor :math:`c_t` of P (kg CO2/kWh), kept as ``info["grid_factor"][region]``
   for the transport and hydrogen levers.

**Acting on the EE-MRIO.** The CO2 intensity of P's electricity sector is multiplied by

.. math::

    r_t = \frac{(e_{P,t} + e^{line}_t)/(G_{P,t} + L_t)}{e_{P,0}/G_{P,0}}

i.e. by the change of CO2 per kWh supplied in P, where the line's energy is treated as P's own
supply (as the plan counts it toward P's non-fossil share) and its non-green part carries the
origin's CO2. Purchases of electricity from other IO regions keep those regions' intensities, so
imported-electricity CO2 changes only through other levers. With no new capacity and no line,
:math:`r_t = 1` for any load (thermal intensity is held), so the lever switched off leaves the
top-down pathway unchanged (tested); in the base year :math:`c_{t_0}` equals
:func:`ioemissions.electricity.imported_emissions`'s traced factor (tested).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ...errors import LabelError
from .._builtin_levers import ELECTRICITY
from ..levers import register_lever
from ._common import TechLever

__all__ = ["PowerMix", "base_network", "thermal_share"]

HOURS_PER_YEAR = 8760.0
TO_KG_PER_KWH = 1e3  # Mt/GWh -> kg/kWh


@cache
def base_network(year: int) -> dict:
    """The provincial network of ``year`` (GWh, Mt CO2), cached (see :func:`provincial_network`)."""
    from ...electricity import provincial_network

    return provincial_network(year)


@cache
def thermal_share(province: str, year: int) -> float:
    """Thermal share of the province's generation in ``year`` (``provincial-energy-power``)."""
    from ...tables import load

    g = load("provincial-energy-power")["generation"]
    g = g[(g.province == province) & (g.year == year)].set_index("source").value
    if "thermal" not in g.index or "total" not in g.index or not g[["thermal", "total"]].notna().all():
        raise LabelError(f"provincial-energy-power has no thermal and total generation for {province} {year}")
    return float(g["thermal"] / g["total"])


@register_lever("power-mix")
class PowerMix(TechLever):
    group = "electricity"
    required = ("solar", "wind", "demand_elasticity")
    optional = (
        "region",
        "province",
        "solar_capacity_factor",
        "wind_hours",
        "solar_technology",
        "wind_technology",
        "line",
        "line_green_share",
        "line_origin",
        "source",
    )

    def validate(self):
        if "solar_capacity_factor" not in self.params:
            raise self.err(None, "solar_capacity_factor", "needed (a sourced value)")
        if "wind_hours" not in self.params:
            raise self.err(None, "wind_hours", "needed (a sourced value, h per year)")
        if "line" in self.params and "line_green_share" not in self.params:
            raise self.err(None, "line_green_share", "needed with line")

    @property
    def province(self) -> str:
        return self.params.get("province", self.region)

    def check(self, state):
        super().check(state)
        if self.region not in state.regions:
            raise self.err(state.base_year, "region", f"unknown region {self.region!r}; known {state.regions}")
        try:
            net = base_network(state.base_year)
        except LabelError as exc:
            raise self.err(state.base_year, "base year", str(exc)) from None
        for key, p in (("province", self.province), ("line_origin", self.params.get("line_origin"))):
            if p is not None and p not in net["generation"].index:
                raise self.err(state.base_year, key, f"unknown province {p!r}")
        thermal_share(self.province, state.base_year)

    # ------------------------------------------------------------------ the network of one year
    def network(self, state) -> dict:
        """The year's modified network and the numbers the lever uses (see the module docstring)."""
        y, t0, P = state.year, state.base_year, self.province
        net = base_network(t0)
        g = net["generation"].astype(float).copy()
        e = net["emissions"].astype(float).copy()
        F = net["flows"].astype(float).copy()
        eps = self.at("demand_elasticity", y)
        d = state.drivers[self.region]
        k = (d["gdp_index"] * d.get("gdp_factor", 1.0)) ** eps
        # load growth: P's generation and inflows scale with k; exporters generate the extra
        inflow = F[P].copy()
        extra = inflow * (k - 1.0)
        F[P] = inflow * k
        prod = (e / g.where(g > 0)).fillna(0.0)
        g = g.add(extra, fill_value=0.0)
        e = e.add(extra * prod, fill_value=0.0)
        gP0, eP0 = float(net["generation"][P]), float(net["emissions"][P])
        th_share = thermal_share(P, t0)
        i_th = eP0 / (gP0 * th_share)  # Mt per GWh of thermal generation
        cf = self.share("solar_capacity_factor", y)
        d_solar = (self.qty("solar", y, "GW") - self.qty("solar", t0, "GW")) * cf * HOURS_PER_YEAR  # GW x h = GWh
        d_wind = (self.qty("wind", y, "GW") - self.qty("wind", t0, "GW")) * self.qty(
            "wind_hours", y, "h", default_unit="h"
        )
        line = self.qty("line", y, "GWh") if "line" in self.params else 0.0
        green_share = self.share("line_green_share", y) if "line" in self.params else 0.0
        thermal = k * gP0 * th_share - d_solar - d_wind - line
        if thermal < 0:
            raise self.err(
                y,
                "solar/wind/line",
                f"new generation ({d_solar + d_wind + line:.0f} GWh) exceeds {P}'s thermal generation "
                f"({k * gP0 * th_share:.0f} GWh at the year's load)",
            )
        g[P] = k * gP0 - line
        e[P] = thermal * i_th
        line_co2 = 0.0
        if line > 0:
            green, brown = line * green_share, line * (1 - green_share)
            node = f"{P} line (green)"
            g[node], e[node] = green, 0.0
            F.loc[node] = 0.0
            F[node] = 0.0
            F.loc[node, P] = green
            o = self.params.get("line_origin")
            if brown > 0:
                if o is None:
                    raise self.err(y, "line_origin", "needed when line_green_share < 1")
                line_co2 = brown * float(prod[o])
                g[o] += brown
                e[o] += line_co2
                F.loc[o, P] += brown
        return {
            "generation": g,
            "emissions": e,
            "flows": F,
            "k": k,
            "d_solar": d_solar,
            "d_wind": d_wind,
            "line": line,
            "line_co2": line_co2,
            "thermal": thermal,
            "thermal_intensity": i_th,
            "ratio": ((e[P] + line_co2) / (g[P] + line)) / (eP0 / gP0),
        }

    def apply(self, state):
        from ...electricity import trace

        nw = self.network(state)
        res = trace(nw["generation"], nw["emissions"], nw["flows"], units={"energy": "GWh", "emissions": "Mt CO2"})
        c = float(res.intensity[self.province]) * TO_KG_PER_KWH
        node = state.nodes_of([self.region], [ELECTRICITY])
        state.S[node] *= nw["ratio"]
        state.info.setdefault("grid_factor", {})[self.region] = c
        state.info.setdefault("power_mix", {})[self.name] = {
            "grid_factor_kg_per_kwh": c,
            "intensity_ratio": nw["ratio"],
            "load_index": nw["k"],
            "solar_GWh": nw["d_solar"],
            "wind_GWh": nw["d_wind"],
            "line_GWh": nw["line"],
            "thermal_GWh": nw["thermal"],
        }
        y = state.year
        for key, tech, gwh in (
            ("solar", self.params.get("solar_technology", "solar-pv-distributed"), nw["d_solar"]),
            ("wind", self.params.get("wind_technology", "offshore-wind"), nw["d_wind"]),
        ):
            stock = self.qty(key, y, "GW")
            added = max(stock - self.qty(key, y - 1, "GW"), 0.0) if y > state.base_year else 0.0
            self.record(
                state,
                region=self.region,
                technology=tech,
                added=added,
                unit="GW",
                stock=stock,
                avoided_co2=gwh * nw["thermal_intensity"],
            )
        if nw["line"] > 0:
            self.record(
                state,
                region=self.region,
                technology="line (green share)",
                added=0.0,
                unit="GW",
                stock=0.0,
                avoided_co2=nw["line"] * nw["thermal_intensity"] - nw["line_co2"],
            )


def grid_factor_series(pathway, region: str = "Shanghai"):
    """The traced grid factor (kg CO2/kWh) of ``region`` by year, from a pathway's ``info``."""
    import pandas as pd

    return pd.Series(
        {y: pathway.info[y].get("grid_factor", {}).get(region, np.nan) for y in pathway.years},
        name="kg CO2/kWh",
    )

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
5. the network is traced (proportional sharing) → the consumption-based factor :math:`c_t` of P
   (kg CO2/kWh), kept as ``info["grid_factor"][region]`` for the transport and hydrogen levers. The
   base network is checked once by :func:`ioemissions.electricity.trace`; each year's network is
   built as numpy arrays from it and solved by :func:`ioemissions.electricity.sharing_intensity`
   after cheap checks (:func:`_plain`) that it is one ``trace`` accepts, else by ``trace`` itself,
   which names what is wrong. Both give the same factor to rounding (tested to 1e-12); the lever's
   year costs 0.35 ms instead of 12.5 ms (2026-12-03, ``docs/performance.md``), which matters for
   ensembles.

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
from ._common import TechLever, capacity_added

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


@cache
def _base_arrays(year: int) -> dict:
    """:func:`base_network` as numpy arrays (node order of its generation), the production intensity
    and the pattern of generators and flows, after :func:`ioemissions.electricity.trace` has accepted
    the network (once per base year and process)."""
    from ...electricity import trace

    net = base_network(year)
    g, e, F = net["generation"].astype(float), net["emissions"].astype(float), net["flows"].astype(float)
    trace(g, e, F, units={"energy": "GWh", "emissions": "Mt CO2"})  # raises, naming the node, on a bad network
    nodes = list(g.index)
    F = F.reindex(index=nodes, columns=nodes, fill_value=0.0).to_numpy()
    g, e = g.to_numpy(), e.reindex(nodes).to_numpy()
    prod = np.divide(e, g, out=np.zeros_like(e), where=g > 0)
    return {
        "nodes": nodes,
        "pos": {n: i for i, n in enumerate(nodes)},
        "g": g,
        "e": e,
        "F": F,
        "prod": prod,
        "generators": g > 0,
        "links": (F > 0) & ~np.eye(len(nodes), dtype=bool),  # trace ignores self-flows
    }


def _plain(g: np.ndarray, e: np.ndarray, F: np.ndarray, base: dict) -> bool:
    """Whether a year's network is one :func:`ioemissions.electricity.trace` accepts, checked cheaply.

    The year's network is the base network (accepted by ``trace`` in :func:`_base_arrays`) with some
    entries scaled or added, and maybe a line node appended. It is accepted when its numbers are finite,
    non-negative and not subnormal, no node emits without generating or sends out more than it has
    (``trace``'s tolerance), and every generator and flow of the base network is still there, so that
    every node stays fed by a generator (a new node or flow only adds supply paths). False sends the
    year to ``trace``, which either accepts it too or raises an error naming the node."""
    n = len(base["g"])
    tiny = np.finfo(float).tiny
    for x in (g, e, F):
        if not np.isfinite(x).all() or (x < 0).any() or ((x != 0) & (np.abs(x) < tiny)).any():
            return False
    if ((g == 0) & (e > 0)).any():
        return False
    Fz = F.copy()
    np.fill_diagonal(Fz, 0.0)
    q = g + Fz.sum(axis=0)
    if (Fz.sum(axis=1) - q > 1e-9 * np.maximum(q, 1.0)).any():
        return False
    if len(g) > n and (q[n:] > 0).any() and not (g[n:][q[n:] > 0] > 0).all():
        return False  # an appended node passing power must generate it
    return bool((g[:n] > 0)[base["generators"]].all() and (Fz[:n, :n] > 0)[base["links"]].all())


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
    def _arrays(self, state) -> dict:
        """The year's modified network as numpy arrays (node order of :func:`_base_arrays`, the line node
        appended when there is a line) and the numbers the lever uses (see the module docstring)."""
        y, t0, P = state.year, state.base_year, self.province
        b = _base_arrays(t0)
        p = b["pos"][P]
        g, e, F = b["g"].copy(), b["e"].copy(), b["F"].copy()
        eps = self.at("demand_elasticity", y)
        d = state.drivers[self.region]
        k = (d["gdp_index"] * d.get("gdp_factor", 1.0)) ** eps
        # load growth: P's generation and inflows scale with k; exporters generate the extra
        inflow = F[:, p].copy()
        extra = inflow * (k - 1.0)
        F[:, p] = inflow * k
        prod = b["prod"]
        g += extra
        e += extra * prod
        gP0, eP0 = b["g"][p], b["e"][p]
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
        g[p] = k * gP0 - line
        e[p] = thermal * i_th
        line_co2 = 0.0
        nodes = b["nodes"]
        if line > 0:
            green, brown = line * green_share, line * (1 - green_share)
            nodes = [*nodes, f"{P} line (green)"]
            g, e = np.append(g, green), np.append(e, 0.0)
            F = np.pad(F, ((0, 1), (0, 1)))
            F[-1, p] = green
            o = self.params.get("line_origin")
            if brown > 0:
                if o is None:
                    raise self.err(y, "line_origin", "needed when line_green_share < 1")
                q = b["pos"][o]
                line_co2 = brown * float(prod[q])
                g[q] += brown
                e[q] += line_co2
                F[q, p] += brown
        return {
            "nodes": nodes,
            "p": p,
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
            "ratio": ((e[p] + line_co2) / (g[p] + line)) / (eP0 / gP0),
        }

    def network(self, state) -> dict:
        """The year's modified network (labelled: generation, emissions, flows) and the numbers the lever
        uses (see the module docstring)."""
        import pandas as pd

        a = self._arrays(state)
        nodes = pd.Index(a.pop("nodes"))
        del a["p"]
        a["generation"] = pd.Series(a["generation"], index=nodes)
        a["emissions"] = pd.Series(a["emissions"], index=nodes)
        a["flows"] = pd.DataFrame(a["flows"], index=nodes, columns=nodes)
        return a

    def grid_factor(self, state, nw: dict | None = None) -> float:
        """The year's traced (consumption-based) factor of the province, kg CO2/kWh.

        Solved with :func:`ioemissions.electricity.sharing_intensity` on numpy arrays when the year's
        network passes :func:`_plain`'s checks (it then equals :func:`ioemissions.electricity.trace` to
        rounding, tested), else with :func:`~ioemissions.electricity.trace` itself, which names what is
        wrong."""
        from ...electricity import sharing_intensity, trace

        a = self._arrays(state) if nw is None else nw
        p = a["p"]
        if _plain(a["generation"], a["emissions"], a["flows"], _base_arrays(state.base_year)):
            return float(sharing_intensity(a["generation"], a["emissions"], a["flows"])[p]) * TO_KG_PER_KWH
        import pandas as pd

        nodes = pd.Index(a["nodes"])
        res = trace(
            pd.Series(a["generation"], index=nodes),
            pd.Series(a["emissions"], index=nodes),
            pd.DataFrame(a["flows"], index=nodes, columns=nodes),
            units={"energy": "GWh", "emissions": "Mt CO2"},
        )
        return float(res.intensity.iloc[p]) * TO_KG_PER_KWH

    def apply(self, state):
        nw = self._arrays(state)
        c = self.grid_factor(state, nw)
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
            added = capacity_added(stock, self.qty(key, y - 1, "GW") if y > state.base_year else None)
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

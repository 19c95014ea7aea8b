r"""Industry levers ``steel-routes`` and ``petrochemicals`` (the latter: see :class:`Petrochemicals`).

``steel-routes``: BF-BOF / EAF / H2-DRI shares of a region's steel, acting on the CO2
intensity and fossil-fuel inputs of the IO sector "Smelting and processing of metals".

**Route mix.** Shares :math:`s_k(t)` of the routes k ∈ {BF-BOF, EAF, H2-DRI} in the region's steel
production (paths that must start at or before the base year and sum to one in every year, else a
:class:`~ioemissions.errors.ScenarioError` naming the year). Direct CO2 per tonne of steel by route
:math:`e_k` (t CO2/t) are scenario values, each with its source (``deep.toml`` derives them from
technology-data's MPP Steel inputs). The direct intensity of the steel mix changes by

.. math::

    r_t = \frac{\sum_k s_k(t)\,e_k}{\sum_k s_k(t_0)\,e_k}

**Acting on the EE-MRIO.** The IO sector also holds non-ferrous metals, so only the ferrous part
φ of its direct CO2 follows the ratio:

.. math::

    s_j \leftarrow s_j\,(1 - \varphi + \varphi\, r_t), \qquad
    A_{f j} \leftarrow A_{f j}\,(1 - \varphi + \varphi\, r_t)\ \ (f \text{ the fossil-fuel rows})

with φ = CO2 of "Smelting and Pressing of Ferrous Metals" / (ferrous + non-ferrous) of the region in
``ceads-co2-provinces`` (the base year, or the latest CEADs year before it; none: an error), or the
``steel_share_of_sector`` value given. The fuel rows scale with the CO2 because the routes' direct
CO2 is fuel (coal) combustion. The electricity input is **not** changed: the source gives EAF and DRI
electricity (MWh/t) but no BF-BOF electricity, so no ratio can be formed (left out).

**Optional physical quantities.** With ``steel_output`` (t/yr): capacity by route
:math:`K_k = Q\,s_k` (t/yr; the capex per t/h of capacity of technology-data is applied
to :math:`K_k/8760`, i.e. full-load operation — a lower bound on capacity and capex) → deployment
records for ``steel-eaf`` (EAF route and the EAF of the DRI route) and ``steel-h2-dri`` (1 t HBI
per t steel, technology-data's ``hbi-input``), avoided CO2
:math:`Q\,\max(s_k(t)-s_k(t_0),0)\,(e_{BF}-e_k)`; with ``h2_dri_kg_per_t`` also the hydrogen demand
of DRI, :math:`H = Q\,s_{DRI}\,h` (kg), left in ``info["hydrogen_demand_industry"][region]`` for the
``hydrogen`` lever.

**CCUS** (optional): ``ccus_capture`` c(t) on ``ccus_sectors`` of the region with an energy penalty
p (``ccus_energy_penalty``, a sourced value): :math:`s_j \leftarrow (1-c)s_j`, fuel and electricity
rows :math:`\times (1 + p\,c)` — the formula of the generic ``ccus`` lever, applied after the route
change.
"""

from __future__ import annotations

from functools import cache
from typing import ClassVar

import numpy as np

from .._builtin_levers import CHEMICALS, ELECTRICITY, FOSSIL_FUELS, PETROLEUM
from ..levers import register_lever
from ._common import TechLever, capacity_added

__all__ = ["ROUTES", "Petrochemicals", "SteelRoutes", "ferrous_share", "route_ratio", "switch_factor"]

STEEL = "Smelting and processing of metals"
#: the CCUS options' parameter names (see :mod:`ioemissions.pathways.technology.capture`)
CCUS_KEYS = {
    "capture": "ccus_capture",
    "coverage": "ccus_coverage",
    "rate": "ccus_capture_rate",
    "penalty": "ccus_energy_penalty",
    "technology": "ccus_technology",
}
ROUTES = ("bf_bof", "eaf", "h2_dri")


def route_ratio(shares_t, shares_0, intensities) -> float:
    r""":math:`r_t = \sum_k s_k(t) e_k / \sum_k s_k(t_0) e_k` (see the module docstring)."""
    e = np.asarray(intensities, dtype=float)
    den = float(np.dot(shares_0, e))
    if den <= 0:
        raise ValueError("the base-year route mix has no direct CO2; the ratio is undefined")
    return float(np.dot(shares_t, e)) / den


@cache
def ferrous_share(province: str, year: int) -> tuple[float, int]:
    """(φ, CEADs year): ferrous / (ferrous + non-ferrous) smelting CO2 of ``province`` in the latest
    ``ceads-co2-provinces`` year <= ``year``."""
    from ...errors import LabelError
    from ...tables import load

    d = load("ceads-co2-provinces")
    d = d["co2"] if isinstance(d, dict) else d
    d = d[d.province == province]
    ys = sorted(int(y) for y in d.year.unique() if y <= year)
    if not ys:
        raise LabelError(f"ceads-co2-provinces has no year <= {year} for {province!r}")
    d = d[d.year == ys[-1]]
    fe = float(d[d.sector == "Smelting and Pressing of Ferrous Metals"].value.sum())
    nf = float(d[d.sector == "Smelting and Pressing of Nonferrous Metals"].value.sum())
    if fe + nf <= 0:
        raise LabelError(f"ceads-co2-provinces: no smelting CO2 for {province!r} in {ys[-1]}")
    return fe / (fe + nf), ys[-1]


@register_lever("steel-routes")
class SteelRoutes(TechLever):
    group = "industry"
    required = (*ROUTES, "intensity_bf_bof", "intensity_eaf", "intensity_h2_dri")
    optional = (
        "region",
        "steel_share_of_sector",
        "steel_output",
        "h2_dri_kg_per_t",
        "ccus_capture",
        "ccus_coverage",
        "ccus_capture_rate",
        "ccus_technology",
        "ccus_sectors",
        "ccus_energy_penalty",
        "source",
    )

    def _has_ccus(self) -> bool:
        return "ccus_capture" in self.params or "ccus_coverage" in self.params

    def validate(self):
        if self._has_ccus() and "ccus_sectors" not in self.params:
            raise self.err(None, "ccus_sectors", "needed with ccus_capture or ccus_coverage")

    def shares(self, year: int) -> np.ndarray:
        s = np.array([self.share(k, year) for k in ROUTES])
        if abs(s.sum() - 1.0) > 1e-9:
            raise self.err(year, "bf_bof + eaf + h2_dri", f"{s.sum()} != 1: route shares must sum to one")
        return s

    def intensities(self, year: int) -> np.ndarray:
        e = np.array([self.at(f"intensity_{k}", year) for k in ROUTES])
        for k, x in zip(ROUTES, e, strict=True):
            if x < 0 or not np.isfinite(x):
                raise self.err(year, f"intensity_{k}", f"{x} t CO2/t is negative or not finite")
        return e

    def check(self, state):
        super().check(state)
        t0 = state.base_year
        if self.region not in state.regions:
            raise self.err(t0, "region", f"unknown region {self.region!r}; known {state.regions}")
        for k in ROUTES:
            p = self.params[k]
            first = getattr(p, "_years", [t0])[0]
            if first > t0:
                raise self.err(
                    t0, k, f"the path starts in {int(first)}, after the base year {t0}: give the base-year share"
                )
        self.shares(t0)
        if "steel_share_of_sector" in self.params:
            self._phi = self.share("steel_share_of_sector", t0)
        else:
            from ...errors import LabelError

            try:
                self._phi = ferrous_share(self.region, t0)[0]
            except LabelError as exc:
                raise self.err(t0, "steel_share_of_sector", f"not given and {exc}") from None
        if "ccus_sectors" in self.params:
            state.sector_pos(self.params["ccus_sectors"])
        if self._has_ccus() or any(k in self.params for k in ("ccus_capture_rate", "ccus_energy_penalty")):
            from .capture import check_ccus

            check_ccus(self, state, CCUS_KEYS)

    def factor(self, year: int, base_year: int) -> float:
        """:math:`1 - \\varphi + \\varphi r_t`."""
        r = route_ratio(self.shares(year), self.shares(base_year), self.intensities(year))
        return 1.0 - self._phi + self._phi * r

    def apply(self, state):
        y, t0 = state.year, state.base_year
        node = state.nodes_of([self.region], [STEEL])
        f = self.factor(y, t0)
        state.S[node] *= f
        fuels = state.nodes_of(None, [s for s in FOSSIL_FUELS if s in state.sectors])
        state.A[np.ix_(fuels, node)] *= f
        info = {"factor": f, "ferrous_share": self._phi, "shares": dict(zip(ROUTES, self.shares(y), strict=True))}
        if self._has_ccus():
            from .capture import apply_ccus

            sectors = self.params["ccus_sectors"]
            sectors = [sectors] if isinstance(sectors, str) else list(sectors)
            c = apply_ccus(self, state, [self.region], sectors, CCUS_KEYS)
            vals = set(c.values())
            info["ccus_capture"] = vals.pop() if len(vals) == 1 else c
        if "steel_output" in self.params:
            self._physical(state, info)
        state.info.setdefault("steel_routes", {})[self.name] = info

    def _physical(self, state, info):
        y, t0 = state.year, state.base_year
        q = self.qty("steel_output", y, "t/yr")
        s, s0, e = self.shares(y), self.shares(t0), self.intensities(y)
        info["steel_output_t"] = q
        if "h2_dri_kg_per_t" in self.params:
            h = self.at("h2_dri_kg_per_t", y)
            if h < 0:
                raise self.err(y, "h2_dri_kg_per_t", f"{h} is negative")
            kg = q * s[2] * h
            info["hydrogen_kg"] = kg
            d = state.info.setdefault("hydrogen_demand_industry", {})
            d[self.region] = d.get(self.region, 0.0) + kg

        def cap(year, k):  # t/yr of route k's capacity (EAF: the EAF route and the DRI route's EAF)
            qq, ss = self.qty("steel_output", year, "t/yr"), self.shares(year)
            return qq * (ss[1] + ss[2] if k == "eaf" else ss[2])

        for k, tech in (("eaf", "steel-eaf"), ("h2_dri", "steel-h2-dri")):
            stock = cap(y, k)
            added = capacity_added(stock, cap(y - 1, k) if y > t0 else None)
            j = ROUTES.index(k)
            self.record(
                state,
                region=self.region,
                technology=tech,
                added=added,
                unit="t/yr",
                stock=stock,
                avoided_co2=q * max(s[j] - s0[j], 0.0) * (e[0] - e[j]) / 1e6,
            )


PETROCHEM = (PETROLEUM, CHEMICALS)


def switch_factor(sigma_t: float, sigma_0: float) -> float:
    r"""Fossil-input CO2 factor of a feedstock/fuel switch: :math:`f_t = (1-\sigma_t)/(1-\sigma_0)`,
    σ the share of the sectors' fossil energy moved to electricity (σ_0 in the base year)."""
    if sigma_0 >= 1.0:
        raise ValueError("the base-year switch share is 1: nothing fossil is left to scale")
    return (1.0 - sigma_t) / (1.0 - sigma_0)


@register_lever("petrochemicals")
class Petrochemicals(TechLever):
    r"""Petrochemicals: fuel/feedstock switch and CCUS on "Processing of petroleum, coking, and nuclear
    fuel" and "Manufacture of chemical products" of ``region`` (or the one of them named in ``sectors``).

    **Switch** (optional ``switch_share`` σ(t), a path starting at or before the base year, with the
    required ``electricity_per_fuel`` k — yuan of electricity bought per yuan of fossil fuel moved, a
    scenario value with its source; there is no default because no citable ratio was found):
    :math:`f_t = (1-\sigma_t)/(1-\sigma_0)`, :math:`s_j \leftarrow f_t s_j`,
    :math:`A_{fj} \leftarrow f_t A_{fj}` (fossil-fuel rows f) and
    :math:`A_{ej} \leftarrow A_{ej} + k\,(1-f_t)\sum_f A_{fj}\,A_{ej}/\sum_{e'} A_{e'j}` (electricity rows e
    of every origin region, split by the column's existing electricity purchases).

    **CCUS** (optional ``ccus_capture`` c(t) in [0, 1], ``ccus_energy_penalty`` p, unit "1": extra
    energy purchases per unit of capture): :math:`s_j \leftarrow (1-c)s_j` and energy rows
    :math:`\times (1+p\,c)`, the generic ``ccus`` formula, after the switch. The sectors' direct
    emissions become :math:`F_t = F(1-c)`; the penalty's emissions arise upstream in the energy sectors.
    """

    group = "industry"
    required = ()
    units: ClassVar[dict[str, str]] = {
        "switch_share": "1",
        "electricity_per_fuel": "1",
        "ccus_capture": "1",
        "ccus_coverage": "1",
        "ccus_capture_rate": "1",
        "ccus_energy_penalty": "1",
    }
    optional = (
        "region",
        "sectors",
        "switch_share",
        "electricity_per_fuel",
        "ccus_capture",
        "ccus_coverage",
        "ccus_capture_rate",
        "ccus_technology",
        "ccus_energy_penalty",
        "source",
    )

    def validate(self):
        if "switch_share" in self.params and "electricity_per_fuel" not in self.params:
            raise self.err(None, "electricity_per_fuel", "needed with switch_share (no default: give a sourced ratio)")
        ccus = "ccus_capture" in self.params or "ccus_coverage" in self.params
        if "ccus_energy_penalty" in self.params and not ccus:
            raise self.err(None, "ccus_capture", "needed with ccus_energy_penalty (or ccus_coverage)")

    def check(self, state):
        super().check(state)
        t0 = state.base_year
        if self.region not in state.regions:
            raise self.err(t0, "region", f"unknown region {self.region!r}; known {state.regions}")
        bad = [s for s in self.params.get("sectors", PETROCHEM) if s not in PETROCHEM]
        if bad:
            raise self.err(t0, "sectors", f"{bad} are not petrochemical sectors; choose from {list(PETROCHEM)}")
        if any(k in self.params for k in ("ccus_capture", "ccus_coverage", "ccus_capture_rate")):
            from .capture import check_ccus

            check_ccus(self, state, CCUS_KEYS)
        for k in ("switch_share", "ccus_capture", "ccus_coverage"):
            if k in self.params:
                first = getattr(self.params[k], "_years", [t0])[0]
                if first > t0:
                    raise self.err(
                        t0, k, f"the path starts in {int(first)}, after the base year {t0}: give the base-year value"
                    )
                self.share(k, t0)
        if "switch_share" in self.params and self.share("switch_share", t0) >= 1.0:
            raise self.err(t0, "switch_share", "is 1 in the base year: nothing fossil left to switch")

    def apply(self, state):
        y, t0 = state.year, state.base_year
        cols = state.nodes_of([self.region], self.params.get("sectors", list(PETROCHEM)))
        fuels = state.nodes_of(None, [s for s in FOSSIL_FUELS if s in state.sectors])
        info = {}
        if "switch_share" in self.params:
            f = switch_factor(self.share("switch_share", y), self.share("switch_share", t0))
            k = self.at("electricity_per_fuel", y)
            if k < 0 or not np.isfinite(k):
                raise self.err(y, "electricity_per_fuel", f"{k} is negative or not finite")
            el = state.nodes_of(None, [ELECTRICITY])
            w = state.A[np.ix_(el, cols)]
            tot = w.sum(axis=0)
            if np.any(tot <= 0):
                raise self.err(
                    y, "electricity_per_fuel", "a petrochemical column buys no electricity to split by origin"
                )
            moved = (1.0 - f) * state.A[np.ix_(fuels, cols)].sum(axis=0)
            state.S[cols] *= f
            state.A[np.ix_(fuels, cols)] *= f
            state.A[np.ix_(el, cols)] += k * moved * w / tot
            info["switch_factor"] = f
        if "ccus_capture" in self.params or "ccus_coverage" in self.params:
            from .capture import apply_ccus

            sectors = self.params.get("sectors", list(PETROCHEM))
            sectors = [sectors] if isinstance(sectors, str) else list(sectors)
            c = apply_ccus(self, state, [self.region], sectors, CCUS_KEYS)
            vals = set(c.values())
            info["ccus_capture"] = vals.pop() if len(vals) == 1 else c
        state.info.setdefault("petrochemicals", {})[self.name] = info

r"""Carbon capture in the levers: sourced defaults, the electricity penalty and the captured tonnes.

Used by the ``ccus`` lever and the CCUS options of ``steel-routes`` and ``petrochemicals``
(:func:`apply_ccus`), and by :func:`~ioemissions.pathways.technology.investment.deployment_impacts`
(:func:`capture_deployments`).

**Capture share.** The share c(t) of the sectors' direct CO2 that is captured is either given
(``capture``, or ``ccus_capture`` on the technology levers; as before) or built from a coverage σ(t)
— the share of the sectors' direct CO2 that passes through capture plants — and the plants' capture
rate κ: :math:`c = \sigma\,\kappa`. κ is the ``capture_rate`` given, or, when it is omitted or
``"default"``, the capture rate of the sector's capture technology in ``technology-costs``
(``capture.csv``: 0.9 for the NPC steel and cement retrofits, 0.99 for ammonia, 0.9–0.95 for the DEA
post-combustion plants).

**Capture technology** of a sector: the lever's ``capture_technology`` (``ccus_technology`` on the
technology levers), else :data:`DEFAULT_TECHNOLOGY`. Sectors outside it have no default; a lever on
them prices only with a technology named.

**Energy penalty.** A number p keeps the generic formula (energy inputs × (1 + p c), see
:func:`ioemissions.pathways._builtin_levers.apply_capture`). ``"default"`` uses the technology's
sourced electricity input per t CO2 captured, :math:`e` (MWh/t, capture + compression): column j
buys the extra electricity

.. math::

    \Delta a_{e j} = c\, s_j\, u\, e\, 10^{-3}\, P_r \cdot \frac{a_{e j}}{\sum_{e'} a_{e' j}}

split over the origins e of its existing electricity purchases, with :math:`s_j` the intensity before
capture (stressor unit per monetary unit), u the stressor unit in t (10^6 for Mt), 10^-3 GWh per MWh
and :math:`P_r` the base table's electricity price of the column's region r: power-sector output /
generation (monetary unit per GWh, as the ``road-fleet`` and ``hydrogen`` levers price electricity).
The NPC retrofits' natural gas (0.76 MWh/t) and the DEA plants' heat (0.66–0.83 MWh/t) are **not**
added: the default penalty is electricity only (a lower bound).

**Captured tonnes** (for the investment): each capture writes ``info["capture"]`` records (lever,
region, sector, technology, node, c, s before capture); with the year's gross output x,
:math:`C_{j,t} = c\, s_j\, x_j` (stressor unit), see :func:`capture_deployments`.
Technical parameters are interpolated between the source's years (2020–2050) and held outside them.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ...errors import ScenarioError, UnitError, UnitMismatchError
from .._builtin_levers import CHEMICALS, ELECTRICITY, PETROLEUM
from ._common import capacity_added

__all__ = ["DEFAULT_TECHNOLOGY", "apply_ccus", "capture_deployments", "capture_parameter"]

#: IO sector -> capture technology of ``technology-costs`` (the closest plant in the raw data)
DEFAULT_TECHNOLOGY = {
    "Smelting and processing of metals": "steel-ccs-retrofit",  # NPC steel retrofit
    "Manufacture of non-metallic mineral products": "cement-ccs-retrofit",  # NPC cement retrofit
    # NPC ammonia retrofit: a concentrated process stream; combustion CO2 of chemicals costs more
    CHEMICALS: "ammonia-ccs-retrofit",
    # refinery/coking furnaces and power plants: post-combustion on flue gas (DEA 401.a, a small CHP)
    PETROLEUM: "chp-ccs",
    ELECTRICITY: "chp-ccs",
}
FIELDS = ("capture_rate", "electricity_mwh_per_t", "heat_mwh_per_t", "gas_mwh_per_t")


@cache
def _capture_table() -> dict[str, dict[str, np.ndarray]]:
    from ...tables import load

    d = load("technology-costs")["capture"]
    out = {}
    for tech, g in d.groupby("technology", sort=False):
        g = g.sort_values("year")
        out[tech] = {"year": g.year.to_numpy(float), **{f: g[f].to_numpy(float) for f in FIELDS}}
    return out


def capture_parameter(technology: str, year: int, field: str, where: str = "") -> float:
    """``field`` of capture ``technology`` in ``year`` (``technology-costs`` ``capture.csv``; linear
    between the source's years, held outside them). Unknown technology or an empty field raises."""
    tab = _capture_table()
    if technology not in tab:
        raise ScenarioError(
            f"{where}: capture technology {technology!r} has no data in technology-costs capture.csv "
            f"(known: {sorted(tab)})"
        )
    t = tab[technology]
    v = float(np.interp(year, t["year"], t[field]))
    if not np.isfinite(v):
        raise ScenarioError(f"{where}: capture technology {technology!r} has no {field} in {year}")
    return v


def technology_of(lever, sector: str, key: str) -> str | None:
    """The lever's capture technology for ``sector`` (parameter ``key``, else the default, else None)."""
    t = lever.params.get(key)
    if t is not None and not isinstance(t, str):
        raise ScenarioError(f"{lever.where} ({lever.name!r}): {key} must be a technology name, got {t!r}")
    return t or DEFAULT_TECHNOLOGY.get(sector)


def _price_per_gwh(lever, state) -> dict[str, float]:
    """The base table's electricity price of every region (monetary unit per GWh; see module docstring)."""
    from .._builtin_levers import ELECTRICITY
    from .electricity import base_network

    x = np.linalg.solve(np.eye(len(state.S)) - state.A, state.Y.sum(axis=1))
    gen = base_network(state.base_year)["generation"]
    out = {}
    for r in state.regions:
        if r in gen.index and gen[r] > 0:
            out[r] = float(x[int(state.nodes_of([r], [ELECTRICITY])[0])] / gen[r])
    return out


def _t_per_unit(state, where: str) -> float:
    from ... import units as U

    try:
        return U.factor(state.stressor_unit, "t")
    except (UnitError, UnitMismatchError):
        raise ScenarioError(f"{where}: the stressor unit {state.stressor_unit!r} is not a mass") from None


def check_ccus(lever, state, keys: dict) -> None:
    """Before the run: the capture parameters are consistent and the default penalty can be priced."""
    who = f"{lever.where} ({lever.name!r})"
    has_c, has_cov = keys["capture"] in lever.params, keys["coverage"] in lever.params
    if has_c == has_cov:
        raise ScenarioError(f"{who}: give {keys['capture']} or {keys['coverage']} (x the capture rate), one of them")
    if keys["rate"] in lever.params and not has_cov:
        raise ScenarioError(f"{who}: {keys['rate']} needs {keys['coverage']} ({keys['capture']} is the product)")
    for k in (keys["rate"], keys["penalty"]):
        v = lever.params.get(k)
        if isinstance(v, str) and v != "default":
            raise ScenarioError(f"{who}: {k} is {v!r}; give a number (with its source) or 'default'")
    if lever.params.get(keys["penalty"]) == "default":
        lever._el_price = _price_per_gwh(lever, state)
        _t_per_unit(state, who)


def _share_of(lever, key: str, year: int) -> float:
    s = lever.at(key, year)
    if not 0.0 <= s <= 1.0 or not np.isfinite(s):
        raise ScenarioError(f"{lever.where} ({lever.name!r}): {key} is {s} in {year}; a share lies in [0, 1]")
    return s


def apply_ccus(lever, state, regions, sectors, keys: dict) -> dict[str, float]:
    """Capture on ``regions`` × ``sectors`` of ``state`` for its year (formulas in the module docstring);
    returns the capture share c by sector and appends the ``info["capture"]`` records."""
    from .._builtin_levers import ELECTRICITY, apply_capture

    y = state.year
    where = f"{lever.where} ({lever.name!r}), year {y}"
    pen = lever.params.get(keys["penalty"])
    p = 0.0
    if pen is not None and pen != "default":
        p = lever.at(keys["penalty"], y)
        if p < 0 or not np.isfinite(p):
            raise ScenarioError(f"{where}, {keys['penalty']}: {p} is negative or not finite; it must be >= 0")
    out = {}
    for sector in sectors:
        tech = technology_of(lever, sector, keys["technology"])
        if keys["capture"] in lever.params:
            c = _share_of(lever, keys["capture"], y)
        else:
            rate = lever.params.get(keys["rate"], "default")
            if rate == "default":
                if tech is None:
                    raise ScenarioError(
                        f"{where}, {keys['rate']}: no default capture rate for {sector!r} (no capture technology; "
                        f"give {keys['technology']} or {keys['rate']})"
                    )
                kappa = capture_parameter(tech, y, "capture_rate", f"{where}, {keys['technology']}")
            else:
                kappa = _share_of(lever, keys["rate"], y)
            c = _share_of(lever, keys["coverage"], y) * kappa
        cols = state.nodes_of(regions, [sector])
        s_pre = state.S[cols].copy()
        if pen == "default":
            if tech is None:
                raise ScenarioError(
                    f"{where}, {keys['penalty']}: no default penalty for {sector!r} (give {keys['technology']})"
                )
            e = capture_parameter(tech, y, "electricity_mwh_per_t", f"{where}, {keys['technology']}")
            u = _t_per_unit(state, where)
            el = state.nodes_of(None, [ELECTRICITY])
            for j, s in zip(cols, s_pre, strict=True):
                r = state.regions[int(j) // len(state.sectors)]
                if r not in lever._el_price:
                    raise ScenarioError(f"{where}, {keys['penalty']}: no electricity price (generation) for {r!r}")
                w = state.A[el, j]
                tot = w.sum()
                if tot <= 0:
                    raise ScenarioError(f"{where}, {keys['penalty']}: {r} {sector!r} buys no electricity")
                state.A[el, j] += c * s * u * e * 1e-3 * lever._el_price[r] * w / tot
        apply_capture(state, cols, c, p)
        for j, s in zip(cols, s_pre, strict=True):
            state.info.setdefault("capture", []).append(
                {
                    "lever": lever.name,
                    "group": "ccus",
                    "region": state.regions[int(j) // len(state.sectors)],
                    "sector": sector,
                    "technology": tech,
                    "technology_key": keys["technology"],
                    "node": int(j),
                    "capture": c,
                    "intensity": float(s),
                }
            )
        out[sector] = c
    return out


def capture_deployments(pathway, *, t_per_unit: float | None = None) -> dict[int, list[dict]]:
    r"""Deployment records of the capture plants, by year: for every (lever, region, technology) the
    captured CO2 :math:`K_t = \sum_j c\,s_j\,x_j` (t/yr, the stock of capacity as average captured flow) and
    the capacity added :math:`\max(K_t - K_{t-1}, 0)` (none in the base year); ``avoided_co2`` is
    :math:`K_t` in the pathway's unit (gross capture; the penalty's extra emissions are in the pathway, not netted).
    A record without a capture technology raises, naming the lever, year and field."""
    from ... import units as U

    u = U.factor(pathway.unit, "t") if t_per_unit is None else t_per_unit
    out, prev = {}, {}
    for year, res in zip(pathway.years, pathway._r, strict=True):
        recs = pathway.info[year].get("capture", [])
        if not recs:
            prev = {}
            continue
        x = res["x"]
        agg: dict[tuple, list] = {}
        for rec in recs:
            key = (rec["lever"], rec["region"], rec["technology"])
            if rec["technology"] is None:
                raise ScenarioError(
                    f"lever {rec['lever']!r}, year {year}, field {rec.get('technology_key', 'capture_technology')!r}: "
                    f"no capture technology (and no cost data) for sector {rec['sector']!r}; name one of "
                    f"technology-costs capture.csv"
                )
            agg.setdefault(key, [rec["group"], 0.0])[1] += rec["capture"] * rec["intensity"] * float(x[rec["node"]]) * u
        recs_y = []
        for (lever, region, tech), (group, k) in agg.items():
            added = capacity_added(k, prev.get((lever, region, tech), 0.0) if year > pathway.base_year else None)
            recs_y.append(
                {
                    "lever": lever,
                    "group": group,
                    "region": region,
                    "technology": tech,
                    "added": added,
                    "unit": "t/yr",
                    "stock": k,
                    "avoided_co2": k / u,
                }
            )
        prev = {(r["lever"], r["region"], r["technology"]): r["stock"] for r in recs_y}
        out[year] = recs_y
    return out

"""Emissions with and without each technology group of a pathway (the technology levers removed).

:func:`technology_effects` reruns the pathway's scenario once per technology group with that group's
technology levers (those registered by :mod:`ioemissions.pathways.technology`) taken out — the
counterfactual "without" — and reports each year's emissions difference and the peak with and
without. A removed lever is simply absent, so "without" is the top-down pathway for that part
(the tested lever-off identity).
"""

from __future__ import annotations

__all__ = ["TECHNOLOGY_TYPES", "technology_effects", "technology_levers"]

#: lever types of the technology modules
TECHNOLOGY_TYPES = ("power-mix", "road-fleet", "building-stock", "steel-routes", "petrochemicals", "hydrogen")


def technology_levers(scenario) -> dict[str, list[str]]:
    """``{group: [lever names]}`` of the scenario's technology levers."""
    out: dict[str, list[str]] = {}
    for lv in scenario.levers:
        if lv.type_name in TECHNOLOGY_TYPES:
            out.setdefault(lv.group, []).append(lv.name)
    return out


def technology_effects(pathway, region: str = "Shanghai"):
    """(effects, peaks): ``effects`` year × (group, basis) = emissions *with* minus *without* the
    group (Mt; negative = reduction); ``peaks`` one row per case (``with all``, ``without <group>``)
    and basis with the peak year and level."""
    import pandas as pd

    from ..engine import run

    sc, b = pathway.scenario, pathway._base
    groups = technology_levers(sc)
    kw = {"base": b.model, "base_year": b.base_year, "end": pathway.years[-1], "drivers": pathway.drivers}
    eff, peaks = {}, []
    for basis in ("production", "consumption"):
        pk = pathway.peak(region, basis)
        peaks.append({"case": "with all", "basis": basis, "peak_year": pk.year, "peak_level": pk.level})
    for g, names in groups.items():
        p = run(sc.replace(levers=[lv for lv in sc.levers if lv.name not in names]), **kw)
        for basis in ("production", "consumption"):
            eff[(g, basis)] = pathway.emissions[(region, basis)] - p.emissions[(region, basis)]
            pk = p.peak(region, basis)
            peaks.append({"case": f"without {g}", "basis": basis, "peak_year": pk.year, "peak_level": pk.level})
    effects = pd.DataFrame(eff)
    effects.columns.names = ["group", "basis"]
    effects.attrs.update(unit=pathway.unit, region=region)
    peaks = pd.DataFrame(peaks)
    peaks.attrs.update(unit=pathway.unit, region=region)
    return effects, peaks

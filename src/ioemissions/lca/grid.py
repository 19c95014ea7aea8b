"""The MEE/NBS grid factors both LCA modules use: one year's factor, and the range over the years shipped."""

from __future__ import annotations

from ..errors import LabelError
from ..errors import _fmt_labels as fmt

__all__ = ["mee_factor", "mee_range"]


def _average():
    from ..tables import load

    return load("grid-factors-mee").query("basis == 'average'")


def mee_factor(region: str = "Shanghai", year: int = 2023) -> float:
    """The MEE/NBS average CO2 factor of electricity (kg CO2/kWh) of a province, grid or ``"China"``."""
    g = _average()
    hit = g[(g.region == region) & (g.year == year)]
    if hit.empty:
        known = sorted(g.region.unique()) if region not in set(g.region) else sorted(g[g.region == region].year)
        raise LabelError(f"no MEE grid factor for {region!r} in {year}; available: {fmt(known)}")
    return float(hit.value.iloc[0])


def mee_range(region: str = "Shanghai") -> tuple[float, float]:
    """(lowest, highest) MEE factor of ``region`` over the years shipped (2021–2023), kg CO2/kWh."""
    g = _average()
    values = g[g.region == region].value
    if values.empty:
        raise LabelError(f"no MEE grid factor for {region!r}; available: {fmt(sorted(g.region.unique()))}")
    return float(values.min()), float(values.max())

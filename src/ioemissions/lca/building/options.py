"""Design options side by side: the same building assessed with different BoQs or building data.

``compare({"concrete frame": (boq1, data1), "steel frame": (boq2, data2)})`` assesses each option and
returns a table module × option. Options with different gross floor areas (functional units) are
compared only per m² (``per_m2=True``); comparing totals of different buildings raises.
"""

from __future__ import annotations

import pandas as pd

from ...errors import IncompleteInputError, LabelError
from .core import MODULES, BuildingResult, assess
from .names import label

__all__ = ["compare", "plot_compare"]


def compare(options: dict, *, per_m2: bool = False, strict: bool = False, method=None) -> pd.DataFrame:
    """kg CO2e (or kg CO2e/m² with ``per_m2``) by module (rows, plus ``total``) for each option (columns).

    ``options`` maps a name to ``(boq, building)`` or to a :class:`BuildingResult`. A module assessed in
    one option and not in another is an unfair comparison: it raises
    :class:`~ioemissions.errors.IncompleteInputError` with ``strict``, else the table's ``attrs["warnings"]``
    say so. BoQ items that name Brightway activities (``database::code``) in any option are scored together
    in one ``MultiLCA`` under ``method``.
    """
    from .background import is_background, scored_together

    if not isinstance(options, dict) or len(options) < 2:
        raise LabelError("compare needs a dict of at least two named design options")
    keys = []
    for opt in options.values():
        if not isinstance(opt, BuildingResult):
            mats = pd.Series(opt[0]["material"]).astype(str) if "material" in opt[0] else pd.Series([], dtype=str)
            keys += list(mats[is_background(mats)])
    results = {}
    with scored_together(keys, method):
        for name, opt in options.items():
            results[name] = opt if isinstance(opt, BuildingResult) else assess(*opt, strict=strict, method=method)
    gfas = {n: float(r.building.gross_floor_area_m2) for n, r in results.items()}
    if not per_m2 and len(set(gfas.values())) > 1:
        raise LabelError(
            f"design options have different gross floor areas {gfas} (different functional units): compare per m2 "
            "(per_m2=True, --per-m2)"
        )
    col = "kgco2e_per_m2" if per_m2 else "kgco2e"
    table = pd.DataFrame({n: r.modules[col] for n, r in results.items()}).reindex(MODULES)
    table.loc["total"] = table.sum()
    table.index.name = "module"
    table.attrs["unit"] = "kg CO2e/m2 GFA" if per_m2 else "kg CO2e"
    status = pd.DataFrame({n: r.modules.status for n, r in results.items()})
    uneven = [m for m in status.index if status.loc[m].nunique() > 1]
    warns = [f"{m} is assessed in some options and not in others: its comparison is not like for like" for m in uneven]
    if strict and warns:
        raise IncompleteInputError("; ".join(warns))
    table.attrs["warnings"] = warns
    table.attrs["results"] = results
    return table


def plot_compare(table: pd.DataFrame, ax=None, lang: str = "en", title: str | None = None):
    """Stacked bars: one bar per option, one segment per module."""
    import matplotlib.pyplot as plt
    import numpy as np

    ax = ax or plt.subplots(figsize=(7, 4))[1]
    body = table.drop(index="total")
    bottom = np.zeros(body.shape[1])
    colors = plt.get_cmap("tab10").colors
    for i, (m, row) in enumerate(body.iterrows()):
        ax.bar(body.columns, row.to_numpy(), bottom=bottom, label=label(m, lang), color=colors[i % 10])
        bottom += row.to_numpy()
    ax.set_ylabel(table.attrs.get("unit", "kg CO2e"))
    ax.set_title(title or "Design options by EN 15978 module")
    ax.legend(frameon=False, fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    return ax

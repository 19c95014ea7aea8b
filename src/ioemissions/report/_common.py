"""Shared helpers of the reports: figures (PNG, SVG on request), bar charts of accounts and sectors.

Figures follow three rules: the title says year and region (and "(estimated table)" when the data
are an estimate), long sector names are wrapped onto at most :data:`LABEL_LINES` lines of
:data:`LABEL_WIDTH` characters and shortened with "…" beyond (never clipped by the figure edge: the
layout makes room for them), and each region has one colour in every figure (:func:`region_color`).
"""

from __future__ import annotations

import textwrap
import zlib
from pathlib import Path

import pandas as pd

__all__ = [
    "ESTIMATED",
    "REGION_COLORS",
    "plot_accounts",
    "plot_top_sectors",
    "region_color",
    "save_figure",
    "wrap_label",
]

#: Suffix of the title of a figure drawn from an estimated table.
ESTIMATED = "(estimated table)"
#: Characters per line and lines per label of a wrapped sector name.
LABEL_WIDTH = 34
LABEL_LINES = 3

#: One colour per region, the same in every figure (others get a stable colour from their name).
REGION_COLORS = {
    "Shanghai": "#C44E52",
    "Jiangsu": "#4C72B0",
    "Zhejiang": "#55A868",
    "Anhui": "#DD8452",
    "RestOfChina": "#8172B3",
    "China": "#C44E52",
    "Abroad": "#937860",
    "households (direct)": "#8C8C8C",
}
_FALLBACK = ["#DA8BC3", "#CCB974", "#64B5CD", "#4C9F70", "#B07AA1", "#9C755F", "#76B7B2", "#EDC948"]


def region_color(region) -> str:
    """The colour of ``region`` in every figure (a fixed table, else a stable hash of the name)."""
    name = str(region)
    if name in REGION_COLORS:
        return REGION_COLORS[name]
    if name.endswith("households (direct)"):
        return REGION_COLORS["households (direct)"]
    return _FALLBACK[zlib.crc32(name.encode("utf-8")) % len(_FALLBACK)]


def wrap_label(text, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """``text`` wrapped onto at most ``lines`` lines of ``width`` characters, the rest shortened to "…"."""
    parts = textwrap.wrap(str(text), width=width, max_lines=lines, placeholder=" …")
    return "\n".join(parts) if parts else str(text)


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def save_figure(path, draw, *, figsize=(8, 4.5), ncols: int = 1, formats=("png",)) -> list[Path]:
    """Draw with ``draw(ax)`` (or ``draw(axes)`` when ``ncols > 1``) on a new figure and save it.

    ``formats`` lists the file types (``png``, ``svg``, ``pdf``); ``path``'s suffix is replaced by each.
    The layout is computed after drawing (``layout="constrained"``), so labels and titles stay inside
    the figure. Returns the paths written.
    """
    plt = _plt()
    path = Path(path)
    fig, ax = plt.subplots(1, ncols, figsize=figsize, layout="constrained")
    written = []
    try:
        draw(ax)
        for fmt in formats:
            target = path.with_suffix(f".{fmt}")
            fig.savefig(target, dpi=120)
            written.append(target)
    finally:
        plt.close(fig)
    return written


def plot_accounts(acc: pd.DataFrame, title: str, ax=None):
    """Bar chart of the accounts of each region (production, consumption, exports, imports)."""
    plt = _plt()
    ax = ax or plt.subplots(figsize=(7, 4), layout="constrained")[1]
    cols = ["production", "consumption", "exports", "imports"]
    acc[cols].plot.bar(ax=ax, color=["#4C72B0", "#DD8452", "#55A868", "#C44E52"], rot=0)
    ax.set_ylabel(acc.attrs.get("unit", ""))
    ax.set_title(textwrap.fill(title, 70))
    ax.axhline(0, color="k", lw=0.5)
    return ax


def plot_top_sectors(values: pd.Series, title: str, unit: str, top: int = 12, ax=None):
    """Horizontal bars of the ``top`` largest entries of ``values``; long labels wrapped, never clipped."""
    plt = _plt()
    s = values.sort_values(ascending=False).head(top)[::-1]
    ax = ax or plt.subplots(figsize=(8, 5), layout="constrained")[1]
    labels = [wrap_label(" / ".join(map(str, i)) if isinstance(i, tuple) else i) for i in s.index]
    ax.barh(range(len(s)), s.to_numpy(), color="#4C72B0")
    ax.set_yticks(range(len(s)), labels, fontsize=8)
    ax.set_xlabel(unit)
    ax.set_title(textwrap.fill(title, 60))
    return ax

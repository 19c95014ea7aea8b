"""Shared helpers of the reports: figures saved as PNG, bar charts of accounts and sectors."""

from __future__ import annotations

import pandas as pd

__all__ = ["plot_accounts", "plot_top_sectors", "save_figure"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def save_figure(path, draw, *, figsize=(8, 4.5), ncols: int = 1) -> None:
    """Draw with ``draw(ax)`` (or ``draw(axes)`` when ``ncols > 1``) on a new figure and save it as PNG."""
    plt = _plt()
    fig, ax = plt.subplots(1, ncols, figsize=figsize)
    try:
        draw(ax)
        fig.tight_layout()
        fig.savefig(path, dpi=120)
    finally:
        plt.close(fig)


def plot_accounts(acc: pd.DataFrame, title: str, ax=None):
    """Bar chart of the five accounts of each region."""
    plt = _plt()
    ax = ax or plt.subplots(figsize=(7, 4))[1]
    cols = ["production", "consumption", "exports", "imports"]
    acc[cols].plot.bar(ax=ax, color=["#4C72B0", "#DD8452", "#55A868", "#C44E52"], rot=0)
    ax.set_ylabel(acc.attrs.get("unit", ""))
    ax.set_title(title)
    ax.axhline(0, color="k", lw=0.5)
    return ax


def plot_top_sectors(values: pd.Series, title: str, unit: str, top: int = 12, ax=None):
    """Horizontal bars of the ``top`` largest entries of ``values``."""
    plt = _plt()
    s = values.sort_values(ascending=False).head(top)[::-1]
    ax = ax or plt.subplots(figsize=(8, 5))[1]
    ax.barh([str(i)[:55] for i in s.index], s.to_numpy(), color="#4C72B0")
    ax.set_xlabel(unit)
    ax.set_title(title)
    return ax

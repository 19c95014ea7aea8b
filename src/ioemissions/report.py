"""Reports: accounts as CSV tables and figures, written atomically to a folder.

:func:`china_report` is the national report on the shipped NBS table and CEADs inventory:

* ``accounts.csv`` — production, consumption, exports (EEE), imports (EEI), balance, Mt CO2;
* ``embodied_trade.csv`` — origin (China, Abroad) × destination (China, Abroad);
* ``sectors.csv`` — by sector: territorial CO2, CO2 embodied in exports, the footprint of Chinese
  final demand by emitting sector, and by final product bought;
* ``accounts.png`` and ``sectors.png`` — the same, for people who would rather look than read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._output import atomic_dir

__all__ = ["china_report"]

CHINA_TABLES = {2017: "china-io-2017", 2018: "china-io-2018"}


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


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


def china_report(year: int = 2017, out: str | Path = "ioemissions-report") -> list[Path]:
    """China's production- and consumption-based CO2 from the NBS table and CEADs inventory of ``year``.

    Writes the files listed in the module docstring to ``out`` (atomically) and returns their paths.
    """
    from .errors import DatasetNotFoundError
    from .tables import load

    if year not in CHINA_TABLES:
        raise DatasetNotFoundError(
            f"no national table with a CEADs inventory for {year}; available years: {sorted(CHINA_TABLES)}"
        )
    model = load(CHINA_TABLES[year], satellite="ceads")
    acc = model.accounts("CO2")
    trade = model.embodied_trade("CO2")
    by_sector = model.embodied_trade("CO2", by="sector")
    by_product = model.embodied_trade("CO2", by="product")
    region = model.regions[0]
    sectors = pd.DataFrame(
        {
            "production": model.F.loc["CO2"].droplevel(0),
            "exports": by_sector.loc[region].drop(columns=region, errors="ignore").sum(axis=1),
            "footprint_by_emitting_sector": by_sector.loc[region, region],
            "footprint_by_final_product": by_product[region].sum(axis=0),
        }
    )
    sectors.index.name = "sector"
    unit = acc.attrs["unit"] + " CO2"
    plt = _plt()
    paths = []
    with atomic_dir(out) as tmp:
        acc.to_csv(tmp / "accounts.csv")
        trade.to_csv(tmp / "embodied_trade.csv")
        sectors.to_csv(tmp / "sectors.csv")
        fig, ax = plt.subplots(figsize=(7, 4))
        plot_accounts(acc, f"China {year}: CO2 accounts (NBS {year} table, CEADs)", ax=ax)
        fig.tight_layout()
        fig.savefig(tmp / "accounts.png", dpi=120)
        plt.close(fig)
        fig, axes = plt.subplots(1, 2, figsize=(14, 5))
        plot_top_sectors(sectors["production"], "Territorial CO2 by sector", unit, ax=axes[0])
        plot_top_sectors(sectors["footprint_by_final_product"], "Footprint by final product bought", unit, ax=axes[1])
        fig.tight_layout()
        fig.savefig(tmp / "sectors.png", dpi=120)
        plt.close(fig)
        names = sorted(p.name for p in tmp.iterdir())
    out = Path(out)
    paths = [out / n for n in names]
    with pd.option_context("display.width", 120, "display.float_format", "{:,.1f}".format):
        print(f"China {year}, Mt CO2 (NBS input-output table {year}; CEADs inventory):")
        print(acc.to_string())
    return paths

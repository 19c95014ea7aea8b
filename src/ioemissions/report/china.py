"""China's national report on the shipped NBS table and CEADs inventory.

* ``accounts.csv`` — production, consumption, exports (EEE), imports (EEI), balance, Mt CO2;
* ``embodied_trade.csv`` — origin (China, Abroad) × destination (China, Abroad);
* ``sectors.csv`` — by sector: territorial CO2, CO2 embodied in exports, the footprint of Chinese
  final demand by emitting sector, and by final product bought;
* ``accounts.png`` and ``sectors.png`` — the same, for people who would rather look than read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._output import atomic_dir
from ._common import plot_accounts, plot_top_sectors, save_figure

__all__ = ["CHINA_TABLES", "china_report"]

CHINA_TABLES = {2017: "china-io-2017", 2018: "china-io-2018"}


def china_report(year: int = 2017, out: str | Path = "ioemissions-report") -> list[Path]:
    """China's production- and consumption-based CO2 from the NBS table and CEADs inventory of ``year``.

    Writes the files listed in the module docstring to ``out`` (atomically) and returns their paths.
    """
    from ..errors import DatasetNotFoundError
    from ..tables import load

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

    def draw_sectors(axes):
        plot_top_sectors(sectors["production"], "Territorial CO2 by sector", unit, ax=axes[0])
        plot_top_sectors(sectors["footprint_by_final_product"], "Footprint by final product bought", unit, ax=axes[1])

    with atomic_dir(out) as tmp:
        acc.to_csv(tmp / "accounts.csv")
        trade.to_csv(tmp / "embodied_trade.csv")
        sectors.to_csv(tmp / "sectors.csv")
        save_figure(
            tmp / "accounts.png",
            lambda ax: plot_accounts(acc, f"China {year}: CO2 accounts (NBS {year} table, CEADs)", ax=ax),
            figsize=(7, 4),
        )
        save_figure(tmp / "sectors.png", draw_sectors, figsize=(14, 5), ncols=2)
        names = sorted(p.name for p in tmp.iterdir())
    paths = [Path(out) / n for n in names]
    with pd.option_context("display.width", 120, "display.float_format", "{:,.1f}".format):
        print(f"China {year}, Mt CO2 (NBS input-output table {year}; CEADs inventory):")
        print(acc.to_string())
    return paths

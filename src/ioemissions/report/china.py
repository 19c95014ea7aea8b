"""China's national report on the shipped NBS table and CEADs inventory.

* ``accounts.csv`` — production, consumption, exports (EEE), imports (EEI), balance, in Mt CO2;
* ``embodied_trade.csv`` — origin (China, Abroad) × destination (China, Abroad), Mt CO2. The
  Abroad → Abroad cell is CO2 emitted abroad in making the imports that China uses to produce its
  exports: it passes through China and counts in neither China's production nor its consumption;
* ``sectors.csv`` — by sector: territorial CO2, CO2 embodied in exports, the footprint of Chinese
  final demand by emitting sector, and by final product bought;
* ``accounts.png`` and ``sectors.png`` (and ``.svg`` on request) — the same, as figures;
* ``china-<year>.xlsx`` on request — every table at full precision and a README sheet.

Header units, float-noise tolerance and rounding follow :mod:`ioemissions.report._tables`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._output import atomic_dir
from ._common import ESTIMATED, plot_accounts, plot_top_sectors, save_figure
from ._labels import translate
from ._tables import DISPLAY_DIGITS, NOISE_RTOL, versions, with_units, write_csv, write_xlsx

__all__ = ["CHINA_TABLES", "china_report", "china_tables"]

#: The 42-sector NBS table of each year the national report can use (2020 has no CEADs inventory yet).
CHINA_TABLES = {
    2012: "china-io-2012-42",
    2015: "china-io-2015-42",
    2017: "china-io-2017",
    2018: "china-io-2018",
    2020: "china-io-2020",
}

ABROAD_NOTE = (
    "embodied_trade: rows are where CO2 was emitted, columns whose final demand caused it (Abroad = exports). "
    "Abroad -> Abroad is CO2 emitted abroad in making the imports China uses to produce its exports; "
    "it counts in neither China's production nor its consumption."
)


def china_tables(year: int = 2017, *, lang: str = "en") -> tuple[dict[str, pd.DataFrame], dict]:
    """The report's tables (headers with units, labels in ``lang``) and the metadata of the table used."""
    from ..errors import DatasetNotFoundError
    from ..tables import load, metadata

    if year not in CHINA_TABLES:
        raise DatasetNotFoundError(
            f"no national NBS table for {year}; available years: {', '.join(map(str, sorted(CHINA_TABLES)))}"
        )
    name = CHINA_TABLES[year]
    model = load(name, satellite="ceads")
    acc = model.accounts("CO2")
    unit = acc.attrs["unit"] + " CO2"
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
    trade = translate(trade, lang, name).rename(columns=lambda d: f"{d} [{unit}]")
    trade.index.name = "origin"
    trade.columns.name = None
    tables = {
        "accounts": with_units(acc, unit),
        "embodied_trade": trade,
        "sectors": with_units(sectors, unit),
    }
    tables = {k: v if k == "embodied_trade" else translate(v, lang, name) for k, v in tables.items()}
    info = {"table": name, "meta": metadata(name), "unit": unit, "acc": acc, "sectors": sectors}
    return tables, info


def _readme(year: int, info: dict) -> list[tuple[str, str]]:
    from ..tables import metadata

    meta = info["meta"]
    ceads = metadata("ceads-co2-national")
    rows = [
        ("report", f"China {year}: production- and consumption-based CO2 (ioemissions report china)"),
        ("input-output table", f"{info['table']}: {meta['title']}"),
        ("table source", str(meta.get("source"))),
        ("CO2 inventory", f"ceads-co2-national: {ceads['title']}"),
        ("inventory source", str(ceads.get("source"))),
        ("estimated table", "yes" if meta.get("estimated") else "no (official NBS table)"),
        ("units", f"CO2 in {info['unit']}; the table's money in {meta['units'].get('monetary', meta['units'])}"),
        ("embodied_trade", ABROAD_NOTE),
        ("float noise", f"values below {NOISE_RTOL:g} x the largest value of a table are written as 0"),
        ("precision", f"CSV files: {DISPLAY_DIGITS} significant digits unless --precise; this workbook: full"),
        ("versions", versions()),
    ]
    rows += [("caveat", c) for c in meta.get("caveats", [])]
    return rows


def china_report(
    year: int = 2017,
    out: str | Path = "ioemissions-report",
    *,
    precise: bool = False,
    xlsx: bool = False,
    lang: str = "en",
    formats=("png",),
) -> list[Path]:
    """China's production- and consumption-based CO2 from the NBS table and CEADs inventory of ``year``.

    Writes the files listed in the module docstring to ``out`` (atomically) and returns their paths.
    ``precise`` keeps full float precision in the CSV files, ``xlsx`` adds a workbook, ``lang`` (``en``
    or ``zh``) chooses the sector and region labels, ``formats`` the figure file types.
    """
    tables, info = china_tables(year, lang=lang)
    acc, sectors, unit = info["acc"], info["sectors"], info["unit"]
    estimated = f" {ESTIMATED}" if info["meta"].get("estimated") else ""

    def draw_sectors(axes):
        plot_top_sectors(sectors["production"], f"China {year}: territorial CO2 by sector{estimated}", unit, ax=axes[0])
        plot_top_sectors(
            sectors["footprint_by_final_product"],
            f"China {year}: footprint by final product bought{estimated}",
            unit,
            ax=axes[1],
        )

    title = f"China {year}: CO2 accounts (NBS {year} table, CEADs){estimated}"
    with atomic_dir(out) as tmp:
        for name, df in tables.items():
            write_csv(df, tmp / f"{name}.csv", precise=precise)
        save_figure(tmp / "accounts.png", lambda ax: plot_accounts(acc, title, ax=ax), figsize=(7, 4), formats=formats)
        save_figure(tmp / "sectors.png", draw_sectors, figsize=(14, 5.5), ncols=2, formats=formats)
        if xlsx:
            write_xlsx(tables, tmp / f"china-{year}.xlsx", _readme(year, info))
        names = sorted(p.name for p in tmp.iterdir())
    paths = [Path(out) / n for n in names]
    with pd.option_context("display.width", 120, "display.float_format", "{:,.1f}".format):
        print(f"China {year}, {unit} (NBS input-output table {year}; CEADs inventory):")
        print(acc.to_string())
    return paths

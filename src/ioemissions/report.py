"""Reports: accounts as CSV tables and figures, written atomically to a folder.

:func:`china_report` is the national report on the shipped NBS table and CEADs inventory:

* ``accounts.csv`` — production, consumption, exports (EEE), imports (EEI), balance, Mt CO2;
* ``embodied_trade.csv`` — origin (China, Abroad) × destination (China, Abroad);
* ``sectors.csv`` — by sector: territorial CO2, CO2 embodied in exports, the footprint of Chinese
  final demand by emitting sector, and by final product bought;
* ``accounts.png`` and ``sectors.png`` — the same, for people who would rather look than read.

:func:`shanghai` reports on the estimated Shanghai-in-YRD MRIO (``yrd-mrio-<year>``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._output import atomic_dir
from .errors import LabelError

__all__ = ["china_report", "save_figure", "shanghai", "shanghai_summary"]

CHINA_TABLES = {2017: "china-io-2017", 2018: "china-io-2018"}


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


def _population(year: int, regions) -> pd.Series:
    from .regional import YRD_GROUPS
    from .tables import load

    pop = load("population-provinces").query("year == @year").set_index("province")["value"]
    out = {}
    for r in regions:
        provinces = YRD_GROUPS.get(r, [r])
        missing = [p for p in provinces if p not in pop.index]
        if missing:
            raise LabelError(f"no population for {missing} in {year}")
        out[r] = pop[provinces].sum() * 1e4
    return pd.Series(out, name="population")


def shanghai_summary(year: int = 2017, region: str = "Shanghai", model=None) -> dict[str, pd.DataFrame]:
    """The tables of the Shanghai report as DataFrames (see :func:`shanghai`)."""
    from .core.mrio import ABROAD
    from .tables import load

    model = load(f"yrd-mrio-{year}") if model is None else model
    acc = model.accounts("CO2")
    pop = _population(year, model.regions)
    per_capita = acc[["production", "consumption"]].div(pop, axis=0) * 1e6  # Mt -> t per person
    per_capita.columns = ["production_t_per_capita", "consumption_t_per_capita"]
    accounts = acc.join(pop).join(per_capita)
    trade = model.embodied_trade("CO2")
    fy = model.F_Y.loc["CO2"].T.groupby(level=0).sum()
    origin = trade[region].rename("Mt CO2").to_frame()
    origin.loc[f"{region} households (direct)"] = fy.get(region, 0.0)
    origin["share"] = origin["Mt CO2"] / origin["Mt CO2"].sum()
    by_sector = model.embodied_trade("CO2", by="sector")[region]
    imports = by_sector.drop(index=region, level=0).rename("Mt CO2").to_frame()
    imports = imports[imports["Mt CO2"] != 0].sort_values("Mt CO2", ascending=False)
    exports = trade.loc[region].drop(region).rename("Mt CO2").to_frame()
    exports.index.name = "destination"
    cons = acc.loc[region, "consumption"]
    summary = pd.DataFrame(
        {
            "value": [
                acc.loc[region, "production"],
                cons,
                acc.loc[region, "exports"],
                acc.loc[region, "imports"],
                acc.loc[region, "balance"],
                pop[region] / 1e4,
                per_capita.loc[region].iloc[0],
                per_capita.loc[region].iloc[1],
                trade[region].drop([region, ABROAD]).sum() / cons,
                trade.at[ABROAD, region] / cons,
            ],
            "unit": [
                "Mt CO2",
                "Mt CO2",
                "Mt CO2",
                "Mt CO2",
                "Mt CO2",
                "10^4 persons",
                "t CO2/person",
                "t CO2/person",
                "share of consumption",
                "share of consumption",
            ],
        },
        index=pd.Index(
            [
                "production",
                "consumption",
                "embodied in exports",
                "embodied in imports",
                "balance",
                "population",
                "production per capita",
                "consumption per capita",
                "imported from other Chinese regions",
                "imported from abroad",
            ],
            name="item",
        ),
    )
    from .electricity import available_years, footprint_split, scope12

    electricity = footprint_split(model, region).rename("Mt CO2").to_frame()
    electricity["view"] = "input-output footprint"
    if year in available_years():
        s12 = scope12(region, year).rename("Mt CO2").to_frame()
        s12["view"] = "traced electricity (scope 1+2)"
        electricity = pd.concat([electricity, s12])
    electricity.index.name = "item"
    return {
        "summary": summary,
        "accounts": accounts,
        "footprint_by_origin": origin,
        "imports_by_origin_product": imports,
        "exports_by_destination": exports,
        "electricity": electricity,
    }


def plot_origins(model_trade: pd.DataFrame, fy: pd.Series, regions, ax=None):
    """Stacked bars: each region's consumption-based CO2 by the region where it was emitted."""
    plt = _plt()
    ax = ax or plt.subplots(figsize=(8, 4.5))[1]
    data = model_trade[list(regions)].copy()
    data.loc["households (direct)"] = fy.reindex(regions).fillna(0.0).to_numpy()
    bottom = pd.Series(0.0, index=regions)
    colors = plt.get_cmap("tab10").colors
    for k, origin in enumerate(data.index):
        ax.bar(regions, data.loc[origin], bottom=bottom, label=str(origin), color=colors[k % 10])
        bottom += data.loc[origin]
    ax.set_ylabel("Mt CO2")
    ax.set_title("Consumption-based CO2 by region of emission")
    ax.legend(fontsize=8, ncol=2)
    return ax


def shanghai(year: int = 2017, out: str | Path = "shanghai-report", region: str = "Shanghai") -> list[Path]:
    """Shanghai's production- and consumption-based CO2 in the Yangtze River Delta (estimated MRIO).

    Writes to ``out`` (atomically): ``summary.csv`` (production, consumption, per capita, imported
    shares), ``accounts.csv`` (all five regions), ``footprint_by_origin.csv``,
    ``imports_by_origin_product.csv``, ``exports_by_destination.csv``, ``electricity.csv`` (the footprint
    split into imported electricity and imported goods, and the traced scope 1+2 account) and the figures
    ``origins.png`` (stacked bars by origin region) and ``imported_products.png`` (top products).
    """
    from .tables import load

    model = load(f"yrd-mrio-{year}")  # loaded once; the summary's results are cached on it
    tables = shanghai_summary(year, region, model=model)
    trade = model.embodied_trade("CO2")
    fy = model.F_Y.loc["CO2"].T.groupby(level=0).sum()
    imports = tables["imports_by_origin_product"]["Mt CO2"].groupby(level=1).sum()
    title = f"CO2 embodied in {region}'s imports, by product of the emitting sector"
    with atomic_dir(out) as tmp:
        for name, df in tables.items():
            df.to_csv(tmp / f"{name}.csv")
        save_figure(tmp / "origins.png", lambda ax: plot_origins(trade, fy, list(model.regions)[:-1], ax=ax))
        save_figure(
            tmp / "imported_products.png", lambda ax: plot_top_sectors(imports, title, "Mt CO2", ax=ax), figsize=(9, 5)
        )
        names = sorted(p.name for p in tmp.iterdir())
    s = tables["summary"]
    with pd.option_context("display.width", 120, "display.float_format", "{:,.3f}".format):
        print(f"{region} {year} (estimated Yangtze-Delta MRIO; CEADs CO2):")
        print(s.to_string())
    return [Path(out) / n for n in names]

"""Shanghai in the Yangtze River Delta: the report on the estimated ``yrd-mrio-<year>`` table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._output import atomic_dir
from ..errors import LabelError
from ._common import ESTIMATED, _plt, plot_top_sectors, region_color, save_figure
from ._labels import translate
from ._tables import DISPLAY_DIGITS, NOISE_RTOL, versions, with_units, write_csv, write_xlsx

__all__ = ["plot_origins", "shanghai", "shanghai_summary"]


def _population(year: int, regions) -> pd.Series:
    """Population of each region in 10^4 persons (the unit of the NBS yearbook, used in every file)."""
    from ..regional import YRD_GROUPS
    from ..tables import load

    pop = load("population-provinces").query("year == @year").set_index("province")["value"]
    out = {}
    for r in regions:
        provinces = YRD_GROUPS.get(r, [r])
        missing = [p for p in provinces if p not in pop.index]
        if missing:
            raise LabelError(f"no population for {missing} in {year}")
        out[r] = pop[provinces].sum()
    return pd.Series(out, name="population")


def shanghai_summary(year: int = 2017, region: str = "Shanghai", model=None) -> dict[str, pd.DataFrame]:
    """The tables of the Shanghai report as DataFrames (see :func:`shanghai`)."""
    from ..core.mrio import ABROAD
    from ..regional import YRD_GROUPS
    from ..tables import load

    model = load(f"yrd-mrio-{year}") if model is None else model
    acc = model.accounts("CO2")
    pop = _population(year, model.regions)
    per_capita = acc[["production", "consumption"]].div(pop, axis=0) * 100  # Mt / 10^4 persons -> t per person
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
                pop[region],
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
    from ..electricity import available_years, footprint_split, scope12

    electricity = footprint_split(model, region).rename("Mt CO2").to_frame()
    electricity["view"] = "input-output footprint"
    if year in available_years():
        s12 = scope12(region, year).rename("Mt CO2").to_frame()
        s12["view"] = "traced electricity (scope 1+2)"
        electricity = pd.concat([electricity, s12])
    electricity.index.name = "item"
    tables = {
        "summary": summary,
        "accounts": accounts,
        "footprint_by_origin": origin,
        "imports_by_origin_product": imports,
        "exports_by_destination": exports,
        "electricity": electricity,
    }
    if set(model.regions) == set(YRD_GROUPS):  # territorial CO2 under both rest-of-China methods (issue 12)
        from ..regional.yrd import rest_co2_totals

        tables["co2_methods"] = rest_co2_totals(model, year).rename_axis("region").add_suffix(" (Mt CO2)")
    return tables


def plot_origins(model_trade: pd.DataFrame, fy: pd.Series, regions, ax=None, title: str | None = None):
    """Stacked bars: each region's consumption-based CO2 by the region where it was emitted.

    Each origin region has its colour of :func:`ioemissions.report._common.region_color` in every figure.
    """
    plt = _plt()
    ax = ax or plt.subplots(figsize=(8, 4.5), layout="constrained")[1]
    data = model_trade[list(regions)].copy()
    data.loc["households (direct)"] = fy.reindex(regions).fillna(0.0).to_numpy()
    bottom = pd.Series(0.0, index=regions)
    for origin in data.index:
        ax.bar(regions, data.loc[origin], bottom=bottom, label=str(origin), color=region_color(origin))
        bottom += data.loc[origin]
    ax.set_ylabel("Mt CO2")
    ax.set_title(title or "Consumption-based CO2 by region of emission")
    ax.legend(fontsize=8, ncol=2)
    return ax


#: Header of each table in the CSV files and the workbook: column -> unit.
_HEADERS = {
    "footprint_by_origin": {"Mt CO2": ("footprint", "Mt CO2"), "share": ("share", "fraction of consumption")},
    "imports_by_origin_product": {"Mt CO2": ("imports", "Mt CO2")},
    "exports_by_destination": {"Mt CO2": ("exports", "Mt CO2")},
    "electricity": {"Mt CO2": ("CO2", "Mt CO2")},
}


def shanghai_files(tables: dict[str, pd.DataFrame], lang: str = "en") -> dict[str, pd.DataFrame]:
    """The tables of :func:`shanghai_summary` as written: units in every header, labels in ``lang``."""
    out = {}
    for name, df in tables.items():
        if name == "accounts":
            units = dict.fromkeys(["production", "consumption", "exports", "imports", "balance"], "Mt CO2")
            units.update(
                population="10^4 persons",
                production_t_per_capita="t CO2/person",
                consumption_t_per_capita="t CO2/person",
            )
            df = with_units(
                df.rename(columns=lambda c: c.replace("_t_per_capita", "_per_capita")),
                {k.replace("_t_per_capita", "_per_capita"): v for k, v in units.items()},
            )
        elif name == "co2_methods":  # "residual (Mt CO2)" -> "residual [Mt CO2]", the convention of every file
            df = df.rename(columns=lambda c: c.replace(" (Mt CO2)", " [Mt CO2]"))
        elif name in _HEADERS:
            df = df.rename(columns={c: f"{n} [{unit}]" for c, (n, unit) in _HEADERS[name].items()})
        out[name] = translate(df, lang)
    return out


def _readme(year: int, region: str, meta: dict) -> list[tuple[str, str]]:
    rows = [
        ("report", f"{region} {year} in the Yangtze River Delta (ioemissions report shanghai)"),
        ("model", f"{meta['name']}: {meta['title']}"),
        (
            "estimated table",
            "YES: an estimate built by ioemissions, not an official table" if meta.get("estimated") else "no",
        ),
        ("sources", str(meta.get("source"))),
        ("units", "CO2 in Mt CO2; population in 10^4 persons; per capita in t CO2/person; shares as fractions"),
        ("float noise", f"values below {NOISE_RTOL:g} x the largest value of a table are written as 0"),
        ("precision", f"CSV files: {DISPLAY_DIGITS} significant digits unless --precise; this workbook: full"),
        ("versions", versions()),
    ]
    return rows + [("caveat", c) for c in meta.get("caveats", [])]


def shanghai(
    year: int = 2017,
    out: str | Path = "shanghai-report",
    region: str = "Shanghai",
    *,
    precise: bool = False,
    xlsx: bool = False,
    lang: str = "en",
    formats=("png",),
    pathways: bool = True,
) -> list[Path]:
    """Shanghai's production- and consumption-based CO2 in the Yangtze River Delta (estimated MRIO).

    Writes to ``out`` (atomically): ``summary.csv`` (production, consumption, per capita, imported
    shares), ``accounts.csv`` (all five regions), ``footprint_by_origin.csv``,
    ``imports_by_origin_product.csv``, ``exports_by_destination.csv``, ``electricity.csv`` (the footprint
    split into imported electricity and imported goods, and the traced scope 1+2 account), ``co2_methods.csv``
    (each region's territorial CO2 with the rest-of-China discrepancy as a residual — the table's — and
    spread proportionally; :func:`ioemissions.regional.yrd.regional_satellite`) and the figures
    ``origins.png`` (stacked bars by origin region) and ``imported_products.png`` (top products).
    Every header carries its unit; ``precise``, ``xlsx`` (``shanghai-<year>.xlsx`` with a README sheet),
    ``lang`` and ``formats`` as in :func:`ioemissions.report.china_report`. With ``pathways`` (and the
    2017 table, the pathways' base), also the peak year and level under the shipped scenarios
    (``pathways_peaks.csv``, ``pathways.png``; :func:`ioemissions.report.pathways.pathways_section`).
    """
    from ..errors import DatasetNotFoundError
    from ..tables import load, metadata, names

    years = sorted(int(n.rsplit("-", 1)[1]) for n in names() if n.startswith("yrd-mrio-"))
    if year not in years:
        raise DatasetNotFoundError(f"no Yangtze-Delta MRIO for {year}; available years: {', '.join(map(str, years))}")
    meta = metadata(f"yrd-mrio-{year}")
    model = load(f"yrd-mrio-{year}")  # loaded once; the summary's results are cached on it
    tables = shanghai_summary(year, region, model=model)
    trade = model.embodied_trade("CO2")
    fy = model.F_Y.loc["CO2"].T.groupby(level=0).sum()
    imports = tables["imports_by_origin_product"]["Mt CO2"].groupby(level=1).sum()
    est = f" {ESTIMATED}" if meta.get("estimated") else ""
    title = f"{region} {year}: CO2 embodied in imports, by product of the emitting sector{est}"
    origins_title = f"Yangtze River Delta {year}: consumption-based CO2 by region of emission{est}"
    files = shanghai_files(tables, lang)
    with atomic_dir(out) as tmp:
        for name, df in files.items():
            write_csv(df, tmp / f"{name}.csv", precise=precise)
        save_figure(
            tmp / "origins.png",
            lambda ax: plot_origins(trade, fy, list(model.regions)[:-1], ax=ax, title=origins_title),
            formats=formats,
        )
        save_figure(
            tmp / "imported_products.png",
            lambda ax: plot_top_sectors(imports, title, "Mt CO2", ax=ax),
            figsize=(9, 5.5),
            formats=formats,
        )
        if xlsx:
            write_xlsx(files, tmp / f"shanghai-{year}.xlsx", _readme(year, region, meta))
        if pathways and year == 2017:
            from .pathways import pathways_section

            pathways_section(tmp, region, formats=formats)
        names = sorted(p.name for p in tmp.iterdir())
    s = tables["summary"]
    with pd.option_context("display.width", 120, "display.float_format", "{:,.3f}".format):
        print(f"{region} {year} (estimated Yangtze-Delta MRIO; CEADs CO2):")
        print(s.to_string())
    return [Path(out) / n for n in names]

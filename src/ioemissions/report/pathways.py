"""The pathways report: tidy CSVs, a summary, and figures for one or more scenarios.

:func:`pathways_report` writes (atomically, :func:`ioemissions._output.atomic_dir`):

* ``emissions.csv`` — scenario, year, region, basis, ``co2_Mt``;
* ``indicators.csv`` — scenario, year, region and the indicators with units in the headers;
* ``embodied_imports.csv`` — scenario, year, origin, ``co2_Mt`` embodied in the region's imports;
* ``summary.csv`` — :func:`ioemissions.pathways.compare` (peak year/level, cumulative CO2, …);
* ``targets.csv`` — each scenario's targets, met or not, with the gap;
* ``wedges.csv`` — the difference of each scenario from the first, by lever (production and consumption);
* ``trajectories.png`` (production and consumption CO2, peak marked), ``wedges.png``,
  ``value_added_jobs.png``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._output import atomic_dir
from ._common import _plt, save_figure

__all__ = ["pathways_report", "pathways_section", "plot_trajectories", "plot_value_added_jobs", "plot_wedges", "tidy"]


def tidy(pathways) -> dict[str, pd.DataFrame]:
    """Tidy tables of several pathways (units in the column names)."""
    em, ind, imp = [], [], []
    for p in pathways:
        e = p.emissions.stack(["region", "basis"], future_stack=True).rename(f"co2 [{p.unit_label}]").reset_index()
        e.insert(0, "scenario", p.name)
        em.append(e)
        i = p.indicators
        units = i.attrs["units"]
        i = i.rename(columns={c: f"{c} [{units[c]}]" if units.get(c) else c for c in i.columns}).reset_index()
        i.insert(0, "scenario", p.name)
        ind.append(i)
        for region in p.regions:
            m = p.embodied_imports(region).stack().rename(f"co2 [{p.unit_label}]").reset_index()
            m.insert(0, "region", region)
            m.insert(0, "scenario", p.name)
            imp.append(m)
    return {
        "emissions": pd.concat(em, ignore_index=True),
        "indicators": pd.concat(ind, ignore_index=True),
        "embodied_imports": pd.concat(imp, ignore_index=True),
    }


def plot_trajectories(pathways, region: str = "Shanghai", axes=None):
    """Production- and consumption-based CO2 of ``region`` by scenario, each peak marked."""
    if axes is None:  # only then choose a backend: a notebook's inline backend must survive
        axes = _plt().subplots(1, 2, figsize=(11, 4.5))[1]
    names = [p.name for p in pathways]
    # a variant ("peak-plan-topdown", "peak-plan-tech-mix") is drawn dashed in its main scenario's colour and its
    # peak is not labelled, so the labels of the main scenarios stay readable
    main_of = {n: next((m for m in names if m != n and n.startswith(m + "-")), None) for n in names}
    for ax, basis in zip(axes, ("production", "consumption"), strict=True):
        colours: dict[str, str] = {}
        n_variants: dict[str, int] = {}
        labelled: set = set()
        for p in pathways:
            col = p.emissions[(region, basis)]
            main = main_of[p.name]
            style = {}
            if main in colours:
                dashes = ("--", ":", "-.")[n_variants.get(main, 0) % 3]
                n_variants[main] = n_variants.get(main, 0) + 1
                style = {"linestyle": dashes, "linewidth": 1.1, "color": colours[main]}
            (line,) = ax.plot(col.index, col.to_numpy(), label=p.name, **style)
            colours[p.name] = line.get_color()
            pk = p.peak(region, basis)
            if main is not None or (pk.year, round(pk.level, 1)) in labelled:
                continue  # a variant, or the same peak as a scenario already labelled (e.g. all at the base year)
            labelled.add((pk.year, round(pk.level, 1)))
            ax.plot([pk.year], [pk.level], "o", color=line.get_color())
            rising = pk.year == p.years[-1]  # the largest value is the last: no peak within the horizon
            ax.annotate(
                f"rising in {pk.year}" if rising else f"peak {pk.year}",
                (pk.year, pk.level),
                textcoords="offset points",
                xytext=(-4, 6) if rising else (4, 6),
                ha="right" if rising else "left",
                fontsize=8,
                color=line.get_color(),
            )
        first = pathways[0]
        ax.set_title(f"{region}: {basis}-based CO2, {first.years[0]}–{first.years[-1]}")
        ax.set_ylabel(f"CO2 ({first.unit})")
        ax.set_xlabel("year")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8)
    return axes


def plot_wedges(w: pd.DataFrame, reference, alternative, ax=None):
    """Stacked wedges (by lever) between two pathways, with the net difference."""
    import matplotlib

    ax = ax or _plt().subplots(figsize=(9, 5))[1]
    years = w.index.to_numpy()
    pos = np.zeros(len(w))
    neg = np.zeros(len(w))
    cmap = matplotlib.colormaps["tab20"]
    for i, c in enumerate(w.columns):
        v = w[c].to_numpy()
        if not np.any(v):
            continue
        base = np.where(v >= 0, pos, neg)
        ax.fill_between(years, base, base + v, step=None, alpha=0.85, color=cmap(i % 20), label=c)
        pos = np.where(v >= 0, pos + v, pos)
        neg = np.where(v < 0, neg + v, neg)
    ax.plot(years, w.sum(axis=1).to_numpy(), "k-", lw=1.5, label="net difference")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_title(
        f"{w.attrs.get('region', '')} {w.attrs.get('basis', '')} CO2: {alternative} minus {reference}, by lever",
        fontsize=10,
    )
    ax.set_ylabel(f"CO2 ({w.attrs.get('unit', '')})")
    ax.set_xlabel("year")
    ax.legend(fontsize=7, loc="lower left", ncol=2)
    return ax


def plot_value_added_jobs(pathways, region: str = "Shanghai", axes=None):
    """Value added (base-year prices) and jobs of ``region`` by scenario."""
    if axes is None:
        axes = _plt().subplots(1, 2, figsize=(11, 4.5))[1]
    first = pathways[0]
    for p in pathways:
        ind = p.indicators.xs(region, level="region")
        axes[0].plot(ind.index, ind["value_added"] / 1e4, label=p.name)
        if "jobs" in ind.columns:
            axes[1].plot(ind.index, ind["jobs"], label=p.name)
    axes[0].set_title(f"{region}: value added, {first.years[0]}–{first.years[-1]}")
    axes[0].set_ylabel(f"10^8 CNY ({first.base_year} prices)")
    axes[1].set_title(f"{region}: jobs, {first.years[0]}–{first.years[-1]}")
    axes[1].set_ylabel("10^4 persons")
    for ax in axes:
        ax.set_xlabel("year")
        ax.legend(fontsize=8)
    return axes


def pathways_report(
    pathways, out: str | Path = "pathways-report", region: str = "Shanghai", *, precise: bool = False, formats=("png",)
) -> list[Path]:
    """Write the tables and figures of ``pathways`` (the first is the reference for differences).

    Tables follow :mod:`ioemissions.report._tables` (units in headers ``name [unit]``, no float noise,
    6 significant digits unless ``precise``).
    """
    from ..pathways.results import compare, wedges
    from ._tables import write_csv

    pathways = list(pathways)
    tables = tidy(pathways)
    summary = compare(pathways, region)
    targets = []
    for p in pathways:
        t = p.targets()
        t.insert(0, "scenario", p.name)
        targets.append(t)
    targets = pd.concat(targets, ignore_index=True) if targets else pd.DataFrame()
    wedge_tables = []
    wedge_plot = None
    for p in pathways[1:]:
        for basis in ("production", "consumption"):
            w = wedges(pathways[0], p, region, basis)
            if wedge_plot is None and basis == "production":
                wedge_plot = (w, p.name)
            t = w.stack().rename(f"co2 [{p.unit_label}]").reset_index().rename(columns={"level_1": "lever"})
            t.insert(0, "basis", basis)
            t.insert(0, "scenario", p.name)
            t.insert(1, "reference", pathways[0].name)
            t["group"] = t["lever"].map(w.attrs["groups"])
            wedge_tables.append(t)
    out = Path(out)
    written = []
    with atomic_dir(out) as tmp:
        for name, df in tables.items():
            write_csv(df.set_index("scenario"), tmp / f"{name}.csv", precise=precise)
            written.append(f"{name}.csv")
        write_csv(summary, tmp / "summary.csv", precise=precise)
        write_csv(targets.set_index("scenario") if len(targets) else targets, tmp / "targets.csv", precise=precise)
        written += ["summary.csv", "targets.csv"]
        if wedge_tables:
            write_csv(
                pd.concat(wedge_tables, ignore_index=True).set_index("scenario"), tmp / "wedges.csv", precise=precise
            )
            written.append("wedges.csv")
        figs = save_figure(
            tmp / "trajectories.png",
            lambda axes: plot_trajectories(pathways, region, axes),
            figsize=(12, 4.8),
            ncols=2,
            formats=formats,
        )
        figs += save_figure(
            tmp / "value_added_jobs.png",
            lambda axes: plot_value_added_jobs(pathways, region, axes),
            figsize=(12, 4.8),
            ncols=2,
            formats=formats,
        )
        if wedge_plot is not None:
            w, name = wedge_plot
            figs += save_figure(
                tmp / "wedges.png",
                lambda ax: plot_wedges(w, pathways[0].name, name, ax),
                figsize=(10, 5.5),
                formats=formats,
            )
        written += [Path(f).name for f in figs]
        from .technology import has_technology, technology_view  # issue 14: the technology view

        for p in pathways:
            if has_technology(p):
                written += technology_view(p, tmp, region, formats=formats, precise=precise)
    return [out / f for f in written]


def pathways_section(folder: str | Path, region: str = "Shanghai", formats=("png",)) -> pd.DataFrame:
    """The pathways section of the Shanghai report: peak year and level under each shipped scenario.

    Writes ``pathways_peaks.csv`` and ``pathways.png`` (trajectories with the peaks marked) into ``folder``.
    """
    from ..pathways import compare, run, shipped

    order = [n for n in ("baseline", "peak-plan", "deep") if n in shipped()]
    pathways = [run(n) for n in order + [n for n in shipped() if n not in order]]
    summary = compare(pathways, region)
    peaks = summary[[c for c in summary.columns if "peak" in c]]
    folder = Path(folder)
    from ._tables import write_csv

    write_csv(peaks, folder / "pathways_peaks.csv")
    save_figure(
        folder / "pathways.png",
        lambda axes: plot_trajectories(pathways, region, axes),
        figsize=(12, 4.8),
        ncols=2,
        formats=formats,
    )
    with pd.option_context("display.width", 160, "display.float_format", "{:,.1f}".format):
        print(f"{region}: peak year and level under the shipped pathway scenarios (base yrd-mrio-2017):")
        print(peaks.to_string())
    return peaks

"""Figures and tables of a pathway ensemble: fan chart, peak-year distribution, percentiles (issue 15)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._common import _plt, save_figure

__all__ = ["fan_chart", "peak_year_chart", "write_ensemble"]

BANDS = ((2.5, 97.5), (10, 90), (25, 75))


def _new_ax():
    """A new axes; pyplot's backend is left as it is when pyplot is already in use (a notebook's inline one)."""
    import sys

    plt = sys.modules["matplotlib.pyplot"] if "matplotlib.pyplot" in sys.modules else _plt()
    return plt.subplots(figsize=(8, 4.5), layout="constrained")[1]


def fan_chart(ens, region: str = "Shanghai", basis: str = "production", ax=None):
    """Median and 50/80/95 % bands of ``region``'s ``basis`` emissions by year, with the static run."""
    ax = ax if ax is not None else _new_ax()
    q = sorted({x for b in BANDS for x in b} | {50.0})
    p = ens.percentiles(q).sel(region=region, basis=basis)
    years = p.year.values
    for (lo, hi), alpha in zip(BANDS, (0.18, 0.28, 0.4), strict=True):
        ax.fill_between(
            years,
            p.sel(percentile=lo).values,
            p.sel(percentile=hi).values,
            color="#4C72B0",
            alpha=alpha,
            lw=0,
            label=f"{hi - lo:g} % of draws",
        )
    ax.plot(years, p.sel(percentile=50.0).values, color="#1f3b6f", lw=1.8, label="median")
    static = ens.data["static"].sel(region=region, basis=basis).values
    ax.plot(years, static, color="#DD8452", lw=1.2, ls="--", label="static run")
    n = ens.data.sizes["draw"]
    ax.set_title(f"{region}: {basis}-based CO2, {ens.scenario}, {int(years[0])}–{int(years[-1])} ({n} draws)")
    ax.set_xlabel("year")
    ax.set_ylabel("Mt CO2")
    ax.legend(loc="best", fontsize=8)
    return ax


def peak_year_chart(ens, region: str = "Shanghai", basis: str = "production", ax=None):
    """Histogram of the peak year over draws, with P(peak before 2030) in the title."""
    ax = ax if ax is not None else _new_ax()
    peaks = ens.peak_years(region, basis)
    years = ens.data.year.values
    counts = peaks.value_counts().reindex(years, fill_value=0) / len(peaks)
    ax.bar(years, 100 * counts.to_numpy(), color="#4C72B0", width=0.8)
    p = ens.p_peak_before(2030, region, basis)
    ax.set_title(f"{region}: year of peak {basis}-based CO2, {ens.scenario} — P(peak before 2030) = {p:.2f}")
    ax.set_xlabel("peak year")
    ax.set_ylabel("% of draws")
    return ax


def write_ensemble(
    ens, out, regions=("Shanghai",), bases=("production", "consumption"), *, precise: bool = False
) -> list[Path]:
    """Write the fan charts, peak-year charts, percentile and peak tables (CSV) and the draws (netCDF) into
    ``out`` (wrap in :func:`ioemissions._output.atomic_dir` for an all-or-nothing folder). The CSVs follow
    the report conventions (:mod:`ioemissions.report._tables`: units in headers, 6 significant digits
    unless ``precise``); the netCDF file holds every draw at full precision."""
    from ._tables import write_csv

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    name = ens.scenario
    written = []
    for region in regions:
        for basis in bases:
            stem = f"{name}-{region}-{basis}".replace(" ", "_")
            f = out / f"fan-{stem}.png"
            save_figure(f, lambda ax, r=region, b=basis: fan_chart(ens, r, b, ax=ax))
            g = out / f"peak-year-{stem}.png"
            save_figure(g, lambda ax, r=region, b=basis: peak_year_chart(ens, r, b, ax=ax))
            written += [f, g]
    q = [2.5, 50, 97.5]
    pct = ens.percentiles(q).to_dataframe(name="emissions [Mt CO2]")
    f = write_csv(pct, out / f"percentiles-{name}.csv", precise=precise)
    rows = []
    for region in ens.data.region.values:
        for basis in ens.data.basis.values:
            peaks = ens.peak_years(str(region), str(basis))
            levels = ens.peak_levels(str(region), str(basis))
            rows.append(
                {
                    "scenario": name,
                    "region": str(region),
                    "basis": str(basis),
                    "draws": len(peaks),
                    "P(peak before 2030)": ens.p_peak_before(2030, str(region), str(basis)),
                    "P(peak in 2030 or earlier)": ens.p_peak_before(2031, str(region), str(basis)),
                    "peak year p2.5": float(np.percentile(peaks, 2.5)),
                    "peak year median": float(np.median(peaks)),
                    "peak year p97.5": float(np.percentile(peaks, 97.5)),
                    "peak level median [Mt CO2]": float(np.median(levels)),
                }
            )
    import pandas as pd

    g = write_csv(
        pd.DataFrame(rows).set_index(["scenario", "region", "basis"]), out / f"peaks-{name}.csv", precise=precise
    )
    h = out / f"draws-{name}.nc"
    ens.to_netcdf(h)
    return [*written, f, g, h]

"""The technology view of the pathways report (issue 14), for pathways with technology levers.

:func:`technology_view` writes into a folder:

(file names ``technology_<scenario>_...``; headers ``name [unit]``)

* ``..._effects.csv`` — year, group, basis, ``co2 [Mt]`` (with minus without the group);
* ``..._peaks.csv`` — peak year and level with all levers and without each technology group;
* ``..._impacts.csv`` — :func:`ioemissions.pathways.deployment_impacts` (year, region,
  technology; investment, output, value added, imports in 10^4 CNY at 2017 prices, jobs in persons,
  embodied and avoided CO2 in Mt);
* ``..._payback.csv`` — the carbon payback year per technology;
* ``technology_<scenario>.png`` — emissions effect by group, investment by technology with the jobs it
  supports, cumulative embodied vs avoided CO2.
"""

from __future__ import annotations

from pathlib import Path

from ._common import _plt, save_figure

__all__ = ["has_technology", "plot_technology", "technology_view"]


def has_technology(pathway) -> bool:
    """True when the pathway's scenario has technology levers."""
    from ..pathways.technology.effects import technology_levers

    return bool(technology_levers(pathway.scenario))


def plot_technology(effects, impacts, name: str, region: str = "Shanghai", axes=None):
    """Three panels: CO2 effect by group (production), investment and jobs, cumulative embodied vs avoided."""
    plt = _plt()
    if axes is None:
        axes = plt.subplots(1, 3, figsize=(16, 4.8))[1]
    ax = axes[0]
    for (g, basis), s in effects.items():
        ax.plot(s.index, s.values, ls="-" if basis == "production" else "--", label=f"{g} ({basis})")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_ylabel(f"CO2 with − without ({effects.attrs.get('unit', 'Mt')})")
    ax.set_title(f"{region}: effect of each technology group\n({name})")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    # the deployments in the region (the CSV keeps every region's)
    if region in impacts.index.get_level_values("region"):
        impacts = impacts.xs(region, level="region", drop_level=False)
    inv = impacts["investment"].groupby(level=["year", "technology"]).sum().unstack(fill_value=0.0) / 1e4
    ax = axes[1]
    inv = inv.loc[:, inv.sum() > 0]
    ax.stackplot(inv.index, inv.T.values, labels=list(inv.columns))
    ax.set_ylabel("investment (10^8 CNY, 2017 prices)")
    jobs = impacts["jobs"].groupby(level="year").sum() / 1e4
    ax2 = ax.twinx()
    (jobs_line,) = ax2.plot(jobs.index, jobs.values, color="k", lw=1.2, label="jobs supported (right axis)")
    ax2.set_ylabel("jobs supported (10^4 person-years)")
    ax2.set_ylim(bottom=0)
    ax.set_title(f"{region}: investment by technology and jobs supported\n({name})")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        [*handles, jobs_line],
        [*labels, jobs_line.get_label()],
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=2,
    )
    ax = axes[2]
    cum = impacts[["embodied_co2", "avoided_co2"]].groupby(level="technology").sum()
    cum = cum[(cum != 0).any(axis=1)].rename(columns={"embodied_co2": "embodied CO2", "avoided_co2": "avoided CO2"})
    cum.plot.barh(ax=ax, color=["#C44E52", "#55A868"])
    ax.set_xlabel("Mt CO2, cumulative over the pathway")
    ax.set_ylabel("")
    ax.set_title(f"{region}: CO2 embodied in the investment vs avoided\n({name})")
    return axes


def technology_view(
    pathway, folder: str | Path, region: str = "Shanghai", *, formats=("png",), precise: bool = False
) -> list[str]:
    """Write the technology tables and figure of ``pathway`` into ``folder``; returns the file names.

    CSVs follow the report conventions (``name [unit]`` headers, 6 significant digits unless ``precise``).
    """
    from ..pathways.technology.effects import technology_effects
    from ..pathways.technology.investment import deployment_impacts, payback
    from ._tables import with_units, write_csv

    folder = Path(folder)
    effects, peaks = technology_effects(pathway, region)
    impacts = deployment_impacts(pathway, costs="hold")
    prefix = f"technology_{pathway.name}"
    eff = effects.stack(["group", "basis"]).rename("co2").reset_index().set_index("year")
    write_csv(with_units(eff, {"co2": pathway.unit}, ["co2"]), folder / f"{prefix}_effects.csv", precise=precise)
    pk = peaks.set_index("case")
    write_csv(
        with_units(pk, {"peak_level": pathway.unit}, ["peak_level"]), folder / f"{prefix}_peaks.csv", precise=precise
    )
    units = dict(impacts.attrs["units"])
    write_csv(with_units(impacts, units, list(units)), folder / f"{prefix}_impacts.csv", precise=precise)
    write_csv(payback(impacts).to_frame(), folder / f"{prefix}_payback.csv", precise=precise)
    figs = save_figure(
        folder / f"{prefix}.png",
        lambda axes: plot_technology(effects, impacts, pathway.name, region, axes),
        figsize=(17, 5),
        ncols=3,
        formats=formats,
    )
    return [f"{prefix}_{k}.csv" for k in ("effects", "peaks", "impacts", "payback")] + [Path(f).name for f in figs]

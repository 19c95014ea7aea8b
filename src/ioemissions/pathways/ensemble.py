r"""Pathway ensembles: a scenario's distributions sampled, each draw run as a pathway, on any executor.

>>> ens = ie.pathways.ensemble("baseline", draws=200, seed=1)          # doctest: +SKIP
>>> ens.percentiles([2.5, 50, 97.5])                                   # doctest: +SKIP
>>> ens.p_peak_before(2030, region="Shanghai", basis="production")     # doctest: +SKIP

Every number of a scenario file written as a distribution (``{2030 = {triangular = [lo, mode, hi]}}``,
see :mod:`ioemissions.pathways.values`) is drawn independently in each draw; draw ``i`` uses child
``i`` of ``SeedSequence(seed)`` (:class:`ioemissions.uncertainty.DrawPlan`), so the ensemble is the same
whatever the executor, the chunking and the number of workers. The static run (every number at its
static value: mode or median) is kept beside the draws.

The peak year of a draw is the year of its maximum over ``base year … end`` (the first one if tied);
:meth:`Ensemble.p_peak_before` is the share of draws whose peak year is *before* the given year
(``p_peak_before(2031)`` is "peaks in 2030 or earlier").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import DistributionError, LabelError
from ..uncertainty.distributions import from_spec
from ..uncertainty.execute import CachedModel, DrawPlan, run_draws

__all__ = ["Ensemble", "PathwayModel", "ensemble", "scenario_distributions"]

BASES = ("production", "consumption")


def _label(address: tuple) -> str:
    return "/".join(str(a) for a in address if a is not None)


def scenario_distributions(sc) -> dict[str, tuple[tuple, object]]:
    """``{label: (address, Distribution)}`` for every distribution in scenario ``sc``.

    Labels are the addresses joined by ``/`` (e.g. ``levers/grid/factor/2030``); the distributions are
    :class:`ioemissions.uncertainty.Distribution` (checked: the static value lies inside the support).
    """
    out = {}
    for address, d in sc.distributions().items():
        label = _label(address)
        dist = from_spec({d.kind: list(d.params)}, static=d.static, name=f"scenario {sc.name!r}: {label}")
        out[label] = (address, dist)
    return out


def _emissions_array(emissions, years, regions, bases) -> np.ndarray:
    """``Pathway.emissions`` (years × (region, basis)) → array (year, region, basis) in the given order."""
    import pandas as pd

    cols = pd.MultiIndex.from_product([regions, bases])
    em = emissions.reindex(index=years, columns=cols)
    return em.to_numpy(dtype=float).reshape(len(years), len(regions), len(bases))


class PathwayModel(CachedModel):
    """One draw: the scenario with the draw's values substituted, run to ``end``; emissions (year, region, basis).

    ``run`` is :func:`ioemissions.pathways.run` unless another function ``run(scenario, end=...)`` returning
    an object with ``.emissions`` is given (a stand-in in tests and benchmarks). With the engine, what no
    draw changes — the base table, the driver table (SSP and end are not sampled) and the jobs per output —
    is read once per worker and passed to every run.
    """

    _cache = ("_fixed",)

    def __init__(self, scenario, end: int, addresses: dict[str, tuple], labels: dict, run: Callable | None = None):
        self.scenario = scenario
        self.end = end
        self.addresses = addresses
        self.years, self.regions, self.bases = labels.get("year"), labels.get("region"), labels.get("basis")
        self.run = run

    @property
    def tag(self) -> str:
        return f"PathwayModel({self.scenario.name}, end={self.end})"

    def fixed(self) -> dict:
        """Keyword arguments of :func:`ioemissions.pathways.run` that no draw changes (read once per worker)."""
        with self.lock:
            if "_fixed" not in self.__dict__:
                from ..tables import load, metadata
                from .drivers import driver_table
                from .engine import _Base, _jobs_per_output

                sc = self.scenario
                base = load(sc.base_table)
                base_year = int(metadata(sc.base_table)["year"])
                self.__dict__["_fixed"] = {
                    "base": base,
                    "base_year": base_year,
                    "drivers": driver_table(list(base.regions), sc.ssp, self.end),
                    "jobs_per_output": _jobs_per_output(_Base(base, sc.stressor, base_year)),
                }
            return self.__dict__["_fixed"]

    def __call__(self, values):
        sc = self.scenario.with_values({self.addresses[k]: float(v) for k, v in values.items()})
        if self.run is not None:
            p = self.run(sc, end=self.end)
        else:
            from .engine import run

            p = run(sc, end=self.end, **self.fixed())
        return {"emissions": _emissions_array(p.emissions, self.years, self.regions, self.bases)}


@dataclass
class Ensemble:
    """Draws of a pathway. ``data``: an ``xarray.Dataset`` with ``emissions`` (draw, year, region, basis;
    Mt CO2), ``static`` (year, region, basis: the run at static values) and ``parameters`` (draw, parameter).
    """

    data: object  # xarray.Dataset

    @property
    def scenario(self) -> str:
        return self.data.attrs.get("scenario", "")

    def percentiles(self, q: Sequence[float] = (2.5, 50, 97.5)):
        """Percentiles of the emissions over draws: a DataArray (percentile, year, region, basis)."""
        q = [float(x) for x in q]
        if any(not 0 <= x <= 100 for x in q):
            raise DistributionError(f"percentiles must lie in [0, 100], got {q}")
        out = self.data["emissions"].quantile(np.asarray(q) / 100.0, dim="draw")
        return out.rename(quantile="percentile").assign_coords(percentile=q)

    def _series(self, region, basis):
        if region not in self.data.region.values:
            raise LabelError(f"unknown region {region!r}; the ensemble has {list(self.data.region.values)}")
        if basis not in self.data.basis.values:
            raise LabelError(f"unknown basis {basis!r}; choose one of {list(self.data.basis.values)}")
        return self.data["emissions"].sel(region=region, basis=basis)

    def peak_years(self, region: str = "Shanghai", basis: str = "production"):
        """The peak year of each draw (a pandas Series indexed by draw; the first maximum if tied)."""
        import pandas as pd

        s = self._series(region, basis)
        years = s.year.values
        return pd.Series(years[s.argmax("year").values], index=pd.Index(s.draw.values, name="draw"), name="peak_year")

    def peak_levels(self, region: str = "Shanghai", basis: str = "production"):
        """The peak level of each draw (Mt CO2)."""
        import pandas as pd

        s = self._series(region, basis)
        return pd.Series(s.max("year").values, index=pd.Index(s.draw.values, name="draw"), name="peak_level")

    def p_peak_before(self, year: int, region: str = "Shanghai", basis: str = "production") -> float:
        """Share of draws whose peak year is before ``year`` (a draw still rising at the end never peaks before)."""
        return float((self.peak_years(region, basis) < year).mean())

    def static_peak(self, region: str = "Shanghai", basis: str = "production") -> tuple[int, float]:
        s = self.data["static"].sel(region=region, basis=basis)
        i = int(s.argmax("year"))
        return int(s.year.values[i]), float(s.values[i])

    def to_netcdf(self, path) -> None:
        """Write ``data`` to a netCDF file."""
        self.data.to_netcdf(path)


def _static_run(sc, end, run, fixed):
    """The run at static values, BLAS on one thread as in every draw (see ``uncertainty.execute.run_chunk``)."""
    from ..core.solver import one_blas_thread

    with one_blas_thread():
        if run is not None:
            return run(sc, end=end)
        from .engine import run as engine_run

        return engine_run(sc, end=end, **fixed())


def ensemble(
    scenario,
    draws: int = 1000,
    seed: int = 0,
    end: int = 2060,
    executor=None,
    *,
    workers: int | None = None,
    chunk_size: int | None = None,
    folder=None,
    progress: bool = False,
    run: Callable | None = None,
) -> Ensemble:
    """Run ``draws`` draws of ``scenario`` (a name, a TOML path or a :class:`Scenario`) to ``end``.

    Every distribution of the scenario and ``draws`` are checked before any work; ``executor`` is
    ``None`` (in-process), ``"processes"`` (a local Dask cluster of ``workers`` processes), ``"dask"`` (the
    active client) or a ``dask.distributed.Client`` (see :func:`ioemissions.uncertainty.run_draws`, also for
    ``chunk_size`` and ``folder``, which saves each chunk and resumes). ``run`` replaces the engine (tests).
    """
    import xarray as xr

    from .scenario import Scenario
    from .scenario import scenario as load

    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    found = scenario_distributions(sc)
    if not found:
        raise DistributionError(
            f"scenario {sc.name!r} declares no distributions: write a number as {{triangular = [lo, mode, hi]}}"
        )
    plan = DrawPlan(seed, draws, {k: d for k, (_, d) in found.items()})
    model = PathwayModel(sc, end, {k: a for k, (a, _) in found.items()}, {}, run=run)
    static = _static_run(sc, end, run, model.fixed).emissions
    years = [int(y) for y in static.index]
    regions = list(dict.fromkeys(static.columns.get_level_values(0)))
    bases = [b for b in BASES if b in set(static.columns.get_level_values(1))]
    model.years, model.regions, model.bases = years, regions, bases
    out = run_draws(
        model, plan, executor=executor, workers=workers, chunk_size=chunk_size, folder=folder, progress=progress
    )
    ds = xr.Dataset(
        {
            "emissions": (("draw", "year", "region", "basis"), out["emissions"], {"units": "Mt CO2"}),
            "static": (
                ("year", "region", "basis"),
                _emissions_array(static, years, regions, bases),
                {"units": "Mt CO2"},
            ),
            "parameters": (("draw", "parameter"), plan.table()),
        },
        coords={"draw": np.arange(draws), "year": years, "region": regions, "basis": bases, "parameter": list(found)},
        attrs={
            "scenario": sc.name,
            "seed": int(seed),
            "draws": int(draws),
            "end": int(end),
            "static_at": "; ".join(
                f"{k}: static {d.static:g} at the {d.static_position()}" for k, (_, d) in found.items()
            ),
        },
    )
    return Ensemble(ds)

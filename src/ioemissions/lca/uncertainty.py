"""Monte Carlo through Brightway: an assessment as a small foreground database with distributions.

An assessment (a building, a vehicle-km) is a list of :class:`Component` — a quantity times a factor,
e.g. "B6 electricity: 3.1e7 kWh × 0.5737 kg CO2/kWh". :func:`monte_carlo` writes them as a
Brightway database — one root activity that consumes ``quantity`` of each component's activity,
each of which emits ``factor`` kg CO2e — with a ``stats_arrays`` distribution on every quantity or
factor whose source gives a range, and lets ``bw2calc.LCA(..., use_distributions=True)`` draw the
samples. The static score equals the sum of quantity × factor; the samples are summarised as
percentiles.

Distributions only where a source gives a range (say which in ``Component.source``): triangular
with the static value as mode (e.g. IPCC 2006 lower/default/upper carbon content; a province's MEE
grid factors 2021–2023 around the year used, see :func:`around`) or lognormal with the static value
as median (a relative uncertainty such as the default of GB/T 51366 material factors). **Static
value at the centre**: by default every distribution must contain its static value and have it as
its mode (triangular) or median (lognormal); :class:`Component` raises
:class:`~ioemissions.errors.DistributionError` otherwise, so the Monte Carlo interval is an interval
*around* the reported result. A uniform distribution has no mode: it is accepted only with
``centred=False``. Components without a range are fixed: their uncertainty is not zero, it is
unknown, and the percentiles do not include it.

Quiet console: Brightway's log lines, its progress bars and Python warnings go to a log file
(``log_file``, e.g. ``monte_carlo.log`` in the output folder); the console shows one progress bar.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DistributionError, NegativeOutputError, NonFiniteError
from .brightway import BIOSPHERE, METHOD, bw, open_project, write_biosphere_and_method

__all__ = ["Component", "MonteCarloResult", "around", "lognormal", "monte_carlo", "triangular", "uniform"]

MC_DB = "ioemissions-monte-carlo"
LOGNORMAL, UNIFORM, TRIANGULAR = 2, 4, 5  # stats_arrays uncertainty type ids
KINDS = {LOGNORMAL: "lognormal", UNIFORM: "uniform", TRIANGULAR: "triangular"}


def uniform(low: float, high: float) -> dict:
    """A uniform distribution on ``[low, high]`` (stats_arrays fields)."""
    return {"uncertainty_type": UNIFORM, "minimum": float(low), "maximum": float(high)}


def triangular(low: float, mode: float, high: float) -> dict:
    """A triangular distribution with the default value as mode (stats_arrays fields; ``loc`` is the mode)."""
    return {"uncertainty_type": TRIANGULAR, "minimum": float(low), "loc": float(mode), "maximum": float(high)}


def lognormal(median: float, sigma: float) -> dict:
    """A lognormal distribution with median ``median`` (> 0) and ``sigma`` the standard deviation of ln x
    (stats_arrays fields: ``loc`` = ln median, ``scale`` = sigma); its 95 % interval is median ×/÷ exp(1.96 σ)."""
    if not median > 0:
        raise DistributionError(f"a lognormal needs a positive median, got {median}")
    if not sigma >= 0 or not np.isfinite(sigma):
        raise DistributionError(f"a lognormal needs a finite, non-negative sigma, got {sigma}")
    return {"uncertainty_type": LOGNORMAL, "loc": float(np.log(median)), "scale": float(sigma)}


def around(static: float, low: float, high: float) -> dict:
    """Triangular on the range ``[low, high]`` of a source, widened to contain ``static``, with ``static`` as mode.

    E.g. the MEE grid factor of the year used (mode) within the province's 2021–2023 factors: the
    range stays the source's, and the reported (static) value is the most likely one.
    """
    return triangular(min(low, static), static, max(high, static))


def _check_dist(name: str, what: str, value: float, dist: dict, centred: bool) -> str:
    """Check a distribution against its static value; return how the static value sits in it."""
    kind = dist.get("uncertainty_type")
    if kind not in KINDS:
        raise DistributionError(f"component {name!r}: unknown distribution kind {kind!r}; known: {KINDS}")
    if kind == LOGNORMAL:
        if not (np.isfinite(dist["scale"]) and dist["scale"] >= 0):
            raise DistributionError(f"component {name!r}: negative or non-finite lognormal scale {dist['scale']}")
        median = float(np.exp(dist["loc"]))
        if centred and not np.isclose(median, value, rtol=1e-9, atol=0):
            raise DistributionError(f"component {name!r}: {what} {value} is not the lognormal's median {median}")
        return "median"
    lo, hi = dist["minimum"], dist["maximum"]
    if not lo <= value <= hi:
        raise DistributionError(f"component {name!r}: {what} {value} lies outside its range [{lo}, {hi}]")
    if kind == TRIANGULAR:
        if centred and not np.isclose(dist["loc"], value, rtol=1e-12, atol=0):
            raise DistributionError(f"component {name!r}: {what} {value} is not the triangular's mode {dist['loc']}")
        return "mode"
    if centred:
        raise DistributionError(
            f"component {name!r}: a uniform distribution has no mode; use around() (triangular with the static "
            "value as mode) or pass centred=False"
        )
    return "inside"


@dataclass(frozen=True)
class Component:
    """One term ``quantity × factor`` (kg CO2e) of an assessment, each optionally with a distribution.

    ``quantity_dist`` / ``factor_dist`` are made by :func:`around`, :func:`triangular`, :func:`lognormal`
    or :func:`uniform`; the static value must lie inside the range and, with ``centred=True`` (the
    default), be the mode (triangular) or median (lognormal).
    """

    name: str
    quantity: float
    factor: float
    unit: str = "unit"
    quantity_dist: dict | None = None
    factor_dist: dict | None = None
    source: str = ""
    centred: bool = True

    def __post_init__(self):
        for what in ("quantity", "factor"):
            value = getattr(self, what)
            if not np.isfinite(value):
                raise NonFiniteError(f"component {self.name!r}: {what} is {value}")
            dist = getattr(self, f"{what}_dist")
            if dist:
                _check_dist(self.name, what, value, dist, self.centred)

    def position(self) -> str:
        """Where the static values sit in the distributions: "mode", "median", "inside" or "fixed"."""
        out = [
            _check_dist(self.name, w, getattr(self, w), d, False)
            for w in ("quantity", "factor")
            if (d := getattr(self, f"{w}_dist"))
        ]
        if not out:
            return "fixed"
        if not self.centred:
            return "inside"
        return "/".join(sorted(set(out)))


@dataclass(frozen=True)
class MonteCarloResult:
    """Static score and Monte Carlo samples (kg CO2e) of an assessment."""

    static: float
    samples: np.ndarray
    components: tuple[Component, ...]

    def percentiles(self, q=(2.5, 5, 25, 50, 75, 95, 97.5)) -> pd.Series:
        """Percentiles of the samples (kg CO2e), indexed by the percentile."""
        return pd.Series(np.percentile(self.samples, q), index=pd.Index(q, name="percentile"), name="kgco2e")

    def summary(self) -> pd.Series:
        """Static score, mean, standard deviation, the 2.5/50/97.5 percentiles, and the share of samples
        below the static score (``static_percentile``)."""
        p = self.percentiles((2.5, 50, 97.5))
        return pd.Series(
            {
                "static": self.static,
                "mean": float(self.samples.mean()),
                "std": float(self.samples.std(ddof=1)) if len(self.samples) > 1 else 0.0,
                "p2.5": p[2.5],
                "p50": p[50],
                "p97.5": p[97.5],
                "static_percentile": float((self.samples < self.static).mean() * 100),
                "iterations": len(self.samples),
            }
        )

    def positions(self) -> pd.DataFrame:
        """Each component, its static kg CO2e, where the static value sits in its distribution, and the source."""
        return pd.DataFrame(
            [
                {"component": c.name, "kgco2e": c.quantity * c.factor, "static_at": c.position(), "source": c.source}
                for c in self.components
            ]
        ).set_index("component")

    def statement(self) -> str:
        """One line for a report: where the static values sit in their distributions."""
        pos = self.positions().static_at
        varied = pos[pos != "fixed"]
        kinds = ", ".join(f"{k} ({(varied == k).sum()})" for k in sorted(varied.unique()))
        return (
            f"{len(varied)} of {len(pos)} components vary; each static value is its distribution's {kinds or '-'}; "
            f"{(pos == 'fixed').sum()} fixed (no range in the source)"
        )

    def plot(self, ax=None, label: str = "kg CO2e"):
        """Histogram of the samples with the static score and the 95 % interval marked."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(6, 3.5))[1]
        ax.hist(self.samples, bins=40, color="#4C72B0", alpha=0.8)
        lo, hi = np.percentile(self.samples, [2.5, 97.5])
        ax.axvline(self.static, color="k", lw=1.5, label="static")
        for x in (lo, hi):
            ax.axvline(x, color="#C44E52", ls="--", lw=1)
        ax.set_xlabel(label)
        ax.set_ylabel("samples")
        ax.legend(frameon=False)
        return ax


def _exchange(input_key, amount: float, kind: str, dist: dict | None) -> dict:
    exc = {"input": input_key, "amount": float(amount), "type": kind}
    if dist:
        exc.update(dist)
    return exc


def write_components(components, database: str = MC_DB) -> tuple[str, str]:
    """Write the components as Brightway database ``database``; return the root activity's key."""
    bd, _ = bw()
    data = {}
    root = (database, "assessment")
    root_exchanges = [{"input": root, "amount": 1.0, "type": "production"}]
    for i, c in enumerate(components):
        key = (database, f"c{i}")
        data[key] = {
            "name": c.name,
            "unit": c.unit,
            "comment": c.source,
            "exchanges": [
                {"input": key, "amount": 1.0, "type": "production"},
                _exchange((BIOSPHERE, "co2e"), c.factor, "biosphere", c.factor_dist),
            ],
        }
        root_exchanges.append(_exchange(key, c.quantity, "technosphere", c.quantity_dist))
    data[root] = {"name": "assessment", "unit": "unit", "exchanges": root_exchanges}
    bd.Database(database).write(data)
    return root


@contextlib.contextmanager
def quiet(log_file: str | os.PathLike | None = None):
    """Send Brightway's log lines, progress bars and Python warnings to ``log_file`` (or discard them).

    Yields the real stderr, for the one progress bar the user should see.
    """
    import logging
    import warnings

    real_err = sys.stderr
    sink = open(log_file, "a", encoding="utf-8") if log_file else open(os.devnull, "w")
    handler = logging.StreamHandler(sink)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = lambda msg, cat, fn, ln, file=None, line=None: sink.write(
                warnings.formatwarning(msg, cat, fn, ln, line)
            )
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                old_structlog = _quiet_structlog(sink)
                try:
                    yield real_err
                finally:
                    if old_structlog is not None:
                        import structlog

                        structlog.configure(**old_structlog)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        sink.close()


def _quiet_structlog(sink) -> dict | None:
    """bw2data logs through structlog to the console: point it at ``sink`` without colours; return the old
    configuration (restored afterwards)."""
    try:
        import structlog
    except ImportError:  # pragma: no cover - bw2data without structlog
        return None
    old = structlog.get_config()
    structlog.configure(
        processors=[structlog.processors.TimeStamper(fmt="iso"), structlog.dev.ConsoleRenderer(colors=False)],
        logger_factory=structlog.PrintLoggerFactory(file=sink),
        cache_logger_on_first_use=False,
    )
    return old


def monte_carlo(
    components,
    *,
    iterations: int = 1000,
    seed: int = 42,
    folder: str | os.PathLike | None = None,
    project: str = "ioemissions",
    progress: bool = True,
    log_file: str | os.PathLike | None = None,
) -> MonteCarloResult:
    """Static score and ``iterations`` Monte Carlo samples of ``sum(quantity × factor)`` via Brightway.

    The components are written to a foreground database in Brightway project ``project`` (in
    ``folder`` if given, see :func:`~ioemissions.lca.brightway.open_project`) and sampled with
    ``bw2calc.LCA(use_distributions=True, seed_override=seed)``: the same seed gives the same samples.
    Brightway's output goes to ``log_file`` (see :func:`quiet`); ``progress`` shows one bar on stderr.
    """
    components = tuple(components)
    if isinstance(iterations, bool) or not isinstance(iterations, int | np.integer) or iterations < 1:
        raise NegativeOutputError(f"iterations must be a whole number of at least 1, got {iterations!r}")
    with quiet(log_file) as console:
        open_project(project, folder)
        write_biosphere_and_method()
        root = write_components(components)
        _, bc = bw()
        static_lca = bc.LCA({root: 1.0}, method=METHOD)
        static_lca.lci()
        static_lca.lcia()
        lca = bc.LCA({root: 1.0}, method=METHOD, use_distributions=True, seed_override=seed)
        lca.lci()
        lca.lcia()
        samples = np.empty(iterations)
        steps = range(iterations)
        if progress:
            from tqdm.auto import tqdm

            steps = tqdm(steps, desc="Monte Carlo", file=console, leave=False)
        for i in steps:
            if i:
                next(lca)
            samples[i] = lca.score
    if not np.isfinite(samples).all():  # pragma: no cover - guarded by Component checks
        raise NonFiniteError("Monte Carlo produced a non-finite score")
    return MonteCarloResult(float(static_lca.score), samples, components)

"""Monte Carlo through Brightway: an assessment as a small foreground database with distributions.

An assessment (a building, a vehicle-km) is a list of :class:`Component` — a quantity times a factor,
e.g. "B6 electricity: 3.1e7 kWh × 0.5737 kg CO2/kWh". :func:`monte_carlo` writes them as a
Brightway database — one root activity that consumes ``quantity`` of each component's activity,
each of which emits ``factor`` kg CO2e — with a ``stats_arrays`` distribution on every quantity or
factor whose source gives a range, and lets ``bw2calc.LCA(..., use_distributions=True)`` draw the
samples. The static score equals the sum of quantity × factor; the samples are summarised as
percentiles.

Distributions only where a source gives a range (say which in ``Component.source``): uniform between
the lowest and highest value (e.g. a province's MEE grid factor over 2021–2023) or triangular with
the default as mode (e.g. IPCC 2006 lower/default/upper carbon content). Components without a range
are fixed: their uncertainty is not zero, it is unknown, and the percentiles do not include it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DistributionError, NegativeOutputError, NonFiniteError
from .brightway import BIOSPHERE, METHOD, bw, open_project, write_biosphere_and_method

__all__ = ["Component", "MonteCarloResult", "monte_carlo", "triangular", "uniform"]

MC_DB = "ioemissions-monte-carlo"
UNIFORM, TRIANGULAR = 4, 5  # stats_arrays uncertainty type ids


def uniform(low: float, high: float) -> dict:
    """A uniform distribution on ``[low, high]`` (stats_arrays fields)."""
    return {"uncertainty_type": UNIFORM, "minimum": float(low), "maximum": float(high)}


def triangular(low: float, mode: float, high: float) -> dict:
    """A triangular distribution with the default value as mode (stats_arrays fields; ``loc`` is the mode)."""
    return {"uncertainty_type": TRIANGULAR, "minimum": float(low), "loc": float(mode), "maximum": float(high)}


@dataclass(frozen=True)
class Component:
    """One term ``quantity × factor`` (kg CO2e) of an assessment, each optionally with a distribution.

    ``quantity_dist`` / ``factor_dist`` are made by :func:`uniform` or :func:`triangular`; the static
    value must lie inside the range.
    """

    name: str
    quantity: float
    factor: float
    unit: str = "unit"
    quantity_dist: dict | None = None
    factor_dist: dict | None = None
    source: str = ""

    def __post_init__(self):
        for what in ("quantity", "factor"):
            value = getattr(self, what)
            if not np.isfinite(value):
                raise NonFiniteError(f"component {self.name!r}: {what} is {value}")
            dist = getattr(self, f"{what}_dist")
            if dist and not dist["minimum"] <= value <= dist["maximum"]:
                raise DistributionError(
                    f"component {self.name!r}: {what} {value} lies outside its range "
                    f"[{dist['minimum']}, {dist['maximum']}]"
                )


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
        """Static score, mean, standard deviation and the 2.5/50/97.5 percentiles."""
        p = self.percentiles((2.5, 50, 97.5))
        return pd.Series(
            {
                "static": self.static,
                "mean": float(self.samples.mean()),
                "std": float(self.samples.std(ddof=1)),
                "p2.5": p[2.5],
                "p50": p[50],
                "p97.5": p[97.5],
                "iterations": len(self.samples),
            }
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


def monte_carlo(
    components,
    *,
    iterations: int = 1000,
    seed: int = 42,
    folder: str | os.PathLike | None = None,
    project: str = "ioemissions",
    progress: bool = True,
) -> MonteCarloResult:
    """Static score and ``iterations`` Monte Carlo samples of ``sum(quantity × factor)`` via Brightway.

    The components are written to a foreground database in Brightway project ``project`` (in
    ``folder`` if given, see :func:`~ioemissions.lca.brightway.open_project`) and sampled with
    ``bw2calc.LCA(use_distributions=True, seed_override=seed)``: the same seed gives the same samples.
    """
    components = tuple(components)
    if iterations < 1:
        raise NegativeOutputError(f"iterations must be at least 1, got {iterations}")
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

        steps = tqdm(steps, desc="Monte Carlo", leave=False)
    for i in steps:
        if i:
            next(lca)
        samples[i] = lca.score
    if not np.isfinite(samples).all():  # pragma: no cover - guarded by Component checks
        raise NonFiniteError("Monte Carlo produced a non-finite score")
    return MonteCarloResult(float(static_lca.score), samples, components)

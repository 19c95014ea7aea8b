"""Uncertainty at scale: declared distributions, seeded draws, and Monte Carlo on one laptop or a Dask cluster.

* :mod:`~ioemissions.uncertainty.distributions` — uniform, triangular, normal, lognormal (stats_arrays
  compatible), validated before any work;
* :mod:`~ioemissions.uncertainty.execute` — :class:`DrawPlan` (draw ``i`` uses child ``i`` of
  ``SeedSequence(seed)``) and :func:`run_draws` (chunks; ``executor=None``, ``"processes"``, ``"dask"`` or a
  ``dask.distributed.Client``; per-chunk files to resume);
* :func:`accounts` — the Shanghai-in-YRD accounts with ranges (:mod:`~ioemissions.uncertainty.io`).

The pathway ensembles are :func:`ioemissions.pathways.ensemble`. See :doc:`/methods/uncertainty`.
"""

from __future__ import annotations

from . import io  # the YRD accounts Monte Carlo
from .distributions import Distribution, from_spec, lognormal, normal, triangular, uniform
from .execute import CachedModel, DrawPlan, resolve_executor, run_draws

__all__ = [
    "CachedModel",
    "Distribution",
    "DrawPlan",
    "accounts",
    "from_spec",
    "io",
    "lognormal",
    "normal",
    "resolve_executor",
    "run_draws",
    "triangular",
    "uniform",
]


def accounts(*args, **kwargs):
    """Monte Carlo of the YRD accounts; see :func:`ioemissions.uncertainty.io.accounts`."""
    from .io import accounts as _accounts

    return _accounts(*args, **kwargs)

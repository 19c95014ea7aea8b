"""Pathways: forecast emissions of the YRD regions to 2060 on yearly EE-MRIOs.

>>> import ioemissions as ie
>>> p = ie.pathways.run("baseline", end=2030)          # doctest: +SKIP
>>> p.peak("Shanghai", "production")                    # doctest: +SKIP

* :func:`run` — one scenario to a :class:`Pathway`; :func:`compare` — several side by side;
  :func:`wedges` — the difference between two pathways by lever;
* :func:`deployment_impacts` — investment, jobs, value added, embodied and avoided CO2 of the
  technology levers' deployment (:mod:`.technology`);
* :func:`scenario` — a shipped scenario by name or a TOML file by path (:mod:`.scenario`);
* :mod:`.levers` — the lever interface (:class:`~.levers.YearState`, :class:`~.levers.Lever`,
  :func:`~.levers.register_lever`) that technology levers and ensembles build on.
"""

from __future__ import annotations

from .levers import LEVERS, Lever, YearState, register_lever
from .scenario import Scenario, scenario, shipped
from .values import Distribution, Path, Value

__all__ = [
    "LEVERS",
    "Distribution",
    "Lever",
    "Path",
    "Pathway",
    "Scenario",
    "Value",
    "YearState",
    "compare",
    "deployment_impacts",
    "register_lever",
    "run",
    "scenario",
    "shipped",
    "wedges",
]


def __getattr__(name):  # the engine loads pandas/scipy: import it on first use
    if name == "deployment_impacts":  # the technology levers' investment footprint (issue 14)
        from .technology.investment import deployment_impacts

        return deployment_impacts
    if name in {"run", "Pathway", "compare", "wedges"}:
        from . import engine, results

        return {"run": engine.run, "Pathway": results.Pathway, "compare": results.compare, "wedges": results.wedges}[
            name
        ]
    raise AttributeError(f"module 'ioemissions.pathways' has no attribute {name!r}")

r"""Shared pieces of the technology levers: physical units, deployment records, survival curves.

Physical quantities of a technology lever carry a ``unit`` in the scenario file (``unit = "GW"``).
:func:`to_unit` converts within a dimension (GW ↔ MW ↔ 10^4 kW, 10^4 vehicles ↔ vehicles, 10^4 m2 ↔
m2, energies through :mod:`ioemissions.units`) and raises :class:`~ioemissions.errors.UnitMismatchError`
naming the lever and field across dimensions (GW vs m2).

Every technology lever appends **deployment records** to ``state.info["deployment"]`` (a list of
dicts: ``lever``, ``region``, ``technology``, ``added`` — new capacity or units put in service in
the year, in ``unit`` —, ``stock`` and ``avoided_co2`` in Mt of the year); the investment module
(:func:`ioemissions.pathways.technology.investment.deployment_impacts`) prices them.
"""

from __future__ import annotations

import math

from ...errors import ScenarioError, UnitError, UnitMismatchError
from ..levers import Lever
from ..values import Path, Value

#: unit label -> (dimension, size in the dimension's base unit)
PHYSICAL = {
    "W": ("power", 1.0),
    "kW": ("power", 1e3),
    "10^4 kW": ("power", 1e7),
    "MW": ("power", 1e6),
    "GW": ("power", 1e9),
    "m2": ("area", 1.0),
    "10^4 m2": ("area", 1e4),
    "10^8 m2": ("area", 1e8),
    "vehicles": ("vehicles", 1.0),
    "10^4 vehicles": ("vehicles", 1e4),
    "t": ("mass", 1e3),
    "kt": ("mass", 1e6),
    "Mt": ("mass", 1e9),
    "t/yr": ("mass rate", 1e3),
    "Mt/yr": ("mass rate", 1e9),
    "t/h": ("mass rate", 1e3 * 8760.0),
    "h": ("time", 1.0),
    "1": ("dimensionless", 1.0),
}


def _dim(unit: str, where: str) -> tuple[str, float]:
    if unit in PHYSICAL:
        return PHYSICAL[unit]
    from ... import units as U

    try:
        u = U.parse(unit)
    except UnitError:
        raise UnitError(f"{where}: unknown unit {unit!r}; known: {sorted(PHYSICAL)} and the energy units") from None
    return u.dimension, u.scale


def unit_factor(from_unit: str, to_unit: str, where: str) -> float:
    """Multiply a number in ``from_unit`` by this to get ``to_unit``; a different dimension raises."""
    d0, s0 = _dim(from_unit, where)
    d1, s1 = _dim(to_unit, where)
    if d0 != d1:
        raise UnitMismatchError(f"{where}: {from_unit!r} ({d0}) cannot be converted to {to_unit!r} ({d1})")
    return s0 / s1


class TechLever(Lever):
    """A lever with physical quantities: :meth:`qty` reads a path or value in a given unit."""

    @property
    def region(self) -> str:
        """The region the lever acts on (parameter ``region``, default Shanghai)."""
        return self.params.get("region", "Shanghai")

    def err(self, year, key, msg) -> ScenarioError:
        return ScenarioError(f"{self.where} ({self.name!r}), year {year}, {key}: {msg}")

    def qty(self, key: str, year: int, unit: str, *, nonneg: bool = True, default_unit: str | None = None) -> float:
        """The value of parameter ``key`` in ``year`` converted to ``unit`` (the parameter's ``unit``, or
        ``default_unit`` when it gives none; neither: an error)."""
        v = self.params[key]
        if not isinstance(v, Path | Value):
            raise self.err(year, key, f"expected a number or a path, got {v!r}")
        given = v.unit or default_unit
        if given is None:
            raise self.err(year, key, f'give its unit (unit = "{unit}")')
        x = v(year) if isinstance(v, Path) else v.static
        if not math.isfinite(x):
            raise self.err(year, key, f"{x} is not finite")
        if nonneg and x < 0:
            raise self.err(year, key, f"{x} {given} is negative")
        return x * unit_factor(given, unit, f"{self.where}.{key}")

    def share(self, key: str, year: int) -> float:
        s = self.at(key, year)
        if not 0.0 <= s <= 1.0:
            raise self.err(year, key, f"{s} is not a share in [0, 1]")
        return s

    def record(self, state, **rec) -> None:
        rec.setdefault("lever", self.name)
        rec.setdefault("group", self.group)
        state.info.setdefault("deployment", []).append(rec)


def capacity_added(stock: float, previous: float | None) -> float:
    r"""Capacity added in a year, :math:`\max(K_t - K_{t-1}, 0)`, the quantity ``deployment_impacts`` prices.

    ``previous`` is None in the base year, whose stock is already built (nothing is added). A falling
    stock releases no capital: retirements are not un-invested, and replacements at end of life are not
    booked (a simplification the methods page states).
    """
    return 0.0 if previous is None else max(stock - previous, 0.0)


def weibull_survival(age, scale: float, shape: float):
    r"""Share of a vintage still in use at ``age`` years: :math:`S(a) = \exp(-(a/\lambda)^k)`.

    The Weibull survival curve is the usual one for vehicle fleets (e.g. Hao, Wang & Ouyang 2011,
    *Energy Policy* 39:1016, for China's cars); λ is the characteristic lifetime (63 % retired) and
    k the shape. Parameters come from the scenario with their sources.
    """
    import numpy as np

    a = np.asarray(age, dtype=float)
    return np.exp(-((a / scale) ** shape))

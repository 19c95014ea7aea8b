"""Explicit units for monetary tables and stressors.

Every table in ioemissions carries its units as strings ("10^4 CNY", "Mt CO2", …). This module
knows which strings mean what, and converts only when asked: code that combines two tables
calls :func:`require_same` and gets a :class:`~ioemissions.errors.UnitMismatchError` instead
of a silent factor of 10,000.

A unit is a scale times a *dimension*. Currencies are separate dimensions (CNY is not USD), and
mass units may carry a substance qualifier ("t CO2", "kg CO2e"); a bare mass ("t") is
compatible with any qualifier, two different qualifiers are not.

Examples
--------
>>> convert(1.0, "10^8 CNY", "10^4 CNY")
10000.0
>>> parse("万元").label
'10^4 CNY'
>>> require_same("10^4 CNY", "10^8 CNY", what="Z and Y")
Traceback (most recent call last):
...
ioemissions.errors.UnitMismatchError: Z and Y: units differ ('10^4 CNY' vs '10^8 CNY'); convert explicitly ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import UnitMismatchError, UnknownUnitError

__all__ = ["Unit", "compatible", "convert", "factor", "parse", "require_same"]


@dataclass(frozen=True)
class Unit:
    """A parsed unit: ``label`` (canonical spelling), ``dimension``, ``scale`` and optional ``qualifier``.

    ``scale`` is the size of one unit in the dimension's base unit (CNY, USD, EUR, kg, kWh, …).
    """

    label: str
    dimension: str
    scale: float
    qualifier: str = ""


# canonical label -> (dimension, scale in base unit); aliases map to canonical labels
_BASE: dict[str, tuple[str, float]] = {
    # money
    "CNY": ("CNY", 1.0),
    "10^4 CNY": ("CNY", 1e4),
    "10^6 CNY": ("CNY", 1e6),
    "10^8 CNY": ("CNY", 1e8),
    "USD": ("USD", 1.0),
    "1000 USD": ("USD", 1e3),
    "Mill USD": ("USD", 1e6),
    "EUR": ("EUR", 1.0),
    "Mill EUR": ("EUR", 1e6),
    # mass
    "g": ("mass", 1e-3),
    "kg": ("mass", 1.0),
    "t": ("mass", 1e3),
    "kt": ("mass", 1e6),
    "Mt": ("mass", 1e9),
    "Gt": ("mass", 1e12),
    # energy
    "kWh": ("energy", 1.0),
    "MWh": ("energy", 1e3),
    "GWh": ("energy", 1e6),
    "TWh": ("energy", 1e9),
    "10^8 kWh": ("energy", 1e8),
    "GJ": ("energy", 1e9 / 3.6e6),
    "TJ": ("energy", 1e12 / 3.6e6),
    # people
    "persons": ("persons", 1.0),
    "10^4 persons": ("persons", 1e4),
    # dimensionless
    "1": ("dimensionless", 1.0),
}

_ALIASES: dict[str, str] = {
    "yuan": "CNY",
    "rmb": "CNY",
    "元": "CNY",
    "万元": "10^4 CNY",
    "1e4 cny": "10^4 CNY",
    "10000 cny": "10^4 CNY",
    "10k cny": "10^4 CNY",
    "10^4 yuan": "10^4 CNY",
    "亿元": "10^8 CNY",
    "1e8 cny": "10^8 CNY",
    "10^8 yuan": "10^8 CNY",
    "million usd": "Mill USD",
    "musd": "Mill USD",
    "m usd": "Mill USD",
    "million eur": "Mill EUR",
    "meur": "Mill EUR",
    "m.eur": "Mill EUR",  # EXIOBASE 3
    "m.usd": "Mill USD",
    "tonne": "t",
    "tonnes": "t",
    "ton": "t",
    "tons": "t",
    "mt": "Mt",  # lower-cased key; "Mt" is megatonne in this field, never metric ton
    "gg": "kt",
    "tg": "Mt",
    "万人": "10^4 persons",
    "亿千瓦时": "10^8 kWh",
    "dimensionless": "1",
    "": "1",
}

_CANON_LOWER = {k.lower(): k for k in _BASE}
_QUALIFIERS = ("CO2e", "CO2-eq", "CO2eq", "CO2", "CH4", "N2O", "C")
_QUAL_CANON = {"co2e": "CO2e", "co2-eq": "CO2e", "co2eq": "CO2e", "co2": "CO2", "ch4": "CH4", "n2o": "N2O", "c": "C"}


def parse(unit: str | Unit) -> Unit:
    """Parse a unit string into a :class:`Unit`.

    Accepts canonical labels ("10^4 CNY", "Mt", "kWh"), common aliases ("万元", "亿元", "Mill USD",
    "tonnes") and a substance qualifier after a mass ("Mt CO2", "kg CO2e").

    Raises
    ------
    UnknownUnitError
        If the string is not a known unit.
    """
    if isinstance(unit, Unit):
        return unit
    if not isinstance(unit, str):
        raise UnknownUnitError(f"unit must be a string, got {unit!r} ({type(unit).__name__})")
    text = re.sub(r"\s+", " ", unit.strip())
    qualifier = ""
    m = re.fullmatch(r"(.*?)[ _-]?(CO2e|CO2-eq|CO2eq|CO2|CH4|N2O)", text, flags=re.IGNORECASE)
    if m and m.group(1).strip():
        text, qualifier = m.group(1).strip(), _QUAL_CANON[m.group(2).lower()]
    key = text.lower().replace("×", "").replace("**", "^")
    label = _ALIASES.get(key) or _CANON_LOWER.get(key)
    if label is None and text in _BASE:
        label = text
    if label is None:
        known = ", ".join(sorted(_BASE))
        raise UnknownUnitError(f"unknown unit {unit!r}; known units: {known} (mass units may add CO2, CO2e, …)")
    dimension, scale = _BASE[label]
    if qualifier and dimension != "mass":
        raise UnknownUnitError(f"unit {unit!r}: a substance qualifier ({qualifier}) only goes with a mass unit")
    return Unit(label=f"{label} {qualifier}".strip(), dimension=dimension, scale=scale, qualifier=qualifier)


def compatible(a: str | Unit, b: str | Unit) -> bool:
    """True if ``a`` and ``b`` measure the same thing (same dimension, no conflicting qualifier)."""
    ua, ub = parse(a), parse(b)
    if ua.dimension != ub.dimension:
        return False
    return not (ua.qualifier and ub.qualifier and ua.qualifier != ub.qualifier)


def factor(from_unit: str | Unit, to_unit: str | Unit) -> float:
    """The number to multiply a value in ``from_unit`` by to express it in ``to_unit``.

    Raises
    ------
    UnitMismatchError
        If the two units measure different things (CNY vs USD, t vs kWh, t CO2 vs t CH4).
    """
    ua, ub = parse(from_unit), parse(to_unit)
    if not compatible(ua, ub):
        raise UnitMismatchError(f"cannot convert {ua.label!r} to {ub.label!r}: they measure different things")
    return ua.scale / ub.scale


def convert(value, from_unit: str | Unit, to_unit: str | Unit):
    """Convert ``value`` (number, array, Series or DataFrame) from one unit to another, explicitly."""
    return value * factor(from_unit, to_unit)


def require_same(a: str | Unit, b: str | Unit, *, what: str) -> str:
    """Return the canonical label if ``a`` and ``b`` are the same unit, else raise.

    Two spellings of one unit ("万元" and "10^4 CNY") are the same; "10^4 CNY" and "10^8 CNY" are
    not: ioemissions never rescales silently.

    Raises
    ------
    UnitMismatchError
        Naming ``what`` and both units.
    """
    ua, ub = parse(a), parse(b)
    if (
        ua.dimension != ub.dimension
        or ua.scale != ub.scale
        or (ua.qualifier and ub.qualifier and ua.qualifier != ub.qualifier)
    ):
        raise UnitMismatchError(
            f"{what}: units differ ({ua.label!r} vs {ub.label!r}); convert explicitly with "
            "ioemissions.units.convert or MRIO.to_units before combining them"
        )
    return ua.label if ua.qualifier or not ub.qualifier else ub.label

"""Building data: every input the modules use besides the BoQ, from Python, a TOML/JSON file, or a sheet.

A building-data file holds one key per field of :class:`Building` (the reference page in the docs
lists them with units). A value is a number in the field's unit, or a string with a unit that
converts to it (``electricity_kwh = "1.6 GWh"``, ``construction_diesel_kg = "30 t"``). An unknown
key, a unit that does not convert, text where a number belongs, NaN, inf or a negative amount
raise an error naming the key. Example: ``examples/office_building.toml``.

**Not assessed**: an energy field left out (``None``) is not the same as 0. A module whose inputs
are all left out is reported "not assessed" (with a warning, or an error with ``strict=True``),
never as a silent 0: A5 (construction energy), B6 (operational energy), C1–C4 (demolition energy
and waste transport).
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from ...errors import DataFileError, LabelError, NegativeOutputError, NonFiniteError, UnitError
from ...errors import _fmt_labels as fmt

__all__ = ["FIELDS", "MODULE_INPUTS", "Building", "read_building"]

#: field -> (unit, description); the order is the reference page's
FIELDS: dict[str, tuple[str, str]] = {
    "gross_floor_area_m2": ("m2", "gross floor area (the functional unit is 1 m² GFA)"),
    "design_life_years": ("a", "design life; GB/T 51366 uses 50 years unless the design says otherwise"),
    "province": ("", "province whose MEE/NBS grid factor applies (e.g. Shanghai)"),
    "grid_year": ("", "year of the MEE/NBS factor (2021-2023 shipped)"),
    "grid_factor": ("kg CO2/kWh", "overrides the provincial factor"),
    "grid_trajectory": ("kg CO2/kWh", "one factor per year of the design life (a decarbonising grid)"),
    "grid_trajectory_low": ("kg CO2/kWh", "optional lower bound of the trajectory, year by year (Monte Carlo)"),
    "grid_trajectory_high": ("kg CO2/kWh", "optional upper bound of the trajectory, year by year (Monte Carlo)"),
    "electricity_kwh": ("kWh", "operational electricity per year (B6)"),
    "pv_kwh": ("kWh", "on-site PV used in the building per year, subtracted from B6 electricity"),
    "natural_gas_m3": ("m3", "natural gas per year (B6)"),
    "district_heat_gj": ("GJ", "district heat per year (B6)"),
    "heat_factor": ("kg CO2/GJ", "factor of district heat; required with district_heat_gj"),
    "construction_electricity_kwh": ("kWh", "electricity on site during construction, total (A5)"),
    "construction_diesel_kg": ("kg", "diesel of construction machinery, total (A5)"),
    "demolition_electricity_kwh": ("kWh", "electricity of demolition, total (C1)"),
    "demolition_diesel_kg": ("kg", "diesel of demolition machinery, total (C1)"),
    "waste_transport_km": ("km", "distance from the site to waste treatment, for the BoQ's mass (C2)"),
    "module_d_kgco2e": ("kg CO2e", "benefits beyond the system boundary (D), reported apart, not added"),
    "io_table": ("", "IO table that prices cost items (default china-io-2017)"),
    "io_region": ("", "region of that IO table (default China)"),
    "io_imports": ("", "'total' (default: includes emissions in imported inputs) or 'domestic'"),
}

#: module -> the fields of which at least one must be given for the module to be assessed
MODULE_INPUTS = {
    "A5": ("construction_electricity_kwh", "construction_diesel_kg"),
    "B6": ("electricity_kwh", "natural_gas_m3", "district_heat_gj"),
    "C1-C4": ("demolition_electricity_kwh", "demolition_diesel_kg", "waste_transport_km"),
}

_AMOUNTS = (
    "electricity_kwh",
    "natural_gas_m3",
    "district_heat_gj",
    "pv_kwh",
    "construction_electricity_kwh",
    "construction_diesel_kg",
    "demolition_electricity_kwh",
    "demolition_diesel_kg",
    "waste_transport_km",
)


def _number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DataFileError(f"building data {name!r}: {value!r} is not a number")
    v = float(value)
    if not math.isfinite(v):
        raise NonFiniteError(f"building data {name!r}: {v} is not a finite number")
    return v


@dataclass(frozen=True)
class Building:
    """Building data (energy per year of operation unless said otherwise; units in :data:`FIELDS`).

    ``grid_factor`` (kg CO2/kWh) overrides the province's MEE factor of ``grid_year``;
    ``grid_trajectory`` gives one factor per year of the design life (a declining grid);
    ``heat_factor`` is needed when ``district_heat_gj`` is given (kg CO2/GJ);
    ``io_table`` / ``io_region`` / ``io_imports`` price cost items (BoQ rows in CNY). Energy fields
    left at ``None`` are "not given": see :data:`MODULE_INPUTS`.
    """

    gross_floor_area_m2: float
    design_life_years: int = 50
    province: str = "Shanghai"
    electricity_kwh: float | None = None
    natural_gas_m3: float | None = None
    district_heat_gj: float | None = None
    pv_kwh: float | None = None
    grid_factor: float | None = None
    grid_year: int = 2023
    grid_trajectory: Sequence[float] | None = None
    grid_trajectory_low: Sequence[float] | None = None
    grid_trajectory_high: Sequence[float] | None = None
    heat_factor: float | None = None
    construction_electricity_kwh: float | None = None
    construction_diesel_kg: float | None = None
    demolition_electricity_kwh: float | None = None
    demolition_diesel_kg: float | None = None
    waste_transport_km: float | None = None
    module_d_kgco2e: float = 0.0
    io_table: str = "china-io-2017"
    io_region: str = "China"
    io_imports: str = "total"

    def __post_init__(self):
        gfa = _number("gross_floor_area_m2", self.gross_floor_area_m2)
        if gfa <= 0:
            raise NegativeOutputError(f"gross floor area must be positive, got {self.gross_floor_area_m2}")
        life = _number("design_life_years", self.design_life_years)
        if life <= 0 or life != int(life):
            raise NegativeOutputError(f"design life must be a positive whole number of years, got {life}")
        for name in _AMOUNTS:
            value = getattr(self, name)
            if value is not None and _number(name, value) < 0:
                raise NegativeOutputError(f"{name} must not be negative, got {value}")
        for name in ("grid_factor", "heat_factor", "module_d_kgco2e"):
            value = getattr(self, name)
            if value is not None:
                _number(name, value)
        for name in ("grid_factor", "heat_factor"):
            if getattr(self, name) is not None and getattr(self, name) < 0:
                raise NegativeOutputError(f"{name} must not be negative, got {getattr(self, name)}")
        if (self.pv_kwh or 0.0) > (self.electricity_kwh or 0.0):
            raise NegativeOutputError(
                f"pv_kwh ({self.pv_kwh}) exceeds electricity_kwh ({self.electricity_kwh}): only PV used in the "
                "building is subtracted; give exports as module D"
            )
        if self.grid_trajectory is not None:
            for year, v in enumerate(self.grid_trajectory, start=1):
                if _number(f"grid_trajectory year {year}", v) < 0:
                    raise NegativeOutputError(f"grid_trajectory year {year}: negative factor {v}")
        self._check_trajectory_range()
        if self.io_imports not in ("total", "domestic"):
            raise LabelError(f"io_imports must be 'total' or 'domestic', got {self.io_imports!r}")

    def _check_trajectory_range(self) -> None:
        from ...errors import DistributionError

        lo, hi = self.grid_trajectory_low, self.grid_trajectory_high
        if lo is None and hi is None:
            return
        if self.grid_trajectory is None or lo is None or hi is None:
            raise DistributionError("grid_trajectory_low and _high go together, with grid_trajectory")
        mid = list(self.grid_trajectory)
        if not len(lo) == len(mid) == len(hi):
            raise DistributionError(
                f"grid_trajectory_low/_high have {len(lo)}/{len(hi)} years, grid_trajectory {len(mid)}"
            )
        for year, (a, m, b) in enumerate(zip(lo, mid, hi, strict=True), start=1):
            for what, v in (("low", a), ("high", b)):
                _number(f"grid_trajectory_{what} year {year}", v)
            if not a <= m <= b:
                raise DistributionError(
                    f"grid trajectory year {year}: {m} is not inside its range [{a}, {b}] (low <= trajectory <= high)"
                )

    def given(self, name: str) -> float:
        """The value of an amount field, 0 when not given."""
        v = getattr(self, name)
        return 0.0 if v is None else float(v)

    def not_assessed(self) -> list[str]:
        """Modules with none of their inputs given."""
        return [m for m, names in MODULE_INPUTS.items() if all(getattr(self, n) is None for n in names)]


def _convert(name: str, value):
    """A file value (number, or "number unit") in the field's unit."""
    unit = FIELDS[name][0]
    if name in ("province", "io_table", "io_region", "io_imports"):
        if not isinstance(value, str):
            raise DataFileError(f"building data {name!r}: expected text, got {value!r}")
        return value
    if name.startswith("grid_trajectory"):
        if not isinstance(value, list):
            raise DataFileError(f"building data {name!r}: expected a list of kg CO2/kWh, got {value!r}")
        return [_number(f"grid_trajectory[{i}]", v) for i, v in enumerate(value)]
    if isinstance(value, str):
        parts = value.strip().split(maxsplit=1)
        try:
            number = float(parts[0].replace(",", ""))
        except (ValueError, IndexError):
            raise DataFileError(f"building data {name!r}: {value!r} is not 'number unit'") from None
        given = parts[1].strip() if len(parts) > 1 else ""
        return _number(name, number) * _unit_factor(name, given, unit)
    v = _number(name, value)
    if name in ("design_life_years", "grid_year"):
        if v != int(v):
            raise DataFileError(f"building data {name!r}: {value!r} is not a whole number")
        return int(v)
    return v


def _unit_factor(name: str, given: str, unit: str) -> float:
    from ... import units as u

    norm = {"m³": "m3", "m²": "m2", "years": "a", "year": "a", "yr": "a"}
    g = norm.get(given, given)
    if g == unit:
        return 1.0
    try:
        return u.factor(g, unit)
    except UnitError:
        raise UnitError(f"building data {name!r}: unit {given!r} does not convert to {unit!r}") from None


def read_building(source, **overrides) -> Building:
    """A :class:`Building` from a TOML or JSON file, the ``Building`` sheet of a workbook, or a dict of the
    same keys; keys starting with ``_`` are comments. Unknown keys and wrong units raise errors naming the key.
    ``overrides`` (e.g. from command-line flags) replace the file's values."""
    if isinstance(source, dict):
        raw, where = dict(source), "building data"
    elif Path(source).suffix.lower() in (".xlsx", ".xlsm"):
        from .excel import read_building_sheet

        raw, where = read_building_sheet(source), f"{source} (sheet Building)"
    else:
        path = Path(source)
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DataFileError(f"{path}: cannot read the building data ({exc.strerror or exc})") from None
        try:
            if path.suffix.lower() == ".toml":
                import tomllib

                raw = tomllib.loads(text)  # TOMLDecodeError is a ValueError
            elif path.suffix.lower() == ".json":
                raw = json.loads(text)
            else:
                raise DataFileError(f"{path}: building data must be .toml or .json")
        except DataFileError:
            raise
        except ValueError as exc:
            raise DataFileError(f"{path}: not valid {path.suffix[1:].upper()} ({exc})") from None
    raw = {k: v for k, v in raw.items() if not str(k).startswith("_")} | overrides
    known = {f.name for f in fields(Building)}
    unknown = sorted(set(raw) - known)
    if unknown:
        import difflib

        hints = [
            f"{k!r} (did you mean {difflib.get_close_matches(k, known, 1)[0]!r}?)"
            for k in unknown
            if difflib.get_close_matches(k, known, 1)
        ]
        raise LabelError(
            f"{where}: unknown key(s) {fmt(unknown)}{'; ' + ', '.join(hints) if hints else ''}; "
            f"known keys: {fmt(sorted(known), limit=30)}"
        )
    if "gross_floor_area_m2" not in raw:
        raise DataFileError(f"{where}: 'gross_floor_area_m2' is required")
    return Building(**{k: _convert(k, v) for k, v in raw.items()})

r"""Numbers in a scenario: sourced scalars, time paths, and distributions.

Every number in a scenario carries a ``source`` string (a plan target id with its URL, a dataset
name, or ``"assumption: ..."`` said plainly). Three forms, all TOML inline tables:

* a scalar — ``rate = {value = -0.03, source = "assumption: ..."}``;
* a path — ``factor = {2017 = 1.0, 2030 = 0.8, 2060 = 0.5, source = "...", shape = "linear"}``:
  year keys (TOML reads them as strings) with values, interpolated between the points by ``shape``
  (``"linear"``, default; ``"step"``: each value holds until the next point; ``"geometric"``:
  constant growth rate between points, values > 0) and held flat before the first and after the
  last point;
* a distribution anywhere a number goes — ``{triangular = [lo, mode, hi]}``, ``{uniform = [lo, hi]}``,
  ``{normal = [mean, sd]}``, ``{lognormal = [median, sigma]}`` (sigma of ln x), optionally with
  ``static = x``. The static (deterministic) run uses ``static`` if given, else the mode
  (triangular), the median (uniform, normal, lognormal); the support must contain it, else
  :class:`~ioemissions.errors.DistributionError`. In a path: ``{2017 = 1.0, 2030 = {triangular =
  [0.7, 0.8, 0.9]}, source = "..."}``.

The ensemble code samples with :meth:`Distribution.sample` and substitutes the draws with
:meth:`ioemissions.pathways.scenario.Scenario.with_values`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import DistributionError, ScenarioError

__all__ = ["DISTRIBUTIONS", "SHAPES", "Distribution", "Path", "Value", "parse_number", "parse_param"]

#: distribution kind -> number of parameters
DISTRIBUTIONS = {"triangular": 3, "uniform": 2, "normal": 2, "lognormal": 2}
SHAPES = ("linear", "step", "geometric")


@dataclass(frozen=True)
class Distribution:
    """A distribution of one scenario number (stats_arrays kinds); ``static`` is its deterministic value."""

    kind: str
    params: tuple[float, ...]
    static: float

    @classmethod
    def from_dict(cls, d: dict, where: str) -> Distribution:
        kinds = [k for k in d if k in DISTRIBUTIONS]
        unknown = [k for k in d if k not in DISTRIBUTIONS and k not in ("static", "source", "unit")]
        if unknown or len(kinds) != 1:
            raise DistributionError(
                f"{where}: a distribution needs exactly one of {sorted(DISTRIBUTIONS)} (got keys {sorted(d)})"
            )
        kind = kinds[0]
        params = d[kind]
        if not isinstance(params, list | tuple) or len(params) != DISTRIBUTIONS[kind]:
            raise DistributionError(f"{where}: {kind} takes {DISTRIBUTIONS[kind]} numbers, got {params!r}")
        try:
            params = tuple(float(p) for p in params)
        except (TypeError, ValueError):
            raise DistributionError(f"{where}: {kind} parameters must be numbers, got {params!r}") from None
        if not all(math.isfinite(p) for p in params):
            raise DistributionError(f"{where}: {kind} parameters must be finite, got {params!r}")
        if kind == "triangular":
            lo, mode, hi = params
            if not lo <= mode <= hi or lo == hi:
                raise DistributionError(f"{where}: triangular needs lo <= mode <= hi and lo < hi, got {params}")
            default = mode
        elif kind == "uniform":
            lo, hi = params
            if not lo < hi:
                raise DistributionError(f"{where}: uniform needs lo < hi, got {params}")
            default = (lo + hi) / 2
        elif kind == "normal":
            if params[1] <= 0:
                raise DistributionError(f"{where}: normal needs sd > 0, got {params[1]}")
            default = params[0]
        else:  # lognormal: [median, sigma of ln x]
            if params[0] <= 0 or params[1] <= 0:
                raise DistributionError(f"{where}: lognormal needs median > 0 and sigma > 0, got {params}")
            default = params[0]
        static = float(d.get("static", default))
        dist = cls(kind, params, static)
        if not dist.contains(static):
            raise DistributionError(
                f"{where}: the static value {static} lies outside the support {dist.support()} of {kind}{list(params)}"
            )
        return dist

    def support(self) -> tuple[float, float]:
        if self.kind in ("triangular",):
            return self.params[0], self.params[2]
        if self.kind == "uniform":
            return self.params
        if self.kind == "normal":
            return -math.inf, math.inf
        return 0.0, math.inf

    def contains(self, v: float) -> bool:
        lo, hi = self.support()
        if self.kind == "lognormal":
            return v > 0
        return lo <= v <= hi

    def sample(self, rng: np.random.Generator, size=None) -> np.ndarray:
        """Draw ``size`` values with ``rng`` (numpy's generators, so a seed fixes the draws)."""
        p = self.params
        if self.kind == "triangular":
            return rng.triangular(p[0], p[1], p[2], size)
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1], size)
        if self.kind == "normal":
            return rng.normal(p[0], p[1], size)
        return rng.lognormal(math.log(p[0]), p[1], size)

    def to_dict(self) -> dict:
        return {self.kind: list(self.params), "static": self.static}


def parse_number(v: Any, where: str) -> float | Distribution:
    """A plain finite number, or a distribution table."""
    if isinstance(v, dict):
        return Distribution.from_dict(v, where)
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ScenarioError(f"{where}: expected a number or a distribution table, got {v!r}")
    if not math.isfinite(v):
        raise ScenarioError(f"{where}: {v!r} is not a finite number")
    return float(v)


def _static(v: float | Distribution) -> float:
    return v.static if isinstance(v, Distribution) else v


def _needs_source(d: dict, where: str) -> str:
    src = d.get("source")
    if not isinstance(src, str) or not src.strip():
        raise ScenarioError(
            f"{where}: every number needs a 'source' string (a target id and URL, or 'assumption: ...')"
        )
    return src


@dataclass(frozen=True)
class Value:
    """A sourced scalar (or distribution)."""

    value: float | Distribution
    source: str
    unit: str | None = None

    @property
    def static(self) -> float:
        return _static(self.value)

    def distributions(self) -> dict:
        return {None: self.value} if isinstance(self.value, Distribution) else {}

    def with_values(self, values: dict) -> Value:
        return Value(float(values.get(None, self.static)), self.source, self.unit)

    def to_dict(self) -> dict:
        v = self.value.to_dict() if isinstance(self.value, Distribution) else self.value
        out = {"value": v, "source": self.source}
        if self.unit:
            out["unit"] = self.unit
        return out


@dataclass(frozen=True)
class Path:
    """Values by year, interpolated by ``shape``; flat before the first and after the last point."""

    points: dict[int, float | Distribution]
    source: str
    shape: str = "linear"
    unit: str | None = None
    _years: np.ndarray = field(init=False, repr=False, compare=False)
    _vals: np.ndarray = field(init=False, repr=False, compare=False)
    _memo: dict = field(init=False, repr=False, compare=False)  # year -> value (levers ask the same years often)

    def __post_init__(self):
        years = np.array(sorted(self.points), dtype=float)
        vals = np.array([_static(self.points[int(y)]) for y in years])
        object.__setattr__(self, "_years", years)
        object.__setattr__(self, "_vals", vals)
        object.__setattr__(self, "_memo", {})

    def __call__(self, year: int) -> float:
        try:
            return self._memo[year]
        except (KeyError, TypeError):  # TypeError: an unhashable year, which _interpolate refuses as before
            v = self._interpolate(year)
        if isinstance(year, int | np.integer):
            self._memo[year] = v
        return v

    def _interpolate(self, year: int) -> float:
        ys, vs = self._years, self._vals
        if year <= ys[0]:
            return float(vs[0])
        if year >= ys[-1]:
            return float(vs[-1])
        j = int(np.searchsorted(ys, year, side="right")) - 1
        y0, y1, v0, v1 = ys[j], ys[j + 1], vs[j], vs[j + 1]
        if self.shape == "step":
            return float(v0)
        w = (year - y0) / (y1 - y0)
        if self.shape == "geometric":
            return float(v0 * (v1 / v0) ** w)
        return float(v0 + w * (v1 - v0))

    @property
    def static(self) -> Path:
        return self

    def distributions(self) -> dict:
        return {y: v for y, v in self.points.items() if isinstance(v, Distribution)}

    def with_values(self, values: dict) -> Path:
        pts = {y: float(values.get(y, _static(v))) for y, v in self.points.items()}
        return Path(pts, self.source, self.shape, self.unit)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            str(y): (v.to_dict() if isinstance(v, Distribution) else v) for y, v in self.points.items()
        }
        out["source"] = self.source
        if self.shape != "linear":
            out["shape"] = self.shape
        if self.unit:
            out["unit"] = self.unit
        return out


def parse_param(v: Any, where: str) -> Any:
    """Turn one lever parameter into a :class:`Value`, a :class:`Path`, or keep labels/text as they are.

    A table with year keys is a path; a table with ``value`` or a distribution kind is a scalar; a bare
    number is refused (it has no source); strings, booleans and lists of strings are labels or options.
    """
    if isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int | float):
        raise ScenarioError(f'{where}: the number {v!r} has no source; write {{value = {v!r}, source = "..."}}')
    if isinstance(v, list):
        if not all(isinstance(x, str) for x in v):
            raise ScenarioError(f"{where}: a list must hold labels (strings), got {v!r}")
        return list(v)
    if not isinstance(v, dict):
        raise ScenarioError(f"{where}: cannot read {v!r}")
    if isinstance(v, Value | Path):
        return v
    unit = v.get("unit")
    if unit is not None and not isinstance(unit, str):
        raise ScenarioError(f"{where}.unit: must be a unit string, got {unit!r}")
    year_keys = [k for k in v if str(k).lstrip("-").isdigit()]
    if year_keys:
        other = set(v) - set(year_keys) - {"source", "shape", "unit"}
        if other:
            raise ScenarioError(f"{where}: unknown keys {sorted(other)} in a path (years, source, shape, unit)")
        shape = v.get("shape", "linear")
        if shape not in SHAPES:
            raise ScenarioError(f"{where}.shape: unknown shape {shape!r}; choose one of {list(SHAPES)}")
        src = _needs_source(v, where)
        points = {int(k): parse_number(v[k], f"{where}.{k}") for k in year_keys}
        if shape == "geometric" and any(_static(x) <= 0 for x in points.values()):
            raise ScenarioError(f"{where}: a geometric path needs values > 0")
        return Path(points, src, shape, unit)
    if "value" in v:
        other = set(v) - {"value", "source", "unit"}
        if other:
            raise ScenarioError(f"{where}: unknown keys {sorted(other)} (value, source, unit)")
        return Value(parse_number(v["value"], f"{where}.value"), _needs_source(v, where), unit)
    if any(k in DISTRIBUTIONS for k in v):
        src = _needs_source(v, where)
        dist = Distribution.from_dict({k: x for k, x in v.items() if k not in ("source", "unit")}, where)
        return Value(dist, src, unit)
    raise ScenarioError(
        f"{where}: a table must be a path ({{2017 = ..., source = ...}}) or a value ({{value = ..., source = ...}})"
    )

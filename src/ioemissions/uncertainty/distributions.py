r"""Declared distributions, stats_arrays-compatible, checked before any work starts.

Four kinds, with the stats_arrays ``uncertainty_type`` ids that Brightway uses:

========== ==== ============================================ ==================================
kind        id   parameters (``from_spec`` list)               stats_arrays fields
========== ==== ============================================ ==================================
lognormal   2    ``[median, sigma]`` (σ of ln x)               ``loc = ln(median)``, ``scale = σ``
normal      3    ``[mean, sd]``                                ``loc = mean``, ``scale = sd``
uniform     4    ``[low, high]``                               ``minimum``, ``maximum``
triangular  5    ``[low, mode, high]``                         ``minimum``, ``loc = mode``, ``maximum``
========== ==== ============================================ ==================================

Normal and lognormal may carry ``minimum``/``maximum`` (truncated), as in stats_arrays.

Every draw is made by inverse transform of one uniform number u ∈ (0, 1) from the draw's own
generator (:func:`ppf`), so a distribution's sample depends only on the draw index and the seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import DistributionError

__all__ = ["KINDS", "Distribution", "from_spec", "lognormal", "normal", "ppf", "triangular", "uniform"]

#: kind -> stats_arrays uncertainty_type id
KINDS = {"lognormal": 2, "normal": 3, "uniform": 4, "triangular": 5}
_BY_ID = {v: k for k, v in KINDS.items()}


@dataclass(frozen=True)
class Distribution:
    """One declared distribution (validated on creation; :class:`DistributionError` names ``name``).

    ``static`` is the value the deterministic model uses; when given it must lie inside the support.
    """

    kind: str
    loc: float = math.nan
    scale: float = math.nan
    minimum: float = -math.inf
    maximum: float = math.inf
    static: float | None = None
    name: str = "value"

    def __post_init__(self):
        where = f"{self.name!r}"
        if self.kind not in KINDS:
            raise DistributionError(f"{where}: unknown distribution kind {self.kind!r}; known: {sorted(KINDS)}")
        if self.kind == "lognormal" and self.minimum == -math.inf:
            object.__setattr__(self, "minimum", 0.0)
        if any(math.isnan(v) for v in (self.minimum, self.maximum)):
            raise DistributionError(f"{where}: bounds must be numbers, got [{self.minimum}, {self.maximum}]")
        if not self.minimum < self.maximum:
            raise DistributionError(f"{where}: lower bound {self.minimum} is not below upper bound {self.maximum}")
        if self.kind in ("uniform", "triangular"):
            if not (math.isfinite(self.minimum) and math.isfinite(self.maximum)):
                raise DistributionError(
                    f"{where}: {self.kind} needs finite bounds, got [{self.minimum}, {self.maximum}]"
                )
            if self.kind == "triangular" and not self.minimum <= self.loc <= self.maximum:
                raise DistributionError(f"{where}: triangular mode {self.loc} outside [{self.minimum}, {self.maximum}]")
        else:
            if not (math.isfinite(self.loc) and math.isfinite(self.scale)):
                raise DistributionError(
                    f"{where}: {self.kind} needs finite loc and scale, got {self.loc}, {self.scale}"
                )
            if not self.scale > 0:
                raise DistributionError(f"{where}: {self.kind} scale must be > 0, got {self.scale}")
            if self.kind == "lognormal" and self.minimum < 0:
                raise DistributionError(f"{where}: a lognormal cannot have a negative lower bound {self.minimum}")
            lo, hi = self._u_bounds()
            if not hi > lo:
                raise DistributionError(f"{where}: the bounds [{self.minimum}, {self.maximum}] hold no probability")
        if self.static is not None:
            s = float(self.static)
            if not math.isfinite(s):
                raise DistributionError(f"{where}: static value {s} is not finite")
            if not self.minimum <= s <= self.maximum:
                raise DistributionError(
                    f"{where}: static value {s} lies outside its distribution's bounds [{self.minimum}, {self.maximum}]"
                )
            if self.kind == "lognormal" and s <= 0:
                raise DistributionError(f"{where}: static value {s} outside a lognormal's support (> 0)")

    # -------------------------------------------------------------- summaries
    @property
    def mode(self) -> float:
        """The most likely value (uniform: the midpoint, which is also its median)."""
        if self.kind == "triangular":
            return self.loc
        if self.kind == "uniform":
            return 0.5 * (self.minimum + self.maximum)
        if self.kind == "normal":
            return float(np.clip(self.loc, self.minimum, self.maximum))
        return float(np.clip(math.exp(self.loc - self.scale**2), self.minimum, self.maximum))

    @property
    def median(self) -> float:
        return float(ppf(self, np.array([0.5]))[0])

    def static_position(self) -> str:
        """Where the static value sits: ``"mode"``, ``"median"``, ``"inside"`` (or ``"none"``)."""
        if self.static is None:
            return "none"
        tol = 1e-12 * max(1.0, abs(self.static))
        if abs(self.static - self.mode) <= tol:
            return "mode"
        if abs(self.static - self.median) <= tol:
            return "median"
        return "inside"

    def to_stats_arrays(self) -> dict:
        """The stats_arrays / Brightway fields (``uncertainty_type``, ``loc``, ``scale``, ``minimum``, ``maximum``)."""
        d = {"uncertainty_type": KINDS[self.kind], "minimum": self.minimum, "maximum": self.maximum}
        if self.kind != "uniform":
            d["loc"] = self.loc
        if self.kind in ("normal", "lognormal"):
            d["scale"] = self.scale
        if self.static is not None:
            d["amount"] = self.static
        return {k: v for k, v in d.items() if not (isinstance(v, float) and math.isinf(v))}

    @classmethod
    def from_stats_arrays(cls, fields: Mapping, *, name: str = "value") -> Distribution:
        """Read stats_arrays fields (``uncertainty_type`` 2–5; ``amount`` is the static value)."""
        tid = fields.get("uncertainty_type")
        if tid not in _BY_ID:
            raise DistributionError(f"{name!r}: unsupported stats_arrays uncertainty_type {tid!r}; known {_BY_ID}")
        return cls(
            _BY_ID[tid],
            loc=float(fields.get("loc", math.nan)),
            scale=float(fields.get("scale", math.nan)),
            minimum=float(fields.get("minimum", -math.inf)),
            maximum=float(fields.get("maximum", math.inf)),
            static=fields.get("amount"),
            name=name,
        )

    def _cdf(self, v: float) -> float:
        from scipy.special import ndtr

        if self.kind == "normal":
            return float(ndtr((v - self.loc) / self.scale))
        if v <= 0:
            return 0.0
        return float(ndtr((math.log(v) - self.loc) / self.scale)) if math.isfinite(v) else 1.0

    def _u_bounds(self) -> tuple[float, float]:
        lo = 0.0 if self.minimum == -math.inf else self._cdf(self.minimum)
        hi = 1.0 if self.maximum == math.inf else self._cdf(self.maximum)
        return lo, hi

    def sample(self, rng: np.random.Generator, size: int | None = None):
        """Draw from ``rng`` by inverse transform (one uniform number per value)."""
        u = rng.random(size)
        return ppf(self, u) if size is not None else float(ppf(self, np.array([u]))[0])


def ppf(dist: Distribution, u: np.ndarray) -> np.ndarray:
    r"""Inverse CDF of ``dist`` at ``u`` ∈ [0, 1].

    uniform: :math:`a + u(b - a)`; triangular (mode c): :math:`a + \sqrt{u(b-a)(c-a)}` for
    :math:`u < (c-a)/(b-a)`, else :math:`b - \sqrt{(1-u)(b-a)(b-c)}`; normal: :math:`\mu + \sigma
    \Phi^{-1}(u')`; lognormal: :math:`\exp(\mu + \sigma \Phi^{-1}(u'))`, with :math:`u' = F(lo) + u(F(hi) -
    F(lo))` for truncated ones (Law & Kelton, *Simulation Modeling and Analysis*, §8.2–8.3).
    """
    u = np.asarray(u, dtype=float)
    a, b = dist.minimum, dist.maximum
    if dist.kind == "uniform":
        return a + u * (b - a)
    if dist.kind == "triangular":
        c = dist.loc
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)
    from scipy.special import ndtri

    lo, hi = dist._u_bounds()
    z = ndtri(lo + u * (hi - lo))
    out = dist.loc + dist.scale * z if dist.kind == "normal" else np.exp(dist.loc + dist.scale * z)
    return np.clip(out, a, b)


def uniform(low: float, high: float, *, static: float | None = None, name: str = "value") -> Distribution:
    """Uniform on ``[low, high]``."""
    return Distribution("uniform", minimum=float(low), maximum=float(high), static=static, name=name)


def triangular(low: float, mode: float, high: float, *, static: float | None = None, name: str = "value"):
    """Triangular on ``[low, high]`` with ``mode``; the static value defaults to the mode."""
    static = float(mode) if static is None else static
    return Distribution(
        "triangular", loc=float(mode), minimum=float(low), maximum=float(high), static=static, name=name
    )


def normal(mean: float, sd: float, *, minimum=-math.inf, maximum=math.inf, static=None, name: str = "value"):
    """Normal(mean, sd), optionally truncated to ``[minimum, maximum]``; static defaults to the mean."""
    static = float(mean) if static is None else static
    return Distribution(
        "normal", loc=float(mean), scale=float(sd), minimum=minimum, maximum=maximum, static=static, name=name
    )


def lognormal(median: float, sigma: float, *, minimum=0.0, maximum=math.inf, static=None, name: str = "value"):
    """Lognormal with ``median`` and σ of ln x (stats_arrays: ``loc = ln(median)``); static defaults to the median."""
    if not median > 0:
        raise DistributionError(f"{name!r}: a lognormal median must be > 0, got {median}")
    static = float(median) if static is None else static
    return Distribution(
        "lognormal",
        loc=math.log(median),
        scale=float(sigma),
        minimum=minimum,
        maximum=maximum,
        static=static,
        name=name,
    )


_MAKERS = {"uniform": (uniform, 2), "triangular": (triangular, 3), "normal": (normal, 2), "lognormal": (lognormal, 2)}


def from_spec(spec, *, static: float | None = None, name: str = "value") -> Distribution:
    """A distribution from a scenario-file spec: ``{"triangular": [lo, mode, hi]}``, ``{"uniform": [lo, hi]}``,
    ``{"normal": [mean, sd]}``, ``{"lognormal": [median, sigma]}``, a stats_arrays dict (with
    ``uncertainty_type``), or a :class:`Distribution`. ``name`` (e.g. the scenario key and year) goes into
    every error message.
    """
    if isinstance(spec, Distribution):
        return spec
    if not isinstance(spec, Mapping):
        raise DistributionError(
            f"{name!r}: a distribution is a table like {{triangular = [lo, mode, hi]}}, got {spec!r}"
        )
    if "uncertainty_type" in spec:
        d = Distribution.from_stats_arrays(spec, name=name)
        if static is not None:
            d = Distribution(d.kind, d.loc, d.scale, d.minimum, d.maximum, static=static, name=name)
        return d
    if len(spec) != 1:
        raise DistributionError(f"{name!r}: give exactly one distribution kind, got {sorted(spec)}")
    ((kind, params),) = spec.items()
    if kind not in _MAKERS:
        raise DistributionError(f"{name!r}: unknown distribution kind {kind!r}; known: {sorted(_MAKERS)}")
    make, n = _MAKERS[kind]
    if isinstance(params, (int, float)) or len(params) != n:
        raise DistributionError(f"{name!r}: {kind} takes {n} numbers, got {params!r}")
    try:
        values = [float(p) for p in params]
    except (TypeError, ValueError):
        raise DistributionError(f"{name!r}: {kind} parameters must be numbers, got {params!r}") from None
    return make(*values, static=static, name=name)

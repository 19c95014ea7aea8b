r"""Logarithmic Mean Divisia Index (LMDI-I), additive and multiplicative (Ang 2005).

For an identity :math:`E = \sum_i \prod_k x_{k,i}` (e.g. Kaya: population × GDP per capita × energy
intensity × carbon intensity, summed over sectors i), the change from period 0 to 1 splits into one
effect per factor k with no residual:

.. math::

    \Delta E_k = \sum_i L(E_i^1, E_i^0)\,\ln\frac{x_{k,i}^1}{x_{k,i}^0}, \qquad
    D_k = \exp\left(\sum_i \frac{L(E_i^1, E_i^0)}{L(E^1, E^0)} \ln\frac{x_{k,i}^1}{x_{k,i}^0}\right)

with the logarithmic mean :math:`L(a, b) = (a - b)/(\ln a - \ln b)` and :math:`L(a, a) = a`.
:math:`\sum_k \Delta E_k = E^1 - E^0` and :math:`\prod_k D_k = E^1/E^0` exactly.

Zero values (a sub-category that appears or disappears) follow Ang & Liu (2007): a zero is replaced
by a tiny positive number δ (default 1e-100); the results converge as δ → 0, and the sum stays exact.

* Ang, B. W. (2005). The LMDI approach to decomposition analysis: a practical guide. *Energy Policy*
  33(7):867–871.
* Ang, B. W. & Liu, N. (2007). Handling zero values in the logarithmic mean Divisia index decomposition
  approach. *Energy Policy* 35(1):238–246.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import LabelError, NonFiniteError, OptionError, check_option
from ..errors import _fmt_labels as fmt

__all__ = ["lmdi", "log_mean"]


def log_mean(a, b):
    """Logarithmic mean L(a, b) = (a − b)/(ln a − ln b), with L(a, a) = a (element-wise, a, b > 0).

    >>> round(float(log_mean(2.0, 1.0)), 6), float(log_mean(3.0, 3.0))
    (1.442695, 3.0)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if not (np.all(a > 0) and np.all(b > 0)):  # also catches NaN
        raise OptionError(f"the logarithmic mean needs positive, finite values; got {a!r} and {b!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (a - b) / (np.log(a) - np.log(b))
    close = np.isclose(a, b, rtol=1e-12, atol=0)
    return np.where(close, a, out)


def _as_frame(factors: Mapping, what: str) -> pd.DataFrame:
    cols = {}
    index = None
    for name, value in factors.items():
        if isinstance(value, pd.Series):
            if index is not None and not value.index.equals(index):
                value = value.reindex(index)
                if value.isna().any():
                    raise LabelError(f"{what}: factor {name!r} is not labelled like the others")
            index = value.index if index is None else index
        cols[name] = value
    if index is None:
        index = pd.Index(["total"])
    try:
        df = pd.DataFrame(
            {k: (v if isinstance(v, pd.Series) else pd.Series(float(v), index=index)) for k, v in cols.items()},
            index=index,
        ).astype(float)
    except (TypeError, ValueError) as exc:
        raise NonFiniteError(f"{what} hold non-numeric values ({exc})") from None
    if not np.isfinite(df.to_numpy(dtype=float)).all():
        raise NonFiniteError(f"{what} hold NaN or infinite values")
    if (df < 0).any().any():
        raise LabelError(f"{what}: LMDI needs non-negative factors; negative in {list(df.columns[(df < 0).any()])}")
    return df


def lmdi(factors_0: Mapping, factors_1: Mapping, kind: str = "additive", *, delta: float = 1e-100) -> pd.Series:
    """LMDI-I effects of each factor between two periods.

    Parameters
    ----------
    factors_0, factors_1:
        Factor name → value: a number, or a Series over sub-categories; E_i is the product of the
        factors for sub-category i, E the sum over i. Both periods must name the same factors.
    kind:
        ``"additive"`` (effects in the unit of E, summing to E1 − E0) or ``"multiplicative"`` (ratios
        whose product is E1/E0).

    Examples
    --------
    >>> e = lmdi({"activity": 100.0, "intensity": 2.0}, {"activity": 120.0, "intensity": 1.5})
    >>> round(e.sum(), 10), round(120 * 1.5 - 100 * 2, 10)
    (-20.0, -20.0)
    """
    if set(factors_0) != set(factors_1):
        raise LabelError(f"both periods need the same factors: {sorted(factors_0)} vs {sorted(factors_1)}")
    check_option(kind, ("additive", "multiplicative"), what="kind")
    if not (isinstance(delta, float | int) and 0 < delta < 1e-6):
        raise OptionError(f"delta (the stand-in for a zero factor) must be a small positive number, not {delta!r}")
    names = list(factors_0)
    x0 = _as_frame(factors_0, "factors_0")[names]
    x1 = _as_frame(factors_1, "factors_1")[names]
    if not x0.index.equals(x1.index):
        x1 = x1.reindex(x0.index)
        if x1.isna().any().any():
            raise LabelError("the two periods' sub-categories differ")
    x0v = np.where(x0.to_numpy() == 0, delta, x0.to_numpy())
    x1v = np.where(x1.to_numpy() == 0, delta, x1.to_numpy())
    E0 = np.prod(x0v, axis=1)
    E1 = np.prod(x1v, axis=1)
    under = (E0 == 0) | (E1 == 0) | ~np.isfinite(E0) | ~np.isfinite(E1)
    if under.any():
        raise OptionError(
            f"LMDI: the product of the factors under- or overflows for sub-categories {fmt(x0.index[under])} "
            "(several zero factors, each replaced by delta, or huge values); drop those sub-categories or rescale"
        )
    total_0 = float(np.prod(x0.to_numpy(), axis=1).sum())
    total_1 = float(np.prod(x1.to_numpy(), axis=1).sum())
    w = log_mean(E1, E0)
    logs = np.log(x1v) - np.log(x0v)
    if kind == "additive":
        effects = (w[:, None] * logs).sum(axis=0)
        out = pd.Series(effects, index=names, name="additive effect")
        out.attrs["total_change"] = total_1 - total_0
        scale = max(np.abs(E0).sum(), np.abs(E1).sum())
        if abs(effects.sum() - (total_1 - total_0)) > 1e-6 * scale:
            raise OptionError(
                f"LMDI: the effects sum to {effects.sum():.6g}, not the change {total_1 - total_0:.6g}: sub-categories "
                "with zeros in several factors cannot be decomposed with the small-value strategy; drop them"
            )
        return out
    if total_0 <= 0 or total_1 <= 0:
        raise OptionError(
            f"multiplicative LMDI needs a positive aggregate in both periods (E0 = {total_0:.6g}, E1 = {total_1:.6g}); "
            "use kind='additive'"
        )
    W = log_mean(E1.sum(), E0.sum())
    out = pd.Series(np.exp((w[:, None] / W * logs).sum(axis=0)), index=names, name="multiplicative effect")
    out.attrs["total_ratio"] = total_1 / total_0
    return out

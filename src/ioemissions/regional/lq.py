r"""Location quotients for regionalising a national coefficient matrix (Flegg & Tohmo 2013).

With national output :math:`x^N_i`, regional output :math:`x^R_i` and totals :math:`x^N, x^R`:

.. math::

    SLQ_i = \frac{x_i^R / x^R}{x_i^N / x^N}, \qquad CILQ_{ij} = \frac{SLQ_i}{SLQ_j}, \qquad
    \lambda^* = \left[\log_2\left(1 + \frac{x^R}{x^N}\right)\right]^\delta

    FLQ_{ij} = \lambda^* \cdot CILQ_{ij}\ (i \ne j), \qquad FLQ_{ii} = \lambda^* \cdot SLQ_i

and the regional input coefficient :math:`a^R_{ij} = \min(LQ_{ij}, 1)\, a^N_{ij}`: a region that is
relatively small in supplying sector i buys less of i locally, the rest is "imported" from other
regions. δ = 0.3 is the value Flegg & Tohmo (2013) recommend in the absence of survey data.

* Flegg, A. T. & Tohmo, T. (2013). Regional input–output tables and the FLQ formula: a case study of
  Finland. *Regional Studies* 47(5):703–721.
* Miller, R. E. & Blair, P. D. (2009), §8.3.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import LabelError, NegativeOutputError, OptionError
from ..errors import _fmt_labels as fmt

__all__ = ["location_quotients", "regional_coefficients"]


def _slq(national: pd.Series, regional: pd.Series) -> pd.Series:
    if not national.index.equals(regional.index):
        raise LabelError("national and regional output must be labelled by the same sectors in the same order")
    for s, what in ((national, "national"), (regional, "regional")):
        if (s < 0).any():
            raise NegativeOutputError(f"negative {what} output for {fmt(s.index[s < 0])}")
    zero = national.index[national == 0]
    if len(zero):
        raise LabelError(f"sectors with zero national output have no location quotient: {fmt(zero)}")
    return (regional / regional.sum()) / (national / national.sum())


def location_quotients(
    national_output: pd.Series, regional_output: pd.Series, method: str = "flq", delta: float = 0.3
) -> pd.DataFrame:
    """SLQ, CILQ or FLQ as an n × n DataFrame labelled by sector (row i = selling sector).

    For SLQ, row i holds SLQ_i in every column.

    >>> nat = pd.Series([100.0, 300.0], index=["a", "b"])
    >>> reg = pd.Series([30.0, 10.0], index=["a", "b"])
    >>> location_quotients(nat, reg, "slq").round(4).to_numpy().tolist()
    [[3.0, 3.0], [0.3333, 0.3333]]
    """
    slq = _slq(national_output, regional_output)
    idx = national_output.index
    n = len(idx)
    if method == "slq":
        return pd.DataFrame(np.repeat(slq.to_numpy()[:, None], n, axis=1), index=idx, columns=idx)
    with np.errstate(divide="ignore", invalid="ignore"):
        cilq = slq.to_numpy()[:, None] / slq.to_numpy()[None, :]
    cilq = np.where(np.isfinite(cilq), cilq, 1.0)  # a sector absent from the region buys nothing: a_ij = 0 anyway
    if method == "cilq":
        out = cilq.copy()
        np.fill_diagonal(out, slq.to_numpy())
        return pd.DataFrame(out, index=idx, columns=idx)
    if method != "flq":
        raise OptionError(f"method must be 'slq', 'cilq' or 'flq', not {method!r}")
    if not 0 <= delta < 1:
        raise OptionError(f"delta must be in [0, 1), not {delta}")
    lam = np.log2(1 + regional_output.sum() / national_output.sum()) ** delta
    out = lam * cilq
    np.fill_diagonal(out, lam * slq.to_numpy())
    return pd.DataFrame(out, index=idx, columns=idx)


def regional_coefficients(A_national: pd.DataFrame, lq: pd.DataFrame) -> pd.DataFrame:
    """Regional coefficients a^R_ij = min(LQ_ij, 1) · a^N_ij."""
    if not (A_national.index.equals(lq.index) and A_national.columns.equals(lq.columns)):
        raise LabelError("A_national and the location quotients must have the same labels")
    return A_national * np.minimum(lq, 1.0)

"""Characterisation of stressors into CO2-equivalents (GWP100).

This module sits above the core and the data layer: it loads the shipped factors and hands them to
:meth:`ioemissions.MRIO.characterize`, which only computes (the core never reads ``tables/``).

The shipped factors are IPCC AR6 WG1 Table 7.15 GWP100 values (dataset ``ipcc-ar6-gwp100``, with
its provenance in ``tables/ipcc-ar6-gwp100/metadata.json``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .core.mrio import MRIO

__all__ = ["characterize", "gwp100_ar6"]


def gwp100_ar6() -> pd.Series:
    """IPCC AR6 GWP100 factors (kg CO2e per kg): CO2, CH4_fossil, CH4_non_fossil, N2O.

    >>> gwp100_ar6()["N2O"]
    np.float64(273.0)
    """
    from .tables import load

    df = load("ipcc-ar6-gwp100")
    s = df.set_index("stressor")["gwp100"].astype(float)
    s.attrs = dict(df.attrs)
    return s


def characterize(model: MRIO, factors: pd.Series | None = None, *, name: str = "CO2e") -> MRIO:
    """A new model with an extra stressor ``name`` = Σ_g factor_g × stressor_g; default factors: IPCC AR6 GWP100.

    ``factors`` default to :func:`gwp100_ar6`; the arithmetic is :meth:`ioemissions.MRIO.characterize`.
    """
    return model.characterize(gwp100_ar6() if factors is None else factors, name=name)

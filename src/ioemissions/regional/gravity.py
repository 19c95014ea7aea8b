r"""Distances between regions and a doubly constrained gravity model of interregional trade.

For each product i, the flow from origin o to destination d is estimated as

.. math::

    T^{od}_i \propto s^o_i \, D^d_i \, d_{od}^{-\beta}

with :math:`s^o_i` the supply of i in o available to domestic users (output minus exports abroad),
:math:`D^d_i` the use of domestic i in d (intermediate plus final), :math:`d_{od}` the distance and
β the distance elasticity, then balanced (RAS, or GRAS if signs are mixed) so that each row sums to
:math:`s^o_i` and each column to :math:`D^d_i` — a doubly constrained gravity model (Wilson 1970;
Miller & Blair 2009, §8.6). β = 1 is the conventional value; Head & Mayer (2014) review estimates of
the distance elasticity of trade, which cluster around one.

Distances are great-circle distances between provincial capitals. A province's *internal*
distance, which the capitals cannot give, is set to ``internal_factor`` (default ½) times the
distance to its nearest other capital: a proxy for the average distance between producers and
users inside the province when provincial areas are not at hand (they are not shipped). It is a
parameter, and the sensitivity of the results to it is worth checking.
Distances between groups of provinces (RestOfChina) are averages of the
provincial distances weighted by the product of the provinces' gross output.

* Wilson, A. G. (1970). *Entropy in Urban and Regional Modelling*. Pion.
* Head, K. & Mayer, T. (2014). Gravity equations: workhorse, toolkit, and cookbook. *Handbook of
  International Economics* 4:131–195.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..balance import gras, ras
from ..errors import LabelError
from ..errors import _fmt_labels as fmt

__all__ = ["gravity_flows", "group_distances", "haversine_km", "province_distances"]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius


def haversine_km(lon1, lat1, lon2, lat2):
    """Great-circle distance (km) between points given in degrees (haversine formula)."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


def province_distances(internal_factor: float = 0.5) -> pd.DataFrame:
    """31 × 31 distances (km) between provincial capitals, with internal distances on the diagonal."""
    from ..tables import load

    d = load("province-distances").pivot(index="origin", columns="destination", values="km")
    d = d.loc[d.index, d.index].astype(float)
    off = d.to_numpy().copy()
    np.fill_diagonal(off, np.inf)
    internal = internal_factor * off.min(axis=1)
    out = d.to_numpy().copy()
    np.fill_diagonal(out, internal)
    return pd.DataFrame(out, index=d.index, columns=d.index)


def group_distances(distances: pd.DataFrame, groups: Mapping[str, Sequence[str]], weights: pd.Series) -> pd.DataFrame:
    """Distances between groups of provinces: weighted averages with weights w_p · w_q."""
    names = list(groups)
    missing = [p for ps in groups.values() for p in ps if p not in distances.index or p not in distances.columns]
    if missing:
        raise LabelError(f"unknown provinces {fmt(missing)}")
    # numpy by position (the same products and sums as label look-ups, without a pandas selection per pair)
    D = distances.to_numpy()
    row = {p: i for i, p in enumerate(distances.index)}
    col = {p: j for j, p in enumerate(distances.columns)}
    w_of = {g: weights[list(ps)].to_numpy() for g, ps in groups.items()}
    out = np.zeros((len(names), len(names)))
    for a, ga in enumerate(names):
        for b, gb in enumerate(names):
            w = np.outer(w_of[ga], w_of[gb])
            d = D[np.ix_([row[p] for p in groups[ga]], [col[p] for p in groups[gb]])]
            out[a, b] = (d * w).sum() / w.sum()
    return pd.DataFrame(out, index=names, columns=names)


def gravity_flows(
    supply: pd.Series,
    demand: pd.Series,
    distance: pd.DataFrame,
    *,
    beta: float = 1.0,
    prior: pd.DataFrame | None = None,
    tol: float = 1e-10,
) -> pd.DataFrame:
    """Origin × destination flows of one product, doubly constrained to ``supply`` and ``demand``.

    ``prior`` replaces the gravity prior s·D·d^-β (e.g. observed electricity flows). Uses RAS when
    the prior and totals are non-negative, GRAS otherwise.

    >>> d = pd.DataFrame([[50.0, 500.0], [500.0, 50.0]], index=["A", "B"], columns=["A", "B"])
    >>> T = gravity_flows(pd.Series([60.0, 40.0], index=["A", "B"]), pd.Series([30.0, 70.0], index=["A", "B"]), d)
    >>> T.sum(axis=1).round(6).tolist(), T.sum(axis=0).round(6).tolist()
    ([60.0, 40.0], [30.0, 70.0])
    """
    if prior is None:
        prior = pd.DataFrame(
            np.outer(supply.to_numpy(), demand.to_numpy()) / distance.to_numpy() ** beta,
            index=supply.index,
            columns=demand.index,
        )
    # balance totals exactly (they agree to rounding): scale demand to the supply total
    total_s, total_d = supply.sum(), demand.sum()
    if total_d != 0 and np.isclose(total_s, total_d, rtol=1e-9, atol=0):
        demand = demand * (total_s / total_d)
    if (prior.to_numpy() >= 0).all() and (supply >= 0).all() and (demand >= 0).all():
        return ras(prior, supply, demand, tol=tol)
    return gras(prior, supply, demand, tol=tol)

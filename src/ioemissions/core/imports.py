r"""Single-region tables with imports: competitive and non-competitive treatments (Su & Ang 2013).

A *competitive-import* table records domestic and imported products together: row i of Z and Y
holds the use of product i whatever its origin, and imports m enter as a negative final-demand
column, so that :math:`x = Z e + y^{dom} + e^{x} - m`. Two treatments follow:

* **competitive (DTA)** — :func:`competitive_accounts`: :math:`L = (I - A)^{-1}` with A from the
  whole Z; emissions embodied in exports :math:`f L e^x` and imports :math:`f L m`; imports are
  assumed made with domestic technology.
* **non-competitive** — :func:`uniform_import_shares` and :func:`split_competitive`: with the uniform
  import-share assumption each user of product i takes the same import share
  :math:`\mu_i = m_i / (\sum_j z_{ij} + y_i^{dom})`, so :math:`A_d = (I - \hat\mu) A`,
  :math:`A_m = \hat\mu A`, and domestic supply chains use :math:`L_d = (I - A_d)^{-1}`. Exports are
  all domestic (no re-exports). The resulting model is an :class:`~ioemissions.MRIO` with an
  import block; its emissions embodied in imports use DTA multipliers (see
  :doc:`/methods/imports`).

Su, B. & Ang, B. W. (2013). Input–output analysis of CO2 emissions embodied in trade:
competitive versus non-competitive imports. *Energy Policy* 56:83–87.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import UnbalancedTableError
from ..errors import _fmt_labels as fmt
from .mrio import ABROAD, MRIO
from .solver import LeontiefSolver, check_productive

__all__ = [
    "FOREIGN_OPTIONS",
    "WORLD_TO_CHINA_INTENSITY",
    "competitive_accounts",
    "foreign_multipliers_from_pymrio",
    "scaled_multipliers",
    "split_competitive",
    "uniform_import_shares",
]


def uniform_import_shares(Z: pd.DataFrame, Y_domestic: pd.DataFrame, imports: pd.Series) -> pd.Series:
    r"""Import share of each product, :math:`\mu_i = m_i / (\sum_j z_{ij} + \sum_c y_{ic}^{dom})`.

    ``Y_domestic`` holds the domestic final-demand columns only (no exports). Raises
    :class:`UnbalancedTableError` naming the products whose imports exceed their domestic use
    (μ > 1) or that are imported without any domestic use.

    >>> idx = pd.Index(["a", "b"])
    >>> Z = pd.DataFrame([[20.0, 30.0], [10.0, 40.0]], index=idx, columns=idx)
    >>> y, m = pd.DataFrame({"y": [50.0, 60.0]}, index=idx), pd.Series([10.0, 20.0], index=idx)
    >>> uniform_import_shares(Z, y, m).round(6).tolist()
    [0.1, 0.181818]
    """
    use = Z.sum(axis=1) + Y_domestic.sum(axis=1)
    imports = imports.reindex(Z.index)
    bad = imports.index[((use <= 0) & (imports != 0)) | (imports > use)]
    if len(bad):
        raise UnbalancedTableError(
            f"imports exceed domestic use (uniform import shares would exceed 1) for products {fmt(bad)}"
        )
    mu = (imports / use.where(use > 0, 1.0)).where(use > 0, 0.0)
    return mu.rename("import_share")


def split_competitive(
    Z: pd.DataFrame,
    Y_domestic: pd.DataFrame,
    exports: pd.Series,
    imports: pd.Series,
    F: pd.DataFrame | None = None,
    F_Y: pd.DataFrame | None = None,
    *,
    region: str = "R",
    other: pd.DataFrame | None = None,
    units=None,
    name: str = "MRIO",
    M_imp="dta",
) -> MRIO:
    """A non-competitive single-region :class:`MRIO` from a competitive-import table.

    Parameters
    ----------
    Z:
        Competitive transactions (domestic and imported together), labelled by sector.
    Y_domestic:
        Domestic final demand by category (columns), labelled by sector.
    exports, imports:
        Export and import vectors by sector (imports positive).
    F, F_Y:
        Stressors by sector (k × sectors) and by final-demand category (k × categories).
    region:
        The region label of the resulting model.
    other:
        Further final-demand columns that are neither split nor exported (e.g. the NBS statistical
        discrepancy ERR), kept in the region's final demand.

    Returns
    -------
    MRIO
        Y has the domestic categories as (region, category) and exports as
        (:data:`ABROAD`, "exports"); Z_imp = μ̂ Z and Y_imp = μ̂ Y_domestic.
    """
    mu = uniform_import_shares(Z, Y_domestic, imports).to_numpy()
    keep = 1.0 - mu
    nodes = pd.MultiIndex.from_product([[region], Z.index], names=["region", "sector"])
    ycols = [(region, c) for c in Y_domestic.columns]
    Yd = Y_domestic.to_numpy() * keep[:, None]
    Ym = Y_domestic.to_numpy() * mu[:, None]
    blocks, imp_blocks = [Yd], [Ym]
    if other is not None:
        ycols += [(region, c) for c in other.columns]
        blocks.append(other.reindex(Z.index).to_numpy())
        imp_blocks.append(np.zeros((len(Z), other.shape[1])))
    ycols.append((ABROAD, "exports"))
    blocks.append(exports.reindex(Z.index).to_numpy()[:, None])
    imp_blocks.append(np.zeros((len(Z), 1)))
    ycols = pd.MultiIndex.from_tuples(ycols, names=["region", "category"])
    Zd = pd.DataFrame(Z.to_numpy() * keep[:, None], index=nodes, columns=nodes)
    Y = pd.DataFrame(np.hstack(blocks), index=nodes, columns=ycols)
    Z_imp = pd.DataFrame(Z.to_numpy() * mu[:, None], index=Z.index, columns=nodes)
    Y_imp = pd.DataFrame(np.hstack(imp_blocks), index=Z.index, columns=ycols)
    F_nodes = FY_cols = None
    if F is not None:
        F_nodes = pd.DataFrame(F.reindex(columns=Z.index).to_numpy(), index=F.index, columns=nodes)
        fy = np.zeros((len(F.index), len(ycols)))
        if F_Y is not None:
            for j, c in enumerate(ycols):
                if c[0] == region and c[1] in F_Y.columns:
                    fy[:, j] = F_Y[c[1]].reindex(F.index).to_numpy()
        FY_cols = pd.DataFrame(fy, index=F.index, columns=ycols)
    return MRIO(Zd, Y, F_nodes, FY_cols, units=units, Z_imp=Z_imp, Y_imp=Y_imp, M_imp=M_imp, name=name)


def competitive_accounts(
    Z: pd.DataFrame, y_domestic: pd.Series, exports: pd.Series, imports: pd.Series, f: pd.Series
) -> pd.Series:
    """Accounts of a competitive-import single-region table under the domestic technology assumption.

    With A from the whole (competitive) Z and x = Z e + y + e − m, ``f`` the direct intensities per
    unit of output, and L = (I − A)⁻¹:

    * production = f·x;  exports (EEE) = f L e;  imports (EEI) = f L m;
    * consumption = production − exports + imports (= f L y);  balance = exports − imports.

    Returns a Series with those five entries.
    """
    x = Z.sum(axis=1) + y_domestic + exports - imports
    A = Z.to_numpy() / np.where(x.to_numpy() != 0, x.to_numpy(), 1.0)[None, :]
    check_productive(A, list(Z.index))
    solver = LeontiefSolver(A, labels=list(Z.index))
    fv = f.reindex(Z.index).to_numpy()
    M = solver.solve_transposed(fv)  # multipliers f L
    production = float(fv @ x.to_numpy())
    eee = float(M @ exports.reindex(Z.index).to_numpy())
    eei = float(M @ imports.reindex(Z.index).to_numpy())
    return pd.Series(
        {
            "production": production,
            "consumption": production - eee + eei,
            "exports": eee,
            "imports": eei,
            "balance": eee - eei,
        }
    )


#: Ratio of the world's to China's CO2 intensity of GDP (kg CO2 per international-$, PPP), 0.29 / 0.42,
#: both for 2022, from the table "Countries by carbon intensity of GDP" of Wikipedia's *List of countries by
#: carbon intensity of GDP* (whose figures come from Our World in Data / Global Carbon Project emissions
#: with PPP GDP). A whole-economy proxy for how much less CO2 a unit of imported product carries abroad
#: than at home; see :doc:`/methods/imports` for its limits (one year, 2022; world including China; not
#: product by product).
WORLD_TO_CHINA_INTENSITY = 0.29 / 0.42

#: Foreign-intensity options of :func:`ioemissions.regional.build_yrd_mrio` (``foreign=``).
FOREIGN_OPTIONS = ("ratio", "dta")


def scaled_multipliers(base: pd.DataFrame, ratio) -> pd.DataFrame:
    r"""Foreign multipliers as a ratio to domestic ones: :math:`M^{imp}_{ki} = \rho_i\, M^{DTA}_{ki}`.

    ``ratio`` is a positive scalar ρ or a per-product Series :math:`\rho_i` (every product of ``base``
    must be present). Raises :class:`LabelError` naming missing products and ValueError for a
    non-positive or non-finite ratio (a zero ratio would silently drop the imported emissions).

    >>> b = pd.DataFrame([[2.0, 4.0]], index=["CO2"], columns=["a", "b"])
    >>> scaled_multipliers(b, pd.Series({"a": 0.5, "b": 0.25})).to_numpy().tolist()
    [[1.0, 1.0]]
    """
    from ..errors import LabelError

    if isinstance(ratio, pd.Series):
        missing = [p for p in base.columns if p not in ratio.index]
        if missing:
            raise LabelError(f"no foreign/domestic ratio for imported products {fmt(missing)}")
        r = ratio.reindex(base.columns).to_numpy(dtype=float)
    else:
        r = np.full(base.shape[1], float(ratio))
    bad = ~np.isfinite(r) | (r <= 0)
    if bad.any():
        raise ValueError(f"foreign/domestic ratio must be positive and finite; bad for {fmt(base.columns[bad])}")
    return base * r[None, :]


def foreign_multipliers_from_pymrio(
    io,
    extension: str,
    stressor,
    concordance,
    *,
    factor: float,
    exclude_regions=(),
    stressor_label=None,
) -> pd.DataFrame:
    r"""Foreign multipliers by product from a pymrio system (e.g. an EXIOBASE or OECD ICIO run).

    For every sector s of ``io`` the multiplier is the average of the regions' total multipliers
    :math:`M_{k,(r,s)}` (``io.<extension>.M``, computed by ``calc_all`` if missing) weighted by their
    gross output :math:`x_{(r,s)}`, over the regions not in ``exclude_regions`` (e.g. China itself):
    :math:`M^{imp}_{ks} = \sum_r M_{k,(r,s)} x_{(r,s)} / \sum_r x_{(r,s)}`. ``concordance`` maps each
    imported product label of the ioemissions model to one pymrio sector; ``factor`` converts the
    pymrio multiplier unit into the model's (stressor unit per model monetary unit) and is required,
    never guessed.

    Returns a one-row DataFrame (``stressor_label`` or ``stressor``) × products, ready for
    ``MRIO(..., M_imp=...)`` or :meth:`MRIO.replace`.
    """
    from ..errors import LabelError

    ext = getattr(io, extension, None)
    if ext is None:
        raise LabelError(f"pymrio system has no extension {extension!r}")
    if getattr(ext, "M", None) is None or io.x is None:
        io.calc_all()
    M = ext.M
    if stressor not in M.index:
        raise LabelError(f"extension {extension!r} has no stressor {stressor!r}")
    x = io.x.iloc[:, 0]
    keep = ~x.index.get_level_values(0).isin(list(exclude_regions))
    m = M.loc[stressor][keep]
    w = x[keep]
    by_sector = (m * w).groupby(level=1, sort=False).sum() / w.groupby(level=1, sort=False).sum()
    unknown = sorted({s for s in concordance.values() if s not in by_sector.index})
    if unknown:
        raise LabelError(f"sectors not in the pymrio system: {fmt(unknown)}")
    products = list(concordance)
    values = np.array([by_sector[concordance[p]] for p in products], dtype=float) * factor
    if not np.isfinite(values).all():
        raise LabelError("non-finite foreign multipliers (a sector without output outside the excluded regions?)")
    return pd.DataFrame([values], index=[stressor_label or stressor], columns=products)

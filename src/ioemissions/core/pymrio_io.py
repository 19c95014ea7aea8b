r"""Conversion between :class:`~ioemissions.core.mrio.MRIO` and :class:`pymrio.IOSystem`.

Imports from abroad travel as a region named :data:`~ioemissions.core.mrio.ABROAD` (the convention of
this package, since pymrio has no import block):

* its sectors are the imported products (which must be labelled like the model's sectors, as pymrio
  wants one sector list for every region);
* row (Abroad, p) of Z holds ``Z_imp`` (p bought by each domestic node) and row (Abroad, p) of Y holds
  ``Y_imp``; its columns of Z are zero — Abroad has no inputs, so its total multiplier equals its
  direct intensity;
* its stressors are :math:`F_{k,(Abroad,p)} = M^{imp}_{kp}\, x_{(Abroad,p)}`, with
  :math:`x_{(Abroad,p)}` = its row sum (all imports of p), so that :math:`S = M^{imp}`.

pymrio's ``calc_all`` on the export then gives ioemissions' accounts: D_pba and D_cba of every domestic
region (plus F_Y) equal production and consumption, and D_pba of Abroad equals the emissions embodied
in all imports from abroad. Under the domestic technology assumption the import multipliers depend on
the *importing* region, which one Abroad region cannot hold: :func:`to_pymrio` raises then, unless the
model has one region (or supplied multipliers, ``model.replace(M_imp=...)``). :func:`from_pymrio`
turns an Abroad region back into the import block.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import LabelError, UnitError
from ..errors import _fmt_labels as fmt

__all__ = ["from_pymrio", "to_pymrio"]

ABROAD = "Abroad"  # = ioemissions.core.mrio.ABROAD (not imported: mrio imports this module lazily)


def _single_unit(unit_df: pd.DataFrame | None, what: str) -> str:
    if unit_df is None:
        raise UnitError(f"{what} has no unit table; pass units=... explicitly")
    values = pd.unique(unit_df["unit"].astype(str))
    if len(values) != 1:
        raise UnitError(f"{what} mixes units {fmt(values)}; ioemissions needs one monetary unit")
    return values[0]


def from_pymrio(cls, io, extension=None, *, units=None, **kwargs):
    """Build an MRIO from a pymrio IOSystem; see :meth:`MRIO.from_pymrio`."""
    if io.Z is None or io.Y is None:
        if io.A is not None and io.Y is not None:
            Z = None
        else:
            raise LabelError("the pymrio system has neither Z nor A with Y; call io.calc_system() or load it fully")
    else:
        Z = io.Z
    ext = None
    if extension is not None:
        ext = getattr(io, extension, None) if isinstance(extension, str) else extension
        if ext is None or not hasattr(ext, "F") or getattr(ext, "F", None) is None:
            raise LabelError(f"pymrio system has no extension {extension!r}; it has {fmt(list(io.get_extensions()))}")
    if units is None:
        units = {"monetary": _single_unit(io.unit, "the pymrio system")}
        if ext is not None:
            if ext.unit is None:
                raise UnitError(f"extension {ext.name!r} has no units; pass units=... explicitly")
            units.update({idx: str(ext.unit.loc[idx, "unit"]) for idx in ext.F.index})
    F = None if ext is None else ext.F
    F_Y = None if ext is None else getattr(ext, "F_Y", None)
    kwargs.setdefault("name", getattr(io, "name", "pymrio"))
    if Z is not None and ABROAD in set(Z.index.get_level_values(0)):
        return _from_pymrio_with_abroad(cls, Z, io.Y, F, F_Y, units, kwargs)
    if Z is None:
        return cls.from_coefficients(io.A, io.Y, F, F_Y, units=units, **kwargs)
    return cls(Z, io.Y, F, F_Y, units=units, **kwargs)


def _from_pymrio_with_abroad(cls, Z, Y, F, F_Y, units, kwargs):
    """Rebuild the import block from an Abroad region (the convention of :func:`to_pymrio`)."""
    region = Z.index.get_level_values(0)
    abroad = region == ABROAD
    dom = ~abroad
    if np.any(Z.to_numpy()[:, abroad] != 0):
        raise LabelError(
            f"region {ABROAD!r} of the pymrio system has inputs; ioemissions reads {ABROAD!r} as imports from "
            "outside the model (no inputs). Rename that region to read it as an ordinary one"
        )
    products = Z.index[abroad].get_level_values(1)
    Z_imp = pd.DataFrame(Z.to_numpy()[abroad][:, dom], index=products, columns=Z.columns[dom])
    Y_imp = pd.DataFrame(Y.to_numpy()[abroad], index=products, columns=Y.columns)
    x_ab = Z_imp.sum(axis=1).to_numpy() + Y_imp.sum(axis=1).to_numpy()
    M_imp = "dta"
    if F is not None:
        Fa = F.to_numpy()[:, abroad]
        M_imp = pd.DataFrame(
            np.divide(Fa, x_ab[None, :], out=np.zeros_like(Fa, dtype=float), where=x_ab[None, :] != 0),
            index=F.index,
            columns=products,
        )
        F = F.loc[:, dom]
    return cls(Z.loc[dom, dom], Y.loc[dom], F, F_Y, units=units, Z_imp=Z_imp, Y_imp=Y_imp, M_imp=M_imp, **kwargs)


def _abroad_multipliers(model) -> np.ndarray:
    """Import multipliers (stressor × product) shared by all importing regions, for the Abroad region."""
    if not isinstance(model._Mimp, str):
        return model._Mimp
    per_region = model._Mimp_dta  # k × products × regions
    if per_region.shape[2] == 1:
        return per_region[:, :, 0]
    if np.allclose(per_region, per_region[:, :, :1], rtol=1e-12, atol=0):
        return per_region[:, :, 0]
    raise LabelError(
        "to_pymrio: under the domestic technology assumption each importing region has its own import "
        f"multipliers, which one {ABROAD!r} region cannot carry; give explicit ones first, e.g. "
        "model.replace(M_imp=model.dta_multipliers(region)), or drop the import block"
    )


def to_pymrio(model, extension_name: str = "stressors"):
    """Export ``model`` to a pymrio IOSystem with one extension holding F, F_Y and their units.

    The import block becomes a region :data:`ABROAD` without inputs (see the module docstring), so that
    pymrio's ``calc_all`` reproduces the accounts including the emissions abroad. Raises
    :class:`LabelError` when the imported products are not labelled like the sectors, when a region is
    already called Abroad, or under the domestic technology assumption with region-specific multipliers.
    """
    import pymrio

    nodes = model.nodes.set_names(["region", "sector"])
    ycols = model.Y.columns.set_names(["region", "category"])
    Zv, Yv = model.Z.to_numpy(), model.Y.to_numpy()
    Fv = model.F.to_numpy() if len(model.stressors) else None
    if model._has_imports:
        products = list(model._products)
        if set(products) != set(model.sectors) or len(products) != len(model.sectors):
            raise LabelError(
                "to_pymrio: the imported products must be the model's sectors (pymrio needs one sector list for "
                f"every region, including {ABROAD!r}); unmatched {fmt(sorted(set(products) ^ set(model.sectors)))}"
            )
        order = [products.index(s) for s in model.sectors]
        Zi = model.Z_imp.to_numpy()[order]
        Yi = model.Y_imp.to_numpy()[order]
        n, p = len(nodes), len(order)
        Zv = np.block([[Zv, np.zeros((n, p))], [Zi, np.zeros((p, p))]])
        Yv = np.vstack([Yv, Yi])
        nodes = nodes.append(pd.MultiIndex.from_product([[ABROAD], model.sectors], names=["region", "sector"]))
        if Fv is not None:
            x_ab = Zi.sum(axis=1) + Yi.sum(axis=1)
            Fv = np.hstack([Fv, _abroad_multipliers(model)[:, order] * x_ab[None, :]])
    Z = pd.DataFrame(Zv, index=nodes, columns=nodes)
    Y = pd.DataFrame(Yv, index=nodes, columns=ycols)
    unit = pd.DataFrame({"unit": model.monetary_unit}, index=nodes)
    io = pymrio.IOSystem(Z=Z, Y=Y, unit=unit, name=model.name)
    if len(model.stressors):
        F = pd.DataFrame(Fv, index=model.stressors, columns=nodes)
        F_Y = pd.DataFrame(model.F_Y.to_numpy(), index=model.stressors, columns=Y.columns)
        ext_unit = pd.DataFrame({"unit": [model.stressor_unit(s) for s in model.stressors]}, index=model.stressors)
        setattr(io, extension_name, pymrio.Extension(name=extension_name, F=F, F_Y=F_Y, unit=ext_unit))
    return io

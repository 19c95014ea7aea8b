"""Conversion between :class:`~ioemissions.core.mrio.MRIO` and :class:`pymrio.IOSystem`."""

from __future__ import annotations

import pandas as pd

from ..errors import LabelError, UnitError
from ..errors import _fmt_labels as fmt

__all__ = ["from_pymrio", "to_pymrio"]


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
    if Z is None:
        return cls.from_coefficients(io.A, io.Y, F, F_Y, units=units, **kwargs)
    return cls(Z, io.Y, F, F_Y, units=units, **kwargs)


def to_pymrio(model, extension_name: str = "stressors"):
    """Export ``model`` to a pymrio IOSystem with one extension holding F, F_Y and their units."""
    import pymrio

    nodes = model.nodes.set_names(["region", "sector"])
    Z = pd.DataFrame(model.Z.to_numpy(), index=nodes, columns=nodes)
    Y = pd.DataFrame(model.Y.to_numpy(), index=nodes, columns=model.Y.columns.set_names(["region", "category"]))
    unit = pd.DataFrame({"unit": model.monetary_unit}, index=nodes)
    io = pymrio.IOSystem(Z=Z, Y=Y, unit=unit, name=model.name)
    if len(model.stressors):
        F = pd.DataFrame(model.F.to_numpy(), index=model.stressors, columns=nodes)
        F_Y = pd.DataFrame(model.F_Y.to_numpy(), index=model.stressors, columns=Y.columns)
        ext_unit = pd.DataFrame({"unit": [model.stressor_unit(s) for s in model.stressors]}, index=model.stressors)
        setattr(io, extension_name, pymrio.Extension(name=extension_name, F=F, F_Y=F_Y, unit=ext_unit))
    return io

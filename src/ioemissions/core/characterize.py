"""Characterisation in the core: a weighted sum of stressor rows (factors passed in, never loaded here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import units as u
from ..errors import LabelError, UnitMismatchError
from ..errors import _fmt_labels as fmt

if TYPE_CHECKING:  # pragma: no cover
    from .mrio import MRIO

__all__ = ["characterize"]


def _key(label):
    return label[0] if isinstance(label, tuple) else label


def characterize(model: MRIO, factors: pd.Series | Mapping | None, *, name: str = "CO2e") -> MRIO:
    """A new model with an extra stressor ``name`` = Σ_g factor_g × stressor_g (see MRIO.characterize).

    F_new = f · F[matched rows], F_Y,new = f · F_Y[matched rows], with f the factors of the matched stressors.
    """
    if factors is None:
        raise LabelError("give characterisation factors (e.g. ioemissions.characterization.gwp100_ar6())")
    factors = pd.Series(factors, dtype=float)
    matched = [s for s in model.stressors if s in factors.index or _key(s) in factors.index]
    if not matched:
        raise LabelError(
            f"no stressor of the model has a characterisation factor; stressors {fmt(model.stressors)}, "
            f"factors for {fmt(factors.index)}"
        )
    if name in set(model.stressors):
        raise LabelError(f"the model already has a stressor named {name!r}")
    unit_set = {u.parse(model.stressor_unit(s)).scale for s in matched}
    if len(unit_set) != 1 or any(u.parse(model.stressor_unit(s)).dimension != "mass" for s in matched):
        raise UnitMismatchError(
            "characterised stressors must share one mass unit; got "
            + ", ".join(f"{s!r}: {model.stressor_unit(s)!r}" for s in matched)
        )
    f = np.array([factors[s] if s in factors.index else factors[_key(s)] for s in matched])
    rows = [model.stressors.get_loc(s) for s in matched]
    new_F = f @ model.F.to_numpy()[rows]
    new_FY = f @ model.F_Y.to_numpy()[rows]
    mass = u.parse(model.stressor_unit(matched[0]))
    base = mass.label.split(" ")[0]
    label = name if not isinstance(model.stressors, pd.MultiIndex) else (name,) + ("",) * (model.stressors.nlevels - 1)
    F = pd.concat([model.F, pd.DataFrame([new_F], index=[label], columns=model.nodes)])
    F_Y = pd.concat([model.F_Y, pd.DataFrame([new_FY], index=[label], columns=model.F_Y.columns)])
    if isinstance(model.stressors, pd.MultiIndex):
        F.index = pd.MultiIndex.from_tuples(F.index, names=model.stressors.names)
        F_Y.index = F.index
    units = {**model.units, label: f"{base} CO2e"}
    return model.replace(F=F, F_Y=F_Y, units=units)

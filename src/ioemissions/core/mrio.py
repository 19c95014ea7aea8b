"""The labelled multi-regional input–output model.

:class:`MRIO` holds the data of an environmentally-extended MRIO — A (or Z), x, Y, F, F_Y, and an
optional block of imports from outside the modelled regions — with its labels and units. It is
immutable: every derived quantity (S, M, the LU factorisation, accounts) is computed on first use
from the stored inputs and cached, and anything that changes an input returns a *new* model. No
result can go stale and there is no call order to remember.

The arithmetic lives in :mod:`ioemissions.core.iomath` (formulas), :mod:`ioemissions.core.solver`
(the factorisation) and :mod:`ioemissions.core.accounts` (the accounts).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .. import units as u
from ..errors import (
    LabelError,
    NegativeOutputError,
    NonFiniteError,
    NonProductiveError,
    OptionError,
    ShapeError,
    UnbalancedTableError,
    UnitError,
    check_option,
)
from ..errors import _fmt_labels as fmt
from . import iomath
from .solver import CoefficientOperator, LeontiefSolver, check_productive
from .validate import as_node_index, check_not_subnormal, check_same_labels, check_unique, frame_values

__all__ = ["ABROAD", "MRIO"]


def _copy_on_write() -> bool:
    """Whether pandas copies a shared block before writing into it (always from pandas 3; an option in 2.x)."""
    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    return pd.options.mode.copy_on_write is True


#: Origin label of emissions embodied in imports from outside the modelled regions.
ABROAD = "Abroad"


def _y_columns(columns: pd.Index) -> pd.MultiIndex:
    """Final-demand columns as (region, category); a flat index means one 'total' category per region."""
    if not isinstance(columns, pd.MultiIndex):
        columns = pd.MultiIndex.from_arrays([columns, ["total"] * len(columns)])
    return as_node_index(columns, what="Y columns", second="category")


def _unique_in_order(values) -> pd.Index:
    return pd.Index(pd.unique(np.asarray(values, dtype=object)))


def _parse_units(units, stressors: pd.Index) -> tuple[str, dict[Any, str]]:
    """Split ``units`` into the monetary unit and one unit per stressor, all validated."""
    if units is None:
        raise UnitError(
            "units are required: pass units={'monetary': '10^4 CNY', <stressor>: 'Mt', ...} "
            "(or a string for the monetary unit when there are no stressors)"
        )
    if isinstance(units, str):
        units = {"monetary": units}
    if not isinstance(units, Mapping):
        raise UnitError(
            f"units must be a string (the monetary unit) or a mapping such as "
            f"{{'monetary': '10^4 CNY', 'CO2': 'Mt'}}; got {type(units).__name__} {units!r}"
        )
    units = dict(units)
    if "stressors" in units:
        units.update(units.pop("stressors"))
    if "monetary" not in units:
        raise UnitError("units has no 'monetary' entry (the unit of Z, Y and x, e.g. '10^4 CNY')")
    monetary = u.parse(units.pop("monetary")).label
    if u.parse(monetary).dimension not in ("CNY", "USD", "EUR"):
        raise UnitError(f"monetary unit {monetary!r} is not a currency")
    stressor_units = {}
    for s in stressors:
        key = s if s in units else (s[0] if isinstance(s, tuple) and s[0] in units else None)
        if key is None:
            raise UnitError(f"no unit given for stressor {s!r}; add it to units, e.g. units={{{s!r}: 'Mt'}}")
        stressor_units[s] = u.parse(units[key]).label
    return monetary, stressor_units


class MRIO:
    """An environmentally-extended multi-regional input–output model.

    Parameters
    ----------
    Z:
        Inter-industry transactions, n × n, rows and columns labelled by the same
        (region, sector) MultiIndex. With pandas' copy-on-write (always on from pandas 3) the model
        keeps a reference to Z's block instead of a copy, and forms A = Z diag(x)⁻¹ only if a method
        needs A itself: the solver applies A as Z (v ⊘ x). Writing into ``Z`` afterwards makes pandas
        copy it first, so the model never changes. With pandas 2 without copy-on-write it keeps A.
    Y:
        Final demand, n × m, columns labelled (region, category); a flat column index is read as
        one 'total' category per region. Columns whose region is not a modelled region (e.g.
        ``("Abroad", "exports")``) are demand from outside the model: exports.
    F, F_Y:
        Stressors of industries (k × n) and of final demand (k × m), rows labelled by stressor.
    units:
        ``{"monetary": "10^4 CNY", "CO2": "Mt", ...}``: the unit of Z, Y and x, and one unit per
        stressor. Required; never guessed.
    x:
        Gross output. Default Z e + Y e. If given, it must equal that row sum to ``rtol``
        (a check that a published table balances), else :class:`UnbalancedTableError`.
    Z_imp, Y_imp:
        Imports from outside the modelled regions, by imported product (rows): intermediate use
        (columns as Z) and final use (columns as Y). Their emissions are reported under origin
        :data:`ABROAD`.
    M_imp:
        Emissions per unit of imported product (stressor × product, units stressor/monetary), or
        ``"dta"`` — the domestic technology assumption: an imported product carries the total
        multiplier of the same product in the importing region, computed with all its inputs
        (from any origin, plus imports) treated as made at home. With one region this is the
        competitive-import multiplier S (I − A_d − A_m)⁻¹ (Su & Ang 2013).
    dtype:
        ``"float64"`` (default) or ``"float32"`` for the solver.
    solver:
        ``"auto"`` (Krylov for a few right-hand sides, LU for many, by the documented cost rule),
        ``"lu"``, ``"iterative"``, or ``"dense"``/``"sparse"`` to force that kind of LU; see
        :class:`~ioemissions.core.solver.LeontiefSolver`.
    name:
        A short name used in reports.

    Examples
    --------
    Miller & Blair (2009), Table 2.3:

    >>> import pandas as pd
    >>> idx = pd.MultiIndex.from_tuples([("R", "s1"), ("R", "s2")])
    >>> Z = pd.DataFrame([[150, 500], [200, 100]], index=idx, columns=idx)
    >>> Y = pd.DataFrame({"R": [350, 1700]}, index=idx)
    >>> mrio = MRIO(Z, Y, units="CNY")
    >>> mrio.A.round(2).to_numpy().tolist()
    [[0.15, 0.25], [0.2, 0.05]]
    """

    def __init__(
        self,
        Z: pd.DataFrame | None,
        Y: pd.DataFrame,
        F: pd.DataFrame | None = None,
        F_Y: pd.DataFrame | None = None,
        *,
        units: Mapping[str, Any] | str | None = None,
        x: pd.Series | None = None,
        A: pd.DataFrame | None = None,
        Z_imp: pd.DataFrame | None = None,
        Y_imp: pd.DataFrame | None = None,
        M_imp: pd.DataFrame | str = "dta",
        dtype="float64",
        solver: str = "auto",
        name: str = "MRIO",
        rtol: float = 1e-6,
    ):
        if (Z is None) == (A is None):
            raise TypeError("give exactly one of Z or A (use MRIO.from_coefficients for A)")
        core = Z if Z is not None else A
        what = "Z" if Z is not None else "A"
        check_option(solver, ("auto", "lu", "iterative", "dense", "sparse"), what="solver")
        if np.dtype(dtype) not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise OptionError(f"dtype must be 'float64' or 'float32'; got {dtype!r}")
        if not isinstance(core, pd.DataFrame) or not isinstance(Y, pd.DataFrame):
            raise LabelError(f"{what} and Y must be pandas DataFrames labelled by (region, sector)")
        if core.shape[0] == 0:
            raise ShapeError(f"{what} is empty (no (region, sector) rows): an MRIO needs at least one sector")
        nodes = as_node_index(core.index, what=f"{what} rows")
        check_unique(nodes, what=f"{what} rows")
        check_same_labels(
            as_node_index(core.columns, what=f"{what} columns"), nodes, what=f"{what} columns", against=f"{what} rows"
        )
        self._nodes = nodes
        self.name = name
        # how closely industry emissions must be allocated to final demand (x = L Y e): to rounding when x is
        # computed here, to the tolerance the given x was checked against otherwise
        self._alloc_rtol = 1e-9 if x is None else max(1e-9, 10.0 * rtol)
        self._dtype = np.dtype(dtype)
        if self._dtype == np.float32:  # a float32 factorisation is accurate to about 1e-6
            self._alloc_rtol = max(self._alloc_rtol, 1e-5)
        self._solver_method = solver

        Y = Y.copy()
        Y.columns = _y_columns(Y.columns)
        check_same_labels(as_node_index(Y.index, what="Y rows"), nodes, what="Y rows", against=f"{what} rows")
        check_unique(Y.columns, what="Y columns")
        self._ycols = Y.columns
        self._Y = frame_values(Y, what="Y")

        keep_z = Z is not None and _copy_on_write()
        if keep_z:
            # Keep Z itself instead of forming A (one n x n array fewer): a shallow copy is a reference that
            # pandas' copy-on-write tracks, so a later write into the caller's Z copies first and never
            # reaches the array held here.
            core = core.copy(deep=False)
        core_arr = frame_values(core, what=what, copy=Z is None)  # Z is only read (kept only when keep_z)
        if Z is not None:
            with np.errstate(over="ignore", invalid="ignore"):
                x_rows = iomath.calc_x(core_arr, self._Y)
            if not np.isfinite(x_rows).all():
                bad = [nodes[i] for i in np.flatnonzero(~np.isfinite(x_rows))]
                raise NonFiniteError(
                    f"gross output x = Z e + Y e overflows float64 at rows {fmt(bad)}: the values are too large; "
                    "rescale the monetary unit (MRIO.to_units or e.g. 10^8 CNY instead of CNY)"
                )
            # a sector with no output can sum to -1e-17 by rounding: that is zero, not negative output
            x_rows[(x_rows < 0) & (x_rows > -1e-12 * np.abs(x_rows).max(initial=0.0))] = 0.0
            if x is not None:
                x_given = self._vector(x, what="x")
                self._check_balance(x_given, x_rows, rtol)
                x_arr = x_given
            else:
                x_arr = x_rows
            self._check_x(x_arr)
            zero = x_arr == 0
            if zero.any() and np.abs(core_arr[:, zero]).sum() > 0:
                bad = [nodes[j] for j in np.flatnonzero(zero) if np.abs(core_arr[:, j]).sum() > 0]
                raise UnbalancedTableError(f"zero gross output but non-zero inputs in Z columns {fmt(bad)}")
            # a_ij = z_ij / x_j overflows exactly where the column's largest |z_ij| does (no n x n temporary)
            with np.errstate(over="ignore", invalid="ignore"):
                col_max = np.maximum(core_arr.max(axis=0, initial=0.0), -core_arr.min(axis=0, initial=0.0))
                a_max = iomath.calc_A(col_max[np.newaxis, :], x_arr)[0]
            if not np.isfinite(a_max).all():  # inputs beyond 1e308 times the column's output
                bad = [nodes[j] for j in np.flatnonzero(~np.isfinite(a_max))]
                raise NonProductiveError(
                    f"A = Z diag(x)^-1 overflows in columns {fmt(bad)}: their inputs exceed their gross output "
                    "by a factor beyond float64, so A is not productive"
                )
            if keep_z:
                core_arr.flags.writeable = False
                self._Z_frame, self._Z_kept = core, core_arr  # the frame holds the copy-on-write reference
                A_arr = None  # formed from Z only if a method needs A itself (see _A)
            else:
                with np.errstate(over="ignore", invalid="ignore"):
                    A_arr = iomath.calc_A(core_arr, x_arr)
        else:
            A_arr = core_arr
            x_arr = None  # computed from L y once the solver exists
        self._x_given = x_arr
        if A_arr is not None:
            A_arr.flags.writeable = False
            self._A = A_arr  # the instance attribute takes the place of the lazy _A below

        # stressors
        if F is None and F_Y is not None:
            raise LabelError("F_Y given without F")
        if F is not None:
            check_same_labels(
                as_node_index(F.columns, what="F columns"), nodes, what="F columns", against=f"{what} rows"
            )
            check_unique(F.index, what="F rows (stressors)")
            self._stressors = F.index
            self._F = frame_values(F, what="F")
            if F_Y is None:
                self._FY = np.zeros((len(F.index), len(self._ycols)))
            else:
                F_Y = F_Y.copy()
                F_Y.columns = _y_columns(F_Y.columns)
                check_same_labels(F_Y.index, F.index, what="F_Y rows", against="F rows")
                check_same_labels(F_Y.columns, self._ycols, what="F_Y columns", against="Y columns")
                self._FY = frame_values(F_Y, what="F_Y")
        else:
            self._stressors = pd.Index([], name="stressor")
            self._F = np.zeros((0, len(nodes)))
            self._FY = np.zeros((0, len(self._ycols)))
        self._monetary, self._stressor_units = _parse_units(units, self._stressors)

        # regions: modelled regions are those of the nodes; other Y regions are external demand
        self._regions = _unique_in_order(nodes.get_level_values(0))
        self._sectors = _unique_in_order(nodes.get_level_values(1))
        modelled = set(self._regions)
        ext = [r for r in _unique_in_order(self._ycols.get_level_values(0)) if r not in modelled]
        if ABROAD in modelled:
            raise LabelError(f"{ABROAD!r} is reserved for imports from outside the model; rename that region")
        self._destinations = pd.Index(list(self._regions) + ext)
        fy_ext = np.isin(self._ycols.get_level_values(0), ext)
        if fy_ext.any() and np.abs(self._FY[:, fy_ext]).sum() > 0:
            raise LabelError(
                f"F_Y has emissions in final-demand columns of non-modelled regions {fmt(ext)}; "
                "direct emissions of final demand must belong to a modelled region"
            )

        self._init_imports(Z_imp, Y_imp, M_imp)

    # ------------------------------------------------------------------ pickling
    def __getstate__(self):
        """Pickle Z once: the kept array (and everything built on it) is a view of ``_Z_frame``'s block."""
        state = self.__dict__.copy()
        if "_Z_kept" in state:
            for key in ("_Z_kept", "_Z", "solver"):
                state.pop(key, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "_Z_frame" in state:
            Z = self._Z_frame.to_numpy(dtype=np.float64)
            Z.flags.writeable = False
            self._Z_kept = Z

    # ------------------------------------------------------------------ construction helpers
    def _vector(self, v, *, what: str) -> np.ndarray:
        if isinstance(v, pd.DataFrame):
            v = v.iloc[:, 0]
        if isinstance(v, pd.Series):
            check_same_labels(
                as_node_index(v.index, what=f"{what} index"), self._nodes, what=f"{what} index", against="Z rows"
            )
            return frame_values(v.to_frame(), what=what)[:, 0]
        raise LabelError(f"{what} must be a pandas Series labelled like Z's rows")

    def _check_no_underflow(self, ratio: np.ndarray, numerator: np.ndarray, rows, *, what: str) -> None:
        """A non-zero numerator over output must not underflow to zero (it would vanish from every account)."""
        lost = (ratio == 0) & (numerator != 0)
        if lost.any():
            r, c = np.nonzero(lost)
            cells = [(rows[i], self._nodes[j]) for i, j in zip(r[:5], c[:5], strict=True)]
            raise NonFiniteError(
                f"{what} underflow to zero at {fmt(cells)}: the values are too small against gross output; "
                "rescale the units"
            )

    def _check_x(self, x_arr: np.ndarray) -> None:
        neg = np.flatnonzero(x_arr < 0)
        if neg.size:
            raise NegativeOutputError(
                f"negative gross output at {fmt([(self._nodes[i], float(x_arr[i])) for i in neg])}"
            )

    def _check_balance(self, x_given, x_rows, rtol) -> None:
        scale = np.maximum(np.abs(x_given), np.abs(x_rows)).max(initial=0.0) or 1.0
        gap = np.abs(x_given - x_rows)
        bad = np.flatnonzero(gap > rtol * np.abs(x_given) + 1e-12 * scale)  # absolute floor: rounding of sums
        if bad.size:
            worst = sorted(bad, key=lambda i: -gap[i])[:5]
            raise UnbalancedTableError(
                "gross output x differs from the row sum Z e + Y e at "
                + fmt([(self._nodes[i], float(x_given[i]), float(x_rows[i])) for i in worst])
                + f" (rtol {rtol})"
            )

    def _init_imports(self, Z_imp, Y_imp, M_imp) -> None:
        self._has_imports = Z_imp is not None or Y_imp is not None
        if not self._has_imports:
            self._products = pd.Index([])
            self._Aimp = self._Yimp = None
            self._Mimp = None
            return
        if Z_imp is None or Y_imp is None:
            raise LabelError("give both Z_imp (intermediate imports) and Y_imp (final-use imports), or neither")
        check_unique(Z_imp.index, what="Z_imp rows (imported products)")
        check_same_labels(
            as_node_index(Z_imp.columns, what="Z_imp columns"), self._nodes, what="Z_imp columns", against="Z rows"
        )
        Y_imp = Y_imp.copy()
        Y_imp.columns = _y_columns(Y_imp.columns)
        check_same_labels(Y_imp.index, Z_imp.index, what="Y_imp rows", against="Z_imp rows")
        check_same_labels(Y_imp.columns, self._ycols, what="Y_imp columns", against="Y columns")
        self._products = Z_imp.index
        Zimp = frame_values(Z_imp, what="Z_imp")
        self._Zimp_raw = Zimp
        self._Yimp = frame_values(Y_imp, what="Y_imp")
        if isinstance(M_imp, str) or not isinstance(M_imp, pd.DataFrame):
            if not isinstance(M_imp, str) or M_imp != "dta":
                raise OptionError(f"M_imp must be a DataFrame of multipliers or 'dta', not {M_imp!r}")
            missing = [p for p in self._products if p not in set(self._sectors)]
            if missing:
                raise LabelError(
                    f"the domestic technology assumption needs imported products labelled like sectors; "
                    f"unknown products {fmt(missing)}"
                )
            self._Mimp = "dta"
        else:
            check_same_labels(M_imp.index, self._stressors, what="M_imp rows", against="F rows (stressors)")
            check_same_labels(M_imp.columns, self._products, what="M_imp columns", against="Z_imp rows")
            self._Mimp = frame_values(M_imp, what="M_imp")
        if self._x_given is not None:
            self._check_imports_into_dead(self._x_given)

    def _check_imports_into_dead(self, x: np.ndarray) -> None:
        """Imports used by a node with zero output have no coefficient: refuse them, as for Z."""
        zero = x == 0
        if zero.any():
            used = np.abs(self._Zimp_raw[:, zero]).sum(axis=0) > 0
            if used.any():
                bad = [self._nodes[j] for j in np.flatnonzero(zero)[used]]
                raise UnbalancedTableError(
                    f"zero gross output but non-zero imported inputs in Z_imp columns {fmt(bad)}"
                )

    # ------------------------------------------------------------------ alternative constructors
    @classmethod
    def from_coefficients(cls, A: pd.DataFrame, Y: pd.DataFrame, F=None, F_Y=None, *, S=None, **kwargs) -> MRIO:
        """Build from technical coefficients A (and stressors F, or intensities S).

        Gross output is x = L Y e, solved from the factorisation; with ``S``, F = S diag(x).

        >>> import pandas as pd
        >>> idx = pd.MultiIndex.from_tuples([("R", "s1"), ("R", "s2")])
        >>> A = pd.DataFrame([[0.15, 0.25], [0.20, 0.05]], index=idx, columns=idx)
        >>> MRIO.from_coefficients(A, pd.DataFrame({"R": [350.0, 1700.0]}, index=idx), units="CNY").x.round(6).tolist()
        [1000.0, 2000.0]
        """
        if S is not None and F is not None:
            raise TypeError("give F or S, not both")
        if S is None:
            return cls(None, Y, F, F_Y, A=A, **kwargs)
        model = cls(None, Y, A=A, **kwargs)
        check_same_labels(as_node_index(S.columns, what="S columns"), model.nodes, what="S columns", against="A rows")
        F = pd.DataFrame(iomath.calc_F(frame_values(S, what="S"), model._x), index=S.index, columns=S.columns)
        out = cls(None, Y, F, F_Y, A=A, **kwargs)
        out.__dict__["solver"] = model.solver  # same A: reuse the factorisation instead of computing it again
        return out

    @classmethod
    def from_pymrio(cls, io, extension=None, **kwargs) -> MRIO:
        """Build from a :class:`pymrio.IOSystem` (and one of its extensions).

        ``extension`` is an extension name (``"emissions"``) or object; its F, F_Y and units are
        taken over. Gross output is recomputed as Z e + Y e, as pymrio does.
        """
        from .pymrio_io import from_pymrio

        return from_pymrio(cls, io, extension, **kwargs)

    def to_pymrio(self, extension_name: str = "stressors"):
        """Export as a :class:`pymrio.IOSystem` with the stressors as one extension.

        The import block becomes a region :data:`ABROAD` without inputs whose stressors are the
        emissions embodied in the imports, so pymrio's ``calc_all`` reproduces the accounts
        (see :mod:`ioemissions.core.pymrio_io`); :meth:`from_pymrio` reads it back.
        """
        from .pymrio_io import to_pymrio

        return to_pymrio(self, extension_name)

    def replace(self, **changes) -> MRIO:
        """A new model with some inputs replaced, e.g. ``mrio.replace(Y=new_Y)``.

        Accepted keys: Z, Y, F, F_Y, units, Z_imp, Y_imp, M_imp, dtype, solver, name. The old
        model and its cached results are untouched.
        """
        args = {
            "Z": self.Z,
            "Y": self.Y,
            "F": self.F if len(self._stressors) else None,
            "F_Y": self.F_Y if len(self._stressors) else None,
            "units": self.units,
            "Z_imp": self.Z_imp,
            "Y_imp": self.Y_imp,
            "M_imp": self._Mimp if isinstance(self._Mimp, str) or self._Mimp is None else self.M_imp,
            "dtype": self._dtype,
            "solver": self._solver_method,
            "name": self.name,
        }
        unknown = set(changes) - set(args)
        if unknown:
            raise TypeError(f"replace() got unknown inputs {sorted(unknown)}")
        args.update(changes)
        if not {"Z", "Y"} & set(changes):
            args["x"] = self.x  # same transactions and demand: keep gross output exactly as it is
        if args["M_imp"] is None:
            args["M_imp"] = "dta"
        Z = args.pop("Z")
        return MRIO(Z, **args)

    def with_stressors(self, F: pd.DataFrame, F_Y: pd.DataFrame | None = None, *, units: Mapping[str, str]) -> MRIO:
        """A new model with the stressors (satellite account) F, F_Y replaced."""
        return self.replace(F=F, F_Y=F_Y, units={"monetary": self._monetary, **units})

    def aggregate(self, sectors=None, regions=None, categories=None) -> MRIO:
        """A new model with sectors, regions and/or final-demand categories merged.

        ``sectors``, ``regions`` and ``categories`` map old labels to new ones (dict or Series; labels not
        mapped keep their name). Z, Y, F, F_Y and x are summed; imported products are aggregated with the same
        sector map, and supplied import multipliers are averaged weighted by total imports of each
        product.

        >>> import pandas as pd
        >>> idx = pd.MultiIndex.from_product([["R"], ["a", "b", "c"]])
        >>> Z = pd.DataFrame([[1.0, 2, 0], [0, 1, 1], [1, 0, 1]], index=idx, columns=idx)
        >>> m = MRIO(Z, pd.DataFrame({"R": [5.0, 5, 5]}, index=idx), units="CNY")
        >>> m.aggregate(sectors={"b": "bc", "c": "bc"}).x.tolist()
        [8.0, 14.0]
        """
        smap = dict(sectors or {})
        rmap = dict(regions or {})
        cmap = dict(categories or {})
        new_nodes = pd.MultiIndex.from_tuples(
            [(rmap.get(r, r), smap.get(s, s)) for r, s in self._nodes], names=["region", "sector"]
        )
        order = pd.MultiIndex.from_tuples(list(dict.fromkeys(new_nodes)), names=["region", "sector"])
        Gv = np.zeros((len(order), len(self._nodes)))  # aggregation matrix: new × old
        Gv[order.get_indexer(new_nodes), np.arange(len(self._nodes))] = 1.0
        ycols = pd.MultiIndex.from_tuples(
            [(rmap.get(r, r), cmap.get(c, c)) for r, c in self._ycols], names=["region", "category"]
        )
        Yv = pd.DataFrame(Gv @ self._Y, index=order, columns=ycols).T.groupby(level=[0, 1], sort=False).sum().T
        Z = pd.DataFrame(Gv @ self._Z @ Gv.T, index=order, columns=order)
        kw = {"name": self.name, "dtype": self._dtype, "solver": self._solver_method}
        F = F_Y = None
        if len(self._stressors):
            F = pd.DataFrame(self._F @ Gv.T, index=self._stressors, columns=order)
            F_Y = (
                pd.DataFrame(self._FY, index=self._stressors, columns=ycols).T.groupby(level=[0, 1], sort=False).sum().T
            )
            F_Y = F_Y[Yv.columns]
        if self._has_imports:
            products = pd.Index([smap.get(p, p) for p in self._products])
            P = pd.get_dummies(products).T.reindex(list(dict.fromkeys(products))).to_numpy(float)  # new × old
            Z_imp = pd.DataFrame(P @ self._Zimp_raw @ Gv.T, index=list(dict.fromkeys(products)), columns=order)
            Y_imp = (
                pd.DataFrame(P @ self._Yimp, index=Z_imp.index, columns=ycols)
                .T.groupby(level=[0, 1], sort=False)
                .sum()
                .T[Yv.columns]
            )
            if isinstance(self._Mimp, str):
                M_imp = self._Mimp
            else:
                w = self._Zimp_raw.sum(axis=1) + self._Yimp.sum(axis=1)
                num = (self._Mimp * w[None, :]) @ P.T
                den = P @ w
                M_imp = pd.DataFrame(
                    np.divide(num, den[None, :], out=np.zeros_like(num), where=den[None, :] > 0),
                    index=self._stressors,
                    columns=Z_imp.index,
                )
            kw.update(Z_imp=Z_imp, Y_imp=Y_imp, M_imp=M_imp)
        x = pd.Series(Gv @ self._x, index=order)
        return MRIO(Z, Yv, F, F_Y, units=self.units, x=x, rtol=1e-9, **kw)

    def to_units(self, monetary: str) -> MRIO:
        """A new model with every monetary quantity converted to ``monetary`` (explicit rescaling).

        Emissions are unchanged; intensities and multipliers scale accordingly.
        """
        f = u.factor(self._monetary, monetary)
        M_imp = self.M_imp / f if isinstance(self.M_imp, pd.DataFrame) else self._Mimp
        return self.replace(
            Z=self.Z * f,
            Y=self.Y * f,
            units={**self.units, "monetary": monetary},
            Z_imp=None if self.Z_imp is None else self.Z_imp * f,
            Y_imp=None if self.Y_imp is None else self.Y_imp * f,
            M_imp=M_imp,
        )

    # ------------------------------------------------------------------ labels and units
    @property
    def nodes(self) -> pd.MultiIndex:
        """The (region, sector) labels of Z's rows and columns."""
        return self._nodes

    @property
    def regions(self) -> pd.Index:
        """Modelled regions, in table order."""
        return self._regions

    @property
    def sectors(self) -> pd.Index:
        """Sectors, in table order."""
        return self._sectors

    @property
    def destinations(self) -> pd.Index:
        """Regions of final demand: the modelled regions, then external ones (exports)."""
        return self._destinations

    @property
    def stressors(self) -> pd.Index:
        """Labels of F's rows."""
        return self._stressors

    @property
    def units(self) -> dict[str, str]:
        """``{"monetary": …, <stressor>: …}``."""
        return {"monetary": self._monetary, **self._stressor_units}

    @property
    def monetary_unit(self) -> str:
        return self._monetary

    def stressor_unit(self, stressor) -> str:
        return self._stressor_units[self._stressor_label(stressor)]

    def _stressor_label(self, stressor):
        if stressor in self._stressor_units:
            return stressor
        if isinstance(self._stressors, pd.MultiIndex):
            hits = [s for s in self._stressors if s[0] == stressor]
            if len(hits) == 1:
                return hits[0]
        raise LabelError(f"unknown stressor {stressor!r}; this model has {fmt(self._stressors)}")

    def _stressor_pos(self, stressor) -> int:
        return self._stressors.get_loc(self._stressor_label(stressor))

    # ------------------------------------------------------------------ data (read-only views)
    def _df(self, arr, index, columns) -> pd.DataFrame:
        return pd.DataFrame(arr, index=index, columns=columns, copy=False)

    @cached_property
    def _A(self) -> np.ndarray:
        """A = Z diag(x)⁻¹ formed on first need when the model keeps Z instead (the accounts never need it)."""
        A = iomath.calc_A(self._Z_kept, self._x_given)
        A.flags.writeable = False
        return A

    @property
    def _A_operator(self):
        """What the solver multiplies by: A itself if formed, else Z and x as a :class:`CoefficientOperator`."""
        if "_A" in self.__dict__ or "_Z_kept" not in self.__dict__:
            return self._A
        return CoefficientOperator(self._Z_kept, self._x_given)

    @property
    def A(self) -> pd.DataFrame:
        """Technical coefficients A = Z diag(x)⁻¹."""
        return self._df(self._A, self._nodes, self._nodes)

    @cached_property
    def _x(self) -> np.ndarray:
        if self._x_given is not None:
            return self._x_given
        with np.errstate(over="ignore", invalid="ignore"):
            x = self.solver.solve(self._Y.sum(axis=1)).astype(np.float64)
        if not np.isfinite(x).all():
            bad = [self._nodes[i] for i in np.flatnonzero(~np.isfinite(x))]
            raise NonFiniteError(f"gross output x = L Y e overflows float64 at {fmt(bad)}; rescale the monetary unit")
        self._check_x(x)
        x.flags.writeable = False
        return x

    @property
    def x(self) -> pd.Series:
        """Gross output x."""
        return pd.Series(self._x, index=self._nodes, name="x", copy=False)

    @cached_property
    def _Z(self) -> np.ndarray:
        if "_Z_kept" in self.__dict__:
            return self._Z_kept
        Z = iomath.calc_Z(self._A, self._x)
        Z.flags.writeable = False
        return Z

    @property
    def Z(self) -> pd.DataFrame:
        """Transactions Z = A diag(x)."""
        return self._df(self._Z, self._nodes, self._nodes)

    @property
    def Y(self) -> pd.DataFrame:
        return self._df(self._Y, self._nodes, self._ycols)

    @property
    def F(self) -> pd.DataFrame:
        return self._df(self._F, self._stressors, self._nodes)

    @property
    def F_Y(self) -> pd.DataFrame:
        return self._df(self._FY, self._stressors, self._ycols)

    @cached_property
    def _S(self) -> np.ndarray:
        zero = self._x == 0
        if zero.any() and np.abs(self._F[:, zero]).sum() > 0:
            bad = [self._nodes[j] for j in np.flatnonzero(zero) if np.abs(self._F[:, j]).sum() > 0]
            raise UnbalancedTableError(f"stressors at nodes with zero gross output: {fmt(bad)}")
        with np.errstate(under="ignore"):
            S = iomath.calc_S(self._F, self._x)
        # emissions tiny against a huge output give subnormal intensities with a few digits left
        check_not_subnormal(S, self._stressors, self._nodes, what="intensities S = F diag(x)^-1")
        self._check_no_underflow(S, self._F, self._stressors, what="intensities S = F diag(x)^-1")
        S.flags.writeable = False
        return S

    @property
    def S(self) -> pd.DataFrame:
        """Stressor intensities S = F diag(x)⁻¹ (stressor unit per monetary unit)."""
        return self._df(self._S, self._stressors, self._nodes)

    @property
    def Z_imp(self) -> pd.DataFrame | None:
        return None if not self._has_imports else self._df(self._Zimp_raw, self._products, self._nodes)

    @property
    def Y_imp(self) -> pd.DataFrame | None:
        return None if not self._has_imports else self._df(self._Yimp, self._products, self._ycols)

    @cached_property
    def _Aimp(self) -> np.ndarray | None:
        if not self._has_imports:
            return None
        self._check_imports_into_dead(self._x)
        with np.errstate(under="ignore"):
            A_imp = iomath.calc_A(self._Zimp_raw, self._x)
        what = "import coefficients A_imp = Z_imp diag(x)^-1"
        check_not_subnormal(A_imp, self._products, self._nodes, what=what)
        self._check_no_underflow(A_imp, self._Zimp_raw, self._products, what=what)
        return A_imp

    @property
    def A_imp(self) -> pd.DataFrame | None:
        """Import coefficients A_m = Z_imp diag(x)⁻¹ (imported product per unit of output)."""
        return None if not self._has_imports else self._df(self._Aimp, self._products, self._nodes)

    # ------------------------------------------------------------------ the solver and multipliers
    @cached_property
    def solver(self) -> LeontiefSolver:
        """The solver of (I − A) X = B (Krylov or a cached LU); A is checked for productiveness on creation."""
        A = self._A_operator
        check_productive(A, self._nodes)
        return LeontiefSolver(A, dtype=self._dtype, method=self._solver_method, labels=self._nodes)

    @cached_property
    def _M(self) -> np.ndarray:
        M = self.solver.solve_transposed(self._S.T).T
        M.flags.writeable = False
        return M

    @property
    def M(self) -> pd.DataFrame:
        """Multipliers M = S L: stressor per unit of final demand, solved from (I − A)ᵀ Mᵀ = Sᵀ."""
        return self._df(self._M, self._stressors, self._nodes)

    def leontief(self) -> pd.DataFrame:
        """The full Leontief inverse L = (I − A)⁻¹.

        Formed only when asked for (n³ flops, n² memory); the accounts never need it.
        """
        return self._df(self.solver.inverse(), self._nodes, self._nodes)

    @cached_property
    def _Mimp_dta(self) -> np.ndarray:
        """DTA import multipliers per using region: array k × products × regions."""
        from .accounts import dta_import_multipliers

        return dta_import_multipliers(self)

    def dta_multipliers(self, region=None) -> pd.DataFrame:
        """Import multipliers under the domestic technology assumption for ``region`` (stressor × product).

        The total multiplier of each product in ``region`` with all inputs treated as made there
        (see :func:`ioemissions.core.accounts.dta_import_multipliers`). ``region`` defaults to the
        only region of a single-region model.
        """
        if not self._has_imports:
            raise LabelError("the model has no import block")
        if region is None:
            if len(self._regions) != 1:
                raise LabelError(f"give region= (one of {fmt(self._regions)})")
            region = self._regions[0]
        r = self._regions.get_loc(region) if region in set(self._regions) else None
        if r is None:
            raise LabelError(f"unknown region {region!r}; the model has {fmt(self._regions)}")
        return pd.DataFrame(self._Mimp_dta[:, :, r], index=self._stressors, columns=self._products)

    @property
    def M_imp(self) -> pd.DataFrame | str | None:
        """Import multipliers (stressor × product), ``"dta"``, or None without an import block."""
        if not self._has_imports:
            return None
        if isinstance(self._Mimp, str):
            return self._Mimp
        return self._df(self._Mimp, self._stressors, self._products)

    # ------------------------------------------------------------------ accounts
    def accounts(self, stressor) -> pd.DataFrame:
        """Production- and consumption-based accounts of one stressor (or several), by region.

        With one stressor label the result is indexed by region (unit in ``attrs["unit"]``). With a
        list of labels, or ``None``/``all`` for every stressor, the result is indexed by
        (stressor, region) with the same five columns and ``attrs["units"]`` maps each stressor to
        its unit; every stressor reuses the one cached factorisation of (I − A).

        Columns: ``production`` (territorial: F of the region's industries + F_Y of the region),
        ``consumption`` (footprint: emissions anywhere, abroad included, caused by the region's
        final demand + F_Y), ``exports`` (emissions in the region caused by other regions' final
        demand, exports abroad included), ``imports`` (emissions elsewhere caused by this
        region's final demand) and ``balance`` = exports − imports, so that
        consumption = production − exports + imports.

        See :doc:`/methods/accounts` for the formulas.
        """
        from .accounts import multi_accounts, region_accounts

        if stressor is None or stressor is all or isinstance(stressor, list | np.ndarray | pd.Index):
            return multi_accounts(self, stressor)
        return region_accounts(self, stressor)

    def embodied_trade(self, stressor, by=None) -> pd.DataFrame:
        """Bilateral emission flows: origin region (where emitted) × destination region (whose demand).

        ``by`` adds detail: ``"sector"`` (origin sector in the rows), ``"category"`` (final-demand
        category in the columns), ``"product"`` (final product bought, in the columns), or a tuple
        such as ``("sector", "category")``. Emissions abroad appear as origin :data:`ABROAD`.
        F_Y is not a flow and is not included.
        """
        from .accounts import embodied_trade

        return embodied_trade(self, stressor, by)

    def footprint(self, stressor, region) -> pd.Series:
        """Emissions caused by ``region``'s final demand, by origin (region, sector), F_Y excluded."""
        from .accounts import footprint

        return footprint(self, stressor, region)

    def multipliers(self, stressor) -> pd.Series:
        """Multipliers of one stressor (row of M = S L), from one transposed solve; see :attr:`M`."""
        from .accounts import multipliers

        return multipliers(self, stressor)

    def sector_accounts(self, stressor) -> pd.DataFrame:
        """Node-level accounts in pymrio's convention (D_pba, D_cba, D_imp, D_exp).

        ``production`` and ``exports`` are by producing (region, sector); ``consumption`` and
        ``imports`` by (consuming region, final product). F_Y is not included.
        """
        from .accounts import sector_accounts

        return sector_accounts(self, stressor)

    def characterize(self, factors: pd.Series | Mapping, *, name: str = "CO2e") -> MRIO:
        """A new model with one more stressor row ``name`` = Σ factor × stressor.

        ``factors`` maps stressor labels (or the first level of a MultiIndex) to a dimensionless
        mass-per-mass factor, e.g. :func:`ioemissions.characterization.gwp100_ar6` (the core does not
        load data: :func:`ioemissions.characterization.characterize` passes those by default). All matched
        stressors must share one mass unit, which the result takes with the qualifier CO2e.
        """
        from .characterize import characterize

        return characterize(self, factors, name=name)

    def __repr__(self) -> str:
        """Several short lines: name and money unit, then regions, sectors, final demand, stressors, imports."""

        def short(values, n: int = 4, width: int = 40) -> str:
            names = [" / ".join(map(str, v)) if isinstance(v, tuple) else str(v) for v in values]
            names = [v if len(v) <= width else v[: width - 1] + "…" for v in names]
            return "; ".join(names if len(names) <= n else [*names[: n - 1], "…", names[-1]])

        stressors = [
            f"{s if not isinstance(s, tuple) else ' / '.join(map(str, s))} [{u}]"
            for s, u in self._stressor_units.items()
        ]
        lines = [
            f"MRIO {self.name!r}: {len(self._regions)} regions × {len(self._sectors)} sectors = {len(self._nodes)} "
            f"nodes, money in {self._monetary}",
            f"  regions ({len(self._regions)}): {short(self._regions, 6)}",
            f"  sectors ({len(self._sectors)}): {short(self._sectors)}",
            f"  final demand ({len(self._ycols)} columns): {short(_unique_in_order(self._ycols.get_level_values(1)))}",
            f"  stressors ({len(self._stressors)}): {short(stressors) if stressors else 'none'}",
        ]
        if self._has_imports:
            how = "domestic technology assumption" if isinstance(self._Mimp, str) else "given multipliers (M_imp)"
            lines.append(f"  imports from outside: {len(self._products)} products, valued by {how}")
        return "\n".join(lines)

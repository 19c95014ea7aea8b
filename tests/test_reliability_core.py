"""Issue 13: every bad input to the core gets a named error (reproducers of items 1, 2 and 8)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ioemissions import MRIO
from ioemissions.errors import (
    IOEmissionsError,
    LabelError,
    NonFiniteError,
    NonProductiveError,
    OptionError,
    ShapeError,
    UnbalancedTableError,
    UnitError,
)

IDX = pd.MultiIndex.from_tuples([("A", "s"), ("B", "s")], names=["region", "sector"])
UNITS = {"monetary": "CNY", "CO2": "Mt"}


def issue_system(z_imp=(60.0, 60.0)):
    """The issue's two-region system: Z=[[10,5],[5,10]], Y=50 on the diagonal, F=1, Z_imp=[[60,60]]."""
    Z = pd.DataFrame([[10.0, 5.0], [5.0, 10.0]], index=IDX, columns=IDX)
    Y = pd.DataFrame([[50.0, 0.0], [0.0, 50.0]], index=IDX, columns=["A", "B"])
    F = pd.DataFrame([[1.0, 1.0]], index=["CO2"], columns=IDX)
    Z_imp = pd.DataFrame([list(z_imp)], index=["s"], columns=IDX)
    Y_imp = pd.DataFrame([[0.0, 0.0]], index=["s"], columns=["A", "B"])
    return Z, Y, F, Z_imp, Y_imp


def test_dta_not_productive_names_the_column():
    """Before: consumption −5 and imports −5.92 in both regions, no error. x = 65, a = (10+5+60)/65 > 1."""
    Z, Y, F, Z_imp, Y_imp = issue_system()
    m = MRIO(Z, Y, F, units=UNITS, Z_imp=Z_imp, Y_imp=Y_imp)
    with pytest.raises(NonProductiveError, match=r"domestic technology assumption for 'A'.*\('A', 's'\)"):
        m.accounts("CO2")


def test_dta_productive_import_block_still_works():
    """With Z_imp = [[6.5, 6.5]] (a_m = 0.1): DTA multiplier 1/65 / (1 − 0.3) per unit → exact identity."""
    Z, Y, F, Z_imp, Y_imp = issue_system((6.5, 6.5))
    acc = MRIO(Z, Y, F, units=UNITS, Z_imp=Z_imp, Y_imp=Y_imp).accounts("CO2")
    # each region: s = 1/65, Ā = (10+5)/65 + 6.5/65 = 21.5/65; DTA multiplier = s / (1 − Ā) = 1/43.5
    # imports from abroad per region: 6.5 × 1/43.5
    assert acc.loc["A", "production"] == pytest.approx(1.0)
    np.testing.assert_allclose(acc["imports"] - acc["exports"], acc["consumption"] - acc["production"], atol=1e-12)
    A = np.array([[10.0, 5.0], [5.0, 10.0]]) / 65
    X_A = np.linalg.solve(np.eye(2) - A, [50.0, 0.0])  # output caused by A's final demand
    abroad_A = (1 / 43.5) * (6.5 / 65) * X_A.sum()
    in_B = X_A[1] / 65
    assert acc.loc["A", "imports"] == pytest.approx(abroad_A + in_B, rel=1e-12)
    assert (acc.drop(columns="balance") >= 0).all().all()


def test_imports_into_zero_output_node_raise():
    idx = pd.MultiIndex.from_tuples([("A", "s"), ("A", "t")], names=["region", "sector"])
    Z = pd.DataFrame([[1.0, 0.0], [0.0, 0.0]], index=idx, columns=idx)
    Y = pd.DataFrame({"A": [10.0, 0.0]}, index=idx)
    Z_imp = pd.DataFrame([[0.0, 3.0]], index=["s"], columns=idx)
    Y_imp = pd.DataFrame({"A": [0.0]}, index=["s"])
    with pytest.raises(UnbalancedTableError, match=r"imported inputs.*\('A', 't'\)"):
        MRIO(Z, Y, units="CNY", Z_imp=Z_imp, Y_imp=Y_imp)


def test_overflowing_row_sums_raise_instead_of_zero_consumption():
    """Before: x = inf, A = 0 and zero consumption with only a RuntimeWarning."""
    idx = pd.MultiIndex.from_product([["A"], ["s", "t", "u"]], names=["region", "sector"])
    Z = pd.DataFrame(np.full((3, 3), 6e307), index=idx, columns=idx)
    Y = pd.DataFrame({"A": [1.0, 1.0, 1.0]}, index=idx)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(NonFiniteError, match=r"overflows float64 at rows \('A', 's'\)"):
            MRIO(Z, Y, units="CNY")


def test_subnormal_inputs_raise_instead_of_linalg_error():
    Z, Y, F, _, _ = issue_system()
    with pytest.raises(NonFiniteError, match="subnormal"):
        MRIO(Z * 0 + 1e-320, Y, F, units=UNITS)


def test_empty_mrio():
    e = pd.MultiIndex.from_tuples([], names=["region", "sector"])
    with pytest.raises(ShapeError, match="empty"):
        MRIO(pd.DataFrame(index=e, columns=e, dtype=float), pd.DataFrame(index=e, dtype=float), units="CNY")


def test_units_as_list():
    Z, Y, F, _, _ = issue_system()
    with pytest.raises(UnitError, match="mapping"):
        MRIO(Z, Y, F, units=["CNY", "Mt"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"solver": "qr"}, "solver must be one of"), ({"dtype": "int8"}, "dtype"), ({"M_imp": "x"}, "M_imp")],
)
def test_invalid_option_strings(kwargs, match):
    Z, Y, F, Z_imp, Y_imp = issue_system((1.0, 1.0))
    with pytest.raises(OptionError, match=match) as info:
        MRIO(Z, Y, F, units=UNITS, Z_imp=Z_imp, Y_imp=Y_imp, **kwargs)
    assert isinstance(info.value, ValueError)


def test_embodied_trade_unknown_by():
    Z, Y, F, _, _ = issue_system()
    with pytest.raises(OptionError, match="'colour'"):
        MRIO(Z, Y, F, units=UNITS).embodied_trade("CO2", by="colour")


def test_from_pymrio_unknown_extension():
    pymrio = pytest.importorskip("pymrio")
    with pytest.raises(LabelError, match=r"no extension 'nope'.*emissions"):
        MRIO.from_pymrio(pymrio.load_test(), extension="nope")


def test_accounts_of_several_stressors(two_region_mrio):
    """One call for a list, None or all; each block equals the single-stressor accounts exactly."""
    m = two_region_mrio
    both = m.accounts(list(m.stressors))
    assert list(both.index.names) == ["stressor", "region"]
    for s in m.stressors:
        pd.testing.assert_frame_equal(both.loc[s], m.accounts(s), check_names=False)
    pd.testing.assert_frame_equal(m.accounts(None), both)
    pd.testing.assert_frame_equal(m.accounts(all), both)
    assert both.attrs["units"] == {s: m.stressor_unit(s) for s in m.stressors}
    with pytest.raises(LabelError, match="unknown stressor 'nope'"):
        m.accounts(["nope"])
    with pytest.raises(LabelError, match="twice"):
        m.accounts([m.stressors[0], m.stressors[0]])


def test_every_error_is_an_ioemissions_error():
    assert issubclass(OptionError, IOEmissionsError) and issubclass(OptionError, ValueError)


def test_option_errors_elsewhere_are_value_errors_too():
    from ioemissions.core.solver import LeontiefSolver
    from ioemissions.regional.lq import location_quotients

    A = np.array([[0.1, 0.2], [0.3, 0.1]])
    with pytest.raises(OptionError, match="precision"):
        LeontiefSolver(A, precision="x")
    with pytest.raises(OptionError, match="method"):
        LeontiefSolver(A, method="qr")
    national = pd.Series([1.0, 2.0], index=["a", "b"])
    with pytest.raises(ValueError, match="method"):
        location_quotients(national, national, method="x")


def test_overflow_in_the_footprint_is_named():
    """Finite stressors whose regional sum overflows (2 × 1.5e308) raise instead of returning inf."""
    idx = pd.MultiIndex.from_tuples([("A", "s"), ("A", "t")], names=["region", "sector"])
    Z = pd.DataFrame([[10.0, 5.0], [5.0, 10.0]], index=idx, columns=idx)
    F = pd.DataFrame([[1.5e308, 1.5e308]], index=["CO2"], columns=idx)
    m = MRIO(Z, pd.DataFrame({"A": [50.0, 50.0]}, index=idx), F, units=UNITS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(NonFiniteError, match=r"overflow float64 at \('A', 'production'\)"):
            m.accounts("CO2")


def test_overflow_of_x_from_coefficients():
    idx = pd.MultiIndex.from_tuples([("A", "s")], names=["region", "sector"])
    A = pd.DataFrame([[0.999999]], index=idx, columns=idx)
    m = MRIO.from_coefficients(A, pd.DataFrame({"A": [1e308]}, index=idx), units="CNY")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(NonFiniteError, match="overflows"):
            m.x  # noqa: B018


def test_inputs_beyond_float64_times_output():
    """Found by the fuzz suite: a column with inputs 1e300 and output 2.7e-173 overflowed A with a RuntimeWarning."""
    idx = pd.MultiIndex.from_product([["r0"], ["s0", "s1"]], names=["region", "sector"])
    Z = pd.DataFrame([[0.0, 1e300], [0.0, 0.0]], index=idx, columns=idx)
    Y = pd.DataFrame({"r0": [0.0, 2.743536e-173]}, index=idx)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(NonProductiveError, match=r"overflows in columns \('r0', 's1'\)"):
            MRIO(Z, Y, units="CNY")


def test_numerically_singular_a_is_not_productive():
    """Found by the fuzz suite: Z = [[3.756903e-11]], Y = 0 gave A = 1 − 1e-16, consumption 0 beside production 1."""
    idx = pd.MultiIndex.from_tuples([("r0", "s0")], names=["region", "sector"])
    m = MRIO(
        pd.DataFrame([[3.756903e-11]], index=idx, columns=idx),
        pd.DataFrame({"r0": [0.0]}, index=idx),
        pd.DataFrame([[1.0]], index=["CO2"], columns=idx),
        units=UNITS,
    )
    with pytest.raises(NonProductiveError, match=r"numerically singular.*\('r0', 's0'\)|>= 1.*\('r0', 's0'\)"):
        m.accounts("CO2")


def test_subnormal_intensities_are_named():
    """Found by the fuzz suite: x = 6e307 with F = 5.1e-11 gave S = 8.5e-319 and an identity off by 2.5e-7."""
    idx = pd.MultiIndex.from_tuples([("r0", "s0")], names=["region", "sector"])
    m = MRIO(
        pd.DataFrame([[0.0]], index=idx, columns=idx),
        pd.DataFrame({"r0": [6e307]}, index=idx),
        pd.DataFrame([[5.129766e-11]], index=["CO2"], columns=idx),
        units=UNITS,
    )
    with pytest.raises(NonFiniteError, match=r"intensities S.*subnormal.*rescale"):
        m.accounts("CO2")


def test_intensities_underflowing_to_zero_are_named():
    """Found by the fuzz suite: F = 3.6e-269 over x = 1e300 underflowed to S = 0 and vanished from the accounts."""
    idx = pd.MultiIndex.from_tuples([("r0", "s0")], names=["region", "sector"])
    m = MRIO(
        pd.DataFrame([[0.0]], index=idx, columns=idx),
        pd.DataFrame({"r0": [1e300]}, index=idx),
        pd.DataFrame([[3.575633e-269]], index=["CO2"], columns=idx),
        units=UNITS,
    )
    with pytest.raises(NonFiniteError, match=r"underflow to zero at \('CO2', \('r0', 's0'\)\)"):
        m.accounts("CO2")


def test_ill_conditioned_table_breaks_no_identity_silently():
    """Found by the fuzz suite: outputs 1 and 1e300 trading with each other gave an identity off by 3e-7."""
    idx = pd.MultiIndex.from_product([["r0"], ["s0", "s1", "s2"]], names=["region", "sector"])
    Z = pd.DataFrame([[0.0, 1.0, -1e-9], [1e300, 0.0, 0.0], [0.0, 0.0, 0.0]], index=idx, columns=idx)
    Y = pd.DataFrame({"r0": [0.0, 0.0, 1.0]}, index=idx)
    F = pd.DataFrame([[1.0, 0.0, 0.0]], index=["CO2"], columns=idx)
    with pytest.raises(UnbalancedTableError, match=r"'r0' are not all allocated to final demand"):
        MRIO(Z, Y, F, units=UNITS).accounts("CO2")

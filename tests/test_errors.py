"""Each error class, triggered by a bad input, names the offending label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ioemissions import MRIO, units
from ioemissions.errors import (
    IOEmissionsError,
    LabelError,
    NegativeOutputError,
    NonFiniteError,
    NonProductiveError,
    ShapeError,
    UnbalancedTableError,
    UnitError,
    UnitMismatchError,
    UnknownUnitError,
)

UNITS = {"monetary": "CNY", "st1": "kg", "st2": "kg"}


def test_all_errors_share_the_base():
    for cls in (
        LabelError,
        ShapeError,
        NonFiniteError,
        NegativeOutputError,
        NonProductiveError,
        UnbalancedTableError,
        UnitError,
        UnitMismatchError,
        UnknownUnitError,
    ):
        assert issubclass(cls, IOEmissionsError)


def test_non_square_Z(two_region):
    Z, Y, F, F_Y = two_region
    with pytest.raises(ShapeError, match="Z columns"):
        MRIO(Z.iloc[:, :5], Y, F, F_Y, units=UNITS)


def test_misaligned_Y_labels(two_region):
    Z, Y, F, F_Y = two_region
    Y = Y.rename(index={"s3": "s9"}, level=1)
    with pytest.raises(LabelError, match=r"s9"):
        MRIO(Z, Y, F, F_Y, units=UNITS)


def test_reordered_labels_are_named(two_region):
    Z, Y, F, F_Y = two_region
    with pytest.raises(LabelError, match="another order"):
        MRIO(Z, Y.iloc[::-1], F, F_Y, units=UNITS)


def test_duplicated_labels(two_region):
    Z, Y, F, F_Y = two_region
    idx = Z.index.tolist()
    idx[1] = idx[0]
    Z2 = Z.copy()
    Z2.index = pd.MultiIndex.from_tuples(idx)
    with pytest.raises(LabelError, match=r"duplicated.*reg1"):
        MRIO(Z2, Y, F, F_Y, units=UNITS)


def test_flat_index_refused(two_region):
    Z, Y, F, F_Y = two_region
    Z2 = Z.copy()
    Z2.index = [f"{a}-{b}" for a, b in Z.index]
    with pytest.raises(LabelError, match="two-level"):
        MRIO(Z2, Y, F, F_Y, units=UNITS)


def test_nan_is_named(two_region):
    Z, Y, F, F_Y = two_region
    Z = Z.copy()
    Z.iloc[2, 4] = np.nan
    with pytest.raises(NonFiniteError, match=r"reg1.*s3.*reg2.*s2"):
        MRIO(Z, Y, F, F_Y, units=UNITS)


def test_negative_output_is_named(two_region):
    Z, Y, F, F_Y = two_region
    Y = Y.copy()
    Y.iloc[1] = -100.0
    with pytest.raises(NegativeOutputError, match=r"reg1.*s2"):
        MRIO(Z, Y, F, F_Y, units=UNITS)


def test_non_productive_A_is_named():
    idx = pd.MultiIndex.from_product([["R"], ["a", "b"]])
    A = pd.DataFrame([[0.5, 0.9], [0.8, 0.3]], index=idx, columns=idx)
    Y = pd.DataFrame({"R": [1.0, 1.0]}, index=idx)
    with pytest.raises(NonProductiveError, match=r"spectral radius.*'b'"):
        _ = MRIO.from_coefficients(A, Y, units="CNY").x


def test_singular_I_minus_A():
    idx = pd.MultiIndex.from_product([["R"], ["a"]])
    A = pd.DataFrame([[1.0]], index=idx, columns=idx)
    with pytest.raises(NonProductiveError):
        _ = MRIO.from_coefficients(A, pd.DataFrame({"R": [1.0]}, index=idx), units="CNY").x


def test_unbalanced_published_total(two_region):
    Z, Y, F, F_Y = two_region
    x = pd.Series([51, 15, 58, 50, 52, 40.0], index=Z.index)
    with pytest.raises(UnbalancedTableError, match=r"reg2.*s3"):
        MRIO(Z, Y, F, F_Y, units=UNITS, x=x)


def test_missing_and_unknown_units(two_region):
    Z, Y, F, F_Y = two_region
    with pytest.raises(UnitError, match="st2"):
        MRIO(Z, Y, F, F_Y, units={"monetary": "CNY", "st1": "kg"})
    with pytest.raises(UnknownUnitError, match="furlongs"):
        MRIO(Z, Y, F, F_Y, units={**UNITS, "monetary": "furlongs"})
    with pytest.raises(UnitError, match="required"):
        MRIO(Z, Y, F, F_Y)


def test_unit_mismatch_refuses_to_scale():
    with pytest.raises(UnitMismatchError, match=r"10\^4 CNY.*10\^8 CNY"):
        units.require_same("10^4 CNY", "10^8 CNY", what="Z and Y")
    with pytest.raises(UnitMismatchError):
        units.factor("CNY", "USD")
    assert units.convert(1.0, "10^8 CNY", "10^4 CNY") == 1e4
    assert units.parse("万元").label == "10^4 CNY"
    assert units.parse("Mt CO2").qualifier == "CO2"


def test_characterize_needs_one_mass_unit(two_region):
    Z, Y, F, F_Y = two_region
    m = MRIO(Z, Y, F, F_Y, units={"monetary": "CNY", "st1": "kg", "st2": "t"})
    with pytest.raises(UnitMismatchError, match="st2"):
        m.characterize({"st1": 1.0, "st2": 2.0})


def test_unknown_stressor_and_region(two_region_mrio):
    with pytest.raises(LabelError, match="nope"):
        two_region_mrio.accounts("nope")
    with pytest.raises(LabelError, match="Mars"):
        two_region_mrio.footprint("st1", "Mars")

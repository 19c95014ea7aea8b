"""Issue 13 item 8: SDA, SPA and LMDI refuse bad arguments with named errors instead of KeyError/NaN/IndexError."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ioemissions as ie
from ioemissions.analysis import layer_totals, lmdi, log_mean, sda, structural_paths
from ioemissions.errors import LabelError, NonFiniteError, OptionError


@pytest.fixture(scope="module")
def kitzes():
    """Kitzes (2013), Resources 2:489-503 (validation case 3): footprint of y = (3, 6) is 12 = 8 + 4."""
    idx = pd.MultiIndex.from_product([["R"], ["a", "b"]])
    Z = pd.DataFrame([[8.0, 5.0], [4.0, 2.0]], index=idx, columns=idx)
    F = pd.DataFrame([[8.0, 4.0]], index=["q"], columns=idx)
    return ie.MRIO(Z, pd.DataFrame({"R": [3.0, 6.0]}, index=idx), F, units={"monetary": "CNY", "q": "t"})


def test_sda_unknown_region(two_region_mrio):
    """Before: KeyError from pandas."""
    with pytest.raises(LabelError, match="unknown regions 'Mars'"):
        sda(two_region_mrio, two_region_mrio, "st1", regions=["Mars"])
    with pytest.raises(OptionError, match="method must be one of 'polar', 'all'; got 'x'"):
        sda(two_region_mrio, two_region_mrio, "st1", method="x")


@pytest.mark.parametrize("top", [0, -1, 2.5])
def test_spa_top_must_be_positive(kitzes, top):
    """Before: top=0 raised IndexError from the heap."""
    with pytest.raises(OptionError, match="top must be a positive integer"):
        structural_paths(kitzes, "q", "R", top=top)


@pytest.mark.parametrize("threshold", [float("nan"), -0.1, 1.0])
def test_spa_threshold(kitzes, threshold):
    """Before: threshold=NaN returned an empty table."""
    with pytest.raises(OptionError, match="threshold"):
        structural_paths(kitzes, "q", "R", threshold=threshold)


def test_spa_nan_demand_and_depth(kitzes):
    y = pd.Series([np.nan, 6.0], index=kitzes.nodes)
    with pytest.raises(NonFiniteError, match=r"\('R', 'a'\)"):
        structural_paths(kitzes, "q", y)
    with pytest.raises(NonFiniteError):
        structural_paths(kitzes, "q", np.array([1.0, np.inf]))
    with pytest.raises(OptionError, match="max_depth"):
        structural_paths(kitzes, "q", "R", max_depth=-1)
    with pytest.raises(OptionError, match="max_depth"):
        layer_totals(kitzes, "q", "R", max_depth=-1)
    # a valid call still reproduces Kitzes' total of 12
    assert structural_paths(kitzes, "q", "R").attrs["total"] == pytest.approx(12.0)


def test_lmdi_non_positive():
    """Before: a NaN total ratio and effects that did not add up to the change, without error."""
    with pytest.raises(OptionError, match="positive aggregate"):
        lmdi({"a": 0.0, "b": 0.0}, {"a": 0.0, "b": 0.0}, kind="multiplicative")
    with pytest.raises(OptionError, match="under- or overflows"):
        lmdi({k: 0.0 for k in "abcd"}, {k: 1.0 for k in "abcd"})
    with pytest.raises(OptionError, match="logarithmic mean needs positive"):
        log_mean(-1.0, 2.0)
    with pytest.raises(OptionError, match="kind"):
        lmdi({"a": 1.0}, {"a": 2.0}, kind="x")
    with pytest.raises(NonFiniteError, match="non-numeric"):
        lmdi({"a": "x"}, {"a": 2.0})
    assert log_mean(2.0, 1.0) == pytest.approx(1 / np.log(2))

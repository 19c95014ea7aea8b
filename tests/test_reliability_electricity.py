"""Issue 13 item 4 and item 8: electricity tracing refuses ill-posed networks with named errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ioemissions.electricity.provinces import imported_emissions
from ioemissions.electricity.tracing import trace
from ioemissions.errors import LabelError, NonFiniteError, OptionError, UnbalancedTableError

NODES = ["A", "B", "C", "D"]


def network():
    """A generates 100 with 80 t and sends 30 to D; B→C = 10 and C→B = 10 with no generation in B or C."""
    g = pd.Series([100.0, 0.0, 0.0, 0.0], index=NODES)
    e = pd.Series([80.0, 0.0, 0.0, 0.0], index=NODES)
    F = pd.DataFrame(0.0, index=NODES, columns=NODES)
    F.loc["A", "D"] = 30.0
    F.loc["B", "C"] = F.loc["C", "B"] = 10.0
    return g, e, F


def test_loop_without_source_is_named():
    """Before: every intensity NaN, even A's and D's, which are well defined (0.8)."""
    g, e, F = network()
    with pytest.raises(UnbalancedTableError, match=r"nodes 'B', 'C' without any generation upstream"):
        trace(g, e, F)


def test_a_loop_fed_by_a_generator_is_fine():
    """A feeds the loop: A→B = 10. B and C then carry A's mix exactly, 0.8 t per unit."""
    g, e, F = network()
    F.loc["A", "B"] = 10.0
    r = trace(g, e, F)
    np.testing.assert_allclose(r.intensity, [0.8, 0.8, 0.8, 0.8], rtol=1e-12)
    np.testing.assert_allclose(r.attribution.sum(axis=1)["A"], 80.0, rtol=1e-12)  # conservation


@pytest.mark.parametrize("what", ["generation", "emissions", "flows"])
def test_infinity_is_rejected(what):
    g, e, F = network()
    F.loc["B", "C"] = F.loc["C", "B"] = 0.0
    if what == "generation":
        g["A"] = np.inf
    elif what == "emissions":
        e["A"] = np.inf
    else:
        F.loc["A", "D"] = np.inf
    with pytest.raises(NonFiniteError, match="'A'"):
        trace(g, e, F)


def test_lists_arrays_and_duplicates_are_named():
    g, e, F = network()
    F.loc["B", "C"] = F.loc["C", "B"] = 0.0
    with pytest.raises(LabelError, match="generation must be a pandas Series"):
        trace(list(g), e, F)
    with pytest.raises(LabelError, match="flows must be a square pandas DataFrame"):
        trace(g, e, F.to_numpy())
    with pytest.raises(LabelError, match="emissions must be a pandas Series"):
        trace(g, e.to_numpy(), F)
    dup = pd.Series([1.0, 2.0], index=["A", "A"])
    with pytest.raises(LabelError, match="duplicated nodes 'A'"):
        trace(dup, dup, pd.DataFrame(0.0, index=["A"], columns=["A"]))
    Fd = pd.DataFrame(0.0, index=["A", "A", "B", "C", "D"], columns=NODES)
    with pytest.raises(LabelError, match="flows rows have duplicated nodes 'A'"):
        trace(g, e, Fd)


@pytest.mark.parametrize(("kw", "match"), [({"method": "x"}, "method"), ({"kind": "per"}, "kind")])
def test_bad_options(kw, match):
    g, e, F = network()
    with pytest.raises(OptionError, match=match):
        trace(g, e, F, **kw)


def test_imported_emissions_year_as_text():
    """Before: 'no interprovincial electricity data for 2017' although 2017 exists (year was the string)."""
    with pytest.raises(OptionError, match="year must be an integer such as 2017, not str '2017'"):
        imported_emissions(year="2017")

"""Fuzz suite (issue 13 item 10): malformed inputs give a correct result or an ``IOEmissionsError``, nothing else.

Targets: MRIO frames (dead sectors, imports, NaN, huge and tiny values), CEADs-layout workbooks,
electricity networks and scenario-like dicts (only if ``ioemissions.pathways`` exists). For every
generated input the library must either

* return a result with no NaN or infinity that satisfies the accounting identities
  (x = Z e + Y e; consumption = production − exports + imports; Σ_j attribution = emissions), or
* raise an exception derived from :class:`ioemissions.errors.IOEmissionsError`.

Any other exception (a numpy, pandas or openpyxl error) or a silent NaN/inf/negative footprint fails.

The number of examples per target is ``IOEMISSIONS_FUZZ_EXAMPLES`` (default 200 for the cheap targets;
the workbook target runs a quarter of it because each example writes an .xlsx file). Set it higher for
a longer hunt, e.g. ``IOEMISSIONS_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import importlib.util
import os
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ioemissions as ie
from ioemissions.electricity.tracing import trace
from ioemissions.errors import IOEmissionsError

EXAMPLES = int(os.environ.get("IOEMISSIONS_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # CI runs the same examples every time; raise IOEMISSIONS_FUZZ_EXAMPLES to explore more
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
FUZZ_SLOW = settings(FUZZ, max_examples=max(EXAMPLES // 4, 10))

#: Cell values: mostly ordinary, sometimes zero, huge, tiny (subnormal), negative or NaN/inf.
CELL = st.one_of(
    st.floats(0.0, 100.0),
    st.floats(0.0, 100.0),
    st.floats(0.0, 100.0),
    st.just(0.0),
    st.just(0.0),
    st.sampled_from([1e300, 6e307, 1e-310, 1e-320, 5e-324, -1.0, -1e-9, np.nan, np.inf, -np.inf]),
)


def _finite(x) -> bool:
    return bool(np.isfinite(np.asarray(x, dtype=float)).all())


# ----------------------------------------------------------------------------- MRIO frames
@st.composite
def mrio_inputs(draw):
    R = draw(st.integers(1, 3))
    s = draw(st.integers(1, 3))
    regions = [f"r{i}" for i in range(R)]
    sectors = [f"s{j}" for j in range(s)]
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    n = len(idx)
    Z = np.array(draw(st.lists(CELL, min_size=n * n, max_size=n * n))).reshape(n, n)
    Y = np.array(draw(st.lists(CELL, min_size=n * R, max_size=n * R))).reshape(n, R)
    dead = draw(st.lists(st.integers(0, n - 1), max_size=2))
    for j in dead:  # a dead sector: no output, no inputs
        Z[j, :] = 0.0
        Z[:, j] = 0.0
        Y[j, :] = 0.0
    F = np.array(draw(st.lists(CELL, min_size=n, max_size=n)))[None, :]
    kw = {}
    if draw(st.booleans()):  # an import block, one imported product per sector
        Zi = np.array(draw(st.lists(CELL, min_size=s * n, max_size=s * n))).reshape(s, n)
        Yi = np.array(draw(st.lists(CELL, min_size=s * R, max_size=s * R))).reshape(s, R)
        kw["Z_imp"] = pd.DataFrame(Zi, index=sectors, columns=idx)
        kw["Y_imp"] = pd.DataFrame(Yi, index=sectors, columns=regions)
    return (
        pd.DataFrame(Z, index=idx, columns=idx),
        pd.DataFrame(Y, index=idx, columns=regions),
        pd.DataFrame(F, index=["CO2"], columns=idx),
        kw,
    )


@FUZZ
@given(mrio_inputs())
def test_fuzz_mrio(inputs):
    Z, Y, F, kw = inputs
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # an overflow warning is a silent wrong result
        try:
            m = ie.MRIO(Z, Y, F, units={"monetary": "CNY", "CO2": "t"}, **kw)
            acc = m.accounts("CO2")
            x = m.x.to_numpy()
        except IOEmissionsError:
            return
    assert _finite(acc.to_numpy()) and _finite(x)
    with np.errstate(over="ignore"):
        scale = min(max(np.abs(Z.to_numpy()).sum() + np.abs(Y.to_numpy()).sum(), 1.0), 1e300)
    np.testing.assert_allclose(x, Z.sum(axis=1) + Y.sum(axis=1), rtol=1e-9, atol=1e-12 * scale)
    emis = max(np.abs(F.to_numpy()).sum(), np.abs(acc.to_numpy()).max(initial=0.0), 1e-300)
    np.testing.assert_allclose(
        acc["consumption"], acc["production"] - acc["exports"] + acc["imports"], rtol=1e-9, atol=1e-9 * emis
    )
    # non-negative inputs give non-negative accounts (up to rounding); a negative stressor (a sink) may not
    inputs = [Z, Y, F, *kw.values()]
    if all((d.to_numpy() >= 0).all() for d in inputs):
        tol = 1e-9 * emis
        assert (acc[["production", "consumption", "exports", "imports"]] >= -tol).all().all(), acc


# ----------------------------------------------------------------------------- CEADs-layout workbooks
PROVINCES = ["Beijing", "Shanghai"]
SECTORS = [("Agriculture", "01"), ("Industry", "02")]
FD = ["FU101", "FU102", "FU103", "FU201", "FU202"]
BAD_CELL = st.sampled_from(["#N/A", "#DIV/0!", "#REF!", "n/a", "", " ", "=A1+1", "1e999", True, -5.0, 0.0, 1e300])


def _write_ceads(path, year, co2, corruptions, cut):
    from conftest import ceads_system, write_ceads_table
    from openpyxl import Workbook

    Z, Y, ex, err, go = ceads_system(3, PROVINCES, SECTORS, FD)
    wb = Workbook()
    wb.active.title = "Note"
    ws = wb.create_sheet(f"Table_{year}")
    write_ceads_table(ws, year, PROVINCES, SECTORS, FD, Z, Y, ex, err, go, co2=co2)
    for (row, column), value in corruptions:
        ws.cell(row, column, value)
    wb.save(path)
    if cut:
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * cut)])
    return go


@FUZZ_SLOW
@given(
    year=st.sampled_from([2012, 2015, 2017, 2018, 2020]),
    corruptions=st.lists(st.tuples(st.tuples(st.integers(1, 20), st.integers(1, 22)), BAD_CELL), max_size=3),
    cut=st.one_of(st.none(), st.none(), st.none(), st.floats(0.05, 0.95)),
)
def test_fuzz_ceads_workbooks(tmp_path_factory, year, corruptions, cut):
    path = tmp_path_factory.mktemp("ceads") / "ceads.xlsx"
    _write_ceads(path, year, year >= 2018, corruptions, cut)
    try:
        m = ie.tables.read_ceads_mrio(path)
        acc = m.accounts("CO2") if len(m.stressors) else None
    except IOEmissionsError:
        return
    assert _finite(m.Z.to_numpy()) and _finite(m.Y.to_numpy()) and _finite(m.x.to_numpy())
    np.testing.assert_allclose(m.x, m.Z.sum(axis=1) + m.Y.sum(axis=1), rtol=1e-6)
    if acc is not None:
        assert _finite(acc.to_numpy())
        np.testing.assert_allclose(
            acc["consumption"], acc["production"] - acc["exports"] + acc["imports"], rtol=1e-9, atol=1e-9
        )


# ----------------------------------------------------------------------------- electricity networks
@st.composite
def networks(draw):
    n = draw(st.integers(1, 5))
    nodes = [f"n{i}" for i in range(n)]
    g = pd.Series(draw(st.lists(CELL, min_size=n, max_size=n)), index=nodes)
    e = pd.Series(draw(st.lists(CELL, min_size=n, max_size=n)), index=nodes)
    F = np.array(draw(st.lists(CELL, min_size=n * n, max_size=n * n))).reshape(n, n)
    sparsity = np.array(draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n))).reshape(n, n)
    F = np.where(sparsity, F, 0.0)
    return g, e, pd.DataFrame(F, index=nodes, columns=nodes), draw(st.sampled_from(["error", "scale"]))


@FUZZ
@given(networks())
def test_fuzz_electricity(net):
    g, e, F, on_excess = net
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            r = trace(g, e, F, on_excess=on_excess)
        except IOEmissionsError:
            return
    assert _finite(r.intensity) and _finite(r.attribution.to_numpy()) and _finite(r.consumption)
    scale = max(e.abs().sum(), 1e-300)
    assert (r.intensity >= -1e-9 * scale).all()
    # conservation: every generator's emissions are consumed somewhere
    np.testing.assert_allclose(r.attribution.sum(axis=1), e, rtol=1e-6, atol=1e-9 * scale)


# ----------------------------------------------------------------------------- scenario-like dicts
SCALAR = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.text(max_size=5), st.none())
#: Keys: arbitrary text, and common words of scenario files (generic structure only, no lever semantics).
KEY = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["name", "description", "scenario", "end", "start", "year", "levers", "drivers", "targets"]),
)
SCENARIO = st.recursive(
    st.dictionaries(KEY, SCALAR, max_size=4),
    lambda inner: st.dictionaries(
        KEY, st.one_of(inner, st.lists(inner, max_size=3), st.lists(SCALAR, max_size=4)), max_size=4
    ),
    max_leaves=12,
)


@pytest.mark.skipif(importlib.util.find_spec("ioemissions.pathways") is None, reason="ioemissions.pathways absent")
@FUZZ
@given(SCENARIO)
def test_fuzz_scenario_dicts(spec):
    """Only generic structure: any public function taking a scenario dict refuses junk with a named error."""
    import ioemissions.pathways as pw

    entry = next(
        (
            getattr(pw, name)
            for name in ("Scenario", "scenario_from_dict", "from_dict", "load_scenario")
            if hasattr(pw, name)
        ),
        None,
    )
    if entry is None:
        pytest.skip("no scenario entry point in ioemissions.pathways")
    if isinstance(entry, type) and hasattr(entry, "from_dict"):
        entry = entry.from_dict
    try:
        entry(spec)
    except IOEmissionsError:
        pass

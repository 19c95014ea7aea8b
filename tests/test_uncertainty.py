"""ioemissions.uncertainty: distributions, seeded draws, executors, resumable chunks (issue 15)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as st

from ioemissions.errors import DistributionError, DrawError, ExecutorError
from ioemissions.uncertainty import DrawPlan, from_spec, lognormal, normal, run_draws, triangular, uniform
from ioemissions.uncertainty.distributions import Distribution, ppf

U = np.array([1e-9, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-9])


# ------------------------------------------------------------------ distributions
def test_inverse_cdfs_match_scipy():
    tri = triangular(1.0, 2.0, 5.0)
    np.testing.assert_allclose(ppf(tri, U), st.triang(c=1 / 4, loc=1.0, scale=4.0).ppf(U), rtol=1e-12)
    np.testing.assert_allclose(ppf(uniform(-1, 3), U), st.uniform(-1, 4).ppf(U), rtol=1e-12)
    np.testing.assert_allclose(ppf(normal(2.0, 0.5), U), st.norm(2.0, 0.5).ppf(U), rtol=1e-12)
    np.testing.assert_allclose(ppf(lognormal(3.0, 0.4), U), st.lognorm(s=0.4, scale=3.0).ppf(U), rtol=1e-12)
    trunc = normal(0.0, 1.0, minimum=-1.0, maximum=2.0)
    np.testing.assert_allclose(ppf(trunc, U), st.truncnorm(-1.0, 2.0).ppf(U), rtol=1e-9, atol=1e-12)


def test_specs_and_stats_arrays_round_trip():
    d = from_spec({"triangular": [0.7, 0.8, 0.95]}, name="k")
    assert (d.kind, d.minimum, d.loc, d.maximum, d.static) == ("triangular", 0.7, 0.8, 0.95, 0.8)
    assert d.to_stats_arrays() == {"uncertainty_type": 5, "minimum": 0.7, "maximum": 0.95, "loc": 0.8, "amount": 0.8}
    assert Distribution.from_stats_arrays(d.to_stats_arrays(), name="k") == d
    ln = from_spec({"lognormal": [2.0, 0.3]})
    assert ln.to_stats_arrays()["loc"] == math.log(2.0) and ln.static_position() == "median"
    assert triangular(0, 1, 2).static_position() == "mode"
    assert uniform(0, 2, static=1.0).static_position() == "mode"


@pytest.mark.parametrize(
    ("spec", "static", "match"),
    [
        ({"gamma": [1, 2]}, None, "unknown distribution kind 'gamma'"),
        ({"normal": [1.0, -0.1]}, None, "scale must be > 0"),
        ({"lognormal": [1.0, 0.0]}, None, "scale must be > 0"),
        ({"uniform": [1.0, 3.0]}, 4.0, "static value 4.0 lies outside"),
        ({"triangular": [0.9, 0.8, 1.0]}, None, "mode 0.8 outside"),
        ({"uniform": [3.0, 1.0]}, None, "not below upper bound"),
        ({"triangular": [0.0, 1.0]}, None, "takes 3 numbers"),
    ],
)
def test_bad_distributions_are_named_errors(spec, static, match):
    with pytest.raises(DistributionError, match=match) as info:
        from_spec(spec, static=static, name="levers/grid/factor/2030")
    assert "levers/grid/factor/2030" in str(info.value)


@pytest.mark.parametrize("draws", [0, -3, 2.5, True])
def test_draws_must_be_a_positive_integer(draws):
    with pytest.raises(DistributionError, match="draws must be an integer >= 1"):
        DrawPlan(1, draws, {"a": uniform(0, 1)})


def test_draw_i_uses_child_i_of_the_seed_sequence():
    plan = DrawPlan(42, 5, {"a": uniform(0, 1), "b": normal(0, 1)})
    children = np.random.SeedSequence(42).spawn(5)
    for i in (0, 3, 4):
        rng = np.random.default_rng(children[i])
        u = rng.random(2)
        v = plan.values(i)
        assert v["a"] == u[0]
        assert v["b"] == pytest.approx(st.norm.ppf(u[1]), rel=1e-14)


# ------------------------------------------------------------------ a small Leontief system
A = np.array([[0.15, 0.25], [0.2, 0.05]])  # Miller & Blair (2009), Table 2.3
L = np.linalg.inv(np.eye(2) - A)
S = np.array([0.3, 0.1])  # emissions per unit of output (illustrative)


class SmallModel:
    """Footprint s (I − A)⁻¹ y with y1 varying, and s1 scaled by a factor."""

    def __call__(self, v):
        s = S * np.array([v.get("s1", 1.0), 1.0])
        y = np.array([v["y1"], 1700.0])
        x = np.linalg.solve(np.eye(2) - A, y)
        return {"footprint": np.array([s @ x]), "x": x}


PARAMS = {"y1": uniform(300.0, 400.0, static=350.0), "s1": triangular(0.9, 1.0, 1.2)}


def test_percentiles_match_a_direct_numpy_monte_carlo():
    plan = DrawPlan(7, 400, PARAMS)
    got = run_draws(SmallModel(), plan)["footprint"][:, 0]
    # the same draws, vectorised with numpy
    table = plan.table()
    y = np.column_stack([table[:, 0], np.full(400, 1700.0)])
    s = np.column_stack([S[0] * table[:, 1], np.full(400, S[1])])
    direct = np.einsum("di,ij,dj->d", s, L, y)
    np.testing.assert_allclose(got, direct, rtol=1e-12)
    q = [2.5, 50, 97.5]
    np.testing.assert_allclose(np.percentile(got, q), np.percentile(direct, q), rtol=1e-12)


def test_percentiles_converge_to_the_analytic_ones():
    """Only y1 varies (uniform): the footprint is linear in y1, so its percentiles are known exactly."""
    plan = DrawPlan(3, 4000, {"y1": uniform(300.0, 400.0, static=350.0)})
    got = run_draws(SmallModel(), plan)["footprint"][:, 0]
    k = S @ L  # footprint = k1 y1 + k2 1700
    for p in (5, 50, 95):
        exact = k[0] * (300.0 + p / 100 * 100.0) + k[1] * 1700.0
        sd = math.sqrt(p / 100 * (1 - p / 100) / 4000) * k[0] * 100.0  # standard error of a sample quantile
        assert np.percentile(got, p) == pytest.approx(exact, abs=4 * sd)


# ------------------------------------------------------------------ executors
def test_results_identical_whatever_the_executor_workers_and_chunks():
    from dask.distributed import Client, LocalCluster

    plan = DrawPlan(11, 60, PARAMS)
    ref = run_draws(SmallModel(), plan)
    assert set(ref) == {"footprint", "x"} and ref["x"].shape == (60, 2)
    for n in (1, 2):
        with (
            LocalCluster(n_workers=n, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
            Client(cluster) as client,
        ):
            for chunk in (7, 60):
                got = run_draws(SmallModel(), plan, executor=client, chunk_size=chunk)
                for k in ref:
                    np.testing.assert_array_equal(got[k], ref[k])  # bit for bit


def test_unusable_executors_fail_before_any_work():
    calls = []

    def model(v):
        calls.append(v)
        return np.zeros(1)

    plan = DrawPlan(1, 3, PARAMS)
    with pytest.raises(ExecutorError, match="unknown executor 'threads-please'"):
        run_draws(model, plan, executor="threads-please")
    with pytest.raises(ExecutorError, match=r"needs an active dask\.distributed\.Client"):
        run_draws(model, plan, executor="dask")
    with pytest.raises(ExecutorError, match=r"cannot reach the Dask scheduler at 'tcp://127\.0\.0\.1:9'"):
        run_draws(model, plan, executor="tcp://127.0.0.1:9")
    assert calls == []


class FailingModel(SmallModel):
    def __init__(self, bad_above=None):
        self.bad_above = bad_above
        self.calls = 0

    def __call__(self, v):
        self.calls += 1
        if self.bad_above is not None and v["y1"] > self.bad_above:
            raise ValueError("y1 too large for this test")
        return super().__call__(v)


def test_a_failing_draw_names_its_index_and_parameters_and_chunks_are_kept(tmp_path):
    plan = DrawPlan(5, 20, PARAMS)
    table = plan.table()
    first_bad = int(np.argmax(table[:, 0] > 390.0))
    assert table[first_bad, 0] > 390.0 and first_bad >= 5
    with pytest.raises(DrawError, match=rf"draw {first_bad} failed with parameters \{{y1=") as info:
        run_draws(FailingModel(bad_above=390.0), plan, chunk_size=5, folder=tmp_path)
    assert info.value.draw == first_bad and info.value.parameters["y1"] == table[first_bad, 0]
    saved = sorted(p.name for p in tmp_path.glob("chunk-*.npz"))
    assert len(saved) == first_bad // 5  # every chunk before the failing one
    # resume: only the missing chunks run, and the result equals a fresh run
    m = FailingModel()
    resumed = run_draws(m, plan, chunk_size=5, folder=tmp_path)
    assert m.calls == 20 - 5 * len(saved)
    np.testing.assert_array_equal(resumed["footprint"], run_draws(SmallModel(), plan)["footprint"])


def test_a_folder_of_another_plan_is_refused(tmp_path):
    from ioemissions.errors import DataFileError

    run_draws(SmallModel(), DrawPlan(5, 4, PARAMS), folder=tmp_path)
    with pytest.raises(DataFileError, match=r"plan\.json.*another plan"):
        run_draws(SmallModel(), DrawPlan(6, 4, PARAMS), folder=tmp_path)


def test_non_finite_results_are_a_draw_error():
    def model(v):
        return np.array([np.nan if v["y1"] > 350 else 1.0])

    with pytest.raises(DrawError, match="non-finite"):
        run_draws(model, DrawPlan(1, 30, PARAMS))

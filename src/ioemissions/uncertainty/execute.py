"""Seeded draw plans and chunked execution: in-process, on local processes, or on a Dask cluster.

One code path for every executor. A run is a :class:`DrawPlan` (seed, number of draws, named
distributions) and a *model*: a picklable callable ``model(values) -> {name: array}`` taking one draw's
parameter values. Draw ``i`` takes its numbers from its own generator,
``numpy.random.default_rng(SeedSequence(seed, spawn_key=(i,)))`` — the ``i``-th child of
``SeedSequence(seed).spawn`` — so every draw, and therefore every result, is the same whatever the
chunking, the executor and the number of workers.

Draws are cut into chunks (a task each). A model may keep what does not change between draws (a
base table, a factorisation) in lazily filled attributes; :class:`CachedModel` drops them when pickled,
so each worker fills them once. With ``folder=``, each finished chunk is written there
(``chunk-<start>-<stop>.npz``, atomically) beside ``plan.json``; a rerun with the same plan loads
those chunks and computes only the missing ones. A failing draw raises :class:`DrawError` naming
the draw and its parameters, after the chunks that did finish have been saved.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import DataFileError, DistributionError, DrawError, ExecutorError
from .distributions import Distribution, from_spec

__all__ = ["CachedModel", "DrawPlan", "resolve_executor", "run_draws"]


@dataclass(frozen=True)
class DrawPlan:
    """Seed, number of draws and the named distributions (drawn in this order within each draw)."""

    seed: int
    draws: int
    params: Mapping[str, Distribution] = field(default_factory=dict)

    def __post_init__(self):
        if isinstance(self.draws, bool) or not isinstance(self.draws, (int, np.integer)) or self.draws < 1:
            raise DistributionError(f"draws must be an integer >= 1, got {self.draws!r}")
        if not isinstance(self.seed, (int, np.integer)) or isinstance(self.seed, bool) or self.seed < 0:
            raise DistributionError(f"seed must be a non-negative integer, got {self.seed!r}")
        params = {str(k): from_spec(v, name=str(k)) for k, v in dict(self.params).items()}
        object.__setattr__(self, "params", params)

    def rng(self, draw: int) -> np.random.Generator:
        """The generator of draw ``draw``: child ``draw`` of ``SeedSequence(seed)`` (same as ``.spawn(n)[draw]``)."""
        return np.random.default_rng(np.random.SeedSequence(int(self.seed), spawn_key=(int(draw),)))

    def values(self, draw: int) -> dict[str, float]:
        """The parameter values of one draw."""
        rng = self.rng(draw)
        return {k: d.sample(rng) for k, d in self.params.items()}

    def static(self) -> dict[str, float]:
        """The static values (what the deterministic model uses)."""
        return {k: d.static for k, d in self.params.items()}

    def table(self) -> np.ndarray:
        """All draws' parameter values, draws × parameters."""
        return np.array([[v for v in self.values(i).values()] for i in range(self.draws)]).reshape(self.draws, -1)

    def fingerprint(self) -> str:
        """A hash of the seed and the distributions (not of ``draws``), to check a folder before resuming."""
        spec = {"seed": int(self.seed), "params": {k: d.to_stats_arrays() for k, d in self.params.items()}}
        return hashlib.sha256(json.dumps(spec, sort_keys=True, default=float).encode()).hexdigest()[:16]


class CachedModel:
    """Base for models that keep expensive, draw-independent state in attributes named in ``_cache``.

    A model may define ``tag`` (a short string saying what it computes); a folder of saved chunks is
    resumed only by a model with the same tag.

    The attributes are dropped when the model is pickled (sent to a worker) and refilled there once,
    under a lock so that threads of one worker do not fill them twice.
    """

    _cache: tuple[str, ...] = ()

    def __getstate__(self):
        state = self.__dict__.copy()
        for k in (*self._cache, "_lock"):
            state.pop(k, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    @property
    def lock(self) -> threading.Lock:
        if "_lock" not in self.__dict__:
            self.__dict__["_lock"] = threading.Lock()
        return self.__dict__["_lock"]


def _as_dict(out) -> dict[str, np.ndarray]:
    if isinstance(out, Mapping):
        return {str(k): np.asarray(v, dtype=float) for k, v in out.items()}
    return {"value": np.asarray(out, dtype=float)}


def run_chunk(model: Callable, plan: DrawPlan, start: int, stop: int) -> dict[str, np.ndarray]:
    """Run draws ``start..stop-1``; results stacked along a first (draw) axis.

    BLAS runs on one thread inside a chunk, as in a Dask worker (whose nanny sets ``OPENBLAS_NUM_THREADS=1``):
    the parallelism is across draws, the numbers do not depend on the executor, and small solves are not
    slowed by threads fighting for the cores.
    """
    from ..core.solver import one_blas_thread

    with one_blas_thread():
        return _run_chunk(model, plan, start, stop)


def _run_chunk(model: Callable, plan: DrawPlan, start: int, stop: int) -> dict[str, np.ndarray]:
    rows: list[dict[str, np.ndarray]] = []
    for i in range(start, stop):
        values = plan.values(i)
        try:
            out = _as_dict(model(values))
        except Exception as exc:
            shown = ", ".join(f"{k}={v:.6g}" for k, v in values.items())
            raise DrawError(
                f"draw {i} failed with parameters {{{shown}}}: {type(exc).__name__}: {exc}", draw=i, parameters=values
            ) from exc
        bad = [k for k, v in out.items() if not np.isfinite(v).all()]
        if bad:
            shown = ", ".join(f"{k}={v:.6g}" for k, v in values.items())
            raise DrawError(f"draw {i} gave non-finite {bad} with parameters {{{shown}}}", draw=i, parameters=values)
        rows.append(out)
    return {k: np.stack([r[k] for r in rows]) for k in rows[0]}


def resolve_executor(executor, workers: int | None = None):
    """``(client, close)`` for an executor, checked before any work: ``None`` → ``(None, None)``;
    ``"processes"`` → a new :class:`dask.distributed.LocalCluster` (``workers`` processes, one thread each),
    closed by ``close()``; ``"dask"`` → the active client; a ``dask.distributed.Client``; or a scheduler
    address ``"tcp://host:port"`` (connected with a 10 s timeout). Raises :class:`ExecutorError`.
    """
    if executor is None:
        return None, None
    try:
        from dask.distributed import Client, LocalCluster, get_client
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise ExecutorError(f"executor {executor!r} needs dask[distributed]: pip install 'dask[distributed]'") from exc
    if isinstance(executor, Client):
        if executor.status not in ("running", "connecting"):
            raise ExecutorError(f"the Dask client {executor!r} is {executor.status}, not running")
        return executor, None
    if executor == "processes":
        n = int(workers or os.cpu_count() or 1)
        if n < 1:
            raise ExecutorError(f"workers must be >= 1, got {workers}")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)

        def close():
            client.close()
            cluster.close()

        return client, close
    if executor == "dask":
        try:
            return get_client(), None
        except ValueError as exc:
            raise ExecutorError("executor='dask' needs an active dask.distributed.Client; none is running") from exc
    if isinstance(executor, str) and "://" in executor:
        try:
            client = Client(executor, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {executor!r}: {exc}") from exc
        return client, client.close
    raise ExecutorError(
        f"unknown executor {executor!r}: give None, 'processes', 'dask', a Client or a scheduler address"
    )


def _n_workers(client) -> int:
    if client is None:
        return 1
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # pragma: no cover - a scheduler that does not answer the info call
        return 1


def _chunks(draws: int, size: int) -> list[tuple[int, int]]:
    return [(s, min(s + size, draws)) for s in range(0, draws, size)]


class _Store:
    """Per-chunk result files in a folder, with the plan they belong to."""

    def __init__(self, folder, plan: DrawPlan, chunk_size: int, tag: str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = {"fingerprint": plan.fingerprint(), "chunk_size": chunk_size, "model": tag}
        path = self.folder / "plan.json"
        if path.exists():
            old = json.loads(path.read_text())
            if old != meta:
                raise DataFileError(
                    f"{path}: the saved draws belong to another plan ({old}); use a new folder or delete this one"
                )
        else:
            path.write_text(json.dumps(meta, indent=1))

    def path(self, start: int, stop: int) -> Path:
        return self.folder / f"chunk-{start:07d}-{stop:07d}.npz"

    def load(self, start: int, stop: int) -> dict[str, np.ndarray] | None:
        p = self.path(start, stop)
        if not p.exists():
            return None
        with np.load(p) as f:
            return {k: f[k] for k in f.files}

    def save(self, start: int, stop: int, result: dict[str, np.ndarray]) -> None:
        p = self.path(start, stop)
        tmp = p.with_suffix(".tmp.npz")
        np.savez(tmp, **result)
        os.replace(tmp, p)


def run_draws(
    model: Callable,
    plan: DrawPlan,
    *,
    executor=None,
    workers: int | None = None,
    chunk_size: int | None = None,
    folder: str | os.PathLike | None = None,
    progress: bool = False,
) -> dict[str, np.ndarray]:
    """Run every draw of ``plan`` through ``model``; ``{name: array (draws, ...)}`` in draw order.

    ``executor``: see :func:`resolve_executor` (checked before any work). ``chunk_size`` defaults to
    about four chunks per worker (at most 100 draws a chunk). ``folder`` saves each chunk and resumes a run
    with the same plan.
    """
    client, close = resolve_executor(executor, workers)
    try:
        n = _n_workers(client)
        size = int(chunk_size or max(1, min(100, math.ceil(plan.draws / (4 * n)))))
        if size < 1:
            raise ExecutorError(f"chunk_size must be >= 1, got {chunk_size}")
        chunks = _chunks(plan.draws, size)
        tag = str(getattr(model, "tag", type(model).__qualname__))
        store = _Store(folder, plan, size, tag) if folder is not None else None
        done: dict[tuple[int, int], dict[str, np.ndarray]] = {}
        if store is not None:
            for c in chunks:
                got = store.load(*c)
                if got is not None:
                    done[c] = got
        todo = [c for c in chunks if c not in done]
        bar = _progress(progress, len(chunks), len(done))
        first_error: BaseException | None = None
        if client is None:
            for c in todo:
                done[c] = run_chunk(model, plan, *c)
                if store is not None:
                    store.save(*c, done[c])
                bar.update(1)
        else:
            from dask.distributed import as_completed

            [model_f] = client.scatter([model], broadcast=True, hash=False)
            futures = {client.submit(run_chunk, model_f, plan, *c, pure=False): c for c in todo}
            for fut in as_completed(list(futures)):
                c = futures[fut]
                try:
                    done[c] = fut.result()
                except DrawError as exc:  # keep the others: their chunks are saved, then raise
                    first_error = first_error or exc
                    continue
                if store is not None:
                    store.save(*c, done[c])
                bar.update(1)
        bar.close()
        if first_error is not None:
            raise first_error
        return {k: np.concatenate([done[c][k] for c in chunks]) for k in done[chunks[0]]}
    finally:
        if close is not None:
            close()


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _progress(show: bool, total: int, initial: int):
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="chunk", desc="draws")

"""Write output folders whole: everything goes to a temporary sibling, then one rename swaps it in.

What happens to an existing output folder:

* it is **replaced whole**: files of an earlier run that this run does not write are gone afterwards,
  so a folder never mixes two runs (a 2017 ``accounts.csv`` beside a 2012 ``summary.csv``);
* the previous folder is kept (renamed to a hidden sibling) until the new one is in place, and
  restored if the swap fails; a crash or an interruption (Ctrl-C, SIGTERM) leaves the previous
  folder as it was and removes the temporary folder;
* every folder ioemissions writes holds a marker file :data:`MARKER` (``.ioemissions``). A folder
  that holds other files and no marker was not written by ioemissions: it is not replaced unless
  ``force=True`` (``--force`` on the command line); :class:`~ioemissions.errors.OutputError` says so.
  An empty folder is fine.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

__all__ = ["FORCE", "MARKER", "atomic_dir", "replace_dir"]

#: Marker file written into every output folder, so that a later run knows it may replace the folder.
MARKER = ".ioemissions"

#: Default of ``force`` for :func:`atomic_dir` (the command line's ``--force`` sets it).
FORCE: contextvars.ContextVar[bool] = contextvars.ContextVar("ioemissions_force_output", default=False)


def _check_target(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder; choose another --out or remove it")
    if target.is_dir() and not force:
        try:
            entries = [p.name for p in target.iterdir()]
        except PermissionError as exc:
            raise OutputError(f"{target}: cannot read the folder ({exc.strerror})") from None
        if entries and MARKER not in entries:
            shown = ", ".join(sorted(entries)[:3]) + (" …" if len(entries) > 3 else "")
            raise OutputError(
                f"{target}: folder holds files ioemissions did not write ({shown}); it would be replaced whole. "
                "Choose another --out, or pass --force (force=True) to replace it"
            )


def _mkdtemp(target: Path, kind: str) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.{kind}-", dir=target.parent))
    except FileExistsError:
        raise OutputError(f"{target.parent}: a parent of the output folder exists as a file") from None
    except NotADirectoryError:
        raise OutputError(f"{target.parent}: a parent of the output folder is a file, not a folder") from None
    except PermissionError as exc:
        raise OutputError(f"{target.parent}: not writable ({exc.strerror}); choose another --out") from None
    except OSError as exc:
        raise OutputError(f"{target.parent}: cannot create the output folder there ({exc.strerror})") from None


def _swap(tmp: Path, target: Path) -> None:
    """Put ``tmp`` in place of ``target`` with one rename, keeping the previous folder until it succeeded."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        if old is not None and not target.exists():
            os.rename(old, target)  # put the previous folder back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while writing, so ``finally`` blocks remove temporary folders.

    SIGINT already raises KeyboardInterrupt. Signal handlers can only be set in the main thread;
    elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def atomic_dir(target: str | os.PathLike, *, force: bool | None = None) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; on success it replaces ``target`` whole (see the module docstring).

    ``force`` (default: :data:`FORCE`) allows replacing a folder that holds files ioemissions did
    not write. Raises :class:`~ioemissions.errors.OutputError` for a target that is a file, a
    foreign folder, or an unwritable parent.
    """
    target = Path(target)
    force = FORCE.get() if force is None else force
    _check_target(target, force)
    with _cleanup_on_signals():
        tmp = _mkdtemp(target, "tmp")
        try:
            tmp.chmod(0o755)
            (tmp / MARKER).write_text("written by ioemissions; the folder is replaced whole on the next run\n")
            yield tmp
            _check_target(target, force)  # the target may have changed while we wrote
            try:
                _swap(tmp, target)
            except PermissionError as exc:
                raise OutputError(f"{target}: cannot replace the folder ({exc.strerror})") from None
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def replace_dir(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary sibling folder; on success it *replaces* ``target`` whole (one rename).

    Used for datasets, where a rebuilt folder must not keep stale files (no marker file is written:
    the dataset folders are the package's own). The folder is readable by every user (``mkdtemp``
    makes 0700 folders).
    """
    target = Path(target)
    with _cleanup_on_signals():
        tmp = _mkdtemp(target, "tmp")
        try:
            tmp.chmod(0o755)
            yield tmp
            _swap(tmp, target)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

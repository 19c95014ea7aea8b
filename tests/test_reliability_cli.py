"""Issue 13 items 6 and 7: output folders are replaced whole, and user mistakes on the command line are one line."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ioemissions._output import MARKER, atomic_dir
from ioemissions.cli import accounts as accounts_cmd
from ioemissions.cli.main import main
from ioemissions.errors import NonFiniteError, OutputError


def _write(target, files, **kw):
    with atomic_dir(target, **kw) as tmp:
        for name, text in files.items():
            (tmp / name).write_text(text)


def test_folder_is_replaced_whole_and_marked(tmp_path):
    """Before: files of an earlier run stayed beside new ones (a 2017 accounts.csv beside a 2012 summary.csv)."""
    out = tmp_path / "out"
    _write(out, {"accounts.csv": "2012", "summary.csv": "2012"})
    _write(out, {"accounts.csv": "2017"})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "accounts.csv"]
    assert (out / "accounts.csv").read_text() == "2017"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary or previous folder left


def test_failure_keeps_the_previous_run_whole(tmp_path):
    out = tmp_path / "out"
    _write(out, {"accounts.csv": "2012", "summary.csv": "2012"})
    with pytest.raises(RuntimeError), atomic_dir(out) as tmp:
        (tmp / "accounts.csv").write_text("2017")
        raise RuntimeError("crash half-way")
    assert {p.name: p.read_text() for p in out.iterdir() if p.name != MARKER} == {
        "accounts.csv": "2012",
        "summary.csv": "2012",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_directory_where_a_file_goes_no_longer_mixes_runs(tmp_path):
    """Before: an existing accounts.png that was a directory stopped the file-by-file renames half-way."""
    out = tmp_path / "out"
    _write(out, {"summary.csv": "2012"})
    (out / "accounts.png").mkdir()
    _write(out, {"accounts.png": "png", "summary.csv": "2017"})
    assert (out / "accounts.png").read_text() == "png" and (out / "summary.csv").read_text() == "2017"


def test_foreign_folder_needs_force(tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.docx").write_text("years of work")
    with pytest.raises(OutputError, match=r"did not write \(chapter1\.docx\).*--force"):
        _write(out, {"a.csv": "x"})
    assert (out / "chapter1.docx").read_text() == "years of work"
    _write(out, {"a.csv": "x"}, force=True)
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.csv"]
    empty = tmp_path / "empty"
    empty.mkdir()
    _write(empty, {"a.csv": "x"})  # an empty folder is fine
    assert (empty / "a.csv").is_file()


def test_sigterm_cleans_the_temporary_folder(tmp_path):
    """Before: SIGTERM left .out.XXXX folders behind."""
    out = tmp_path / "out"
    _write(out, {"a.csv": "old"})
    code = textwrap.dedent(
        f"""
        import sys, time
        from ioemissions._output import atomic_dir
        with atomic_dir({str(out)!r}) as tmp:
            (tmp / "a.csv").write_text("new")
            print("ready", flush=True)
            time.sleep(60)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / "a.csv").read_text() == "old"


def test_cli_output_path_is_a_file(tmp_path, capsys):
    """Before: a FileExistsError traceback."""
    f = tmp_path / "a_file"
    f.write_text("x")
    assert main(["accounts", "--out", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ioemissions: error: OutputError:") and str(f) in err and err.count("\n") == 1
    assert main(["accounts", "--out", str(f / "sub")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere")
def test_cli_unwritable_folder(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["accounts", "--out", str(locked / "out")]) == 2
        assert "not writable" in capsys.readouterr().err
    finally:
        locked.chmod(0o700)


def test_cli_foreign_folder_and_force(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("x")
    assert main(["accounts", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["accounts", "--out", str(out), "--force"]) == 0
    assert not (out / "notes.txt").exists() and (out / "accounts.csv").is_file()


def _raiser(exc):
    def func(args):
        raise exc

    return func


def test_cli_broken_pipe_and_os_errors(monkeypatch, capsys):
    """`ioemissions tables list | head`: no traceback, exit 141 (128 + SIGPIPE), nothing on stderr."""
    monkeypatch.setattr(accounts_cmd, "_accounts", _raiser(BrokenPipeError()))
    assert main(["accounts"]) == 141
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(accounts_cmd, "_accounts", _raiser(PermissionError(13, "Permission denied", "/x")))
    assert main(["accounts"]) == 1
    assert capsys.readouterr().err == "ioemissions: error: PermissionError: /x: Permission denied\n"
    with pytest.raises(PermissionError):
        main(["accounts", "--debug"])
    with pytest.raises(PermissionError):
        main(["--debug", "accounts"])


def test_cli_broken_pipe_for_real():
    """A real pipe closed by the reader: the process ends without a traceback."""
    code = "import sys; from ioemissions.cli.main import main; sys.exit(main(['tables', 'list']))"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    rc = proc.wait(timeout=60)
    assert "Traceback" not in err
    assert rc in (0, 141)  # 0 when the whole listing fit in the pipe before the reader closed it


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "abc"])
def test_transport_grid_factor_must_be_finite(value, capsys):
    """Before: --grid-factor nan was accepted and the electricity line vanished (NaN summed as 0)."""
    with pytest.raises(SystemExit) as exc:
        main(["transport", "--grid-factor", value])
    assert exc.value.code == 2
    assert "--grid-factor" in capsys.readouterr().err


def test_transport_library_rejects_nan_factor():
    from ioemissions.lca import transport

    with pytest.raises(NonFiniteError, match="grid_factor_kg_per_kwh must be finite"):
        transport.assess("car", "BEV", grid_factor_kg_per_kwh=math.nan)
    with pytest.raises(NonFiniteError, match="hydrogen_factor_kg_per_kg"):
        transport.assess("car", "FCEV", hydrogen_factor_kg_per_kg=math.inf)
    bev = transport.assess("car", "BEV", grid_factor_kg_per_kwh=0.5)
    line = bev.lines.set_index("line")["kgco2e"]["electricity"]
    assert line == pytest.approx(bev.inputs["electricity_kwh_per_km"] * 0.5)


def test_transport_monte_carlo_without_out(tmp_path, monkeypatch, capsys):
    """Before: --monte-carlo without --out was silently ignored; temporary Brightway folders must not stay behind."""
    pytest.importorskip("bw2calc")
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert main(["transport", "--powertrain", "BEV", "--monte-carlo", "3"]) == 0
    assert "Monte Carlo, 3 iterations" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(SystemExit):
        main(["transport", "--monte-carlo", "0"])

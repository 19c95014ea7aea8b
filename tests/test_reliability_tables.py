"""Issue 13 item 9: datasets are loaded by registered name (or an explicit Path) and never read outside their folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ioemissions import tables
from ioemissions.errors import DataFileError, DatasetNotFoundError

META = {
    "title": "t",
    "kind": "table",
    "year": 2017,
    "units": "Mt",
    "source": "test",
    "licence": "CC0",
    "caveats": [],
    "script": "none",
}


@pytest.mark.parametrize("name", ["../tables/provinces", "/etc", "provinces/../provinces", "", None, 3, ["provinces"]])
def test_only_registered_names(name):
    """Before: '../tables/provinces' and absolute paths loaded; None gave a TypeError from pathlib."""
    with pytest.raises(DatasetNotFoundError):
        tables.load(name)


def test_registered_name_still_loads():
    df = tables.load("provinces")
    assert len(df) == 31 and df.attrs["name"] == "provinces"


def _folder(tmp_path: Path, files) -> Path:
    d = tmp_path / "mine"
    d.mkdir()
    (d / "data.csv").write_text("a,b\n1,2\n")
    (tmp_path / "secret.csv").write_text("x\n42\n")
    (d / "metadata.json").write_text(json.dumps({"name": "mine", "files": files, **META}))
    return d


def test_user_folder_as_path(tmp_path):
    df = tables.load(_folder(tmp_path, ["data.csv"]))
    assert df.to_dict("list") == {"a": [1], "b": [2]}


@pytest.mark.parametrize("files", [["../secret.csv"], ["/etc/hostname"], "data.csv", [None]])
def test_files_outside_the_folder_are_refused(tmp_path, files):
    """Before: a crafted metadata.json could point read_csv at any file."""
    with pytest.raises(DataFileError, match=r"metadata\.json"):
        tables.load(_folder(tmp_path, files))

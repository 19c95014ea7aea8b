"""docs/check_html.py, the check run after the docs build: it must catch a tutorial without figures
and a page that loads a script or MathJax from the network."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "check_html.py"


@pytest.fixture(scope="module")
def check_html():
    spec = importlib.util.spec_from_file_location("check_html", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _site(root: Path, tutorial_body: str, head: str = "") -> Path:
    (root / "tutorials").mkdir(parents=True)
    (root / "_static" / "mathjax").mkdir(parents=True)
    page = "<html><head>{head}<script src='../_static/mathjax/tex-chtml.js'></script></head><body>{body}</body></html>"
    (root / "tutorials" / "index.html").write_text(page.format(head="", body="<p>no figure here, fine</p>"))
    (root / "tutorials" / "china.html").write_text(page.format(head=head, body=tutorial_body))
    return root


def test_a_site_with_figures_and_local_mathjax_passes(tmp_path, check_html, capsys):
    root = _site(tmp_path, "<img src='../_images/a.png'><img src='../_images/b.png'>")
    assert check_html.check(root) == ({"tutorials/china.html": 2}, [])
    assert check_html.main([str(root)]) == 0
    assert "2 images  tutorials/china.html" in capsys.readouterr().out


def test_a_tutorial_without_figures_fails(tmp_path, check_html):
    _, problems = check_html.check(_site(tmp_path, "<pre>&lt;Axes: &gt;</pre>"))
    assert problems == ["tutorials/china.html: no <img> (the tutorial's figures were not captured)"]


@pytest.mark.parametrize(
    "head",
    [
        "<script src='https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js'></script>",
        "<link rel='stylesheet' href='//fonts.example.org/x.css'>",
        "<script>window.MathJax = {loader: {paths: {mathjax: 'https://cdn.jsdelivr.net/npm/mathjax@3'}}}</script>",
    ],
)
def test_anything_loaded_from_the_network_fails(tmp_path, check_html, head):
    _, problems = check_html.check(_site(tmp_path, "<img src='a.png'>", head=head))
    assert len(problems) == 1 and "from the network" in problems[0]

"""Sphinx configuration for ioemissions."""

from __future__ import annotations

import os

import ioemissions

# The tutorials are executed in a Jupyter kernel that inherits this environment. A non-interactive
# MPLBACKEND (e.g. Agg, set for the test runs) would make every `res.plot()` cell render nothing; the
# inline backend hands each figure to the notebook, so myst-nb writes it into the page as an image.
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"

project = "ioemissions"
author = "The ioemissions developers"
copyright = "2026, the ioemissions developers"
release = ioemissions.__version__
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    # MathJax bundled into _static/mathjax (from the sphinx-mathjax-offline package): the pages load
    # nothing from the network, so formulas render offline. docs/check_html.py checks it.
    "sphinx-mathjax-offline",
    "sphinx.ext.viewcode",
]
autosummary_generate = True
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_typehints = "description"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_ivar = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints"]
html_theme = "furo"
html_title = f"ioemissions {release}"
suppress_warnings = ["mystnb.unknown_mime_type", "intersphinx"]
nitpicky = False


# --------------------------------------------------------------------------- data pages
# One page per shipped dataset, written from its metadata.json at build time, so that the docs and the
# provenance that ships with the data cannot drift apart.
def _write_data_pages():
    from pathlib import Path

    from ioemissions import tables

    out = Path(__file__).parent / "data" / "datasets"
    out.mkdir(parents=True, exist_ok=True)
    listing = tables.list()
    for name in listing["name"]:
        meta = tables.metadata(name)
        lines = [f"# `{name}`", "", meta["title"], ""]
        if meta.get("estimated"):
            lines += [
                "```{warning}",
                "This dataset is an **estimate** built by ioemissions, not an official table.",
                "```",
                "",
            ]
        lines += [
            "| | |",
            "|---|---|",
            f"| year | {meta['year']} |",
            f"| kind | `{meta['kind']}` |",
            f"| files | {', '.join(meta['files'])} |",
            f"| licence | {meta['licence']} |",
            f"| built by | `{meta['script']}` |",
            "",
        ]
        lines += ["## Units", ""]
        units = meta["units"]
        lines += [f"- **{k}**: {v}" for k, v in units.items()] if isinstance(units, dict) and units else ["-"]
        lines += ["", "## Source", ""]
        src = meta["source"]

        def _flat(v):  # a nested source (one entry per file family) reads as "key: value; ..."
            return "; ".join(f"{k2}: {v2}" for k2, v2 in v.items()) if isinstance(v, dict) else v

        lines += [f"- **{k}**: {_flat(v)}" for k, v in src.items()] if isinstance(src, dict) else [str(src)]
        lines += ["", "## Caveats", ""] + [f"- {c}" for c in meta["caveats"]]
        if meta.get("checks"):
            lines += ["", "## Checks at build time", ""] + [f"- {k}: {v}" for k, v in meta["checks"].items()]
        if meta.get("raw_inputs"):
            lines += ["", "## Raw inputs (SHA-256)", ""] + [
                f"- `{r['path']}` `{r['sha256'][:16]}…`" for r in meta["raw_inputs"]
            ]
        lines += ["", "## Load it", "", "```python", "import ioemissions as ie", f'ie.tables.load("{name}")', "```", ""]
        (out / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
    index = ["# Shipped datasets", "", "```{toctree}", ":maxdepth: 1", "", *listing["name"], "```", ""]
    (out / "index.md").write_text("\n".join(index), encoding="utf-8")


_write_data_pages()

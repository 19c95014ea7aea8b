"""Sphinx configuration for ioemissions."""

from __future__ import annotations

import ioemissions

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
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]
autosummary_generate = True
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_typehints = "description"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints"]
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
}
intersphinx_disabled_reftypes = ["*"]
html_theme = "furo"
html_title = f"ioemissions {release}"
suppress_warnings = ["mystnb.unknown_mime_type", "intersphinx"]
nitpicky = False

"""ioemissions: carbon accounting for Shanghai, the Yangtze River Delta and China.

Environmentally-extended multi-regional input–output analysis (EE-MRIO) with life-cycle
assessment. The main entry points:

* :class:`ioemissions.MRIO` — a labelled EE-MRIO with production- and consumption-based accounts;
* :mod:`ioemissions.tables` — shipped, sourced Chinese datasets;
* :mod:`ioemissions.errors` — every exception the library raises on purpose;
* :mod:`ioemissions.units` — explicit units.
"""

from __future__ import annotations

from . import errors, units

__version__ = "0.1.0"

__all__ = ["ABROAD", "MRIO", "__version__", "errors", "load_model", "save", "units"]

#: Names imported on first use, so that ``import ioemissions`` (and ``ioemissions --help``) load
#: neither pandas, scipy nor matplotlib: name -> (module, attribute).
_LAZY = {
    "MRIO": (".core.mrio", "MRIO"),
    "ABROAD": (".core.mrio", "ABROAD"),
    "save": (".modelio", "save"),
    "load_model": (".modelio", "load_model"),
}


def __getattr__(name):  # lazy names and sub-packages keep `import ioemissions` fast
    import importlib

    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module, __name__), attr)
        globals()[name] = value
        return value
    if name in {
        "tables",
        "characterization",
        "core",
        "cli",
        "inventory",
        "analysis",
        "regional",
        "balance",
        "electricity",
        "lca",
        "pathways",
        "report",
        "modelio",
    }:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'ioemissions' has no attribute {name!r}")

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
from .core.mrio import ABROAD, MRIO

__version__ = "0.1.0"

__all__ = ["ABROAD", "MRIO", "__version__", "errors", "units"]


def __getattr__(name):  # lazy sub-packages keep `import ioemissions` fast
    import importlib

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
        "uncertainty",
    }:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'ioemissions' has no attribute {name!r}")

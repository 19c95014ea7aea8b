"""Reports: accounts as CSV tables and figures, written atomically to a folder.

One module per report — :mod:`.china` (the national report on the NBS table and CEADs inventory),
:mod:`.shanghai_yrd` (Shanghai in the estimated Yangtze-Delta MRIO) — with :mod:`._common` for the
figures, :mod:`._tables` for writing tables (units in headers, float noise, rounding, xlsx) and
:mod:`._labels` for Chinese labels, which they share. ``import ioemissions`` does not import this package.
"""

from __future__ import annotations

from ._common import plot_accounts, plot_top_sectors, save_figure
from ._tables import with_units
from .china import CHINA_TABLES, china_report
from .shanghai_yrd import plot_origins, shanghai, shanghai_summary

__all__ = [
    "CHINA_TABLES",
    "china_report",
    "plot_accounts",
    "plot_origins",
    "plot_top_sectors",
    "save_figure",
    "shanghai",
    "shanghai_summary",
    "with_units",
]

"""Sector and region labels in English or Chinese (``--lang en|zh``).

Chinese sector names come from the NBS tables (column ``sector_zh`` of
:func:`ioemissions.tables.nbs.sectors`), Chinese province names from the ``provinces`` dataset
(``short_zh``). The few aggregate labels the models use are translated in :data:`AGGREGATES_ZH`.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

__all__ = ["AGGREGATES_ZH", "LANGS", "translate", "zh_names"]

LANGS = ("en", "zh")

#: Aggregate regions and rows of the reports that are not a province or an NBS sector.
AGGREGATES_ZH = {
    "China": "中国",
    "Abroad": "国外",
    "RestOfChina": "中国其他地区",
    "households (direct)": "居民直接排放",
}


@cache
def zh_names(table: str = "china-io-2017") -> dict[str, str]:
    """English -> Chinese for the sectors of NBS table ``table``, every province and the aggregates."""
    from ..tables import load
    from ..tables.nbs import sectors

    names = dict(AGGREGATES_ZH)
    prov = load("provinces")
    names.update(zip(prov["province"], prov["short_zh"], strict=True))
    sec = sectors(table)
    names.update(zip(sec["sector"], sec["sector_zh"], strict=True))
    return names


def _map(index: pd.Index, names: dict) -> pd.Index:
    def one(v):
        if isinstance(v, str):
            if v in names:
                return names[v]
            for suffix in (" households (direct)",):
                if v.endswith(suffix) and v[: -len(suffix)] in names:
                    return names[v[: -len(suffix)]] + AGGREGATES_ZH["households (direct)"]
        return v

    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(one(p) for p in t) for t in index], names=index.names)
    return pd.Index([one(v) for v in index], name=index.name)


def translate(obj, lang: str = "en", table: str = "china-io-2017"):
    """``obj`` (DataFrame or Series) with its sector and region labels in ``lang`` (``en`` = unchanged)."""
    if lang == "en":
        return obj
    if lang != "zh":
        from ..errors import LabelError

        raise LabelError(f"unknown language {lang!r}; languages: {', '.join(LANGS)}")
    names = zh_names(table)
    out = obj.copy()
    out.index = _map(out.index, names)
    if isinstance(out, pd.DataFrame):
        out.columns = _map(out.columns, names)
    return out

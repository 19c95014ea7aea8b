"""GB/T 51366 factors by id, Chinese name, English name or alias; "did you mean"; labels in English or Chinese.

A BoQ's ``material`` (Appendix D) or ``transport_mode`` (Appendix E) may be the factor's id
(``D001``), its Chinese name as shipped (``C30 混凝土``) or as written in the second transcription
(``混凝土C30``), its English name (``C30 concrete``) or an alias (``rebar``, ``HRB400``) from
``tables/gbt51366-names``. Matching ignores case, spaces and the difference between full-width and
half-width punctuation. An unknown name raises :class:`~ioemissions.errors.LabelError` with the
nearest names ("did you mean …").
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache

import pandas as pd

from ...errors import LabelError

__all__ = ["LANGS", "factor_table", "label", "materials", "resolve", "suggest"]

LANGS = ("en", "zh")

#: EN 15978 modules and GB/T 51366 stages in both languages
_LABELS = {
    "A1-A3": ("A1-A3 product stage", "A1-A3 建材生产"),
    "A4": ("A4 transport to site", "A4 建材运输"),
    "A5": ("A5 construction", "A5 建造"),
    "B4": ("B4 replacement", "B4 更换"),
    "B6": ("B6 operational energy", "B6 运行能耗"),
    "C1-C4": ("C1-C4 end of life", "C1-C4 拆除"),
    "材料生产及运输": ("materials production and transport", "材料生产及运输"),
    "建造": ("construction", "建造"),
    "运行": ("operation", "运行"),
    "拆除": ("demolition", "拆除"),
    "not assessed": ("not assessed", "未评估"),
    "assessed": ("assessed", "已评估"),
}


def label(key: str, lang: str = "en") -> str:
    """The display name of a module, stage or status in ``lang`` (``"en"`` or ``"zh"``)."""
    if lang not in LANGS:
        raise LabelError(f"unknown language {lang!r}; use one of {list(LANGS)}")
    return _LABELS[key][LANGS.index(lang)] if key in _LABELS else key


def _norm(text) -> str:
    """Case-, width- and space-insensitive key: NFKC folds full-width brackets/colons to ASCII."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in s if not ch.isspace())


@cache
def factor_table() -> pd.DataFrame:
    """The GB/T 51366 factors (id index) with their English names and aliases joined."""
    from ...tables import load

    f = load("gbt51366-factors").set_index("id")
    n = load("gbt51366-names").set_index("id")
    if set(f.index) != set(n.index) or not (f.name_zh == n.name_zh.reindex(f.index)).all():
        raise LabelError("gbt51366-names does not match gbt51366-factors: rebuild it (scripts/build_gbt51366_names.py)")
    return f.join(n[["kind", "name_en", "aliases"]])


@cache
def _index() -> dict[str, str]:
    """normalised name -> id, over ids, both Chinese spellings, English names and aliases."""
    t = factor_table()
    out: dict[str, str] = {}
    for code, r in t.iterrows():
        aliases = [] if pd.isna(r.aliases) else str(r.aliases).split("|")
        for name in (code, r.name_zh, r.name_zh_file_B, r.name_en, *aliases):
            if isinstance(name, str) and name:
                out.setdefault(_norm(name), code)
    return out


def suggest(key, appendix: str | None = None, n: int = 3) -> list[str]:
    """Up to ``n`` factor names close to ``key`` (``"english (id)"``), for a "did you mean" message."""
    t = factor_table()
    idx = _index()
    cand = {k: v for k, v in idx.items() if appendix is None or t.loc[v, "appendix"] == appendix}
    hits = difflib.get_close_matches(_norm(key), list(cand), n=3 * n, cutoff=0.5)
    seen: list[str] = []
    for h in hits:
        code = cand[h]
        text = f"{t.loc[code, 'name_en']} ({code})"
        if text not in seen:
            seen.append(text)
    return seen[:n]


def resolve(keys, appendix: str) -> pd.Series:
    """Factor id of each key (id, name or alias) of Appendix ``appendix`` ("D" or "E"); unknown keys map to
    None (the caller names the row)."""
    t = factor_table()
    idx = _index()
    keys = pd.Series(keys)
    uniq = pd.unique(keys.astype(str))
    mapping = {}
    for k in uniq:
        code = idx.get(_norm(k))
        mapping[k] = code if code is not None and t.loc[code, "appendix"] == appendix else None
    return keys.astype(str).map(mapping)


def materials(search: str | None = None, lang: str = "en", kind: str | None = None) -> pd.DataFrame:
    """The GB/T 51366 factors with names, unit and kg CO2e per unit; ``search`` filters by a word in any
    name or alias (case-insensitive); ``kind`` is ``"material"`` or ``"transport"``."""
    t = factor_table().reset_index()
    if kind is not None:
        if kind not in ("material", "transport"):
            raise LabelError(f"kind must be 'material' or 'transport', got {kind!r}")
        t = t[t.kind == kind]
    if search:
        w = _norm(search)
        text = (t.id + "|" + t.name_zh + "|" + t.name_en + "|" + t.aliases.fillna("")).map(_norm)
        t = t[text.str.contains(w, regex=False)]
    label(kind or "assessed", lang)  # validates lang
    first, second = ("name_en", "name_zh") if lang == "en" else ("name_zh", "name_en")
    out = t[["id", "kind", first, second, "unit", "value", "aliases"]].rename(columns={"value": "kgco2e_per_unit"})
    return out.set_index("id")

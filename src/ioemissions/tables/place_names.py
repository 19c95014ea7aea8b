"""Province names as people write them: any case, with or without spaces, in pinyin or Chinese.

``province_name("shanghai")``, ``province_name("上海")``, ``province_name("上海市")`` and
``province_name("SH")`` are all ``"Shanghai"``, the spelling the datasets use. The spellings come from
the shipped ``provinces`` dataset (columns ``province``, ``province_zh``, ``short_zh``, ``abbr``).
"""

from __future__ import annotations

from functools import cache

__all__ = ["province_name", "province_names"]


def _key(text: str) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


@cache
def _lookup() -> dict[str, str]:
    from . import load

    prov = load("provinces")
    out = {}
    for col in ("abbr", "short_zh", "province_zh", "province"):  # later columns win on a clash
        for key, name in zip(prov[col], prov["province"], strict=True):
            out[_key(key)] = name
    return out


def province_names() -> list[str]:
    """The canonical (English/pinyin) names of the provinces, in the dataset's order."""
    from . import load

    return list(load("provinces")["province"])


def province_name(name: str, *, extra=()) -> str:
    """The canonical spelling of province ``name``; ``extra`` adds accepted names (e.g. ``"China"``).

    Raises :class:`~ioemissions.errors.LabelError` naming the valid provinces when none matches.
    """
    from ..errors import LabelError

    key = _key(name)
    for e in extra:
        if key == _key(e):
            return e
    found = _lookup().get(key)
    if found is None:
        valid = ", ".join([*province_names(), *extra])
        raise LabelError(f"unknown province {name!r}; provinces (any case, pinyin or Chinese): {valid}")
    return found

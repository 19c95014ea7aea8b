"""Technology levers of :mod:`ioemissions.pathways` (bottom-up, in physical units) and the
socio-economic footprint of deploying them (:func:`deployment_impacts`).

Lever types registered on import: ``power-mix`` (:mod:`.electricity`), ``road-fleet``
(:mod:`.transport`), ``building-stock`` (:mod:`.buildings`), ``steel-routes`` and ``petrochemicals`` (:mod:`.industry`),
``hydrogen`` (:mod:`.hydrogen`). See ``docs/methods/technology-pathways.md``.
"""

from __future__ import annotations

from . import buildings, electricity, hydrogen, industry, transport  # noqa: F401  (register the lever types)

__all__ = ["deployment_impacts", "payback"]


def __getattr__(name):
    if name in {"deployment_impacts", "payback"}:
        from . import investment

        return getattr(investment, name)
    raise AttributeError(name)

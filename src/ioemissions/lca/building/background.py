"""Brightway backgrounds: BoQ items priced with a Brightway database (e.g. a firm's ecoinvent).

A BoQ ``material`` of the form ``database::code`` (or ``database::activity name``, when no code
matches) names a Brightway activity in the current project instead of a GB/T 51366 factor. Its
A1–A3 is quantity (converted to the activity's unit) × the activity's life-cycle score under the
chosen impact method; all named activities are scored in **one** ``bw2calc.MultiLCA`` (one
functional unit per activity, one unit each). A4, B4 and the building-level modules are computed as
for GB/T items; transport needs a mass, as always. GB/T 51366 items stay on the shipped factors
(the same numbers as the ``ioemissions-factors`` Brightway database of
:func:`ioemissions.lca.brightway.write_factor_database`), so a background that holds the same
factors gives the same result (tested).

A user with ecoinvent (licence required; the import is bw2io's)::

    from ioemissions.lca import brightway
    bd = brightway.open_project("my-building", folder="bw")        # a project folder you choose
    import bw2io
    bw2io.import_ecoinvent_release("3.10", "cutoff", USERNAME, PASSWORD)   # bw2io's importer
    # BoQ row: "glulam beams, ecoinvent-3.10-cutoff::<code>, 40, m3"
    res = assess(boq, building, method=("ecoinvent-3.10", "IPCC 2021", "climate change", "GWP 100a"))

Bad input: an unknown database or activity, a unit that does not convert, a method not in the
project → errors naming the BoQ row.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd

from ...errors import LabelError, UnitError

__all__ = ["SEPARATOR", "activity_scores", "is_background", "scored_together"]

_PRESCORED: dict = {}  # (method, key) -> row, filled by scored_together() for the length of a with-block

SEPARATOR = "::"
#: Brightway unit names -> BoQ units
BW_UNITS = {
    "kilogram": "kg",
    "kg": "kg",
    "ton": "t",
    "tonne": "t",
    "metric ton": "t",
    "t": "t",
    "cubic meter": "m3",
    "m3": "m3",
    "square meter": "m2",
    "m2": "m2",
}


def is_background(materials: pd.Series) -> np.ndarray:
    """True where a BoQ material names a Brightway activity (``database::code``)."""
    return materials.astype(str).str.contains(SEPARATOR, regex=False).to_numpy()


def _find(bd, key: str):
    db, _, code = key.partition(SEPARATOR)
    db, code = db.strip(), code.strip()
    if db not in bd.databases:
        raise LabelError(
            f"no Brightway database {db!r} in project {bd.projects.current!r}; databases: {sorted(bd.databases)}"
        )
    try:
        return bd.get_node(database=db, code=code)
    except Exception:
        pass
    hits = [a for a in bd.Database(db) if a.get("name") == code]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise LabelError(f"{key!r}: {len(hits)} activities are named {code!r} in {db!r}; give its code")
    raise LabelError(f"no activity with code or name {code!r} in Brightway database {db!r}")


def activity_scores(keys, method=None) -> pd.DataFrame:
    """For each ``database::code`` key: the activity's score per unit under ``method`` (default: the
    ioemissions GWP100 method) and its unit (as a BoQ unit), computed in one ``MultiLCA``."""
    from ..brightway import METHOD, bw

    bd, bc = bw()
    method = tuple(method) if method is not None else METHOD
    keys = list(keys)
    if keys and all((method, k) in _PRESCORED for k in keys):
        return pd.DataFrame([_PRESCORED[(method, k)] for k in pd.unique(pd.Series(keys, dtype=object))]).set_index(
            "key"
        )
    if method not in bd.methods:
        raise LabelError(f"impact method {method!r} is not in Brightway project {bd.projects.current!r}")
    acts = {}
    for k in pd.unique(pd.Series(list(keys), dtype=object)):
        acts[k] = _find(bd, k)
    fus = {f"a{i}": {a.id: 1.0} for i, a in enumerate(acts.values())}
    config = {"impact_categories": [method]}
    data_objs = bd.get_multilca_data_objs(functional_units=fus, method_config=config)
    mlca = bc.MultiLCA(demands=fus, method_config=config, data_objs=data_objs)
    mlca.lci()
    mlca.lcia()
    rows = []
    for i, (k, a) in enumerate(acts.items()):
        unit = BW_UNITS.get(str(a.get("unit", "")).strip().lower())
        if unit is None:
            raise UnitError(f"{k!r}: Brightway unit {a.get('unit')!r} is not one of {sorted(set(BW_UNITS.values()))}")
        rows.append({"key": k, "score": float(mlca.scores[(method, f"a{i}")]), "unit": unit, "name": a.get("name")})
    return pd.DataFrame(rows).set_index("key")


@contextlib.contextmanager
def scored_together(keys, method=None):
    """Score all ``keys`` in one ``MultiLCA`` and let every :func:`activity_scores` call inside the block use
    those scores (e.g. all design options of :func:`~ioemissions.lca.building.compare`)."""
    from ..brightway import METHOD

    method = tuple(method) if method is not None else METHOD
    keys = [k for k in pd.unique(pd.Series(list(keys), dtype=object))]
    added = []
    if keys:
        table = activity_scores(keys, method)
        for k, row in table.iterrows():
            _PRESCORED[(method, k)] = {"key": k, **row.to_dict()}
            added.append((method, k))
    try:
        yield
    finally:
        for a in added:
            _PRESCORED.pop(a, None)

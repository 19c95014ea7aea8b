"""Great-circle distances between provincial capitals.

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from _build import (
    BuildError,
    _prov,
    builder,
    write_dataset,
)


@builder("province-distances")
def build_distances(raw: Path, out: Path, name: str):
    path = raw / "provincial-capitals-coordinates" / "capital_greatcircle_distance_km.csv"
    d = pd.read_csv(path, index_col=0)
    d.index = [_prov(i) for i in d.index]
    d.columns = [_prov(c) for c in d.columns]
    if list(d.index) != list(d.columns) or not np.allclose(d.to_numpy(), d.to_numpy().T):
        raise BuildError(f"{name}: distance matrix is not square and symmetric")
    long = d.rename_axis("origin").reset_index().melt(id_vars="origin", var_name="destination", value_name="km")
    meta = {
        "title": "Great-circle distances between the 31 provincial capitals",
        "kind": "table",
        "year": None,
        "units": {"km": "km"},
        "source": {
            "derived_from": "provincial-capitals-coordinates (cpca and pyecharts, MIT): capital coordinates, "
            "haversine great-circle distance"
        },
        "licence": "MIT (cpca, pyecharts)",
        "caveats": ["The diagonal is 0: internal distances are set by ioemissions.regional (documented there)."],
    }
    write_dataset(out, name, {"distances.csv": long}, meta, [path])

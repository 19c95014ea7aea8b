"""Save any :class:`~ioemissions.MRIO` to an open format and load it back; read what pymrio reads.

``save(mrio, folder)`` writes plain CSV files plus ``metadata.json``::

    folder/
      metadata.json   format, version, name, units (monetary and one per stressor), the stressor
                      labels, how imports are valued (M_imp: "dta", "table" or null), files written
      Z.csv  Y.csv  x.csv                 labels in the header rows and first columns
      F.csv  F_Y.csv                      if the model has stressors
      Z_imp.csv  Y_imp.csv  [M_imp.csv]   if the model has an import block

The CSV files are those of :func:`ioemissions.tables.mrio_store.write_mrio` (floats written with
``repr`` precision, so a round trip is exact); any spreadsheet or ``pandas.read_csv`` reads them.

``load_model(path)`` reads such a folder, or anything pymrio can parse: a folder written by
pymrio's ``IOSystem.save_all``, an EXIOBASE 3 zip or folder (``pymrio.parse_exiobase3``), an OECD
ICIO file (``pymrio.parse_oecd``) or an Eora26 zip (``pymrio.parse_eora26``); the parsing is
pymrio's, ioemissions only converts the result with :meth:`MRIO.from_pymrio`.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["FORMAT", "FORMATS", "all_extensions", "load_model", "read_pymrio", "save"]

#: Value of ``metadata.json["format"]`` in a folder written by :func:`save`.
FORMAT = "ioemissions-mrio"
#: Formats :func:`load_model` understands (``auto`` guesses from the path).
FORMATS = ("auto", "ioemissions", "pymrio", "exiobase3", "oecd", "eora26")


def _label(s):
    return list(s) if isinstance(s, tuple) else s


def save(model, folder) -> Path:
    """Write ``model`` to ``folder`` (CSV + ``metadata.json``, see the module docstring); returns the folder.

    The folder is replaced whole, atomically: a failed write leaves the previous one untouched.
    """
    import pandas as pd

    from . import __version__
    from ._output import replace_dir
    from .tables.mrio_store import write_mrio

    folder = Path(folder)
    with replace_dir(folder) as tmp:
        files = write_mrio(model, tmp)
        levels = model.stressors.nlevels if len(model.stressors) else 1
        m_imp = None
        if model.Z_imp is not None:
            m_imp = "table" if isinstance(model.M_imp, pd.DataFrame) else "dta"
        meta = {
            "format": FORMAT,
            "version": 1,
            "written_by": f"ioemissions {__version__}",
            "name": model.name,
            "units": {
                "monetary": model.monetary_unit,
                "stressors": [{"label": _label(s), "unit": model.stressor_unit(s)} for s in model.stressors],
            },
            "stressor_levels": levels,
            "stressor_level_names": [n for n in model.stressors.names] if len(model.stressors) else [None],
            "regions": [str(r) for r in model.regions],
            "sectors": [str(s) for s in model.sectors],
            "M_imp": m_imp,
            "files": files,
        }
        (tmp / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def _load_saved(folder: Path):
    from .errors import DataFileError
    from .tables.mrio_store import read_mrio

    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{folder / 'metadata.json'}: cannot read ({exc})") from exc
    if meta.get("format") != FORMAT:
        raise DataFileError(f"{folder / 'metadata.json'}: not an ioemissions model (format {meta.get('format')!r})")
    levels = int(meta.get("stressor_levels", 1))
    units = {"monetary": meta["units"]["monetary"]}
    for entry in meta["units"]["stressors"]:
        label = tuple(entry["label"]) if levels > 1 else entry["label"]
        units[label] = entry["unit"]
    model = read_mrio(folder, units, name=meta.get("name", folder.name), stressor_levels=levels)
    if levels > 1 and len(model.stressors):
        names = meta.get("stressor_level_names")
        if names and len(names) == levels:
            F, F_Y = model.F, model.F_Y
            F.index = F.index.set_names(names)
            F_Y.index = F.index
            model = model.replace(F=F, F_Y=F_Y)
    return model


def _guess_format(path: Path) -> str:
    if path.is_dir():
        try:
            if json.loads((path / "metadata.json").read_text(encoding="utf-8")).get("format") == FORMAT:
                return "ioemissions"
        except (OSError, ValueError, AttributeError):
            pass
        return "pymrio"  # pymrio's save_all folders hold file_parameters.json (and their own metadata.json)
    name = path.name.lower()
    if "eora" in name:
        return "eora26"
    if "icio" in name or "oecd" in name:
        return "oecd"
    if "exiobase" in name or name.startswith(("iot_", "mrio_")) or path.suffix == ".zip":
        return "exiobase3"
    return "pymrio"


def read_pymrio(path, format: str = "auto"):
    """The :class:`pymrio.IOSystem` that pymrio's own loader or parser makes of ``path``."""
    import pymrio

    from .errors import DataFileError

    path = Path(path)
    if not path.exists():
        raise DataFileError(f"{path}: no such file or folder")
    fmt = _guess_format(path) if format == "auto" else format
    readers = {
        "pymrio": pymrio.load_all,
        "exiobase3": pymrio.parse_exiobase3,
        "oecd": pymrio.parse_oecd,
        "eora26": pymrio.parse_eora26,
    }
    if fmt not in readers:
        raise DataFileError(f"{path}: unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    try:
        io = readers[fmt](path)
    except Exception as exc:  # pymrio raises many kinds; the user needs the file and the reason
        raise DataFileError(f"{path}: pymrio cannot read it as {fmt} ({type(exc).__name__}: {exc})") from exc
    if io.Z is None and io.A is None:
        io.calc_system()
    return io


def load_model(path, *, format: str = "auto", extension: str | None = None):
    """Load an :class:`~ioemissions.MRIO` from ``path``.

    ``format`` is one of :data:`FORMATS`; ``auto`` reads a folder written by :func:`save` (it has an
    ioemissions ``metadata.json``), a pymrio ``save_all`` folder (``file_parameters.json``), and guesses the
    parser from the file name otherwise (``*eora*`` → Eora26, ``*icio*``/``*oecd*`` → OECD ICIO, a zip or
    ``*exiobase*`` → EXIOBASE 3). For pymrio sources, ``extension`` names the satellite account whose
    stressors become F (default: the first extension with stressors; ``"all"``: every extension, with
    stressor labels ``"<extension> / <stressor> / <compartment>"``, in one model and one factorisation).

    >>> import ioemissions as ie, tempfile, pymrio
    >>> m = ie.MRIO.from_pymrio(pymrio.load_test(), extension="emissions")
    >>> folder = ie.save(m, tempfile.mkdtemp() + "/model")
    >>> back = ie.load_model(folder)
    >>> back.stressor_unit(("emission_type1", "air")), back.monetary_unit
    ('kg', 'Mill USD')
    """
    from .core.mrio import MRIO
    from .errors import LabelError

    path = Path(path)
    fmt = _guess_format(path) if format == "auto" else format
    if fmt == "ioemissions":
        return _load_saved(path)
    io = read_pymrio(path, fmt)
    extensions = [e for e in io.get_extensions(data=True) if getattr(e, "F", None) is not None]
    names = [e.name for e in extensions]
    if extension == "all":
        return all_extensions(io, name=path.stem)
    if extension is None:
        ext = extensions[0] if extensions else None
    else:
        by_attr = {name: getattr(io, name) for name in io.get_extensions()}
        ext = by_attr.get(extension) or next((e for e in extensions if e.name == extension), None)
        if ext is None:
            raise LabelError(f"{path}: no extension {extension!r}; extensions: {names}")
    return MRIO.from_pymrio(io, extension=ext, name=str(getattr(io, "name", None) or path.stem))


def all_extensions(io, name: str | None = None):
    """One MRIO of pymrio system ``io`` whose F stacks every extension; labels "<extension> / <label parts>".

    Each stressor keeps the unit of its extension's unit table; an extension without F_Y gets zeros there.
    """
    import pandas as pd

    from .core.mrio import MRIO
    from .core.pymrio_io import from_pymrio
    from .errors import LabelError, UnitError

    extensions = [e for e in io.get_extensions(data=True) if getattr(e, "F", None) is not None]
    if not extensions:
        raise LabelError(f"{name or io.name}: the pymrio system has no extension with stressors")
    base = from_pymrio(MRIO, io, name=str(getattr(io, "name", None) or name))
    F_parts, FY_parts, units = [], [], {"monetary": base.monetary_unit}
    for ext in extensions:
        if ext.unit is None:
            raise UnitError(f"extension {ext.name!r} has no units")

        def label(s, ext=ext):
            return " / ".join([str(ext.name), *(map(str, s) if isinstance(s, tuple) else [str(s)])])

        F = pd.DataFrame(ext.F.to_numpy(dtype=float), index=[label(s) for s in ext.F.index], columns=base.nodes)
        if getattr(ext, "F_Y", None) is not None:
            FY = pd.DataFrame(ext.F_Y.to_numpy(dtype=float), index=F.index, columns=base.Y.columns)
        else:
            FY = pd.DataFrame(0.0, index=F.index, columns=base.Y.columns)
        F_parts.append(F)
        FY_parts.append(FY)
        units.update({label(s): str(ext.unit.loc[s, "unit"]) for s in ext.F.index})
    F, F_Y = pd.concat(F_parts), pd.concat(FY_parts)
    F.index.name = F_Y.index.name = "stressor"
    return base.with_stressors(F, F_Y, units=units)

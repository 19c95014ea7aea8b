"""``ioemissions tables``: list the shipped datasets or show one's provenance."""

from __future__ import annotations

import json
import shutil
import textwrap


def _cut(text, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _list(tables) -> None:
    df = tables.list()
    width = shutil.get_terminal_size((100, 24)).columns
    name_w = max(len(n) for n in df["name"])
    year_w = min(12, max(len(str(y)) for y in df["year"]))
    title_w = max(20, width - name_w - year_w - 10)  # two spaces between four columns, 'est.' is 4 wide
    print(f"{'name':<{name_w}}  {'year':<{year_w}}  {'est.':<4}  title")
    for row in df.itertuples():
        est = "yes" if row.estimated else ""
        print(f"{row.name:<{name_w}}  {_cut(row.year, year_w):<{year_w}}  {est:<4}  {_cut(row.title, title_w)}")
    print(f"\n{len(df)} datasets; 'ioemissions tables show NAME' for units, source, licence and caveats.")


def _show(tables, name: str, as_json: bool) -> None:
    meta = tables.metadata(name)
    if as_json:
        print(json.dumps(meta, indent=2, ensure_ascii=False))
        return
    wrap = textwrap.TextWrapper(width=100, subsequent_indent="    ")
    print(f"{name}: {meta['title']}")
    print(f"  year: {meta['year']}    kind: {meta['kind']}    estimated: {'YES' if meta.get('estimated') else 'no'}")
    units = meta["units"]
    lines = [f"{k}: {v}" for k, v in units.items()] if isinstance(units, dict) else [str(units)]
    print("  units:\n" + "\n".join(wrap.fill(f"  - {u}") for u in lines))
    src = meta["source"]
    lines = [f"{k}: {v}" for k, v in src.items()] if isinstance(src, dict) else [str(src)]
    print("  source:\n" + "\n".join(wrap.fill(f"  - {s}") for s in lines))
    print(wrap.fill(f"  licence: {meta['licence']}"))
    print(f"  files: {', '.join(meta['files'])}    built by: {meta['script']}")
    print("  caveats:\n" + "\n".join(wrap.fill(f"  - {c}") for c in meta["caveats"]))


def _tables(args) -> int:
    from .. import tables

    if args.action == "list":
        _list(tables)
    else:
        _show(tables, args.name, args.json)
    return 0


def register(sub) -> None:
    """Add the ``tables`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser("tables", help="list the shipped datasets or show one's provenance")
    tsub = p.add_subparsers(dest="action", required=True)
    tsub.add_parser("list", help="all shipped datasets: name, year, estimated or not, title")
    show = tsub.add_parser("show", help="units, source, licence and caveats of one dataset")
    show.add_argument("name", help="dataset name, as in 'ioemissions tables list'")
    show.add_argument("--json", action="store_true", help="print the raw metadata.json (default: readable text)")
    p.set_defaults(func=_tables)

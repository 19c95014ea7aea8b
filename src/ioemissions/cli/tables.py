"""``ioemissions tables``: list the shipped datasets or show one's provenance."""

from __future__ import annotations

import json


def _tables(args) -> int:
    import pandas as pd

    from .. import tables

    if args.action == "list":
        with pd.option_context("display.width", 200, "display.max_colwidth", 70, "display.max_rows", 200):
            print(tables.list().to_string(index=False))
    else:
        print(json.dumps(tables.metadata(args.name), indent=2, ensure_ascii=False))
    return 0


def register(sub) -> None:
    """Add the ``tables`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser("tables", help="list the shipped datasets or show one's provenance")
    tsub = p.add_subparsers(dest="action", required=True)
    tsub.add_parser("list", help="all shipped datasets")
    show = tsub.add_parser("show", help="metadata of one dataset")
    show.add_argument("name")
    p.set_defaults(func=_tables)

"""``ioemissions accounts``: production/consumption accounts and bilateral flows of any MRIO.

``ioemissions accounts PATH`` reads a folder written by :func:`ioemissions.save`, a pymrio ``save_all``
folder, or a file pymrio parses (EXIOBASE 3, OECD ICIO, Eora26); without PATH it runs pymrio's test
system. Files written to ``--out``:

* ``accounts.csv`` — rows (stressor, region), columns ``production [unit]`` … ``balance [unit]`` when
  all chosen stressors share a unit, else the same columns plus a ``unit`` column;
* ``embodied_trade.csv`` — rows (stressor, origin), one column per destination region, same unit rule.
"""

from __future__ import annotations

from ._common import output_args


def _stressor_key(label) -> str:
    return " / ".join(map(str, label)) if isinstance(label, tuple) else str(label)


def _pick_stressors(model, wanted):
    from ..errors import LabelError

    if not wanted:
        return list(model.stressors)
    by_key = {}
    for s in model.stressors:
        key = _stressor_key(s)
        by_key.setdefault(key.casefold(), s)
        by_key.setdefault((s[0] if isinstance(s, tuple) else s).casefold(), s)
        if " / " in key:  # "<extension> / <stressor> / ..." with --extension all: the stressor alone works too
            rest = key.split(" / ", 1)[1]
            by_key.setdefault(rest.casefold(), s)
            by_key.setdefault(rest.split(" / ")[0].casefold(), s)
    picked = []
    for w in wanted:
        s = by_key.get(w.casefold())
        if s is None:
            shown = ", ".join(_stressor_key(s) for s in list(model.stressors)[:20])
            raise LabelError(f"no stressor {w!r} in the model; stressors: {shown}")
        picked.append(s)
    return picked


def _stack(frames: dict, units: dict, index_name: str):
    """Concatenate per-stressor tables; units go into the headers if they agree, else into a column."""
    import pandas as pd

    from ..report._tables import with_units

    table = pd.concat(frames, names=["stressor", index_name])
    if len(set(units.values())) == 1:
        return with_units(table, next(iter(units.values())))
    unit_col = [units[s] for s in table.index.get_level_values(0)]
    return table.assign(unit=unit_col)


def _load(args):
    from ..core.mrio import MRIO

    if args.path is None:
        import pymrio

        from ..modelio import all_extensions

        io = pymrio.load_test()
        return all_extensions(io) if args.extension == "all" else MRIO.from_pymrio(io, extension=args.extension)
    from ..modelio import load_model

    return load_model(args.path, format=args.format, extension=args.extension)


def _accounts(args) -> int:
    import pandas as pd

    from ..errors import LabelError

    model = _load(args)
    if not len(model.stressors):
        raise LabelError(f"{args.path or 'the model'}: no stressors; choose an extension with --extension")
    stressors = _pick_stressors(model, args.stressor)
    accs, flows, units = {}, {}, {}
    for s in stressors:
        key = _stressor_key(s)
        accs[key] = model.accounts(s)
        flows[key] = model.embodied_trade(s)
        units[key] = model.stressor_unit(s)
    acc = _stack(accs, units, "region")
    trade = _stack(flows, units, "origin")
    with pd.option_context("display.width", 120, "display.float_format", "{:,.4g}".format, "display.max_rows", 60):
        print(f"{model!r}\nAccounts of {len(stressors)} stressor(s):")
        print(acc.to_string() if len(acc) <= 60 else acc.head(60).to_string() + "\n…")
    if args.out:
        from .._output import atomic_dir
        from ..report._tables import write_csv, write_xlsx

        with atomic_dir(args.out) as tmp:
            write_csv(acc, tmp / "accounts.csv", precise=args.precise)
            write_csv(trade, tmp / "embodied_trade.csv", precise=args.precise)
            if args.xlsx:
                from ..report._tables import versions

                readme = [
                    ("model", repr(model)),
                    ("source", str(args.path or "pymrio test system")),
                    ("units", "; ".join(f"{k}: {v}" for k, v in units.items())),
                    ("embodied_trade", "rows: origin (where emitted; Abroad = the import block), columns: destination"),
                    ("versions", versions()),
                ]
                write_xlsx({"accounts": acc, "embodied_trade": trade}, tmp / "accounts.xlsx", readme)
        print(f"wrote {args.out}/accounts.csv and embodied_trade.csv" + (" and accounts.xlsx" if args.xlsx else ""))
    return 0


def register(sub) -> None:
    """Add the ``accounts`` sub-command to the parser's sub-parsers ``sub``."""
    from ..modelio import FORMATS

    p = sub.add_parser(
        "accounts",
        help="production/consumption accounts of any MRIO (saved model, pymrio folder, EXIOBASE, OECD, Eora)",
        description="Accounts (production, consumption, exports, imports, balance) and bilateral flows of "
        "every chosen stressor of an MRIO read from PATH; without PATH, pymrio's test system.",
    )
    p.add_argument(
        "path",
        nargs="?",
        help="folder written by ioemissions.save or pymrio save_all, or an EXIOBASE 3 / OECD ICIO / Eora26 file "
        "(default: pymrio's test system)",
    )
    p.add_argument(
        "--format", choices=FORMATS, default="auto", help="how to read PATH (default: auto, guessed from PATH)"
    )
    p.add_argument(
        "--extension",
        default="all",
        help="pymrio extension (satellite account) to use, or 'all' (default: all, labels '<extension> / <stressor>')",
    )
    p.add_argument(
        "--stressor",
        action="append",
        help="stressor label, e.g. CO2 or 'emission_type1 / air'; repeat for several (default: all)",
    )
    p.add_argument("--example", choices=["pymrio-test"], help="run pymrio's test system (the default without PATH)")
    p.add_argument("--out", help="folder for accounts.csv and embodied_trade.csv (default: print only)")
    output_args(p, lang=False, figures=False)
    p.set_defaults(func=_accounts)

"""``ioemissions accounts``: production/consumption accounts of an MRIO."""

from __future__ import annotations


def _accounts(args) -> int:
    import pandas as pd

    from ..core.mrio import MRIO

    if args.example == "pymrio-test":
        import pymrio

        model = MRIO.from_pymrio(pymrio.load_test(), extension="emissions")
        stressor = args.stressor or "emission_type1"
    else:  # pragma: no cover - argparse restricts choices
        raise SystemExit(f"unknown example {args.example}")
    acc = model.accounts(stressor)
    with pd.option_context("display.width", 120, "display.float_format", "{:,.4g}".format):
        print(f"{model!r}\nAccounts of {stressor!r} ({acc.attrs['unit']}):")
        print(acc)
    if args.out:
        from .._output import atomic_dir

        with atomic_dir(args.out) as tmp:
            acc.to_csv(tmp / "accounts.csv")
            model.embodied_trade(stressor).to_csv(tmp / "embodied_trade.csv")
        print(f"wrote {args.out}/accounts.csv and embodied_trade.csv")
    return 0


def register(sub) -> None:
    """Add the ``accounts`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser("accounts", help="production/consumption accounts of an example MRIO")
    p.add_argument("--example", choices=["pymrio-test"], default="pymrio-test")
    p.add_argument("--stressor", help="stressor label (default: the example's first)")
    p.add_argument("--out", help="folder for accounts.csv and embodied_trade.csv")
    p.set_defaults(func=_accounts)

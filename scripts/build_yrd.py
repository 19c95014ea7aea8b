"""Build the Shanghai-in-Yangtze-River-Delta MRIO and store it in ``tables/yrd-mrio-<year>``.

Usage::

    python scripts/build_yrd.py [--year 2017] [--out tables]

The model is an *estimate* (see ``ioemissions.regional.yrd``), rebuilt deterministically by
:func:`ioemissions.regional.build_yrd_mrio` from shipped tables only. The folder is written to a
temporary sibling and renamed, so a failed build leaves the old dataset in place.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import ioemissions as ie
from ioemissions._output import replace_dir
from ioemissions.regional.yrd import NATIONAL_TABLES, electricity_check
from ioemissions.tables.mrio_store import write_mrio

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, default=2017)
    parser.add_argument("--out", default=str(ROOT / "tables"))
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    model = ie.regional.build_yrd_mrio(args.year)
    seconds = time.perf_counter() - t0
    check = electricity_check(model, args.year)  # built-in check: electricity use by origin vs physical flows
    worst = check["difference_pp"].abs().max()
    if worst > 2.0:
        print(f"electricity shares off the physical flows by {worst:.2f} points:\n{check}", file=sys.stderr)
        return 1
    name = f"yrd-mrio-{args.year}"
    out = Path(args.out)
    with replace_dir(out / name) as tmp:
        files = write_mrio(model, tmp)
        inputs = [
            NATIONAL_TABLES[args.year],
            "ipio-provincial-output",
            "ipio-provincial-expenditure",
            "customs-trade-provinces",
            "province-distances",
            "gcam-electricity-flows",
            "gcam-electricity-generation",
            "ceads-co2-provinces",
            "ceads-co2-national",
            "ceads-io42-concordance",
        ]
        meta = {
            "name": name,
            "title": f"Shanghai in the Yangtze River Delta: a 5-region x 42-sector MRIO for {args.year} (ESTIMATED)",
            "kind": "mrio",
            "files": files,
            "year": args.year,
            "units": {"monetary": model.monetary_unit, "stressors": {"CO2": "Mt"}},
            "estimated": True,
            "source": {
                "built_by": "ioemissions.regional.build_yrd_mrio (scripts/build_yrd.py), default parameters",
                "inputs": inputs,
                "method": "national NBS table regionalised with provincial output shares, provincial final-demand and "
                "trade controls, provincial GDP shares for value added (RAS of inputs), region-specific import "
                "propensities, a doubly constrained gravity model of interregional trade, electricity use by origin "
                "at the observed physical shares, CEADs CO2 satellites, scaled foreign multipliers",
            },
            "licence": "BSD-3-Clause for the estimate; inputs keep their own licences (see their datasets)",
            "caveats": [
                "This is an ESTIMATE built by ioemissions, not an official or survey-based table.",
                "Regions: Shanghai, Jiangsu, Zhejiang, Anhui, RestOfChina (27 provinces including Tibet).",
                "Each region's value added matches its share of national GDP in the balanced IPIO provincial "
                "accounts (production approach); its intermediate inputs are the national ones rebalanced by RAS "
                "(regions add up to the national table cell by cell). Import propensities differ by region.",
                "Interregional trade is a gravity estimate (distance elasticity 1, internal distance half the "
                "distance to the nearest other capital), not observed.",
                "Electricity: each region's use by origin is held at the observed physical shares (GCAM-China "
                "interprovincial flows, one uniform price per GWh); regional electricity output follows from those "
                "sales and so differs from the IPIO provincial output.",
                "RestOfChina CO2 = national CEADs inventory minus the four provinces, by sector and fuel (the whole "
                "national-vs-provincial discrepancy lands there; one cell, RestOfChina gas production, is negative). "
                "build_yrd_mrio(rest_co2='proportional') spreads it over all regions instead.",
                "Imports from abroad carry China's average multipliers (domestic technology assumption) times the "
                "world/China CO2 intensity of GDP ratio 0.29/0.42 (2022, Wikipedia 'List of countries by carbon "
                "intensity of GDP'); a whole-economy proxy, not product by product.",
            ],
            "script": "scripts/build_yrd.py",
            "build_seconds": "not recorded (varies by machine); see docs/performance",
        }
        (tmp / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"built {name} in {seconds:.1f} s: {model!r}; electricity shares within {worst:.1e} points of the flows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

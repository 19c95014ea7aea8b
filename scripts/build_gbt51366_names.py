# ruff: noqa: E501  (the translation table reads best one factor a line)
"""Build ``tables/gbt51366-names``: English names and aliases of the GB/T 51366-2019 factors.

Usage::

    python scripts/build_tables.py gbt51366-names      # with the other datasets (helpers in _build.py)
    python scripts/build_gbt51366_names.py [--out tables]

Input: the shipped ``tables/gbt51366-factors/factors.csv`` (its ids and Chinese names). The English
names below are translations of those Chinese names written for ioemissions (not taken from the
standard, which has no English edition of the tables); each is checked against the Chinese name it
translates, so a changed source table stops the build instead of mislabelling a factor. Aliases are
the words a user would type (``C30 concrete``, ``rebar``, ``HRB400``); an alias may name one factor
only. No number is added: units and values stay in ``gbt51366-factors``.

Deterministic: running it twice gives byte-identical output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from _build import ROOT, BuildError, builder, write_dataset

NAME = "gbt51366-names"

#: id -> (Chinese name it translates, English name, aliases separated by "|")
NAMES: dict[str, tuple[str, str, str]] = {
    "D001": ("C30 混凝土", "C30 concrete", "concrete C30|C30|ready-mixed concrete C30"),
    "D002": ("C50 混凝土", "C50 concrete", "concrete C50|C50"),
    "D003": ("普通硅酸盐水泥（市场平均）", "ordinary Portland cement (market average)", "cement|Portland cement|OPC"),
    "D004": ("石灰（市场平均）", "lime (market average)", "quicklime|lime"),
    "D005": (
        "消石灰（熟石灰、氢氧化钙）",
        "slaked lime (hydrated lime, calcium hydroxide)",
        "hydrated lime|calcium hydroxide",
    ),
    "D006": ("天然石膏", "natural gypsum", "gypsum"),
    "D007": ("砂（细度模数 1.6~3.0）", "sand (fineness modulus 1.6-3.0)", "sand"),
    "D008": ("碎石（10~30mm）", "crushed stone (10-30 mm)", "crushed stone|gravel|aggregate"),
    "D009": ("页岩石", "shale", "shale rock"),
    "D010": ("黏土", "clay", ""),
    "D011": ("混凝土砖（240×115×90）", "concrete brick (240×115×90)", "concrete brick"),
    "D012": (
        "蒸压粉煤灰砖（240×115×53）",
        "autoclaved fly-ash brick (240×115×53)",
        "fly ash brick|autoclaved fly ash brick",
    ),
    "D013": (
        "烧结粉煤灰实心砖（240×115×53，掺入量 50%）",
        "fired fly-ash solid brick (240×115×53, 50% fly ash)",
        "fired fly ash brick",
    ),
    "D014": ("页岩实心砖（240×115×53）", "shale solid brick (240×115×53)", "shale brick"),
    "D015": ("页岩空心砖（240×115×53）", "shale hollow brick (240×115×53)", "shale hollow brick"),
    "D016": ("黏土空心砖（240×115×53）", "clay hollow brick (240×115×53)", "clay hollow brick"),
    "D017": (
        "煤矸石实心砖（240×115×53，90% 掺量）",
        "coal-gangue solid brick (240×115×53, 90% gangue)",
        "coal gangue brick",
    ),
    "D018": (
        "煤矸石空心砖（240×115×53，90% 掺量）",
        "coal-gangue hollow brick (240×115×53, 90% gangue)",
        "coal gangue hollow brick",
    ),
    "D019": ("炼钢生铁", "pig iron for steelmaking", "pig iron"),
    "D020": ("铸造生铁", "foundry pig iron", "cast iron"),
    "D021": ("炼钢用铁合金（市场平均）", "ferroalloy for steelmaking (market average)", "ferroalloy"),
    "D022": ("转炉碳钢", "carbon steel, basic oxygen furnace", "BOF steel"),
    "D023": ("电炉碳钢", "carbon steel, electric arc furnace", "EAF steel"),
    "D024": ("普通碳钢（市场平均）", "ordinary carbon steel (market average)", "steel|carbon steel"),
    "D025": ("热轧碳钢小型型钢", "hot-rolled carbon steel, small sections", "small steel sections"),
    "D026": ("热轧碳钢中小型钢", "hot-rolled carbon steel, small and medium sections", "medium steel sections"),
    "D027": (
        "热轧碳钢大型轨梁（方圆坯、管坯）",
        "hot-rolled carbon steel, large rails and beams (square and round billets, tube billets)",
        "steel billets",
    ),
    "D028": (
        "热轧碳钢大型轨梁（重轨、普通型钢）",
        "hot-rolled carbon steel, large rails and beams (heavy rails, ordinary sections)",
        "steel rails|heavy rail",
    ),
    "D029": ("热轧碳钢中厚板", "hot-rolled carbon steel, medium and heavy plate", "steel plate"),
    "D030": ("热轧碳钢 H 钢", "hot-rolled carbon steel, H-sections", "H-beam|H-section|structural steel|steel beam"),
    "D031": ("热轧碳钢宽带钢", "hot-rolled carbon steel, wide strip", "steel strip"),
    "D032": (
        "热轧碳钢钢筋",
        "hot-rolled carbon steel, reinforcing bar",
        "rebar|reinforcing steel|reinforcement|HRB400|HRB500|HRB335",
    ),
    "D033": ("热轧碳钢高线材", "hot-rolled carbon steel, high-speed wire rod", "wire rod"),
    "D034": ("热轧碳钢棒材", "hot-rolled carbon steel, bar", "steel bar"),
    "D035": ("螺旋埋弧焊管", "spiral submerged-arc welded pipe", "SSAW pipe|spiral welded pipe"),
    "D036": ("大口径埋弧焊直缝钢管", "large-diameter longitudinal submerged-arc welded steel pipe", "LSAW pipe"),
    "D037": ("焊接直缝钢管", "longitudinally welded steel pipe", "welded steel pipe|ERW pipe"),
    "D038": ("热轧碳钢无缝钢管", "hot-rolled carbon steel seamless pipe", "seamless steel pipe"),
    "D039": (
        "冷拔冷轧碳钢无缝钢管",
        "cold-drawn or cold-rolled carbon steel seamless pipe",
        "cold-drawn seamless pipe",
    ),
    "D040": ("碳钢热镀锌板卷", "hot-dip galvanised carbon steel sheet and coil", "galvanised steel|galvanized steel"),
    "D041": ("碳钢电镀锌板卷", "electro-galvanised carbon steel sheet and coil", "electrogalvanised steel"),
    "D042": ("碳钢电镀锡板卷", "electrolytic tinplate, carbon steel sheet and coil", "tinplate"),
    "D043": ("酸洗板卷", "pickled sheet and coil", "pickled steel"),
    "D044": ("冷轧碳钢板卷", "cold-rolled carbon steel sheet and coil", "cold-rolled steel"),
    "D045": ("冷硬碳钢板卷", "full-hard cold-rolled carbon steel sheet and coil", "full hard steel"),
    "D046": ("平板玻璃", "flat glass", "glass|float glass"),
    "D047": (
        "电解铝（全国平均电网电力）",
        "primary aluminium, electrolytic (national average grid electricity)",
        "aluminium|aluminum",
    ),
    "D048": ("铝板带", "aluminium sheet and strip", "aluminium sheet|aluminum sheet"),
    "D049": (
        "断桥铝合金窗（100% 原生铝型材）",
        "thermally broken aluminium-alloy window (100% primary aluminium profiles)",
        "aluminium window primary",
    ),
    "D050": (
        "断桥铝合金窗（原生铝:再生铝=7:3）",
        "thermally broken aluminium-alloy window (primary:recycled aluminium = 7:3)",
        "aluminium window|aluminum window",
    ),
    "D051": (
        "铝木复合窗（100% 原生铝型材）",
        "aluminium-clad timber window (100% primary aluminium profiles)",
        "aluminium timber window primary",
    ),
    "D052": (
        "铝木复合窗（原生铝:再生铝=7:3）",
        "aluminium-clad timber window (primary:recycled aluminium = 7:3)",
        "aluminium timber window|wood aluminium window",
    ),
    "D053": ("铝塑共挤窗", "aluminium-plastic co-extruded window", "co-extruded window"),
    "D054": ("塑钢窗", "uPVC window (steel-reinforced plastic)", "uPVC window|PVC window|plastic window"),
    "D055": ("铜板", "copper sheet", "copper"),
    "D056": ("聚苯乙烯泡沫板", "expanded polystyrene foam board", "EPS|EPS board|polystyrene board"),
    "D057": ("岩棉板", "rock wool board", "rock wool|mineral wool|stone wool"),
    "D058": ("硬泡聚氨酯板", "rigid polyurethane foam board", "PU board|PUR board|polyurethane"),
    "D059": ("铝塑复合板", "aluminium-plastic composite panel", "ACP|aluminium composite panel"),
    "D060": ("铜塑复合板", "copper-plastic composite panel", "copper composite panel"),
    "D061": ("无规共聚聚丙烯管（PPR）", "random-copolymer polypropylene pipe (PPR)", "PPR pipe|PP-R pipe"),
    "D062": ("聚乙烯管", "polyethylene pipe", "PE pipe"),
    "D063": ("硬聚氯乙烯管", "unplasticised PVC pipe (uPVC)", "uPVC pipe|PVC pipe|PVC-U pipe"),
    "D064": ("普通聚苯乙烯", "general-purpose polystyrene", "polystyrene|GPPS"),
    "D065": ("线性低密度聚乙烯", "linear low-density polyethylene", "LLDPE"),
    "D066": ("高密度聚乙烯（HDPE）", "high-density polyethylene (HDPE)", "HDPE"),
    "D067": ("低密度聚乙烯（LDPE）", "low-density polyethylene (LDPE)", "LDPE"),
    "D068": ("聚氯乙烯（市场平均）", "polyvinyl chloride (market average)", "PVC"),
    "D069": ("自来水", "tap water", "water"),
    "E001": ("轻型汽油货车（载重 2t）", "light petrol truck (2 t payload)", "petrol truck 2t"),
    "E002": ("中型汽油货车（载重 8t）", "medium petrol truck (8 t payload)", "petrol truck 8t"),
    "E003": (
        "重型汽油货车（载重 10t/18t）",
        "heavy petrol truck (10 t/18 t payload)",
        "petrol truck 10t|petrol truck 18t",
    ),
    "E004": ("轻型柴油货车（载重 2t）", "light diesel truck (2 t payload)", "diesel truck 2t"),
    "E005": ("中型柴油货车（载重 8t）", "medium diesel truck (8 t payload)", "diesel truck 8t"),
    "E006": ("重型柴油货车（载重 10t）", "heavy diesel truck (10 t payload)", "diesel truck 10t"),
    "E007": ("重型柴油货车（载重 18t）", "heavy diesel truck (18 t payload)", "diesel truck 18t"),
    "E008": ("重型柴油货车（载重 30t）", "heavy diesel truck (30 t payload)", "diesel truck 30t|truck"),
    "E009": ("重型柴油货车（载重 46t）", "heavy diesel truck (46 t payload)", "diesel truck 46t"),
    "E010": ("铁路运输（中国市场平均）", "rail freight (China market average)", "rail|train"),
    "E011": ("电力机车（JS note only）", "electric locomotive (file A note only)", "electric rail"),
    "E012": ("内燃机车（JS note only）", "diesel locomotive (file A note only)", "diesel rail"),
    "E013": ("液货船运（载重 2000t）", "liquid cargo ship (2000 t payload)", "tanker"),
    "E014": ("干散货船运（载重 2500t）", "dry bulk carrier (2500 t payload)", "bulk carrier|ship"),
    "E015": ("集装箱船运（200TEU）", "container ship (200 TEU)", "container ship"),
}


@builder(NAME)
def build_gbt51366_names(raw: Path, out: Path, name: str = NAME) -> None:
    """Build the names table from ``out/gbt51366-factors`` (the shipped factors; ``raw`` is not used)."""
    src = out / "gbt51366-factors" / "factors.csv"
    factors = pd.read_csv(src)
    missing = sorted(set(factors.id) - set(NAMES))
    extra = sorted(set(NAMES) - set(factors.id))
    if missing or extra:
        raise BuildError(f"{name}: no translation for {missing}; translations without a factor {extra}")
    rows = []
    seen: dict[str, str] = {}
    for r in factors.itertuples():
        zh, en, aliases = NAMES[r.id]
        if zh != r.name_zh:
            raise BuildError(f"{name}: {r.id} is {r.name_zh!r} in gbt51366-factors, the translation is of {zh!r}")
        for a in [en, zh, r.id, *filter(None, aliases.split("|"))]:
            key = a.casefold()
            if seen.get(key, r.id) != r.id:
                raise BuildError(f"{name}: {a!r} would name both {seen[key]} and {r.id}")
            seen[key] = r.id
        kind = "material" if r.appendix == "D" else "transport"
        rows.append({"id": r.id, "kind": kind, "name_en": en, "name_zh": zh, "aliases": aliases})
    df = pd.DataFrame(rows)
    meta = {
        "title": "GB/T 51366-2019 factors: English names and aliases / 建筑碳排放计算标准 附录D、E 因子的英文名称与别名",
        "title_zh": "GB/T 51366-2019 附录D（建材）与附录E（运输）因子的英文名称与别名",
        "kind": "table",
        "year": 2019,
        "units": {"(none)": "names only; units and values are in gbt51366-factors"},
        "columns": {
            "id": "factor id of gbt51366-factors (D = Appendix D material, E = Appendix E transport) / 因子编号",
            "kind": "material or transport / 建材或运输方式",
            "name_en": "English name (a translation of name_zh written for ioemissions) / 英文名称（译名）",
            "name_zh": "Chinese name as shipped in gbt51366-factors / 中文名称（与 gbt51366-factors 一致）",
            "aliases": "other names a user may type, separated by '|', each naming one factor only / 别名，以 '|' 分隔",
        },
        "source": {
            "chinese_names": "tables/gbt51366-factors (GB/T 51366-2019 Appendix D Table D.0.1 and Appendix E Table "
            "E.0.1, as transcribed)",
            "translations": "written for ioemissions as faithful translations of the Chinese names; GB/T 51366 has "
            "no official English edition of these tables",
        },
        "licence": "translations: same licence as ioemissions; Chinese names as in gbt51366-factors",
        "caveats": [
            "The English names are translations, not official names; when in doubt the Chinese name and id govern.",
            "Aliases such as 'rebar' or 'HRB400' map a trade name to the nearest GB/T 51366 factor (hot-rolled "
            "reinforcing bar): the standard gives one factor for all reinforcing-bar grades.",
            "E011 and E012 appear only as a note in transcription file A (see gbt51366-factors).",
        ],
    }
    write_dataset(out, name, {"names.csv": df}, meta, [src])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(ROOT / "tables"), help="tables folder (reads gbt51366-factors from it)")
    try:
        build_gbt51366_names(Path(), Path(p.parse_args(argv).out))
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Capital costs of low-carbon technologies in CNY, their split into equipment/installation/other, FOM and lifetime.

Built by ``python scripts/build_tables.py technology-costs``; shared helpers in ``_build.py``.

Chinese literature capex (CNY) is preferred: the literature table of PyPSA-China-PIK (one reference, Zhu et al.
2025, for every power technology it covers, so the technologies are comparable), LBNL for battery energy capacity and
PyPSA-China-PIK's UHVDC line cost (China Daily, Gansu-Zhejiang ±800 kV). Technologies without Chinese data take the
European values of PyPSA technology-data (EUR of 2025), converted at PyPSA-China-PIK's documented rate. Splits come
from the Danish Energy Agency catalogues (2030 shares) and, for nuclear, ACCERT's PWR12-BE direct cost accounts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from _build import BuildError, builder, write_dataset

PIK = "pypsa-china-pik-costs"
TD = "pypsa-technology-data"
DEA = "dea-technology-catalogue-capex-components"
ACCERT = "accert-pwr12be-nuclear-capex"

# The rate PyPSA-China-PIK uses to turn CNY and USD literature values into EUR (workflow/notebooks/
# update_cost_data.ipynb: CNY_TO_EUR = 0.12, USD_TO_EUR = 0.90; recorded in pypsa-china-pik-costs/SOURCE.md).
EUR_PER_CNY = 0.12
RATE_SOURCE = "PyPSA-China-PIK update_cost_data.ipynb CNY_TO_EUR = 0.12 (pypsa-china-pik-costs/SOURCE.md)"
# USD -> CNY: the same notebook's USD_TO_EUR = 0.90 over CNY_TO_EUR = 0.12, i.e. 7.5 CNY/USD (yearless, as the EUR rate)
USD_TO_EUR = 0.90
CNY_PER_USD = round(USD_TO_EUR / EUR_PER_CNY, 12)  # 7.5
USD_RATE_SOURCE = (
    "PyPSA-China-PIK update_cost_data.ipynb USD_TO_EUR = 0.90 and CNY_TO_EUR = 0.12 (pypsa-china-pik-costs/SOURCE.md)"
)
SPLIT_YEAR = 2030  # DEA shares change over time; the split is the one of this year

# technology -> technology name in the PIK literature table (reference Zhu et al.), unit there cny/kw
CHINA_LIT = {
    "offshore-wind": "offwind",
    "onshore-wind": "onwind",
    "solar-pv": "solar-utility",
    "solar-pv-distributed": "Distributed solar",
    "nuclear": "nuclear",
    "coal-power": "coal",
    "coal-ccs": "coal ccs",
    "gas-power": "gas",
    "gas-ccs": "gas ccs",
    "hydro": "hydro",
    "pumped-hydro": "PHS",
    "battery-storage": "battery storage",
    "biomass-ccs": "biomass ccs",
}
# technology -> technology name in PyPSA technology-data (EUR 2025), unit renamed for CNY
EUROPE = {
    "electrolysis": ("electrolysis", "CNY/kW_e"),
    "fuel-cell": ("fuel cell", "CNY/kW_e"),
    "heat-pump": ("decentral air-sourced heat pump", "CNY/kW_th"),
    "industrial-heat-pump": ("industrial heat pump medium temperature", "CNY/kW_th"),
    "bev-car": ("Battery electric (passenger cars)", "CNY/vehicle"),
    "fcev-car": ("Hydrogen fuel cell (passenger cars)", "CNY/vehicle"),
    "icev-car": ("Liquid fuels ICE (passenger cars)", "CNY/vehicle"),
    "bev-bus": ("BEV Bus city", "CNY/vehicle"),
    "fcev-bus": ("FCV Bus city", "CNY/vehicle"),
    "diesel-bus": ("Diesel Bus city", "CNY/vehicle"),
    "bev-truck": ("BEV Truck Semi-Trailer max 50 tons", "CNY/vehicle"),
    "fcev-truck": ("FCV Truck Semi-Trailer max 50 tons", "CNY/vehicle"),
    "diesel-truck": ("Diesel Truck Semi-Trailer max 50 tons", "CNY/vehicle"),
    "hvdc-converter": ("HVDC inverter pair", "CNY/kW"),
    "cement-ccs": ("cement capture", "CNY/(t CO2/h)"),
    "steel-eaf": ("electric arc furnace", "CNY/(t steel/h)"),
    "steel-h2-dri": ("hydrogen direct iron reduction furnace", "CNY/(t HBI/h)"),
    "steel-bf-bof": ("blast furnace-basic oxygen furnace", "CNY/(t steel/h)"),
    "smr": ("SMR", "CNY/MW_CH4"),
    "smr-ccs": ("SMR CC", "CNY/MW_CH4"),
}
EUROPE_UNITS = {  # the unit in technology-data each of the above must have (a different unit fails the build)
    "CNY/kW_e": {"EUR/kW_e"},
    "CNY/kW_th": {"EUR/kW_th", "EUR/kW"},
    "CNY/vehicle": {"EUR/PKW", "EUR/vehicle"},
    "CNY/kW": {"EUR/kW"},
    "CNY/(t CO2/h)": {"EUR/(tCO2/h)"},
    "CNY/(t steel/h)": {"EUR/t_steel/h"},
    "CNY/(t HBI/h)": {"EUR/t_HBI/h"},
    "CNY/MW_CH4": {"EUR/MW_CH4"},
}
# FOM and lifetime: technology -> (file family, technology name there)
FOM_FROM = {
    **{t: ("pik", n) for t, n in {
        "offshore-wind": "offwind", "onshore-wind": "onwind", "solar-pv": "solar-utility",
        "solar-pv-distributed": "solar-rooftop", "nuclear": "nuclear", "coal-power": "coal", "hydro": "hydro",
        "pumped-hydro": "PHS", "battery-storage": "battery storage", "uhvdc-line": "HVDC overhead",
    }.items()},
    **{t: ("td", n) for t, (n, _) in EUROPE.items()},
}  # fmt: skip
# splits: technology -> list of (component, category, DEA sheet, component label)
DEA_SPLITS = {
    "offshore-wind": ("21 Offshore turbines", 2, {
        "turbines": "equipment", "foundation": "equipment", "array cables": "equipment",
        "grid connection": "equipment", "Project development etc.": "other",
    }),
    "onshore-wind": ("20 Onshore turbines", 1, None),
    "solar-pv": ("22 Utility-scale PV", 2, None),
    "solar-pv-distributed": ("22 Rooftop PV commercial", 2, None),
    "electrolysis": ("86 AEC 100 MW", 1, None),
    "heat-pump": ("207.3 Air to water existing", 1, None),
    "cement-ccs": ("401.c Post comb - Cement kiln", 1, None),
    "gas-power": ("05 Gas turb. CC, steam extract.", 1, None),
}  # fmt: skip
CATEGORY_WORDS = [  # first match wins: which of equipment / installation / other a DEA component is
    ("installation", "installation"),
    ("decommissioning", "installation"),
    ("civil", "installation"),
    ("grid connection", "equipment"),
    ("equipment", "equipment"),
    ("turbines", "equipment"),
    ("pv modules", "equipment"),
    ("inverter", "equipment"),
    ("stack", "equipment"),
    ("system", "equipment"),
    ("bop", "equipment"),
    ("capture plant", "equipment"),
    ("compression", "equipment"),
    ("utilities", "equipment"),
    ("heat integration", "equipment"),
    ("rent of land", "other"),
    ("other", "other"),
    ("soft costs", "other"),
    ("owner", "other"),
    ("indirects", "other"),
    ("project development", "other"),
]


def _category(component: str) -> str:
    low = component.lower()
    for word, cat in CATEGORY_WORDS:
        if word in low:
            return cat
    raise BuildError(f"technology-costs: no category rule for DEA component {component!r}")


def _component_name(label: str) -> str:
    """'Nominal investment (equipment: turbines) [M€/MW_e, 2020]' -> 'equipment: turbines';
    '- hereof capture plant (%)' -> 'capture plant'; '- of which equipment' -> 'equipment'."""
    s = label
    if s.startswith("Nominal investment ("):
        s = s[len("Nominal investment (") :].split(")")[0].split(" [")[0]
    for prefix in ("- hereof ", "- of which is related to ", "- of which "):
        s = s.removeprefix(prefix)
    return s.split(" (")[0].split(" [")[0].strip()


def china_capex(raw: Path) -> tuple[pd.DataFrame, list[Path]]:
    lit_path = raw / PIK / "tech_costs_subset_litreview.csv"
    lit = pd.read_csv(lit_path, dtype=str, encoding="utf-8", encoding_errors="replace")
    lit = lit[lit.cost_type == "investment"]
    years = ["2020", "2030", "2040", "2050", "2060"]
    rows = []

    def add(tech, sub, unit, reference, note):
        if len(sub) != 1:
            raise BuildError(f"technology-costs: {len(sub)} rows for {tech} ({reference}) in {lit_path.name}")
        r = sub.iloc[0]
        line = int(sub.index[0]) + 2  # 1-based line in the file (header is line 1)
        for y in years:
            if r[y].strip() == "-":
                continue
            rows.append(
                {
                    "technology": tech,
                    "year": int(y),
                    "capex": float(r[y]),
                    "unit": unit,
                    "price_year": pd.NA,
                    "source": f"{PIK}/{lit_path.name} line {line}: technology={r.technology!r}, "
                    f"reference={reference!r} ({r.link[:90].strip() if isinstance(r.link, str) else ''})",
                    "origin": "China",
                    "note": note,
                }
            )

    for tech, name in CHINA_LIT.items():
        sub = lit[(lit.technology == name) & (lit.reference == "Zhu et al.") & (lit.unit == "cny/kw")]
        others = lit[(lit.technology == name) & (lit.unit == "cny/kw") & (lit.reference != "Zhu et al.")]
        o2030 = pd.to_numeric(others["2030"], errors="coerce").dropna()
        note = "national average from a modelling study; price year not stated"
        if len(o2030):
            note += f"; other Chinese literature 2030: {o2030.min():,.0f}-{o2030.max():,.0f} CNY/kW " + (
                f"({', '.join(others.reference[o2030.index])})"
            )
        if tech == "battery-storage":
            note += "; per kW of power (storage duration not stated); see battery-storage-energy for CNY/kWh"
        add(tech, sub, "CNY/kW", "Zhu et al.", note)
    sub = lit[(lit.technology == "battery storage") & (lit.reference == "LBNL") & (lit.unit == "cny/kwh")]
    add("battery-storage-energy", sub, "CNY/kWh", "LBNL", "per kWh of storage capacity; price year not stated")

    hv = []
    files = [lit_path]
    for year in range(2020, 2065, 5):
        path = raw / PIK / f"costs_{year}.csv"
        files.append(path)
        c = pd.read_csv(path)
        r = c[(c.technology == "HVDC overhead") & (c.parameter == "investment")]
        if len(r) != 1 or r.unit.iloc[0] != "EUR/km/MW":
            raise BuildError(f"technology-costs: {path.name} HVDC overhead investment row missing or not EUR/km/MW")
        hv.append(
            {
                "technology": "uhvdc-line",
                "year": year,
                "capex": r.value.iloc[0] / EUR_PER_CNY,
                "unit": "CNY/(MW km)",
                "price_year": pd.NA,
                "source": f"{PIK}/{path.name}: technology='HVDC overhead', parameter=investment "
                f"({r.value.iloc[0]} EUR/km/MW; {r.source.iloc[0]})",
                "origin": "China",
                "note": f"±800 kV UHVDC overhead line, Gansu-Zhejiang (China Daily 2024); converted back to CNY at "
                f"the rate PyPSA-China-PIK used ({EUR_PER_CNY} EUR/CNY); converter stations not included "
                "(see hvdc-converter); price year not stated",
            }
        )
    return pd.DataFrame(rows + hv), files


def europe_capex(raw: Path) -> tuple[pd.DataFrame, list[Path], dict[int, pd.DataFrame]]:
    rows, files, frames = [], [], {}
    for year in range(2020, 2055, 5):
        path = raw / TD / f"costs_{year}.csv"
        files.append(path)
        c = pd.read_csv(path, encoding="utf-8", encoding_errors="replace")
        frames[year] = c
        for tech, (name, unit) in EUROPE.items():
            r = c[(c.technology == name) & (c.parameter == "investment")]
            if len(r) != 1:
                raise BuildError(f"technology-costs: {path.name} has {len(r)} investment rows for {name!r}")
            r = r.iloc[0]
            if r.unit not in EUROPE_UNITS[unit]:
                raise BuildError(f"technology-costs: {path.name} {name!r} investment unit {r.unit!r}, expected "
                                 f"one of {sorted(EUROPE_UNITS[unit])}")  # fmt: skip
            rows.append(
                {
                    "technology": tech,
                    "year": year,
                    "capex": r.value / EUR_PER_CNY,
                    "unit": unit,
                    "price_year": 2025,
                    "source": f"{TD}/{path.name}: technology={name!r}, parameter=investment ({r.value:.6g} {r.unit}, "
                    f"EUR of 2025; {str(r.source)[:120]})",
                    "origin": "Europe",
                    "note": f"European cost converted at {EUR_PER_CNY} EUR/CNY ({RATE_SOURCE}); no Chinese source in "
                    "the raw data",
                }
            )
    return pd.DataFrame(rows), files, frames


def _split_rows(tech: str, sheet: str, s: pd.DataFrame, col: str, shares_path: Path, note: str = "") -> list[dict]:
    """One splits row per DEA component of ``s``, shares renormalised to sum to one (a sum off by > 2 % raises)."""
    total = s[col].sum()
    if s.empty or abs(total - 1.0) > 0.02:
        raise BuildError(f"technology-costs: {tech} shares in {sheet!r} sum to {total:.4f}, not 1 +- 0.02")
    rows = []
    for _, r in s.iterrows():
        comp = _component_name(r.component_label)
        rows.append(
            {
                "technology": tech,
                "component": comp,
                "category": _category(comp),
                "share": r[col] / total,
                "source": f"{DEA}/{shares_path.name}: sheet {sheet!r}, {r.component_label!r}, {SPLIT_YEAR} "
                f"(renormalised from a sum of {total:.6f}){note}",
            }
        )
    return rows


def splits(raw: Path) -> tuple[pd.DataFrame, list[Path]]:
    shares_path = raw / DEA / "dea_capex_component_shares.csv"
    d = pd.read_csv(shares_path)
    col = f"share_{SPLIT_YEAR}"
    rows = []
    for tech, (sheet, level, _) in DEA_SPLITS.items():
        s = d[(d.sheet == sheet) & d[col].notna()]
        if tech == "electrolysis":  # the EUR/kW breakdown, not the per-kgH2/day equipment/installation pair
            s = s[s.total_label.str.startswith("Specific investment [€ / kW")]
        elif "per DC" in " ".join(s.total_label):
            s = s[~s.total_label.str.contains("per DC")]
        if level == 2:  # level-2 components, plus level-1 rows that have no level-2 detail (e.g. PV installation)
            lv2 = s[s.level == 2]
            detailed = {_component_name(c).split(":")[0].strip() for c in lv2.component_label}
            # offshore wind: level-1 "other" is the level-2 "Project development etc." under another name
            covered = detailed | ({"other"} if "Project development etc." in detailed else set())
            keep = [
                lv == 1 and _component_name(c) not in covered for lv, c in zip(s.level, s.component_label, strict=True)
            ]
            s = pd.concat([lv2, s[keep]])
        else:
            s = s[s.level == 1]
        if s.empty:
            raise BuildError(f"technology-costs: no {col} shares for {tech} in sheet {sheet!r}")
        rows += _split_rows(tech, sheet, s, col, shares_path)
    acc_path = raw / ACCERT / "pwr12be_direct_cost_by_account_and_type.csv"
    a = pd.read_csv(acc_path, dtype={"code_of_account": str}).set_index("code_of_account").loc["2"]
    parts = {
        "factory equipment": ("equipment", a.factory_equipment_cost),
        "site labour": ("installation", a.site_labor_cost),
        "site materials": ("materials", a.site_material_cost),
    }
    tot = sum(v for _, v in parts.values())
    for comp, (cat, v) in parts.items():
        rows.append(
            {
                "technology": "nuclear",
                "component": comp,
                "category": cat,
                "share": v / tot,
                "source": f"{ACCERT}/{acc_path.name}: account 2 (total direct cost, PWR12-BE, USD 2017), "
                f"{comp} / (factory equipment + site labour + site materials)",
            }
        )
    return pd.DataFrame(rows), [shares_path, acc_path]


def fom(raw: Path, td_frames: dict[int, pd.DataFrame]) -> tuple[pd.DataFrame, list[Path]]:
    rows = []
    pik = {y: pd.read_csv(raw / PIK / f"costs_{y}.csv") for y in range(2020, 2065, 5)}
    for tech, (family, name) in FOM_FROM.items():
        frames = pik if family == "pik" else td_frames
        fname = PIK if family == "pik" else TD
        for year, c in frames.items():
            r = c[c.technology == name].set_index("parameter")
            if r.empty:
                raise BuildError(f"technology-costs: no rows for {name!r} in {fname}/costs_{year}.csv")
            f = r.value.get("FOM")
            life = r.value.get("lifetime")
            rows.append(
                {
                    "technology": tech,
                    "year": year,
                    "fom_pct_per_year": f,
                    "lifetime_years": life,
                    "source": f"{fname}/costs_{year}.csv: technology={name!r}, parameters FOM and lifetime",
                }
            )
    return pd.DataFrame(rows), [raw / PIK / f"costs_{y}.csv" for y in pik]


# Carbon-capture plants (CCUS levers), all from technology-data: technology -> (name there, family, DEA split sheet).
# "npc": US National Petroleum Council retrofits (USD of 2019; the original capital cost and captured volume are
# re-read from the row's description, see capture()); "dea": Danish Energy Agency post-combustion plants (EUR 2025).
# Plants without a DEA sheet of their own take the 401.c post-combustion shares (stated in splits.csv's source).
CAPTURE = {
    "steel-ccs-retrofit": ("steel carbon capture retrofit", "npc", "401.c Post comb - Cement kiln"),
    "cement-ccs-retrofit": ("cement carbon capture retrofit", "npc", "401.c Post comb - Cement kiln"),
    "ammonia-ccs-retrofit": ("ammonia carbon capture retrofit", "npc", "401.c Post comb - Cement kiln"),
    "chp-ccs": ("biomass CHP capture", "dea", "401.a Post comb - small CHP"),
    "cement-ccs": ("cement capture", "dea", None),  # capex, FOM and split already above; parameters only
}
NPC_DESCRIPTION = re.compile(r"Capital cost ([\d.]+) million USD, CO2 Volume captured ([\d.]+)\s*t/year")
HOURS_PER_YEAR = 8760.0  # technology-data's conversion of NPC's annual volumes to t/h (checked in capture())


def _param(c: pd.DataFrame, name: str, parameter: str, units: set[str], where: str) -> float:
    r = c[(c.technology == name) & (c.parameter == parameter)]
    if r.empty:
        return float("nan")
    if len(r) != 1 or r.unit.iloc[0] not in units:
        raise BuildError(f"technology-costs: {where} {name!r} {parameter}: {len(r)} rows, unit {r.unit.iloc[0]!r}")
    return float(r.value.iloc[0])


def capture(raw: Path, td_frames: dict[int, pd.DataFrame]):
    """Capture-plant capex (CNY/(t CO2/h) of average captured flow), FOM/lifetime, splits and the technical
    parameters per t CO2 captured (capture.csv)."""
    cap, par, fo = [], [], []
    for tech, (name, family, _) in CAPTURE.items():
        for year, c in td_frames.items():
            where = f"{TD}/costs_{year}.csv"
            r = c[(c.technology == name) & (c.parameter == "investment")]
            if len(r) != 1:
                raise BuildError(f"technology-costs: {where} has {len(r)} investment rows for {name!r}")
            r = r.iloc[0]
            if family == "npc" and tech in CAPTURE:
                m = NPC_DESCRIPTION.search(str(r["further description"]))
                if r.unit != "USD/(tCO2/h)" or m is None or float(r.currency_year) != 2019.0:
                    raise BuildError(f"technology-costs: {where} {name!r}: not an NPC USD-2019 row ({r.unit!r})")
                cost, vol = float(m.group(1)) * 1e6, float(m.group(2))
                usd = cost / (vol / HOURS_PER_YEAR)  # USD 2019 per (t CO2/h) of average captured flow
                k = r.value / usd  # technology-data's EUR-HICP 2019 -> 2025 step applied to USD (SOURCE.md)
                if not 1.2 < k < 1.3:
                    raise BuildError(f"technology-costs: {where} {name!r}: {r.value} is not NPC's {usd:.6g} x HICP")
                cap.append(
                    {
                        "technology": tech,
                        "year": year,
                        "capex": usd * CNY_PER_USD,
                        "unit": "CNY/(t CO2/h)",
                        "price_year": 2019,
                        "source": f"{TD}/costs_{year}.csv: technology={name!r}, parameter=investment, description "
                        f"{m.group(0)!r} (USD of 2019, currency_year 2019; the file's {r.value:.6g} {r.unit} is "
                        f"this x {k:.5f}, a EUR HICP step applied to USD); {str(r.source)[:110]}",
                        "origin": "US",
                        "note": f"US retrofit (NPC 2019): capital cost / captured volume, per t/h of average captured "
                        f"flow (t/yr / {HOURS_PER_YEAR:.0f}); converted at {CNY_PER_USD} CNY/USD ({USD_RATE_SOURCE}); "
                        "no Chinese source in the raw data",
                    }
                )
            elif tech != "cement-ccs":
                if r.unit != "EUR/(tCO2/h)":
                    raise BuildError(f"technology-costs: {where} {name!r} investment unit {r.unit!r}")
                cap.append(
                    {
                        "technology": tech,
                        "year": year,
                        "capex": r.value / EUR_PER_CNY,
                        "unit": "CNY/(t CO2/h)",
                        "price_year": 2025,
                        "source": f"{where}: technology={name!r}, parameter=investment ({r.value:.6g} {r.unit}, "
                        f"EUR of 2025; {str(r.source)[:100]}, {r['further description']})",
                        "origin": "Europe",
                        "note": f"European cost converted at {EUR_PER_CNY} EUR/CNY ({RATE_SOURCE}); per t/h of "
                        "capture capacity; no Chinese source in the raw data",
                    }
                )
            mwh = {"MWh/tCO2", "MWh_el/t_CO2"}
            el = _param(c, name, "electricity-input", mwh, where)
            comp = _param(c, name, "compression-electricity-input", mwh, where)
            rate = _param(c, name, "capture_rate", {"per unit"}, where)
            if not 0 < rate <= 1:
                raise BuildError(f"technology-costs: {where} {name!r}: capture_rate {rate}")
            par.append(
                {
                    "technology": tech,
                    "year": year,
                    "capture_rate": rate,
                    "electricity_mwh_per_t": round(el + (0.0 if comp != comp else comp), 9),
                    "heat_mwh_per_t": _param(c, name, "heat-input", mwh, where),
                    "gas_mwh_per_t": _param(c, name, "gas-input", mwh, where),
                    "source": f"{where}: technology={name!r}, parameters capture_rate, electricity-input"
                    + (" + compression-electricity-input" if comp == comp else "")
                    + f", heat-input, gas-input (MWh/tCO2); {str(r.source)[:110]}",
                }
            )
            if tech != "cement-ccs":
                rr = c[c.technology == name].set_index("parameter")
                fo.append(
                    {
                        "technology": tech,
                        "year": year,
                        "fom_pct_per_year": rr.value.get("FOM"),
                        "lifetime_years": rr.value.get("lifetime"),
                        "source": f"{TD}/costs_{year}.csv: technology={name!r}, parameters FOM and lifetime",
                    }
                )
    shares_path = raw / DEA / "dea_capex_component_shares.csv"
    d = pd.read_csv(shares_path)
    col = f"share_{SPLIT_YEAR}"
    sp = []
    for tech, (name, family, sheet) in CAPTURE.items():
        if sheet is None:
            continue
        s = d[(d.sheet == sheet) & d[col].notna() & (d.level == 1)]
        proxy = "" if family == "dea" else f" (proxy: no DEA sheet for the {name!r} of NPC; post-combustion shares)"
        sp += _split_rows(tech, sheet, s, col, shares_path, note=proxy)
    return pd.DataFrame(cap), pd.DataFrame(par), pd.DataFrame(fo), pd.DataFrame(sp), [shares_path]


@builder("technology-costs")
def build_technology_costs(raw: Path, out: Path, name: str):
    cn, f1 = china_capex(raw)
    eu, f2, td_frames = europe_capex(raw)
    cc_capex, cc_par, cc_fom, cc_sp, f5 = capture(raw, td_frames)
    capex = pd.concat([cn, eu, cc_capex], ignore_index=True)
    capex["price_year"] = capex.price_year.astype("Int64")
    if capex.duplicated(["technology", "year"]).any():
        raise BuildError(f"{name}: two capex rows for one technology and year")
    if (capex.capex <= 0).any():
        raise BuildError(f"{name}: non-positive capex for {capex.technology[capex.capex <= 0].tolist()}")
    sp, f3 = splits(raw)
    fo, f4 = fom(raw, td_frames)
    sp = pd.concat([sp, cc_sp], ignore_index=True)
    fo = pd.concat([fo, cc_fom], ignore_index=True)
    no_split = sorted(set(capex.technology) - set(sp.technology))
    c = capex.set_index(["technology", "year"]).capex
    meta = {
        "title": "Capital costs of low-carbon technologies (CNY), their split into equipment, installation and "
        "other, fixed O&M and lifetime",
        "kind": "tables",
        "year": "2020-2060 (5- or 10-yearly as in the sources)",
        "units": {
            "capex.capex": "CNY per unit in column unit (e.g. CNY/kW, CNY/vehicle), at column price_year",
            "splits.share": "fraction of capex (sums to 1 per technology)",
            "fom.fom_pct_per_year": "% of capex per year",
            "fom.lifetime_years": "years",
            "capture.capture_rate": "fraction of the treated flue gas's CO2 captured by the plant",
            "capture.electricity_mwh_per_t": "MWh of electricity per t CO2 captured (capture + compression)",
            "capture.heat_mwh_per_t": "MWh of heat per t CO2 captured (DEA plants; empty: not given)",
            "capture.gas_mwh_per_t": "MWh of natural gas per t CO2 captured (NPC retrofits; empty: not given)",
        },
        "currency_conversion": {
            "EUR_per_CNY": EUR_PER_CNY,
            "source": RATE_SOURCE,
            "rule": "CNY = EUR / 0.12, applied to every European value (and to PIK's EUR value of the UHVDC line, "
            "which recovers its CNY literature value); no PPP, no inflation adjustment, no market exchange rate",
        },
        "source": {
            "china": {
                "repository": "https://github.com/pik-piam/PyPSA-China-PIK",
                "commit": "25c83bfb37bc7d81f3058d3f8271fa34383d63ee",
                "original_path": "resources/data/costs/reference_costs/tech_costs_subset_litreview.csv; "
                "resources/data/costs/default/costs_<year>.csv",
                "references": "Zhu Z, Zhang D, Zhang X, Zhang X. Integrated modeling for the transition pathway of "
                "China's power system. Energy Environ. Sci. 2025; LBNL, Achieving an 80% carbon-free electricity "
                "system in China by 2035; China Daily 2024-07-29 (Gansu-Zhejiang ±800 kV UHVDC)",
            },
            "europe": {
                "repository": "https://github.com/PyPSA/technology-data",
                "commit": "634cdc1a5613ebe2afd2a1fbed7b46653599fcf5",
                "original_path": "outputs/costs_<year>.csv (EUR of 2025)",
            },
            "splits": {
                "dea": "Danish Energy Agency technology catalogues via technology-data inputs/ (commit 634cdc1), "
                "shares extracted in dea_capex_component_shares.csv",
                "nuclear": "ACCERT (Argonne), https://github.com/accert-dev/ACCERT commit "
                "2ed8e06ffd05fc834eb2572e75b1a688f1c5ccb2, tutorial/ref_tables/PWR12-BE_cost_element.csv",
            },
        },
        "licence": "PyPSA-China-PIK: code MIT, no licence for the cost files ('the user is responsible for checking "
        "the license of the original data'). technology-data: GPL-3.0 repository, data under the terms of the "
        "underlying sources (no CC-BY statement found). DEA catalogues: reuse terms not stated. ACCERT: Apache-2.0 "
        "(Copyright 2023 UChicago Argonne, LLC; licence text in the raw folder).",
        "caveats": [
            "Chinese capex (origin China) is the literature table of PyPSA-China-PIK, one reference for all power "
            "technologies (Zhu et al. 2025): national averages from a modelling study, not Shanghai project costs; "
            "the PRICE YEAR IS NOT STATED (price_year empty). Other Chinese references differ (the note gives their "
            f"2030 range): offshore wind 2030 here {c[('offshore-wind', 2030)]:,.0f} CNY/kW vs 8,600-13,800 in the "
            "literature and about 10,100 CNY/kW for the Jinshan phase I project (pypsa-china-pik-costs/SOURCE.md).",
            "The literature table's link column looks filled down in a spreadsheet (DOIs D5EE00355E ... D5EE00365E "
            "across rows); the source column quotes it as is. Check citations against the papers.",
            "European capex (origin Europe: electrolysis, fuel cells, heat pumps, vehicles, HVDC converters, "
            "industrial CCS, steel routes, SMR) are PyPSA technology-data values in EUR of 2025, converted at "
            f"{EUR_PER_CNY} EUR/CNY. European costs are 1.2-4 times Chinese ones for wind, PV and nuclear "
            "(pypsa-technology-data/SOURCE.md); treat them as upper bounds for China. Vehicle costs are German "
            "(Fraunhofer ISE; DEA for buses and trucks).",
            "The 0.12 EUR/CNY rate is the one PyPSA-China-PIK uses; its year is not stated. It is applied to EUR-2025 "
            "values without further adjustment, so price_year 2025 refers to the EUR values.",
            "PyPSA-China-PIK's own default costs (costs_<year>.csv) were not used for capex: they mix older "
            "European values and converted literature values without a price year, and nuclear is converted more "
            "than once in the model code (pypsa-china-pik-costs/SOURCE.md). Only the UHVDC line row (a Chinese "
            "value) and FOM/lifetime are taken from them.",
            f"splits.csv: DEA (Danish/European) cost structures, {SPLIT_YEAR} shares, renormalised to sum to 1 (the "
            "source sums are within 0.02); shares move over time (offshore wind equipment 0.565 in 2020, 0.639 in "
            "2030, 0.668 in 2050). category maps each component to equipment, installation, materials or other "
            "for the IO allocation. Nuclear: ACCERT PWR12-BE, a US 1980s design escalated to 2017, DIRECT costs "
            "only (no indirect costs, owner's costs or financing). Technologies without a split in the raw data: "
            + ", ".join(no_split)
            + ".",
            "fom.csv: FOM (% of capex per year) and lifetime as in the PyPSA-China-PIK defaults (power "
            "technologies) or technology-data (the others); most are European (DEA, Lazard) assumptions. Some "
            "values are as published but odd (electric arc furnace FOM 30 %/yr); vehicle FOM is in % (per year "
            "presumed).",
            "Carbon capture (technologies *-ccs-retrofit, chp-ccs, cement-ccs; capture.csv): NO CHINESE SOURCE in "
            "the raw data; US and European costs for China, so treat them as upper bounds. The steel, cement and "
            "ammonia retrofits are the US National Petroleum Council's 2019 plants (Meeting the Dual Challenge, "
            "2021, ch. 2): capital cost / captured volume re-read from technology-data's description, in USD of "
            f"2019, converted at {CNY_PER_USD} CNY/USD ({USD_RATE_SOURCE}); technology-data's own value is that "
            "number times a EUR HICP factor (about 1.266) applied to USD (pypsa-technology-data/SOURCE.md), not used. "
            "chp-ccs (DEA 401.a post-combustion at a small CHP) and cement-ccs (DEA 401.c) are EUR of 2025. Capex "
            "is per t CO2/h: for NPC the AVERAGE captured flow (annual volume / 8,760 h, how technology-data "
            "converted it), for DEA the plant's capacity; per t CO2/yr captured divide by 8,760 h/yr "
            "(full-load operation, so for DEA a lower bound). The NPC retrofits have no component split: they take "
            "DEA 401.c's post-combustion shares (a stated proxy in splits.csv). Capture rates: NPC 0.9 steel and "
            "cement, 0.99 ammonia (a concentrated process stream); DEA 0.9 in 2020-2030, 0.925 in 2035, 0.95 "
            "from 2040. NPC gives electricity and natural-gas input per t CO2, DEA "
            "electricity (capture + compression) and heat.",
            "Years are those of the sources (Chinese literature 2020, 2030, ..., 2060; technology-data 2020-2050; "
            "the UHVDC line 2020-2060 every 5 years); interpolate between them, do not extrapolate.",
        ],
        "layout": "capex.csv: technology, year, capex, unit, price_year, source, origin, note. splits.csv: "
        "technology, component, category, share, source. fom.csv: technology, year, fom_pct_per_year, "
        "lifetime_years, source. capture.csv: technology, year, capture_rate, electricity_mwh_per_t, heat_mwh_per_t, "
        "gas_mwh_per_t, source.",
    }
    frames = {"capex.csv": capex, "splits.csv": sp, "fom.csv": fo, "capture.csv": cc_par}
    write_dataset(out, name, frames, meta, sorted(set(f1 + f2 + f3 + f4 + f5)))

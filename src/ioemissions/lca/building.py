"""Building life-cycle CO2 by EN 15978 module and GB/T 51366-2019 stage.

Input: a bill of quantities (CSV or XLSX) and building data. Each BoQ row is one item with columns

* ``item`` — a name (for messages and the results by item);
* ``material`` — a GB/T 51366 Appendix D factor: its id (``D001``) or Chinese name (``C30 混凝土``);
* ``quantity`` — amount, non-negative; ``unit`` — ``t``, ``kg``, ``m3`` or ``m2``;
* ``density`` — optional, t/m3, to convert between m3 and t (needed when units differ, and for
  transport of items given in m3);
* ``transport_km`` — optional, distance from the plant to the site; ``transport_mode`` — optional, a
  GB/T 51366 Appendix E factor (id or name), default heavy diesel truck (30 t), ``E008``;
* ``service_life`` — optional, years; items that last less than the building are replaced (B4).

**Cost items** (tiered hybrid LCA): a row whose ``unit`` is money (``CNY``, ``10^4 CNY``, ``元``,
``万元``) is an item without process data, e.g. "elevator, 350000, CNY"; its ``material`` names the
IO sector that makes it (``Manufacture of general purpose machinery``) and its A1–A3 is cost ×
the sector's CO2 multiplier from the national IO table (``Building.io_table``, default NBS 2017 with
CEADs CO2; see :func:`io_multipliers` and :mod:`ioemissions.lca.hybrid`). A row is a process item or
a cost item, never both: do not enter the cost of materials already listed by quantity.

Modules (EN 15978): **A1–A3** quantity × material factor; **A4** mass × distance × transport
factor; **A5** construction energy (electricity × grid factor, diesel × fuel factor, given in the
building data); **B4** replacements, (⌈design life / service life⌉ − 1) × (A1–A4 of the item);
**B6** operational energy over the design life: (electricity − on-site PV) × grid factor of each year
(a constant, a year-by-year trajectory, or the traced consumption-based factor of
:mod:`ioemissions.electricity`), natural gas × GB/T 51366 Appendix A factor, district heat × a factor
you give; **C1–C4** demolition energy and waste transport from the building data; **D** (benefits
beyond the system boundary) is reported separately and not added.

GB/T 51366 stages: 材料生产及运输 = A1–A4 + B4 (replacement materials), 建造 = A5, 运行 = B6,
拆除 = C1–C4 (the mapping table is in the docs).

All results in kg CO2e: total, per m² of gross floor area, and per m² and year of design life.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataFileError, LabelError, NegativeOutputError, UnitError
from ..errors import _fmt_labels as fmt
from .grid import mee_factor, mee_range

__all__ = [
    "MODULES",
    "STAGES",
    "Building",
    "BuildingResult",
    "assess",
    "components",
    "example",
    "io_multipliers",
    "monte_carlo",
    "read_boq",
]

MODULES = ["A1-A3", "A4", "A5", "B4", "B6", "C1-C4"]
STAGES = {"材料生产及运输": ["A1-A3", "A4", "B4"], "建造": ["A5"], "运行": ["B6"], "拆除": ["C1-C4"]}
DEFAULT_TRUCK = "E008"  # 重型柴油货车（载重 30t）
REQUIRED = ["item", "material", "quantity", "unit"]
EXAMPLES = Path(__file__).parent / "examples"


@dataclass(frozen=True)
class Building:
    """Building data (all energy per year of operation unless said otherwise).

    ``grid_factor`` (kg CO2/kWh) overrides the province's MEE factor of ``grid_year``;
    ``grid_trajectory`` gives one factor per year of the design life (a declining grid);
    ``heat_factor`` is needed when ``district_heat_gj`` is given (kg CO2/GJ);
    ``io_table`` / ``io_region`` price cost items (BoQ rows in CNY) with that IO table's multipliers.
    """

    gross_floor_area_m2: float
    design_life_years: int = 50
    province: str = "Shanghai"
    electricity_kwh: float = 0.0
    natural_gas_m3: float = 0.0
    district_heat_gj: float = 0.0
    pv_kwh: float = 0.0
    grid_factor: float | None = None
    grid_year: int = 2023
    grid_trajectory: Sequence[float] | None = None
    heat_factor: float | None = None
    construction_electricity_kwh: float = 0.0
    construction_diesel_kg: float = 0.0
    demolition_electricity_kwh: float = 0.0
    demolition_diesel_kg: float = 0.0
    waste_transport_km: float = 0.0
    module_d_kgco2e: float = 0.0
    io_table: str = "china-io-2017"
    io_region: str = "China"

    def __post_init__(self):
        if self.gross_floor_area_m2 <= 0:
            raise NegativeOutputError(f"gross floor area must be positive, got {self.gross_floor_area_m2}")
        if self.design_life_years <= 0:
            raise NegativeOutputError(f"design life must be positive, got {self.design_life_years}")
        for name in (
            "electricity_kwh",
            "natural_gas_m3",
            "district_heat_gj",
            "pv_kwh",
            "construction_electricity_kwh",
            "construction_diesel_kg",
            "demolition_electricity_kwh",
            "demolition_diesel_kg",
            "waste_transport_km",
        ):
            if getattr(self, name) < 0:
                raise NegativeOutputError(f"{name} must not be negative, got {getattr(self, name)}")


@dataclass(frozen=True)
class BuildingResult:
    """Results: ``modules`` and ``stages`` tables, ``items`` (A1–A3, A4, B4 by BoQ item) and ``module_d``."""

    modules: pd.DataFrame
    stages: pd.DataFrame
    items: pd.DataFrame
    module_d: float
    building: Building
    notes: list[str] = field(default_factory=list)

    def plot(self, ax=None):
        """Stacked bar of the modules, kg CO2e per m²."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(7, 4))[1]
        per_m2 = self.modules["kgco2e_per_m2"]
        ax.bar(per_m2.index, per_m2.to_numpy(), color="#4C72B0")
        ax.set_ylabel("kg CO2e per m² GFA")
        ax.set_title(f"Life-cycle CO2e by EN 15978 module ({self.building.design_life_years} years)")
        return ax


def read_boq(path) -> pd.DataFrame:
    """Read a bill of quantities (CSV or XLSX); missing columns and bad cells raise errors naming them."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            df = pd.read_excel(path)
        else:
            df = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read the bill of quantities ({exc})") from exc
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise DataFileError(f"{path}: missing columns {fmt(missing)} (required: {REQUIRED})")
    df.attrs["source"] = str(path)
    return df


def _factors():
    from ..tables import load

    f = load("gbt51366-factors")
    return f.set_index("id"), dict(zip(f.name_zh, f.id, strict=True))


def _lookup(value, table, names, appendix: str, row: int, what: str) -> pd.Series:
    key = str(value).strip()
    code = key if key in table.index else names.get(key)
    if code is None or table.loc[code, "appendix"] != appendix:
        raise LabelError(f"BoQ row {row}: unknown {what} {key!r} (use a GB/T 51366 Appendix {appendix} id or name)")
    return table.loc[code]


def _mass_t(qty: float, unit: str, density, row: int) -> float | None:
    if unit == "t":
        return qty
    if unit == "kg":
        return qty / 1000.0
    if unit == "m3" and density is not None:
        return qty * density
    return None


def _to_factor_unit(qty: float, unit: str, factor_unit: str, density, row: int, item: str) -> float:
    if unit == factor_unit:
        return qty
    if {unit, factor_unit} <= {"t", "kg"}:
        return qty / 1000.0 if unit == "kg" else qty * 1000.0
    if (factor_unit in ("t", "kg") and unit == "m3") or (factor_unit == "m3" and unit in ("t", "kg")):
        if density is None:
            raise UnitError(
                f"BoQ row {row} ({item!r}): {unit} cannot convert to {factor_unit} without a density (t/m3)"
            )
        tonnes = qty * density if unit == "m3" else (qty if unit == "t" else qty / 1000.0)
        if factor_unit == "m3":
            return tonnes / density
        return tonnes if factor_unit == "t" else tonnes * 1000.0
    raise UnitError(f"BoQ row {row} ({item!r}): cannot convert {unit} to the factor's unit {factor_unit}")


def _is_money(unit: str) -> bool:
    from .. import units as u

    try:
        return u.parse(unit).dimension == "CNY"
    except UnitError:  # not a unit the units module knows: the material branch reports it
        return False


def io_multipliers(table: str = "china-io-2017", region: str = "China") -> pd.Series:
    """kg CO2 per CNY bought from each sector of ``region`` in IO table ``table`` (with CEADs CO2):
    the multipliers :math:`M = S (I - A)^{-1}` of the IO core, converted from the table's units."""
    return _io_multipliers(table, region).copy()


@cache  # the shipped table does not change while the process runs; callers get copies
def _io_multipliers(table: str, region: str) -> pd.Series:
    from .. import units as u
    from ..tables import load

    model = load(table, satellite="ceads")
    if region not in set(model.regions):
        raise LabelError(f"IO table {table!r} has no region {region!r}; regions: {fmt(list(model.regions))}")
    m = model.M.loc["CO2", region]
    scale = u.factor(model.stressor_unit("CO2"), "kg") / u.factor(model.monetary_unit, "CNY")
    out = m * scale
    out.attrs["unit"] = "kg CO2/CNY"
    return out


def _cost_emissions(cost: float, unit: str, sector, building: Building, row: int, item: str) -> float:
    from .. import units as u

    m = _io_multipliers(building.io_table, building.io_region)
    key = str(sector).strip()
    if key not in m.index:
        raise LabelError(
            f"BoQ row {row} ({item!r}): a cost item needs an IO sector of {building.io_table!r} in 'material', "
            f"got {key!r}; sectors: {fmt(list(m.index))}"
        )
    return cost * u.factor(unit, "CNY") * float(m[key])


def grid_factor(building: Building) -> float:
    """The building's constant grid factor (kg CO2/kWh): the override, or the MEE factor of its province."""
    if building.grid_factor is not None:
        return float(building.grid_factor)
    return mee_factor(building.province, building.grid_year)


def _fuel_factor(fuel: str) -> float:
    from ..tables import load

    f = load("gbt51366-fuel-factors").set_index("fuel")["kgCO2_per_unit"]
    return float(f[fuel])


def assess(boq: pd.DataFrame, building: Building) -> BuildingResult:
    """Life-cycle CO2e of a building from its bill of quantities (see the module docstring)."""
    table, names = _factors()
    L = building.design_life_years
    rows = []
    total_mass = 0.0
    for i, r in boq.reset_index(drop=True).iterrows():
        row = i + 2  # spreadsheet row (header is row 1)
        item = str(r.get("item", f"row {row}"))
        try:
            qty = float(r["quantity"])
        except (TypeError, ValueError):
            raise DataFileError(f"BoQ row {row} ({item!r}): quantity {r['quantity']!r} is not a number") from None
        if not np.isfinite(qty):
            raise DataFileError(f"BoQ row {row} ({item!r}): quantity is missing")
        if qty < 0:
            raise NegativeOutputError(f"BoQ row {row} ({item!r}): negative quantity {qty}")
        unit = str(r["unit"]).strip().replace("m³", "m3").replace("m²", "m2")
        density = r.get("density")
        density = float(density) if density is not None and pd.notna(density) else None
        life = r.get("service_life")
        n_repl = 0
        if life is not None and pd.notna(life):
            life = float(life)
            if life <= 0:
                raise NegativeOutputError(f"BoQ row {row} ({item!r}): service life must be positive")
            n_repl = max(math.ceil(L / life) - 1, 0)
        if _is_money(unit):  # a cost item: upstream emissions from the IO table (tiered hybrid)
            a13 = _cost_emissions(qty, unit, r["material"], building, row, item)
            rows.append(
                {
                    "item": item,
                    "material": f"IO {building.io_table}: {r['material']}",
                    "A1-A3": a13,
                    "A4": 0.0,
                    "B4": n_repl * a13,
                    "replacements": n_repl,
                }
            )
            continue
        mat = _lookup(r["material"], table, names, "D", row, "material")
        a13 = _to_factor_unit(qty, unit, mat["unit"], density, row, item) * mat["value"]
        a4 = 0.0
        km = r.get("transport_km")
        mass = _mass_t(qty, unit, density, row)
        if mass is not None:
            total_mass += mass
        if km is not None and pd.notna(km) and float(km) > 0:
            if mass is None:
                raise UnitError(
                    f"BoQ row {row} ({item!r}): transport needs a mass; give the quantity in t or kg, or a density"
                )
            mode = r.get("transport_mode")
            mode = DEFAULT_TRUCK if mode is None or pd.isna(mode) or str(mode).strip() == "" else mode
            tf = _lookup(mode, table, names, "E", row, "transport mode")
            a4 = mass * float(km) * tf["value"]
        rows.append(
            {
                "item": item,
                "material": mat["name_zh"],
                "A1-A3": a13,
                "A4": a4,
                "B4": n_repl * (a13 + a4),
                "replacements": n_repl,
            }
        )
    items = pd.DataFrame(rows).set_index("item")
    gf = grid_factor(building)
    notes = []
    if building.grid_trajectory is not None:
        traj = np.asarray(building.grid_trajectory, dtype=float)
        if len(traj) != L:
            raise LabelError(f"grid_trajectory has {len(traj)} years, the design life is {L}")
        b6_elec = (building.electricity_kwh - building.pv_kwh) * traj.sum()
        notes.append("B6 electricity uses the year-by-year grid trajectory given")
    else:
        b6_elec = (building.electricity_kwh - building.pv_kwh) * gf * L
    b6_gas = building.natural_gas_m3 * _fuel_factor("natural gas") * L if building.natural_gas_m3 else 0.0
    if building.district_heat_gj and building.heat_factor is None:
        raise LabelError("district heat given without heat_factor (kg CO2/GJ): no default is shipped")
    b6_heat = building.district_heat_gj * (building.heat_factor or 0.0) * L
    diesel = _fuel_factor("diesel") if (building.construction_diesel_kg or building.demolition_diesel_kg) else 0.0
    a5 = building.construction_electricity_kwh * gf + building.construction_diesel_kg * diesel
    truck = table.loc[DEFAULT_TRUCK, "value"]
    c14 = (
        building.demolition_electricity_kwh * gf
        + building.demolition_diesel_kg * diesel
        + total_mass * building.waste_transport_km * truck
    )
    values = {
        "A1-A3": items["A1-A3"].sum(),
        "A4": items["A4"].sum(),
        "A5": a5,
        "B4": items["B4"].sum(),
        "B6": b6_elec + b6_gas + b6_heat,
        "C1-C4": c14,
    }
    gfa = building.gross_floor_area_m2
    modules = pd.DataFrame({"kgco2e": pd.Series(values)}).rename_axis("module")
    modules["kgco2e_per_m2"] = modules["kgco2e"] / gfa
    modules["kgco2e_per_m2_year"] = modules["kgco2e_per_m2"] / L
    stages = pd.DataFrame({"kgco2e": {s: sum(values[m] for m in ms) for s, ms in STAGES.items()}}).rename_axis("stage")
    stages["kgco2e_per_m2"] = stages["kgco2e"] / gfa
    stages["kgco2e_per_m2_year"] = stages["kgco2e_per_m2"] / L
    return BuildingResult(modules, stages, items, float(building.module_d_kgco2e), building, notes)


def example(name: str = "office") -> tuple[pd.DataFrame, Building]:
    """The shipped example (illustrative, not a real project): its BoQ and building data."""
    import json

    path = EXAMPLES / f"{name}_boq.csv"
    if not path.is_file():
        raise LabelError(f"no example {name!r}; examples: {sorted(p.name[:-8] for p in EXAMPLES.glob('*_boq.csv'))}")
    data = json.loads((EXAMPLES / f"{name}_building.json").read_text(encoding="utf-8"))
    data.pop("_comment", None)
    return read_boq(path), Building(**data)


def components(result: BuildingResult) -> list:
    """The building result as Monte Carlo components (:class:`ioemissions.lca.uncertainty.Component`).

    Distributions where a source gives a range: the B6 grid factor (uniform over the province's MEE
    factors 2021–2023, when neither a fixed factor nor a trajectory is given) and the natural-gas
    factor (triangular, scaled by IPCC 2006's lower/default/upper carbon content of natural gas).
    GB/T 51366 material and transport factors come without ranges and stay fixed: the percentiles
    do not cover them.
    """
    from ..tables import load
    from .uncertainty import Component, triangular, uniform

    b, L = result.building, result.building.design_life_years
    mods = result.modules["kgco2e"]
    comps = []
    b6_rest = float(mods["B6"])
    kwh = (b.electricity_kwh - b.pv_kwh) * L
    if kwh and b.grid_trajectory is None:
        gf = grid_factor(b)
        dist, src = None, "grid factor given"
        if b.grid_factor is None:
            dist, src = uniform(*mee_range(b.province)), f"MEE {b.province} 2021-2023 range"
        comps.append(Component("B6 electricity", kwh, gf, "kWh", factor_dist=dist, source=src))
        b6_rest -= kwh * gf
    if b.natural_gas_m3:
        f = _fuel_factor("natural gas")
        c = load("ipcc2006-fuels").set_index("product").loc["natural_gas"]
        lo, mode, hi = (float(c[f"carbon_kgC_per_GJ_{k}"]) for k in ("lower", "default", "upper"))
        m3 = b.natural_gas_m3 * L
        comps.append(
            Component(
                "B6 natural gas",
                m3,
                f,
                "m3",
                factor_dist=triangular(f * lo / mode, f, f * hi / mode),
                source="IPCC 2006 carbon content of natural gas, lower/default/upper",
            )
        )
        b6_rest -= m3 * f
    for m, v in mods.items():
        value = b6_rest if m == "B6" else float(v)
        if m == "B6" and abs(value) <= 1e-9 * max(abs(float(v)), 1.0):
            continue
        comps.append(Component(m if m != "B6" else "B6 other", 1.0, value, "building", source="fixed"))
    return comps


def monte_carlo(result: BuildingResult, *, iterations: int = 1000, seed: int = 42, folder=None, **kwargs):
    """Monte Carlo of a building result through Brightway (kg CO2e of the whole building);
    see :func:`components` for what varies."""
    from .uncertainty import monte_carlo as mc

    return mc(components(result), iterations=iterations, seed=seed, folder=folder, **kwargs)

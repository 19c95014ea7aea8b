"""The building assessment: BoQ + building data -> kg CO2e by EN 15978 module and GB/T 51366 stage.

Formulas (all vectorised over the BoQ rows *i*):

* **A1–A3** :math:`q_i \\, c_i \\, f_{m(i)}` — quantity, conversion to the factor's unit (via the
  density for m3 <-> t), GB/T 51366 Appendix D factor; a cost item: cost (CNY) × the IO multiplier
  of its sector (see :func:`io_multipliers`).
* **A4** :math:`m_i \\, d_i \\, f_{e(i)}` — mass (t), distance (km), Appendix E factor (kg CO2e/t km).
* **B4** :math:`(\\lceil L / l_i \\rceil - 1)(A1\\text{–}A3_i + A4_i)` with design life *L* and service life *l_i*.
* **A5** construction electricity × grid factor + diesel × GB/T 51366 Appendix A diesel factor.
* **B6** :math:`L\\,(E - PV)\\,g` (or :math:`(E - PV)\\sum_t g_t` with a trajectory) + gas and heat terms.
* **C1–C4** demolition electricity and diesel, and :math:`\\sum_i m_i \\times` waste distance × the 30 t truck.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from ...errors import IncompleteInputError, LabelError, NonFiniteError, UnitError
from ...errors import _fmt_labels as fmt
from ..grid import mee_factor
from .boq import check_boq
from .data import Building
from .names import factor_table, label, resolve, suggest

__all__ = ["MODULES", "STAGES", "BuildingResult", "assess", "grid_factor", "io_multipliers"]

MODULES = ["A1-A3", "A4", "A5", "B4", "B6", "C1-C4"]
STAGES = {"材料生产及运输": ["A1-A3", "A4", "B4"], "建造": ["A5"], "运行": ["B6"], "拆除": ["C1-C4"]}
DEFAULT_TRUCK = "E008"  # 重型柴油货车（载重 30t）


@dataclass(frozen=True)
class BuildingResult:
    """Results: ``modules`` and ``stages`` (kg CO2e, per m², per m²·a and a ``status`` column),
    ``items`` (A1–A3, A4, B4 by BoQ row), ``module_d``, the ``warnings`` (one per module without
    input) and ``notes`` (assumptions: grid factor and its source, cost-item multipliers)."""

    modules: pd.DataFrame
    stages: pd.DataFrame
    items: pd.DataFrame
    module_d: float
    building: Building
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def not_assessed(self) -> list[str]:
        """Modules reported as not assessed (no input)."""
        return list(self.modules.index[self.modules.status == "not assessed"])

    @property
    def total(self) -> float:
        """kg CO2e of the assessed modules (module D apart)."""
        return float(self.modules["kgco2e"].sum())

    def table(self, what: str = "modules", lang: str = "en") -> pd.DataFrame:
        """``modules`` or ``stages`` for display: names in ``lang``, "not assessed" instead of numbers."""
        df = getattr(self, what).copy()
        num = ["kgco2e", "kgco2e_per_m2", "kgco2e_per_m2_year"]
        shown = df[num].astype(object)
        shown[df.status == "not assessed"] = label("not assessed", lang)
        shown.index = [label(i, lang) for i in df.index]
        shown.index.name = {"modules": "module", "stages": "stage"}[what]
        shown.columns = ["kg CO2e", "kg CO2e/m2", "kg CO2e/(m2·a)"]
        return shown

    def plot(self, ax=None, lang: str = "en"):
        """Bar chart of the modules, kg CO2e per m² GFA; modules not assessed are labelled, not drawn as 0."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(7, 4))[1]
        per_m2 = self.modules["kgco2e_per_m2"]
        names = list(per_m2.index)
        ax.bar(names, per_m2.to_numpy(), color="#4C72B0")
        for i, m in enumerate(names):
            if self.modules.loc[m, "status"] == "not assessed":
                ax.text(i, 0, label("not assessed", "en"), rotation=90, ha="center", va="bottom", fontsize=8)
        ax.set_ylabel("kg CO2e per m² GFA")
        b = self.building
        ax.set_title(f"Life-cycle CO2e by EN 15978 module, {b.province}, {b.design_life_years}-year design life")
        return ax


def _money_factor(unit: str) -> float | None:
    """CNY per ``unit`` if ``unit`` is money, else None."""
    from ... import units as u

    try:
        p = u.parse(unit)
    except UnitError:
        return None
    if p.dimension != "CNY":
        return None
    return u.factor(unit, "CNY")


def io_multipliers(table: str = "china-io-2017", region: str = "China", imports: str = "total") -> pd.Series:
    """kg CO2 per CNY bought from each sector of ``region`` in IO table ``table`` (CEADs CO2).

    ``imports="domestic"``: :math:`m = s (I - A_d)^{-1}`, emissions in domestic supply chains only.
    ``imports="total"`` (default): :math:`m = (s + d) (I - A_d)^{-1}` with
    :math:`d_j = \\sum_p M^{imp}_{p} a^{imp}_{pj}`, the emissions embodied in the imported inputs of
    each node, priced with the model's import multipliers (the domestic technology assumption unless the
    model was given others). For a single-region table under DTA this equals the competitive-import
    multiplier :math:`s (I - A_d - A_m)^{-1}` (Su & Ang 2013).
    Lifts (general purpose machinery, china-io-2017): 0.1335 kg/CNY domestic, 0.1659 total.
    """
    return _io_multipliers(table, region, imports).copy()


@cache  # the shipped table does not change while the process runs; callers get copies
def _io_multipliers(table: str, region: str, imports: str) -> pd.Series:
    from ... import units as u
    from ...tables import load

    if imports not in ("total", "domestic"):
        raise LabelError(f"imports must be 'total' or 'domestic', got {imports!r}")
    model = load(table, satellite="ceads")
    if region not in set(model.regions):
        raise LabelError(f"IO table {table!r} has no region {region!r}; regions: {fmt(list(model.regions))}")
    scale = u.factor(model.stressor_unit("CO2"), "kg") / u.factor(model.monetary_unit, "CNY")
    if imports == "domestic" or model.A_imp is None:
        m = model.M.loc["CO2", region]
    else:
        k = model._stressor_pos("CO2")
        Aimp = model._Aimp  # products x nodes
        if isinstance(model._Mimp, str):  # DTA: each using region prices imports with its own multipliers
            regions = pd.Index(model.regions)
            node_r = regions.get_indexer(model.nodes.get_level_values(0))
            d = (model._Mimp_dta[k][:, node_r] * Aimp).sum(axis=0)
        else:
            d = np.asarray(model._Mimp)[k] @ Aimp
        total = model.solver.solve_transposed(model._S[k] + d)  # (s + d) L_d, as L_d' (s + d)'
        m = pd.Series(total, index=model.nodes).loc[region]
    out = m * scale
    out.attrs["unit"] = "kg CO2/CNY"
    return out


def grid_factor(building: Building) -> float:
    """The building's constant grid factor (kg CO2/kWh): the override, or the MEE factor of its province."""
    if building.grid_factor is not None:
        return float(building.grid_factor)
    return mee_factor(building.province, building.grid_year)


def _grid_source(building: Building) -> str:
    if building.grid_trajectory is not None:
        return "year-by-year trajectory given in the building data"
    if building.grid_factor is not None:
        return "given in the building data"
    return f"MEE/NBS average factor, {building.province} {building.grid_year} (tables/grid-factors-mee)"


def _fuel_factor(fuel: str) -> float:
    from ...tables import load

    f = load("gbt51366-fuel-factors").set_index("fuel")["kgCO2_per_unit"]
    return float(f[fuel])


def _row_error(cls, b: pd.DataFrame, i: int, col: str, msg: str):
    where = b.attrs.get("where", "BoQ ")
    return cls(f"{where}row {b.row.iat[i]} ({b.item.iat[i]!r}), column {col!r}: {msg}")


def _process_items(b: pd.DataFrame, L: int, method=None):
    """A1-A3, A4, mass (t, NaN without one), factor ids of the material rows ``b``; rows naming a
    Brightway activity (``database::code``) take its score per unit (see :mod:`.background`)."""
    from .background import activity_scores, is_background

    t = factor_table()
    bg = is_background(b.material)
    codes = np.full(len(b), None, dtype=object)
    if (~bg).any():
        codes[~bg] = resolve(b.material.to_numpy()[~bg], "D").to_numpy()
    bad = ~bg & pd.isna(codes)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        key = b.material.iat[i]
        hint = suggest(key, "D")
        raise _row_error(
            LabelError,
            b,
            i,
            "material",
            f"unknown material {key!r}"
            + (f"; did you mean {', '.join(hint)}?" if hint else "")
            + " (GB/T 51366 Appendix D id, Chinese or English name, or alias: `ioemissions building materials`;"
            " or a Brightway activity 'database::code')",
        )
    fu = np.full(len(b), None, dtype=object)
    value = np.full(len(b), np.nan)
    gbt = ~bg
    fu[gbt] = t.unit.reindex(codes[gbt]).to_numpy()
    value[gbt] = t.value.reindex(codes[gbt]).to_numpy(float)
    if bg.any():
        keys = b.material.to_numpy()[bg]
        try:
            scores = activity_scores(keys, method)
        except (LabelError, UnitError) as exc:
            i = int(np.flatnonzero(bg)[0])
            for j in np.flatnonzero(bg):  # name the first row whose key is the problem
                if repr(b.material.iat[j].partition("::")[0].strip()) in str(exc) or b.material.iat[j] in str(exc):
                    i = int(j)
                    break
            raise _row_error(type(exc), b, i, "material", str(exc)) from None
        codes[bg] = keys
        fu[bg] = scores.unit.reindex(keys).to_numpy()
        value[bg] = scores.score.reindex(keys).to_numpy(float)
    unit = b.unit.to_numpy()
    q = b.quantity.to_numpy()
    rho = b.density.to_numpy()
    to_t = {"t": 1.0, "kg": 1e-3}
    mass_scale = np.array([to_t.get(x, np.nan) for x in unit])
    mass = q * mass_scale  # t, from t or kg
    is_m3 = unit == "m3"
    mass = np.where(is_m3, q * rho, mass)  # NaN without a density
    conv = np.full(len(b), np.nan)
    same = unit == fu
    conv[same] = q[same]
    fu_t = np.array([to_t.get(x, np.nan) for x in fu])
    mass_units = ~np.isnan(mass_scale) & ~np.isnan(fu_t)
    conv = np.where(mass_units & ~same, q * mass_scale / np.where(np.isnan(fu_t), 1, fu_t), conv)
    need_rho = (is_m3 & ~np.isnan(fu_t)) | ((fu == "m3") & ~np.isnan(mass_scale))
    missing_rho = need_rho & np.isnan(rho)
    if missing_rho.any():
        i = int(np.flatnonzero(missing_rho)[0])
        raise _row_error(UnitError, b, i, "density", f"{unit[i]} cannot convert to {fu[i]} without a density (t/m3)")
    with np.errstate(invalid="ignore", divide="ignore"):
        conv = np.where(is_m3 & ~np.isnan(fu_t), q * rho / np.where(np.isnan(fu_t), 1, fu_t), conv)
        conv = np.where((fu == "m3") & ~np.isnan(mass_scale), q * mass_scale / rho, conv)
    bad = np.isnan(conv)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise _row_error(UnitError, b, i, "unit", f"cannot convert {unit[i]!r} to the factor's unit {fu[i]!r}")
    a13 = conv * value
    km = b.transport_km.to_numpy()
    moved = ~np.isnan(km) & (km > 0)
    no_mass = moved & np.isnan(mass)
    if no_mass.any():
        i = int(np.flatnonzero(no_mass)[0])
        raise _row_error(
            UnitError, b, i, "transport_km", "transport needs a mass; give the quantity in t or kg, or a density"
        )
    modes = pd.Series(b.transport_mode.to_numpy(), dtype=object).fillna(DEFAULT_TRUCK)
    mcodes = np.full(len(b), None, dtype=object)
    if moved.any():
        mcodes[moved] = resolve(modes[moved].to_numpy(), "E").to_numpy()
        badm = moved & pd.isna(mcodes)
        if badm.any():
            i = int(np.flatnonzero(badm)[0])
            key = modes.iat[i]
            hint = suggest(key, "E")
            raise _row_error(
                LabelError,
                b,
                i,
                "transport_mode",
                f"unknown transport mode {key!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""),
            )
    tf = np.zeros(len(b))
    tf[moved] = t.value.reindex(mcodes[moved]).to_numpy(float)
    with np.errstate(invalid="ignore", over="ignore"):
        a4 = np.where(moved, mass * km * tf, 0.0)
    return a13, a4, mass, codes, mcodes


def assess(boq: pd.DataFrame, building: Building, *, strict: bool = False, method=None) -> BuildingResult:
    """Life-cycle CO2e of a building from its bill of quantities (see :mod:`ioemissions.lca.building`).

    Modules without input (no transport distance in the BoQ; no construction, operational or
    demolition energy in the building data) are reported ``status="not assessed"`` with a warning;
    with ``strict=True`` they raise :class:`~ioemissions.errors.IncompleteInputError`. BoQ materials of the
    form ``database::code`` are priced with that Brightway activity under ``method`` (default: the
    ioemissions GWP100 method) in the current Brightway project (:mod:`.background`).
    """
    if not isinstance(building, Building):
        raise LabelError(f"building must be a Building, got {type(building).__name__}")
    b = check_boq(boq)
    L = int(building.design_life_years)
    n = len(b)
    money = b.unit.map({u: _money_factor(u) for u in b.unit.unique()}).to_numpy(dtype=float)
    is_cost = ~np.isnan(money)
    a13 = np.zeros(n)
    a4 = np.zeros(n)
    mass = np.full(n, np.nan)
    ids = np.full(n, None, dtype=object)
    modes = np.full(n, None, dtype=object)
    notes = []
    if (~is_cost).any():
        p = ~is_cost
        a13[p], a4[p], mass[p], ids[p], modes[p] = _process_items(b[p], L, method)
    if is_cost.any():
        m = _io_multipliers(building.io_table, building.io_region, building.io_imports)
        sectors = b.material[is_cost]
        known = sectors.isin(m.index).to_numpy()
        if not known.all():
            i = int(np.flatnonzero(is_cost)[np.flatnonzero(~known)[0]])
            import difflib

            hint = difflib.get_close_matches(b.material.iat[i], list(m.index), 2, 0.4)
            raise _row_error(
                LabelError,
                b,
                i,
                "material",
                f"a cost item needs an IO sector of {building.io_table!r}, got {b.material.iat[i]!r}"
                + (f"; did you mean {', '.join(map(repr, hint))}?" if hint else "")
                + f"; sectors: {fmt(list(m.index))}",
            )
        a13[is_cost] = b.quantity.to_numpy()[is_cost] * money[is_cost] * m.reindex(sectors).to_numpy()
        ids[is_cost] = [f"IO {building.io_table}: {s}" for s in sectors]
        basis = (
            "total multipliers, including the emissions in imported inputs (imports priced with the domestic "
            "technology assumption)"
            if building.io_imports == "total"
            else "domestic-only multipliers s(I - A_d)^-1 (emissions in imported inputs left out)"
        )
        notes.append(f"cost items priced with {building.io_table} {building.io_region} {basis}")
    life = b.service_life.to_numpy()
    with np.errstate(invalid="ignore"):
        n_repl = np.where(np.isnan(life), 0, np.maximum(np.ceil(L / life) - 1, 0)).astype(int)
    with np.errstate(over="ignore", invalid="ignore"):
        b4 = n_repl * (a13 + a4)
    for col, v in (("quantity", a13), ("transport_km", a4), ("service_life", b4)):
        bad = ~np.isfinite(v)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise _row_error(NonFiniteError, b, i, col, "the emissions overflow (the number is too large)")
    t = factor_table()
    known = np.array([isinstance(x, str) and x in t.index for x in ids])
    name_zh = np.where(known, t.name_zh.reindex(np.where(known, ids, t.index[0])).to_numpy(), None)
    name_en = np.where(known, t.name_en.reindex(np.where(known, ids, t.index[0])).to_numpy(), None)
    items = pd.DataFrame(
        {
            "row": b.row.to_numpy(),
            "material": np.where(pd.isna(name_zh), ids, name_zh),
            "material_en": np.where(pd.isna(name_en), ids, name_en),
            "factor_id": np.where(is_cost, "", ids),
            "transport_mode": modes,
            "mass_t": mass,
            "A1-A3": a13,
            "A4": a4,
            "B4": b4,
            "replacements": n_repl,
        },
        index=pd.Index(b.item.to_numpy(), name="item"),
    )

    # building-level modules
    gf = grid_factor(building)
    notes.append(f"grid factor {gf:.4f} kg CO2/kWh: {_grid_source(building)}")
    net_kwh = building.given("electricity_kwh") - building.given("pv_kwh")
    if building.grid_trajectory is not None:
        traj = np.asarray(building.grid_trajectory, dtype=float)
        if len(traj) != L:
            raise LabelError(f"grid_trajectory has {len(traj)} years, the design life is {L}")
        b6_elec = net_kwh * traj.sum()
    else:
        b6_elec = net_kwh * gf * L
    gas = building.given("natural_gas_m3")
    b6_gas = gas * _fuel_factor("natural gas") * L if gas else 0.0
    if building.given("district_heat_gj") and building.heat_factor is None:
        raise LabelError("district heat given without heat_factor (kg CO2/GJ): no default is shipped")
    b6_heat = building.given("district_heat_gj") * (building.heat_factor or 0.0) * L
    diesel_kg = building.given("construction_diesel_kg") + building.given("demolition_diesel_kg")
    diesel = _fuel_factor("diesel") if diesel_kg else 0.0
    a5 = building.given("construction_electricity_kwh") * gf + building.given("construction_diesel_kg") * diesel
    truck = float(t.loc[DEFAULT_TRUCK, "value"])
    total_mass = float(np.nansum(mass))
    waste_km = building.given("waste_transport_km")
    c14 = (
        building.given("demolition_electricity_kwh") * gf
        + building.given("demolition_diesel_kg") * diesel
        + total_mass * waste_km * truck
    )
    if waste_km and np.isnan(mass[~is_cost]).any():
        notes.append("C2 waste transport covers items with a mass only (items in m2 without a mass are left out)")
    values = {
        "A1-A3": float(a13.sum()),
        "A4": float(a4.sum()),
        "A5": a5,
        "B4": float(b4.sum()),
        "B6": b6_elec + b6_gas + b6_heat,
        "C1-C4": c14,
    }
    missing = building.not_assessed()
    if not (~np.isnan(b.transport_km.to_numpy()[~is_cost])).any() and (~is_cost).any():
        missing = ["A4", *missing]
    messages = {
        "A4": "A4 not assessed: no BoQ item has transport_km (give transport_km and transport_mode per item)",
        "A5": "A5 not assessed: no construction energy given (construction_electricity_kwh, construction_diesel_kg)",
        "B6": "B6 not assessed: no operational energy given (electricity_kwh, natural_gas_m3, district_heat_gj)",
        "C1-C4": "C1-C4 not assessed: no demolition energy or waste transport given (demolition_electricity_kwh, "
        "demolition_diesel_kg, waste_transport_km)",
    }
    warns = [messages[mod] for mod in MODULES if mod in missing]
    if strict and warns:
        raise IncompleteInputError("; ".join(warns))
    for w in warns:
        warnings.warn(w, stacklevel=2)
    gfa = float(building.gross_floor_area_m2)
    modules = pd.DataFrame({"kgco2e": pd.Series(values)}).rename_axis("module")
    modules["kgco2e_per_m2"] = modules["kgco2e"] / gfa
    modules["kgco2e_per_m2_year"] = modules["kgco2e_per_m2"] / L
    modules["status"] = ["not assessed" if mod in missing else "assessed" for mod in modules.index]
    stages = pd.DataFrame({"kgco2e": {s: sum(values[mod] for mod in ms) for s, ms in STAGES.items()}}).rename_axis(
        "stage"
    )
    stages["kgco2e_per_m2"] = stages["kgco2e"] / gfa
    stages["kgco2e_per_m2_year"] = stages["kgco2e_per_m2"] / L
    stages["status"] = ["not assessed" if all(mod in missing for mod in ms) else "assessed" for ms in STAGES.values()]
    if not np.isfinite(modules[["kgco2e", "kgco2e_per_m2"]].to_numpy()).all():
        raise NonFiniteError("building data: the result overflows (a quantity or energy value is too large)")
    return BuildingResult(modules, stages, items, float(building.module_d_kgco2e), building, notes, warns)


def replacements(design_life: int, service_life: float) -> int:
    """Replacements in the design life: :math:`\\max(\\lceil L / l \\rceil - 1, 0)` (GB/T 51366 / EN 15978 B4)."""
    return max(math.ceil(design_life / service_life) - 1, 0)

"""Life-cycle CO2e of road vehicles: cars, buses and trucks; ICEV, HEV, BEV and FCEV.

Per vehicle-km the result is the sum of four groups (all in kg CO2e, IPCC GWP100):

* **vehicle cycle** — glider, powertrain, battery, fuel cell and tanks, maintenance and end of
  life, spread over the vehicle's lifetime kilometres. The traction battery is ``battery_kwh × (1 +
  replacements) × battery factor / lifetime km``, so its size and factor can be changed; the factor
  is that of the same vehicle's battery-electric version (whose energy storage is its battery).
* **infrastructure** — road and charger, per km.
* **fuel cycle** (well-to-tank) — for battery-electric vehicles ``electricity_kwh_per_km × grid
  factor``, with the province's MEE factor by default (or any factor you pass, e.g. the traced
  consumption-based factor of :mod:`ioemissions.electricity`); for fuel-cell vehicles ``hydrogen
  kg/km × pathway factor`` (grey, grey-coal, blue, green); for petrol and diesel, carculator's fuel
  supply chain.
* **tank-to-wheel** — exhaust (fuel kg × CO2 per kg, with CH4 and N2O) and non-exhaust emissions.

Vehicle data (masses, tank-to-wheel energy on WLTC / the bus urban cycle / the truck long-haul
cycle, batteries, lifetimes, occupancy, payload) and the per-km life-cycle stages come from a
carculator run for China in 2020 (``tables/carculator-vehicles-2020``; Sacchi et al. 2022). With
``grid="carculator"`` this module reproduces that run exactly (medium car: BEV 0.269, petrol 0.318
kg CO2e/vkm); with a provincial grid factor only the electricity line changes.

Functional units: ``vkm`` (vehicle-km), ``pkm`` (passenger-km, vkm / average occupancy, cars and
buses) and ``tkm`` (tonne-km, vkm / payload in t, trucks).

Example
-------
>>> from ioemissions.lca import transport
>>> r = transport.assess("car", "BEV", province="Shanghai")
>>> round(r.total, 3) > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import LabelError, NegativeOutputError, NonFiniteError, UnitError
from ..errors import _fmt_labels as fmt
from .grid import mee_factor, mee_range

__all__ = [
    "GROUPS",
    "POWERTRAINS",
    "TransportResult",
    "assess",
    "battery_factor",
    "by_group",
    "compare",
    "components",
    "grid_factor",
    "hydrogen_factor",
    "monte_carlo",
    "plot_compare",
    "vehicle",
]

DATASET = "carculator-vehicles-2020"
#: our names for the powertrains -> carculator's, per vehicle (buses: depot-charged BEV)
POWERTRAINS = {
    "car": {"ICEV-p": "ICEV-p", "ICEV-d": "ICEV-d", "HEV-p": "HEV-p", "BEV": "BEV", "FCEV": "FCEV"},
    "bus": {"ICEV-d": "ICEV-d", "HEV-d": "HEV-d", "BEV": "BEV-depot", "FCEV": "FCEV"},
    "truck": {"ICEV-d": "ICEV-d", "HEV-d": "HEV-d", "BEV": "BEV", "FCEV": "FCEV"},
}
#: carculator stage -> our line ("energy storage" is split into battery + fuel cell and tanks)
STAGE_MAP = {
    "glider": "glider",
    "powertrain": "powertrain",
    "energy storage": "energy storage",
    "maintenance": "maintenance",
    "EoL": "end of life",
    "road": "road",
    "charger": "charger",
    "energy chain": "fuel supply",
    "direct - exhaust": "exhaust",
    "direct - non-exhaust": "non-exhaust",
}
#: every line of a result -> its group
LINE_GROUP = {
    "glider": "vehicle cycle",
    "powertrain": "vehicle cycle",
    "battery": "vehicle cycle",
    "fuel cell and tanks": "vehicle cycle",
    "maintenance": "vehicle cycle",
    "end of life": "vehicle cycle",
    "road": "infrastructure",
    "charger": "infrastructure",
    "fuel supply": "fuel cycle",
    "electricity": "fuel cycle",
    "hydrogen": "fuel cycle",
    "exhaust": "tank-to-wheel",
    "non-exhaust": "tank-to-wheel",
}
GROUPS = ["vehicle cycle", "infrastructure", "fuel cycle", "tank-to-wheel"]
PER = ("vkm", "pkm", "tkm")
#: the second functional unit of each vehicle: passengers for cars and buses, payload for trucks
PER_OF = {"car": "pkm", "bus": "pkm", "truck": "tkm"}


class _Data(NamedTuple):
    vehicles: pd.DataFrame  # index (vehicle, carculator powertrain)
    stages: pd.DataFrame  # same index, one column per carculator stage, kg CO2e/vkm
    hydrogen: pd.DataFrame  # index pathway
    uncertainty: pd.DataFrame
    battery_factors: pd.Series  # kg CO2e per kWh, per vehicle type


@cache
def _data() -> _Data:
    from ..tables import load

    d = load(DATASET)
    vehicles = d["vehicles"].set_index(["vehicle", "powertrain"])
    stages = d["stages"].pivot_table(index=["vehicle", "powertrain"], columns="stage", values="kgco2e_per_vkm")
    unknown = sorted(set(stages.columns) - set(STAGE_MAP))
    if unknown:  # a new carculator version added a stage: refuse rather than drop it silently
        raise LabelError(f"{DATASET}: unknown carculator stage(s) {fmt(unknown)}")
    stages = stages.fillna(0.0)
    factors = _battery_factors(vehicles, stages)
    return _Data(vehicles, stages, d["hydrogen"].set_index("pathway"), d["uncertainty"], factors)


def _battery_line(kwh: float, replacements: float, factor: float, lifetime_km: float) -> float:
    """kg CO2e/vkm of a traction battery: kWh × (1 + replacements) × factor / lifetime km."""
    return kwh * (1.0 + replacements) * factor / lifetime_km


def _battery_factors(vehicles: pd.DataFrame, stages: pd.DataFrame) -> pd.Series:
    """kg CO2e per kWh of traction battery, per vehicle type: the battery-electric version's energy
    storage (all battery) × lifetime km / (kWh × (1 + replacements)). Checks that no other powertrain's
    battery then exceeds its own energy-storage stage."""
    out = {}
    for vt, pts in POWERTRAINS.items():
        key = (vt, pts["BEV"])
        v = vehicles.loc[key]
        # the inverse of _battery_line for the battery-electric version, whose energy storage is its battery
        out[vt] = stages.loc[key, "energy storage"] / _battery_line(
            v["battery_kwh"], v["battery_replacements"], 1.0, v["lifetime_km"]
        )
        for pt in pts.values():
            w = vehicles.loc[(vt, pt)]
            battery = _battery_line(w["battery_kwh"], w["battery_replacements"], out[vt], w["lifetime_km"])
            if battery > stages.loc[(vt, pt), "energy storage"] * (1 + 1e-9):
                raise LabelError(f"{DATASET}: the {vt} {pt} battery exceeds its energy-storage stage")
    return pd.Series(out, name="kgco2e_per_kwh")


def _key(vehicle_type: str, powertrain: str) -> tuple[str, str]:
    if vehicle_type not in POWERTRAINS:
        raise LabelError(f"unknown vehicle {vehicle_type!r}; choose one of {fmt(list(POWERTRAINS))}")
    pts = POWERTRAINS[vehicle_type]
    if powertrain not in pts:
        raise LabelError(f"unknown powertrain {powertrain!r} for a {vehicle_type}; choose one of {fmt(list(pts))}")
    return vehicle_type, pts[powertrain]


def vehicle(vehicle_type: str = "car", powertrain: str = "BEV") -> pd.Series:
    """The vehicle's parameters from carculator (masses in kg, energy in kJ/km, battery kWh, …)."""
    return _data().vehicles.loc[_key(vehicle_type, powertrain)].copy()


def battery_factor(vehicle_type: str = "car") -> float:
    """kg CO2e per kWh of traction battery used for ``vehicle_type`` (see the module docstring)."""
    _key(vehicle_type, "BEV")
    return float(_data().battery_factors[vehicle_type])


def grid_factor(province: str = "Shanghai", year: int = 2023) -> float:
    """The MEE/NBS average CO2 factor of electricity (kg CO2/kWh) of a province, grid or ``"China"``."""
    return mee_factor(province, year)


def hydrogen_factor(pathway: str = "grey") -> float:
    """kg CO2e per kg of hydrogen, from carculator: ``grey`` (steam reforming of natural gas),
    ``grey-coal`` (coal gasification, China's main route), ``blue`` (reforming with CCS) or ``green``
    (PEM electrolysis with wind power). Production only (plant gate), as carculator counts it."""
    h = _hydrogen_factors()
    if pathway not in h:
        raise LabelError(f"unknown hydrogen pathway {pathway!r}; choose one of {fmt(list(h))}")
    return h[pathway]


@cache
def _hydrogen_factors() -> dict[str, float]:
    """carculator's kg CO2e per kg of hydrogen by pathway, as a dict (read once; the pathways ask every year)."""
    h = _data().hydrogen
    return {k: float(v) for k, v in h["kgco2e_per_kg"].items()}


@dataclass(frozen=True)
class TransportResult:
    """Life-cycle CO2e of one vehicle per functional unit.

    :ivar lines: one row per line (``line``, ``group``, ``kgco2e``) per functional unit ``per``
    :ivar per: ``"vkm"``, ``"pkm"`` or ``"tkm"``
    :ivar inputs: the factors used (grid factor, hydrogen factor, battery, divisor)
    """

    vehicle: str
    powertrain: str
    per: str
    lines: pd.DataFrame
    inputs: dict

    @property
    def total(self) -> float:
        """kg CO2e per functional unit."""
        return float(self.lines["kgco2e"].sum())

    @property
    def groups(self) -> pd.Series:
        """kg CO2e per functional unit by group (vehicle cycle, infrastructure, fuel cycle, tank-to-wheel)."""
        return self.lines.groupby("group")["kgco2e"].sum().reindex(GROUPS, fill_value=0.0)


def _check_factor(name: str, value) -> None:
    """A user-given factor must be a finite, non-negative number: NaN used to make its line vanish (sum skips NaN)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise NonFiniteError(f"{name} must be a number, not {type(value).__name__} {value!r}")
    if not np.isfinite(value):
        raise NonFiniteError(f"{name} must be finite, got {value}")
    if value < 0:
        raise NegativeOutputError(f"{name} must not be negative, got {value}")


def assess(
    vehicle_type: str = "car",
    powertrain: str = "BEV",
    *,
    province: str = "Shanghai",
    grid_year: int = 2023,
    grid: str = "mee",
    grid_factor_kg_per_kwh: float | None = None,
    hydrogen: str = "grey",
    hydrogen_factor_kg_per_kg: float | None = None,
    battery_kwh: float | None = None,
    battery_factor: float | None = None,
    per: str = "vkm",
) -> TransportResult:
    """Life-cycle CO2e of a vehicle per vkm, pkm or tkm, by line and group.

    ``grid="mee"`` uses the province's MEE factor of ``grid_year`` (direct CO2 of generation);
    ``grid="carculator"`` uses carculator's life-cycle CN mix, which reproduces carculator's own
    result; ``grid_factor_kg_per_kwh`` overrides both. ``battery_kwh`` and ``battery_factor``
    (kg CO2e per kWh of battery) change the battery line of vehicles that have a traction battery.
    """
    data = _data()
    vehicles, stages, battery_factors = data.vehicles, data.stages, data.battery_factors
    key = _key(vehicle_type, powertrain)
    v = vehicles.loc[key]
    s = stages.loc[key]
    if per not in PER:
        raise UnitError(f"unknown functional unit {per!r}; choose one of {fmt(list(PER))}")
    divisor = 1.0
    if per != "vkm" and per != PER_OF[vehicle_type]:
        raise UnitError(f"a {vehicle_type} is assessed per 'vkm' or {PER_OF[vehicle_type]!r}, not {per!r}")
    if per == "pkm":
        divisor = float(v["passengers"])
    elif per == "tkm":
        divisor = float(v["cargo_kg"]) / 1000.0
    for name, value in (
        ("battery_kwh", battery_kwh),
        ("battery_factor", battery_factor),
        ("grid_factor_kg_per_kwh", grid_factor_kg_per_kwh),
        ("hydrogen_factor_kg_per_kg", hydrogen_factor_kg_per_kg),
    ):
        _check_factor(name, value)

    inputs: dict = {"divisor": divisor}
    lines = {STAGE_MAP[k]: float(val) for k, val in s.items()}
    # energy storage = traction battery + fuel cell and tanks
    storage = lines.pop("energy storage")
    life_km, repl = float(v["lifetime_km"]), float(v["battery_replacements"])
    if v["battery_kwh"] > 0:
        factor = float(battery_factors[vehicle_type])
        battery = _battery_line(float(v["battery_kwh"]), repl, factor, life_km)
        kwh = float(v["battery_kwh"]) if battery_kwh is None else float(battery_kwh)
        factor = factor if battery_factor is None else float(battery_factor)
        lines["battery"] = _battery_line(kwh, repl, factor, life_km)
        lines["fuel cell and tanks"] = storage - battery
        inputs.update(battery_kwh=kwh, battery_factor_kgco2e_per_kwh=factor, battery_count=1.0 + repl)
    elif battery_kwh or battery_factor:
        raise LabelError(f"a {vehicle_type} {powertrain} has no traction battery to resize")
    else:
        lines["fuel cell and tanks"] = storage
    # fuel cycle
    if v["fuel"] == "electricity":
        kwh_km = float(v["electricity_kwh_per_km"])
        if grid_factor_kg_per_kwh is not None:
            gf, src = float(grid_factor_kg_per_kwh), "given"
        elif grid == "mee":
            gf, src = grid_factor(province, grid_year), f"MEE {province} {grid_year}"
        elif grid == "carculator":
            gf, src = lines["fuel supply"] / kwh_km, "carculator CN life-cycle mix"
        else:
            raise LabelError(f"unknown grid {grid!r}; choose 'mee' or 'carculator' or pass grid_factor_kg_per_kwh")
        if gf < 0:
            raise NegativeOutputError(f"grid factor must not be negative, got {gf}")
        lines.pop("fuel supply")
        lines["electricity"] = kwh_km * gf
        inputs.update(electricity_kwh_per_km=kwh_km, grid_factor_kg_per_kwh=gf, grid=src, province=province)
    elif v["fuel"] == "hydrogen":
        hf = hydrogen_factor(hydrogen) if hydrogen_factor_kg_per_kg is None else float(hydrogen_factor_kg_per_kg)
        lines.pop("fuel supply")
        lines["hydrogen"] = float(v["fuel_kg_per_km"]) * hf
        inputs.update(hydrogen_kg_per_km=float(v["fuel_kg_per_km"]), hydrogen_factor_kg_per_kg=hf, hydrogen=hydrogen)
    else:
        inputs.update(fuel=v["fuel"], fuel_kg_per_km=float(v["fuel_kg_per_km"]))
    bad = [k for k, val in lines.items() if not np.isfinite(val)]
    if bad:
        raise NonFiniteError(f"{vehicle_type} {powertrain}: lines {fmt(bad)} are not finite; check the factors given")
    df = pd.DataFrame([{"line": k, "group": LINE_GROUP[k], "kgco2e": val / divisor} for k, val in lines.items()])
    df["group"] = pd.Categorical(df["group"], GROUPS, ordered=True)
    df = df.sort_values(["group", "line"], kind="stable").reset_index(drop=True)
    df["group"] = df["group"].astype(str)
    return TransportResult(vehicle_type, powertrain, per, df, inputs)


def compare(vehicle_type: str = "car", powertrains=None, **kwargs) -> pd.DataFrame:
    """kg CO2e per functional unit by group (columns, plus ``total``) for several powertrains (rows).

    Keyword arguments go to :func:`assess`.

    >>> compare("car", ["BEV", "ICEV-p"]).columns[-1]
    'total'
    """
    _key(vehicle_type, "BEV")  # an unknown vehicle is an error, not an empty table
    powertrains = list(POWERTRAINS[vehicle_type]) if powertrains is None else list(powertrains)
    return by_group({pt: assess(vehicle_type, pt, **kwargs) for pt in powertrains})


def by_group(results: dict) -> pd.DataFrame:
    """The results of :func:`assess` (a dict keyed by powertrain) as one table: groups and ``total``."""
    rows = {pt: {**r.groups.to_dict(), "total": r.total} for pt, r in results.items()}
    out = pd.DataFrame(rows).T.rename_axis("powertrain")
    pers = {r.per for r in results.values()}
    out.attrs["unit"] = f"kg CO2e/{pers.pop()}" if len(pers) == 1 else "kg CO2e per functional unit"
    return out


def plot_compare(table: pd.DataFrame, ax=None, title: str | None = None):
    """Stacked bars of :func:`compare`'s result, one bar per powertrain."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(7, 4))[1]
    colors = ["#4C72B0", "#8C8C8C", "#DD8452", "#C44E52"]
    bottom = None
    for g, c in zip(GROUPS, colors, strict=True):
        vals = table[g].to_numpy()
        ax.bar(table.index, vals, bottom=bottom, label=g, color=c)
        bottom = vals if bottom is None else bottom + vals
    ax.set_ylabel(table.attrs.get("unit", "kg CO2e per functional unit"))
    ax.legend(frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def ttw_range(vehicle_type: str, powertrain: str) -> tuple[float, float]:
    """(low, high) of tank-to-wheel energy relative to the static value: carculator's stochastic
    2.5 and 97.5 percentiles divided by its static value (``tables/carculator-vehicles-2020``)."""
    key = _key(vehicle_type, powertrain)
    u = _data().uncertainty.set_index(["vehicle", "powertrain", "quantity"]).loc[(*key, "ttw_energy_kj_per_km")]
    static = float(_data().vehicles.loc[key, "ttw_energy_kj_per_km"])
    return float(u["p2_5"]) / static, float(u["p97_5"]) / static


def components(result: TransportResult, province: str | None = None) -> list:
    """The result as Monte Carlo components (:class:`ioemissions.lca.uncertainty.Component`).

    Distributions where a source gives a range, each with the static value as its mode (issue 15
    item 4): tank-to-wheel energy (triangular on carculator's stochastic 2.5/97.5 percentiles relative
    to its static value, widened to contain 1 if they do not; it scales electricity, hydrogen, fuel
    supply and exhaust) and, for the MEE grid, the province's factor (triangular over the years
    2021-2023 shipped, the year used as mode: :func:`~ioemissions.lca.uncertainty.around`). Vehicle
    cycle and infrastructure are fixed (no range in the source).
    """
    from .uncertainty import Component, around

    lo, hi = ttw_range(result.vehicle, result.powertrain)
    energy = around(1.0, lo, hi)
    lo, hi = energy["minimum"], energy["maximum"]
    comps = []
    for r in result.lines.itertuples():
        if r.line == "electricity":
            kwh = result.inputs["electricity_kwh_per_km"] / result.inputs["divisor"]
            gf = result.inputs["grid_factor_kg_per_kwh"]
            fdist, src = None, "grid factor fixed"
            if result.inputs["grid"].startswith("MEE"):
                prov = province or result.inputs["province"]
                fdist, src = around(gf, *mee_range(prov)), f"MEE {prov} 2021-2023 range, year used as mode"
            comps.append(
                Component(
                    "electricity",
                    kwh,
                    gf,
                    "kWh",
                    around(kwh, kwh * lo, kwh * hi),
                    fdist,
                    f"kWh: carculator TtW range; factor: {src}",
                )
            )
        elif r.line in ("hydrogen", "fuel supply", "exhaust") and r.kgco2e:
            comps.append(Component(r.line, 1.0, r.kgco2e, result.per, energy, None, "carculator TtW energy range"))
        else:
            comps.append(Component(r.line, 1.0, r.kgco2e, result.per, source="fixed: no range in the source"))
    return comps


def monte_carlo(result: TransportResult, *, iterations: int = 1000, seed: int = 42, folder=None, **kwargs):
    """Monte Carlo of a transport result through Brightway (see :mod:`ioemissions.lca.uncertainty`).

    Returns a :class:`~ioemissions.lca.uncertainty.MonteCarloResult` in kg CO2e per functional unit.
    """
    from .uncertainty import monte_carlo as mc

    return mc(components(result), iterations=iterations, seed=seed, folder=folder, **kwargs)

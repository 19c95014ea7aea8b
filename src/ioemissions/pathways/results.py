r"""Results of a pathway: :class:`Pathway`, :func:`compare`, and :func:`wedges` by lever.

Units: emissions in the base table's stressor unit (Mt CO2 for the YRD tables); money in the base
table's monetary unit at base-year prices (10^4 CNY, 2017 prices for ``yrd-mrio-2017``); GDP of the
drivers in 10^8 CNY at 2017 prices; population and jobs in 10^4 persons.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..core.mrio import ABROAD
from ..errors import LabelError, ScenarioError
from ..errors import _fmt_labels as fmt

__all__ = ["Pathway", "Peak", "compare", "wedges"]

BASES = ("production", "consumption")


class Peak(NamedTuple):
    """The year and level of a pathway's maximum (level in the pathway's stressor unit)."""

    year: int
    level: float


class Pathway:
    """A sequence of yearly EE-MRIO results (build with :func:`ioemissions.pathways.run`)."""

    def __init__(self, scenario, base, years, results, infos, drivers, *, factorisations: int = 0, io=None):
        self.scenario = scenario
        # year -> (YearState, LeontiefSolver) kept by the run for deployment_impacts (not pickled)
        self._io = dict(io or {})
        self._base = base
        self.years = list(years)
        self._r = results
        self.info = dict(zip(self.years, infos, strict=True))
        self.drivers = drivers
        self.factorisations = factorisations
        self.regions = list(base.regions)
        self.base_year = base.base_year
        self.unit = base.unit
        self.stressor = base.stressor
        self.monetary_unit = base.monetary

    def __getstate__(self):
        d = dict(self.__dict__)
        d["_io"] = {}  # the yearly states are rebuilt on demand; do not ship them between processes
        return d

    @property
    def unit_label(self) -> str:
        """The emissions unit with the stressor, e.g. ``"Mt CO2"``."""
        return f"{self.unit} {self.stressor}"

    @property
    def name(self) -> str:
        return self.scenario.name

    def __repr__(self) -> str:
        return f"<Pathway {self.name!r} {self.years[0]}–{self.years[-1]}, {len(self.regions)} regions>"

    def _stack(self, key: str) -> np.ndarray:
        return np.array([r[key] for r in self._r])

    def _region(self, region: str) -> int:
        if region not in self.regions:
            raise LabelError(f"unknown region {region!r}; the pathway has {fmt(self.regions)}")
        return self.regions.index(region)

    # ------------------------------------------------------------------ emissions
    @property
    def emissions(self) -> pd.DataFrame:
        """Production- and consumption-based emissions: index year, columns (region, basis)."""
        cols = pd.MultiIndex.from_product([self.regions, BASES], names=["region", "basis"])
        data = np.stack([self._stack("production"), self._stack("consumption")], axis=2).reshape(len(self.years), -1)
        df = pd.DataFrame(data, index=pd.Index(self.years, name="year"), columns=cols)
        df.attrs["unit"] = self.unit
        return df

    @property
    def accounts(self) -> pd.DataFrame:
        """All five accounts of :meth:`ioemissions.MRIO.accounts` per year: index (year, region)."""
        frames = []
        for y, r in zip(self.years, self._r, strict=True):
            d = {k: r[k] for k in ("production", "consumption", "exports", "imports")}
            d["balance"] = d["exports"] - d["imports"]
            frames.append(
                pd.DataFrame(d, index=pd.MultiIndex.from_product([[y], self.regions], names=["year", "region"]))
            )
        df = pd.concat(frames)
        df.attrs["unit"] = self.unit
        return df

    def emissions_by_sector(self, region: str = "Shanghai", basis: str = "production") -> pd.DataFrame:
        """Year × sector. Production: emissions of the region's sectors. Consumption: emissions caused by
        the region's final demand, by the sector where they happen (any origin), plus abroad. Both with the
        households' direct emissions as a column."""
        r = self._region(region)
        s = len(self._base.sectors)
        if basis == "production":
            data = self._stack("prod_node")[:, r * s : (r + 1) * s]
            cols = list(self._base.sectors)
        elif basis == "consumption":
            E = self._stack("E_dest")[:, :, r]  # year × n
            data = E.reshape(len(self.years), -1, s).sum(axis=1)
            data = np.hstack([data, self._stack("T")[:, -1, r][:, None]])
            cols = [*self._base.sectors, ABROAD]
        else:
            raise LabelError(f"basis must be one of {list(BASES)}, not {basis!r}")
        data = np.hstack([data, self._stack("fy")[:, r][:, None]])
        df = pd.DataFrame(data, index=pd.Index(self.years, name="year"), columns=[*cols, "households (direct)"])
        df.attrs.update(unit=self.unit, region=region, basis=basis)
        return df

    def embodied_imports(self, region: str = "Shanghai") -> pd.DataFrame:
        """Emissions caused by ``region``'s final demand that happen elsewhere: year × origin (incl. Abroad)."""
        r = self._region(region)
        T = self._stack("T")[:, :, r]
        origins = [*self.regions, ABROAD]
        keep = [i for i in range(len(origins)) if i != r]
        df = pd.DataFrame(T[:, keep], index=pd.Index(self.years, name="year"), columns=[origins[i] for i in keep])
        df.columns.name = "origin"
        df.attrs.update(unit=self.unit, region=region)
        return df

    @property
    def imported_electricity(self) -> pd.DataFrame:
        """CO2 of electricity bought from other modelled regions (at the origin's intensity): year × region."""
        df = pd.DataFrame(
            self._stack("imported_electricity_co2"), index=pd.Index(self.years, name="year"), columns=self.regions
        )
        df.attrs["unit"] = self.unit
        return df

    # ------------------------------------------------------------------ socio-economic indicators
    @property
    def indicators(self) -> pd.DataFrame:
        """Indicators by year and region: drivers, output, value added, jobs, CO2, intensities; units in attrs."""
        s = len(self._base.sectors)
        R = len(self.regions)
        rows = []
        for y, res in zip(self.years, self._r, strict=True):
            x = res["x"].reshape(R, s).sum(axis=1)
            va = res["va"].reshape(R, s).sum(axis=1)
            jobs = res["jobs"].reshape(R, s).sum(axis=1) / 1e4 if "jobs" in res else None
            for i, reg in enumerate(self.regions):
                d = res["drivers"][reg]
                row = {
                    "year": y,
                    "region": reg,
                    "gdp": d["gdp"],
                    "population": d["population"],
                    "output": x[i],
                    "value_added": va[i],
                    "co2_production": res["production"][i],
                    "co2_consumption": res["consumption"][i],
                    # Mt / 10^8 CNY = 100 t / 10^4 CNY;  Mt / 10^4 persons = 100 t / person
                    "co2_per_gdp": 100.0 * res["production"][i] / d["gdp"],
                    "co2_per_capita": 100.0 * res["production"][i] / d["population"],
                    "consumption_co2_per_capita": 100.0 * res["consumption"][i] / d["population"],
                    "electricity_use": res["electricity_use"][i],
                    "imported_electricity_co2": res["imported_electricity_co2"][i],
                }
                if jobs is not None:
                    row["jobs"] = jobs[i]
                rows.append(row)
        df = pd.DataFrame(rows).set_index(["year", "region"])
        m = self.monetary_unit
        df.attrs["units"] = {
            "gdp": "10^8 CNY (2017 prices)",
            "population": "10^4 persons",
            "output": f"{m} (base-year prices)",
            "value_added": f"{m} (base-year prices)",
            "jobs": "10^4 persons",
            "co2_production": self.unit,
            "co2_consumption": self.unit,
            "co2_per_gdp": "t CO2 / 10^4 CNY (2017 prices)",
            "co2_per_capita": "t CO2 / person",
            "consumption_co2_per_capita": "t CO2 / person",
            "electricity_use": f"{m} (base-year prices)",
            "imported_electricity_co2": self.unit,
        }
        return df

    # ------------------------------------------------------------------ peak and targets
    def peak(self, region: str = "Shanghai", basis: str = "production") -> Peak:
        """The year and level of the maximum of ``emissions[(region, basis)]`` (the first year if tied)."""
        self._region(region)
        if basis not in BASES:
            raise LabelError(f"basis must be one of {list(BASES)}, not {basis!r}")
        col = self.emissions[(region, basis)]
        return Peak(int(col.idxmax()), float(col.max()))

    def targets(self) -> pd.DataFrame:
        """Each ``[[targets]]`` of the scenario: its value, the pathway's value, whether and when it is met, the gap."""
        rows = []
        em = self.emissions
        ind = self.indicators
        for t in self.scenario.targets:
            region, basis, year = t["region"], t.get("basis", "production"), int(t["year"])
            target = t["value"].static
            row = {
                "id": t["id"],
                "metric": t["metric"],
                "region": region,
                "basis": basis,
                "year": year,
                "target": target,
                "source": t["value"].source,
            }
            self._region(region)
            col = em[(region, basis)]
            if t["metric"] == "peak_year":
                pk = self.peak(region, basis)
                row.update(value=pk.year, met=bool(pk.year <= target), met_in=pk.year, gap=pk.year - target)
            elif t["metric"] == "level":
                if year not in col.index:
                    row.update(value=np.nan, met=None, met_in=None, gap=np.nan, note=f"{year} is outside the pathway")
                else:
                    ok = col[col <= target]
                    row.update(
                        value=float(col[year]),
                        met=bool(col[year] <= target),
                        met_in=int(ok.index[0]) if len(ok) else None,
                        gap=float(col[year] - target),
                    )
            else:  # co2_per_gdp_change: relative change of CO2 per GDP from base_year to year
                by = int(t.get("base_year", self.base_year))
                series = ind.xs(region, level="region")["co2_per_gdp"] if basis == "production" else None
                if series is None:
                    raise ScenarioError(f"target {t['id']}: co2_per_gdp_change is defined on the production basis")
                if by not in series.index or year not in series.index:
                    row.update(
                        value=np.nan,
                        met=None,
                        met_in=None,
                        gap=np.nan,
                        note=f"not evaluable: base year {by} or target year {year} outside the pathway "
                        f"({self.years[0]}–{self.years[-1]}); no CO2/GDP of {by} in the shipped tables",
                    )
                else:
                    change = series / series[by] - 1.0
                    ok = change[(change.index >= by) & (change <= target)]
                    row.update(
                        value=float(change[year]),
                        met=bool(change[year] <= target),
                        met_in=int(ok.index[0]) if len(ok) else None,
                        gap=float(change[year] - target),
                    )
            rows.append(row)
        cols = ["id", "metric", "region", "basis", "year", "target", "value", "met", "met_in", "gap", "note", "source"]
        df = pd.DataFrame(rows)
        return df.reindex(columns=cols)

    # ------------------------------------------------------------------ export
    def to_xarray(self):
        """An :class:`xarray.Dataset`: ``emissions`` (year × region × basis) and the indicators (year × region)."""
        import xarray as xr

        em = self._stack("production"), self._stack("consumption")
        ds = xr.Dataset(
            {"emissions": (("year", "region", "basis"), np.stack(em, axis=2))},
            coords={"year": self.years, "region": self.regions, "basis": list(BASES)},
            attrs={"scenario": self.name, "unit": self.unit, "base_year": self.base_year},
        )
        ds["emissions"].attrs["units"] = self.unit
        ind = self.indicators
        for c in ind.columns:
            arr = ind[c].unstack("region").reindex(columns=self.regions).to_numpy(dtype=float)
            ds[c] = (("year", "region"), arr)
            ds[c].attrs["units"] = ind.attrs["units"].get(c, "")
        return ds


# ---------------------------------------------------------------------- several pathways
def compare(pathways, region: str = "Shanghai", *, cumulative=(2020, 2060)) -> pd.DataFrame:
    """Peak year/level, cumulative CO2, 2030/2060 levels, and value added and jobs against the first pathway."""
    pathways = list(pathways)
    if not pathways:
        raise ScenarioError("compare: give at least one pathway")
    rows = []
    ref = pathways[0]
    ref_ind = ref.indicators.xs(region, level="region")
    for p in pathways:
        em = p.emissions
        ind = p.indicators.xs(region, level="region")
        row = {"scenario": p.name}
        for basis in BASES:
            pk = p.peak(region, basis)
            col = em[(region, basis)]
            y0, y1 = cumulative
            row[f"{basis} peak year"] = pk.year
            row[f"{basis} peak level [{p.unit_label}]"] = pk.level
            row[f"{basis} {y0}-{y1} cumulative [{p.unit_label}]"] = float(col.loc[y0:y1].sum())
            for y in (2030, 2060):
                row[f"{basis} {y} [{p.unit_label}]"] = float(col[y]) if y in col.index else np.nan
        common = ind.index.intersection(ref_ind.index)
        row[f"value added difference, cumulative [{p.monetary_unit}, base-year prices]"] = float(
            (ind.loc[common, "value_added"] - ref_ind.loc[common, "value_added"]).sum()
        )
        if "jobs" in ind.columns and "jobs" in ref_ind.columns:
            last = common.max()
            row[f"jobs difference in {last} [10^4 persons]"] = float(ind.at[last, "jobs"] - ref_ind.at[last, "jobs"])
        rows.append(row)
    df = pd.DataFrame(rows).set_index("scenario")
    df.attrs["region"] = region
    return df


def wedges(
    reference: Pathway, alternative: Pathway, region: str = "Shanghai", basis: str = "production"
) -> pd.DataFrame:
    r"""The difference ``alternative − reference`` of one emissions column split into one wedge per step.

    Steps, applied one at a time from the reference scenario (sequential decomposition):
    the drivers (SSP, driver paths) if they differ, then each lever of the alternative in its order
    (replacing the reference's lever of the same name, or added), then the removal of each reference
    lever the alternative does not have. Wedge k is :math:`E_k - E_{k-1}`; the last step *is* the
    alternative, so the wedges add up to the difference exactly (telescoping). The split depends on
    the order of the steps (as any sequential decomposition; LMDI/SDA would average orders).
    Returns a DataFrame year × step, with ``attrs["groups"]`` the group of each lever step.
    """
    from .engine import run

    if reference.years != alternative.years or reference._base.model is not alternative._base.model:
        if reference.years != alternative.years:
            raise ScenarioError("wedges: the two pathways must cover the same years")
    ref, alt = reference.scenario, alternative.scenario
    base = reference._base
    kw = {"base": base.model, "base_year": base.base_year, "end": reference.years[-1]}
    jobs = np.zeros(len(base.nodes))
    col = (region, basis)
    series = [reference.emissions[col]]
    names, groups = [], {}
    drivers_differ = ref.ssp != alt.ssp or {k: v.to_dict() for k, v in ref.drivers.items()} != {
        k: v.to_dict() for k, v in alt.drivers.items()
    }
    alt_names = {lv.name for lv in alt.levers}

    def levers_at(n_alt: int, removed: set) -> list:
        done = {x.name for x in alt.levers[:n_alt]}
        return [x for x in ref.levers if x.name not in done and x.name not in removed] + list(alt.levers[:n_alt])

    steps = []  # (name, group, n_alt levers applied, removed reference levers, drivers of the alternative?)
    switched = drivers_differ
    if drivers_differ:
        steps.append(("drivers", "demand", 0, set(), True))
    for k, lv in enumerate(alt.levers):
        steps.append((lv.name, lv.group, k + 1, set(), switched))
    removed: set = set()
    for lv in ref.levers:
        if lv.name not in alt_names:
            removed = removed | {lv.name}
            steps.append((f"without {lv.name}", lv.group, len(alt.levers), set(removed), switched))
    for i, (name, group, n_alt, rem, use_alt_drivers) in enumerate(steps):
        names.append(name)
        groups[name] = group
        if i == len(steps) - 1:  # the last step is the alternative itself
            series.append(alternative.emissions[col])
            continue
        sc = ref.replace(levers=levers_at(n_alt, rem))
        if use_alt_drivers:
            sc = sc.replace(ssp=alt.ssp, drivers=dict(alt.drivers))
        p = run(sc, drivers=alternative.drivers if use_alt_drivers else reference.drivers, jobs_per_output=jobs, **kw)
        series.append(p.emissions[col])
    if not steps:
        return pd.DataFrame(index=pd.Index(reference.years, name="year"))
    data = {n: series[i + 1] - series[i] for i, n in enumerate(names)}
    df = pd.DataFrame(data)
    df.index.name = "year"
    df.attrs.update(unit=reference.unit, region=region, basis=basis, groups=groups)
    return df

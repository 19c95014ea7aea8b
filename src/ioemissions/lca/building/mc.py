"""Monte Carlo of a building result: which inputs vary, how, and on what source.

Every distribution has the static (reported) value at its centre — the mode of a triangular, the
median of a lognormal — so the interval is an interval around the reported result (issue 15 item 4):

* **GB/T 51366 material and transport factors**: lognormal, median = the factor, σ (of ln) from the
  ecoinvent v3 pedigree approach (Weidema et al. 2013, *Overview and methodology. Data quality
  guideline for the ecoinvent database version 3*, ecoinvent report 1(v3), the additional variances
  of ln x per indicator score). Scores given to a GB/T 51366 Appendix D/E factor, as used here:
  reliability 3 (non-verified data partly based on qualified estimates: a standard's table without
  its inventory), completeness 3, temporal correlation 3 (less than 10 years between the data and
  its use), geographical correlation 1 (China for China), further technological correlation 2
  (market average for a project's product). Variances 0.002 + 0.0006 + 0.002 + 0 + 0.0006 = 0.0052,
  σ = 0.0721, 95 % interval ×/÷ 1.152. The basic uncertainty of the underlying process data is not
  included (the standard does not publish it): :data:`MATERIAL_SIGMA` is a floor, and
  ``material_sigma=`` overrides it. Factors of one material are one draw (perfectly correlated
  across BoQ rows: they are the same number).
* **Grid electricity** (B6, A5, C1; constant factor from MEE): triangular over the province's MEE
  factors 2021–2023 with the year used as mode (:func:`~ioemissions.lca.uncertainty.around`).
* **Grid trajectory** (B6, when a year-by-year trajectory is given): with ``grid_trajectory_low`` and
  ``_high``, triangular on the sums over the design life, the trajectory as mode (the years move
  together: one draw scales the whole path); without them, fixed.
* **Natural gas** (B6): triangular, IPCC 2006 lower/default/upper carbon content, default as mode.
* **Fixed**: cost items (IO multipliers), diesel, district heat, a given grid factor or trajectory.
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import DistributionError
from ..grid import mee_range
from .core import BuildingResult, _fuel_factor, grid_factor
from .names import factor_table

__all__ = ["MATERIAL_SIGMA", "PEDIGREE", "components", "monte_carlo"]

#: (indicator, score, additional variance of ln x) — ecoinvent v3 data quality guideline (Weidema et al. 2013)
PEDIGREE = (
    ("reliability", 3, 0.002),
    ("completeness", 3, 0.0006),
    ("temporal correlation", 3, 0.002),
    ("geographical correlation", 1, 0.0),
    ("further technological correlation", 2, 0.0006),
)
MATERIAL_SIGMA = math.sqrt(sum(v for _, _, v in PEDIGREE))


def components(result: BuildingResult, *, material_sigma: float | None = None) -> list:
    """The building result as Monte Carlo components (:class:`ioemissions.lca.uncertainty.Component`);
    their static values add up to the result's total (see the module docstring for the distributions)."""
    from ...tables import load
    from ..uncertainty import Component, around, lognormal, triangular

    sigma = MATERIAL_SIGMA if material_sigma is None else float(material_sigma)
    if not (np.isfinite(sigma) and sigma >= 0):
        raise DistributionError(f"material_sigma must be finite and non-negative, got {material_sigma}")
    b, L = result.building, result.building.design_life_years
    t = factor_table()
    items = result.items
    repl = 1 + items["replacements"].to_numpy()
    comps = []
    covered = 0.0
    src = f"GB/T 51366 factor, lognormal sigma {sigma:.4f} (ecoinvent v3 pedigree 3,3,3,1,2)"
    gbt = items["factor_id"].isin(t.index).to_numpy()  # Brightway-background and cost items stay fixed
    proc = items[gbt]
    kg_mat = (proc["A1-A3"] * repl[gbt]).groupby(proc["factor_id"]).sum()
    for code, kg in kg_mat.items():
        if kg <= 0:
            continue
        f = float(t.loc[code, "value"])
        comps.append(
            Component(
                f"A1-A3+B4 {code} {t.loc[code, 'name_en']}",
                kg / f,
                f,
                t.loc[code, "unit"],
                factor_dist=lognormal(f, sigma) if sigma else None,
                source=src,
            )
        )
        covered += kg
    moved = proc[proc["A4"] > 0]
    if len(moved):
        kg_tr = (moved["A4"] * (1 + moved["replacements"])).groupby(moved["transport_mode"]).sum()
        for code, kg in kg_tr.items():
            f = float(t.loc[code, "value"])
            comps.append(
                Component(
                    f"A4+B4 {code} {t.loc[code, 'name_en']}",
                    kg / f,
                    f,
                    "t km",
                    factor_dist=lognormal(f, sigma) if sigma else None,
                    source=src,
                )
            )
            covered += kg
    kwh_b6 = (b.given("electricity_kwh") - b.given("pv_kwh")) * L if b.grid_trajectory is None else 0.0
    kwh = kwh_b6 + b.given("construction_electricity_kwh") + b.given("demolition_electricity_kwh")
    if kwh:
        gf = grid_factor(b)
        dist, gsrc = None, "grid factor given: fixed"
        if b.grid_factor is None:
            dist, gsrc = around(gf, *mee_range(b.province)), f"MEE {b.province} 2021-2023 range, {b.grid_year} as mode"
        comps.append(Component("grid electricity (B6, A5, C1)", kwh, gf, "kWh", factor_dist=dist, source=gsrc))
        covered += kwh * gf
    if b.grid_trajectory is not None and (b.given("electricity_kwh") - b.given("pv_kwh")):
        net = b.given("electricity_kwh") - b.given("pv_kwh")
        f = float(np.sum(b.grid_trajectory))
        dist, tsrc = None, "grid trajectory given without a range: fixed"
        if b.grid_trajectory_low is not None:
            lo, hi = float(np.sum(b.grid_trajectory_low)), float(np.sum(b.grid_trajectory_high))
            dist, tsrc = triangular(lo, f, hi), "grid trajectory range given (low/high), the trajectory as mode"
        comps.append(Component("B6 grid electricity (trajectory)", net, f, "kWh/a", factor_dist=dist, source=tsrc))
        covered += net * f
    if b.given("natural_gas_m3"):
        f = _fuel_factor("natural gas")
        c = load("ipcc2006-fuels").set_index("product").loc["natural_gas"]
        lo, mode, hi = (float(c[f"carbon_kgC_per_GJ_{k}"]) for k in ("lower", "default", "upper"))
        m3 = b.given("natural_gas_m3") * L
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
        covered += m3 * f
    rest = result.total - covered
    if abs(rest) > 1e-9 * max(abs(result.total), 1.0):
        comps.append(
            Component(
                "other (fixed)",
                1.0,
                rest,
                "building",
                source="fixed: cost items, diesel, heat, grid trajectory (no range in the source)",
            )
        )
    return comps


def monte_carlo(
    result: BuildingResult,
    *,
    iterations: int = 1000,
    seed: int = 42,
    folder=None,
    material_sigma: float | None = None,
    **kwargs,
):
    """Monte Carlo of a building result through Brightway (kg CO2e of the whole building);
    see :func:`components` for what varies. Extra arguments go to
    :func:`ioemissions.lca.uncertainty.monte_carlo` (``progress``, ``log_file``, ``project``)."""
    from ..uncertainty import monte_carlo as mc

    comps = components(result, material_sigma=material_sigma)
    return mc(comps, iterations=iterations, seed=seed, folder=folder, **kwargs)

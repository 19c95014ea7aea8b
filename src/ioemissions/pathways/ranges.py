r"""Documented ranges for the shipped scenarios, computed from the shipped data (issue 15).

Two uncertainties every shipped scenario carries as distributions (``[drivers] gdp_factor`` and a
``trend uncertainty`` lever), static value 1 at the mode so the deterministic pathway is unchanged:

* **Growth** — :func:`gdp_ssp_range`: Shanghai's real GDP under SSP1…SSP5 relative to SSP2 in a year
  (``ssp-provinces``): the lowest and highest ratio bound a triangular ``gdp_factor`` with mode 1.
  The factor multiplies every region's GDP index (the regions move together).
* **Intensity trend** — :func:`intensity_trend_range`: the 95 % confidence interval of the OLS slope g of
  :math:`\ln(E_t / GDP_t)` for Shanghai's CEADs CO2 (all sectors, households excluded) over the fit years,
  :math:`\hat g \pm t_{0.975, n-2}\, se(\hat g)`, as a factor :math:`\exp(\pm t\, se\, (y - t_0))` on
  Shanghai's emission intensities in year y (the ``intensity`` lever). Other regions' trend uncertainty is
  not sampled (a stated simplification).

:func:`scenario_ranges` gives both, rounded to 3 decimals as written in the TOML files; a test checks that
the files hold these numbers.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["YEARS", "gdp_ssp_range", "intensity_trend_range", "scenario_ranges"]

YEARS = (2030, 2060)
SSPS = ("SSP1", "SSP2", "SSP3", "SSP4", "SSP5")


def gdp_ssp_range(years=YEARS, region: str = "Shanghai") -> dict[int, tuple[float, float]]:
    """``{year: (min, max)}`` over SSP1–SSP5 of the region's real GDP divided by its SSP2 GDP."""
    from .drivers import driver_table

    end = max(years)
    gdp = {s: driver_table([region], s, end)[("gdp", region)] for s in SSPS}
    out = {}
    for y in years:
        ratios = [float(gdp[s].loc[y] / gdp["SSP2"].loc[y]) for s in SSPS]
        out[int(y)] = (min(ratios), max(ratios))
    return out


def intensity_trend_range(
    years=YEARS, region: str = "Shanghai", fit: tuple[int, int] = (2012, 2019), base_year: int = 2017
) -> dict[int, tuple[float, float]]:
    """``{year: (low, high)}`` factors on the region's intensities from the 95 % CI of its fitted trend."""
    from scipy import stats

    from .calibration import region_group_emissions
    from .drivers import driver_table

    fit_years = list(range(fit[0], fit[1] + 1))
    e = region_group_emissions([region], fit_years)
    e = e[[g != "households" for _, g in e.index]].sum(axis=0).to_numpy(dtype=float)
    gdp = driver_table([region], "SSP2", max(fit_years))[("gdp", region)].loc[fit_years].to_numpy(dtype=float)
    t = np.array(fit_years, dtype=float)
    res = stats.linregress(t, np.log(e / gdp))
    q = stats.t.ppf(0.975, len(t) - 2) * res.stderr
    return {int(y): (math.exp(-q * (y - base_year)), math.exp(q * (y - base_year))) for y in years}


def scenario_ranges() -> dict[str, dict[int, tuple[float, float]]]:
    """The ranges written into the shipped scenario files (rounded to 3 decimals)."""
    r = {"gdp_factor": gdp_ssp_range(), "intensity": intensity_trend_range()}
    return {k: {y: (round(lo, 3), round(hi, 3)) for y, (lo, hi) in v.items()} for k, v in r.items()}

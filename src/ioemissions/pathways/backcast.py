r"""Out-of-sample validation: start from 2012, project 2013–2019, compare with CEADs.

The engine is run from ``yrd-mrio-2012`` with the *observed* real GDP and population of each
region (``ssp-provinces`` history) and intensity trends fitted on CEADs **2012–2016 only**
(:mod:`ioemissions.pathways.calibration`); the projected territorial (production-based) CO2 of
each region in 2017–2019 — years the fit never saw — is compared with the CEADs inventories
(RestOfChina: national minus the four provinces):

.. math::

    \text{error}_{r,t} = \frac{\hat E_{r,t} - E^{CEADs}_{r,t}}{E^{CEADs}_{r,t}}

Nothing is tuned on 2017–2019. What the backcast does *not* test: the SSP projections (observed
GDP is used), the levers of the policy scenarios, and consumption-based emissions (no observed
series exists).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["backcast", "backcast_scenario"]


def backcast_scenario(fit: str = "2012-2016"):
    """The backcast's scenario: the 2012 table and intensity trends fitted on ``fit``."""
    from .scenario import Scenario

    return Scenario.from_dict(
        {
            "scenario": {
                "name": "backcast-2012",
                "description": "yrd-mrio-2012, observed GDP and population, intensity trends fitted on CEADs " + fit,
                "base_table": "yrd-mrio-2012",
                "stressor": "CO2",
                "ssp": "SSP2",
                "end": 2019,
            },
            "levers": [
                {
                    "type": "intensity-trend",
                    "name": "intensity trends " + fit,
                    "calibrate": "ceads",
                    "fit": fit,
                    "source": f"ceads-co2-provinces / ceads-co2-national and ssp-provinces history.csv, fitted {fit}",
                }
            ],
        }
    )


def observed(regions, years) -> pd.DataFrame:
    """CEADs territorial CO2 (Mt) by year × region (RestOfChina = China minus the four provinces)."""
    from .calibration import region_group_emissions

    e = region_group_emissions(regions, list(years))
    return e.groupby(level=0).sum().T.reindex(columns=list(regions))


def backcast(fit: str = "2012-2016", years=(2017, 2018, 2019)) -> pd.DataFrame:
    """Projected vs CEADs production-based CO2 per region and year: columns projected, observed, error.

    ``error`` is relative (0.05 = the projection is 5 % above CEADs).
    """
    from .engine import run

    p = run(backcast_scenario(fit), end=max(years), jobs_per_output=False)
    proj = p.emissions.xs("production", axis=1, level="basis").loc[list(years)]
    obs = observed(p.regions, years).loc[list(years)]
    out = pd.DataFrame(
        {"projected": proj.stack(), "observed": obs.stack()},
    )
    out.index.names = ["year", "region"]
    out["error"] = out["projected"] / out["observed"] - 1.0
    out.attrs.update(unit=p.unit, fit=fit, base_table="yrd-mrio-2012")
    return out

r"""Territorial CO2 from an energy balance (IPCC 2006 sectoral / apparent-consumption method).

Apparent consumption of a fuel in a province (the supply side of China's provincial energy
balances, 能源平衡表):

.. math::

    AC = P + I_{prov} + I_{abroad} + B_{out} - O_{prov} - X_{abroad} - B_{in} \pm \Delta S

with P local production, I_prov inflow from other provinces, I_abroad imports, B_out fuelling of
domestic ships and aircraft abroad, O_prov outflow to other provinces, X_abroad exports, B_in
fuelling of foreign ships and aircraft in the province, and ΔS stock decrease (+) or increase.

CO2 of a fuel (IPCC 2006 Vol. 2 Ch. 1 eq. 1.1 with Tables 1.2 and 1.3):

.. math::

    CO_2 = AD \cdot NCV \cdot CC \cdot O \cdot 44/12

with AD the activity (t), NCV the net calorific value (GJ/t), CC the carbon content (kg C/GJ) and
O the oxidation fraction.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..errors import LabelError, OptionError
from ..errors import _fmt_labels as fmt

__all__ = ["apparent_consumption", "fuel_co2", "territorial_co2"]

C_TO_CO2 = 44.0 / 12.0


def apparent_consumption(
    production: float,
    inflow: float = 0.0,
    imports: float = 0.0,
    outflow: float = 0.0,
    exports: float = 0.0,
    *,
    bunkers_abroad: float = 0.0,
    foreign_bunkers: float = 0.0,
    stock_decrease: float = 0.0,
):
    """Apparent consumption AC = P + inflow + imports + bunkers abroad − outflow − exports − foreign
    bunkers + stock decrease (works on numbers, arrays or Series in one energy unit).

    Shanghai 2019, 10^4 tce (the paper in ``../shared/seed``):

    >>> round(apparent_consumption(385.44, 14746.40, 5673.14, 9292.15, 451.12,
    ...                            bunkers_abroad=918.63, foreign_bunkers=275.68), 2)
    11704.66
    """
    return production + inflow + imports + bunkers_abroad - outflow - exports - foreign_bunkers + stock_decrease


def _ipcc_fuels() -> pd.DataFrame:
    from ..tables import load

    return load("ipcc2006-fuels").set_index("product")


def fuel_co2(fuel: str, tonnes, *, oxidation: float = 1.0, bound: str = "default"):
    """CO2 (t) from burning ``tonnes`` of ``fuel`` with IPCC 2006 defaults.

    ``bound`` picks the default, lower or upper NCV and carbon content.

    >>> round(fuel_co2("other_bituminous_coal", 1000.0), 2)   # 1,000 t × 25.8 GJ/t × 25.8 kgC/GJ × 44/12
    2440.68
    """
    fuels = _ipcc_fuels()
    if fuel not in fuels.index:
        raise LabelError(f"unknown IPCC fuel {fuel!r}; known: {fmt(sorted(fuels.index), 60)}")
    if bound not in ("default", "lower", "upper"):
        raise OptionError(f"bound must be 'default', 'lower' or 'upper', not {bound!r}")
    ncv = fuels.at[fuel, f"ncv_GJ_per_t_{bound}"]
    cc = fuels.at[fuel, f"carbon_kgC_per_GJ_{bound}"]
    return tonnes * ncv * cc * oxidation * C_TO_CO2 / 1000.0  # kg -> t


def territorial_co2(fuel_use_t: Mapping[str, float] | pd.Series, *, oxidation: float = 1.0) -> pd.Series:
    """CO2 (t) by fuel from apparent consumption in tonnes by IPCC fuel name; ``.sum()`` is the total."""
    s = pd.Series(fuel_use_t, dtype=float)
    out = pd.Series({f: fuel_co2(f, v, oxidation=oxidation) for f, v in s.items()}, name="t CO2")
    out.attrs["unit"] = "t CO2"
    return out

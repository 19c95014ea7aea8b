"""Life-cycle assessment: buildings (EN 15978 / GB/T 51366), road transport, and Brightway 2.5 with an IO background.

:mod:`ioemissions.lca.building` computes a building's life-cycle CO2 from a bill of quantities;
:mod:`ioemissions.lca.transport` the life-cycle CO2e of cars, buses and trucks per vkm, pkm or tkm.
:mod:`ioemissions.lca.brightway`, :mod:`ioemissions.lca.hybrid` and the Monte Carlo of
:mod:`ioemissions.lca.uncertainty` need the optional Brightway dependencies
(``pip install "ioemissions[lca]"``).
"""

from . import transport
from .building import Building, BuildingResult, assess, example, read_boq

__all__ = ["Building", "BuildingResult", "assess", "example", "read_boq", "transport"]

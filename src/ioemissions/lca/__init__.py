"""Life-cycle assessment: buildings (EN 15978 / GB/T 51366) and a Brightway 2.5 foundation with an IO background.

:mod:`ioemissions.lca.building` computes a building's life-cycle CO2 from a bill of quantities;
:mod:`ioemissions.lca.brightway` and :mod:`ioemissions.lca.hybrid` need the optional Brightway
dependencies (``pip install "ioemissions[lca]"``).
"""

from .building import Building, BuildingResult, assess, example, read_boq

__all__ = ["Building", "BuildingResult", "assess", "example", "read_boq"]

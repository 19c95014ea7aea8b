"""Building life-cycle CO2 by EN 15978 module and GB/T 51366-2019 stage.

Input: a bill of quantities (CSV or XLSX, :mod:`~ioemissions.lca.building.boq`) and building data
(:class:`Building`, or a TOML/JSON file read by :func:`read_building`). Each BoQ row is one item with
columns

* ``item`` — a name (for messages and the results by item);
* ``material`` — a GB/T 51366 Appendix D factor: its id (``D001``), Chinese name (``C30 混凝土``),
  English name (``C30 concrete``) or alias (``rebar``, ``HRB400``) — see :func:`materials`;
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
CEADs CO2). By default the multiplier includes the emissions in imported inputs
(``io_imports="total"``; ``"domestic"`` for the domestic supply chain only); the choice is printed
in the results' notes. A row is a process item or a cost item, never both.

Modules (EN 15978): **A1–A3** quantity × material factor; **A4** mass × distance × transport
factor; **A5** construction energy; **B4** replacements, (⌈design life / service life⌉ − 1) ×
(A1–A4 of the item); **B6** operational energy over the design life; **C1–C4** demolition energy and
waste transport; **D** reported separately and not added. A module without input is "not assessed"
(a warning; an error with ``strict=True``), never a silent 0.

GB/T 51366 stages: 材料生产及运输 = A1–A4 + B4, 建造 = A5, 运行 = B6, 拆除 = C1–C4.

All results in kg CO2e: total, per m² of gross floor area, and per m² and year of design life.
Sub-modules: :mod:`.names` (names, aliases, did you mean), :mod:`.data`, :mod:`.boq`, :mod:`.core`,
:mod:`.mc` (Monte Carlo), :mod:`.excel` (template and report), :mod:`.options` (design options: :func:`compare`),
:mod:`.background` (Brightway backgrounds).
"""

from __future__ import annotations

from pathlib import Path

from ...errors import LabelError
from .boq import read_boq
from .core import MODULES, STAGES, BuildingResult, assess, grid_factor, io_multipliers
from .data import FIELDS, Building, read_building
from .mc import components, monte_carlo
from .names import materials
from .options import compare, plot_compare

__all__ = [
    "FIELDS",
    "MODULES",
    "STAGES",
    "Building",
    "BuildingResult",
    "assess",
    "compare",
    "components",
    "example",
    "example_paths",
    "grid_factor",
    "io_multipliers",
    "materials",
    "monte_carlo",
    "plot_compare",
    "read_boq",
    "read_building",
]

EXAMPLES = Path(__file__).parent / "examples"


def example_paths(name: str = "office") -> tuple[Path, Path]:
    """Paths of a shipped example's BoQ (CSV) and building data (TOML)."""
    boq, data = EXAMPLES / f"{name}_boq.csv", EXAMPLES / f"{name}_building.toml"
    if not boq.is_file():
        known = sorted(p.name[: -len("_boq.csv")] for p in EXAMPLES.glob("*_boq.csv"))
        raise LabelError(f"no example {name!r}; examples: {known}")
    return boq, data


def example(name: str = "office") -> tuple:
    """The shipped example (illustrative, not a real project): its BoQ and building data."""
    boq, data = example_paths(name)
    return read_boq(boq), read_building(data)

r"""The lever interface of :mod:`ioemissions.pathways`: :class:`YearState`, :class:`Lever`, the registry.

The contract (other modules — the technology levers, the ensembles — build on it)
=================================================================================

A pathway is a sequence of yearly EE-MRIOs. For every year t the engine

1. builds a fresh :class:`YearState` from the *base table* (never from the previous year): A, A_imp,
   S, M_imp as in the base year, and Y, Y_imp, F_Y scaled by the drivers (each region's real GDP
   index under the chosen SSP, :attr:`YearState.drivers`);
2. calls ``lever.apply(state)`` for every lever of the scenario, **in file order**; a lever modifies
   the arrays of ``state`` *in place* for ``state.year`` (its paths give the value of that year,
   usually a factor relative to the base year, so a lever is stateless across years);
3. checks the state (every A column productive, no negative intensity or demand — a
   :class:`~ioemissions.errors.ScenarioError` names the lever, year and column that broke it), solves
   x = (I − A)⁻¹ Y with the core's cached LU (reused when A is the same as last year's) and computes
   the accounts with the definitions of :meth:`ioemissions.MRIO.accounts`.

Arrays on the state (n nodes = regions × sectors, m final-demand columns, p imported products, R
regions), all in the base table's units (monetary: base-year prices; stressor: the scenario's
stressor, Mt CO2 for the YRD tables):

==============  =========  ============================================================
``A``           n × n      domestic (interregional) technical coefficients
``A_imp``       p × n      imports from abroad per unit of output
``Y``           n × m      final demand for domestic products, columns (region, category)
``Y_imp``       p × m      final demand for imports from abroad
``S``           n          stressor intensity of each node (stressor per monetary unit)
``F_Y``         m          direct emissions of final demand (households' fuel)
``M_imp``       p × R      stressor per unit of imported product, by importing region
==============  =========  ============================================================

Helpers give positions: :meth:`YearState.nodes_of` (regions × sectors → node positions),
:meth:`YearState.columns_of` (regions × categories → Y columns). ``state.info`` is a dict for
diagnostics a lever wants reported per year (e.g. ``info["grid_factor"][region]``); the engine keeps
each year's ``info`` on the :class:`~ioemissions.pathways.Pathway`.

Writing a lever
---------------
::

    @register_lever("my-lever")
    class MyLever(Lever):
        group = "industry"            # demand, efficiency, electricity, transport, buildings,
                                      # industry, hydrogen, ccus, trade
        required = ("factor",)        # parameter keys that must be present
        optional = ("regions", "sectors")

        def apply(self, state):
            f = self.param("factor")(state.year)      # a Path is called with the year
            state.S[state.nodes_of(self.regions, self.sectors)] *= f

A scenario file names it with ``[[levers]] type = "my-lever"``; the other keys of the table are the
lever's parameters, read by :func:`ioemissions.pathways.values.parse_param` (paths, sourced values,
distributions, labels). ``regions`` and ``sectors`` (lists of labels, or ``"all"``) are checked
against the base table before any year is run (:meth:`Lever.check`). A lever keeps its parsed
parameters in ``self.params``; :meth:`Lever.to_dict` writes them back, so a scenario round-trips and
the ensemble code can substitute sampled values (:meth:`Lever.distributions`,
:meth:`Lever.with_values`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ..errors import LabelError, ScenarioError, UnitMismatchError
from ..errors import _fmt_labels as fmt
from .values import Path, Value, parse_param

__all__ = ["GROUPS", "LEVERS", "Lever", "YearState", "lever_class", "register_lever"]

GROUPS = ("demand", "efficiency", "electricity", "transport", "buildings", "industry", "hydrogen", "ccus", "trade")

_UNIT_ALIASES = {
    "": "1",
    "fraction": "1",
    "ratio": "1",
    "dimensionless": "1",
    "year": "years",
    "a": "years",
    "per year": "1/yr",
    "1/year": "1/yr",
    "yr^-1": "1/yr",
}

#: registry: scenario ``type`` -> Lever subclass
LEVERS: dict[str, type[Lever]] = {}


def register_lever(type_name: str):
    """Class decorator: make a :class:`Lever` subclass available as ``[[levers]] type = type_name``."""

    def deco(cls):
        if type_name in LEVERS and LEVERS[type_name] is not cls:
            raise ValueError(f"lever type {type_name!r} is already registered by {LEVERS[type_name].__qualname__}")
        cls.type_name = type_name
        LEVERS[type_name] = cls
        return cls

    return deco


def lever_class(type_name: str, where: str = "levers") -> type[Lever]:
    """The class registered for ``type_name`` (built-in levers and the technology levers are imported first)."""
    from . import _builtin_levers  # noqa: F401  (registers the engine's levers)

    _load_plugins()
    if type_name not in LEVERS:
        raise ScenarioError(f"{where}.type: unknown lever type {type_name!r}; known: {fmt(sorted(LEVERS), 50)}")
    return LEVERS[type_name]


#: modules that register more lever types when present (the technology levers)
PLUGIN_MODULES = ("ioemissions.pathways.technology",)


def _load_plugins() -> None:
    import importlib
    import importlib.util

    for mod in PLUGIN_MODULES:
        if importlib.util.find_spec(mod) is not None:
            importlib.import_module(mod)


@dataclass
class YearState:
    """One year's EE-MRIO arrays, modified in place by the levers (see the module docstring)."""

    year: int
    base_year: int
    regions: list[str]
    sectors: list[str]
    categories: list[str]
    products: list[str]
    ycols: list[tuple[str, str]]
    drivers: dict[str, dict[str, float]]
    A: np.ndarray
    A_imp: np.ndarray
    Y: np.ndarray
    Y_imp: np.ndarray
    S: np.ndarray
    F_Y: np.ndarray
    M_imp: np.ndarray
    monetary_unit: str = "10^4 CNY"
    stressor_unit: str = "Mt"
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    def _labels(self, wanted, known: list[str], what: str) -> list[int]:
        if wanted is None or wanted == "all":
            return list(range(len(known)))
        if isinstance(wanted, str):
            wanted = [wanted]
        pos = {k: i for i, k in enumerate(known)}
        bad = [w for w in wanted if w not in pos]
        if bad:
            raise LabelError(f"unknown {what} {fmt(bad)}; known: {fmt(known, 8)}")
        return [pos[w] for w in wanted]

    def region_pos(self, regions=None) -> list[int]:
        return self._labels(regions, self.regions, "region")

    def sector_pos(self, sectors=None) -> list[int]:
        return self._labels(sectors, self.sectors, "sector")

    def nodes_of(self, regions=None, sectors=None) -> np.ndarray:
        """Positions of the nodes (region, sector) for the given regions and sectors (``None``/"all" = every one)."""
        s = self.n_sectors
        r_pos = self.region_pos(regions)
        s_pos = np.array(self.sector_pos(sectors), dtype=int)
        return np.concatenate([r * s + s_pos for r in r_pos]) if r_pos else np.array([], dtype=int)

    def columns_of(self, regions=None, categories=None) -> np.ndarray:
        """Positions of the final-demand columns (region, category) of modelled regions."""
        regs = {self.regions[i] for i in self.region_pos(regions)}
        cats = None if categories in (None, "all") else set([categories] if isinstance(categories, str) else categories)
        if cats is not None:
            bad = cats - set(self.categories)
            if bad:
                raise LabelError(f"unknown final-demand category {fmt(sorted(bad))}; known: {fmt(self.categories, 8)}")
        return np.array(
            [j for j, (r, c) in enumerate(self.ycols) if r in regs and (cats is None or c in cats)], dtype=int
        )

    def product_pos(self, products) -> list[int]:
        return self._labels(products, self.products, "imported product")


class Lever:
    """A change to the yearly state, read from one ``[[levers]]`` table of a scenario.

    Attributes: ``type_name`` (set by :func:`register_lever`), ``group`` (one of :data:`GROUPS`;
    a scenario may override it with ``group = "..."``), ``name`` (unique within a scenario; default
    the type), ``params`` (parsed parameters), ``required``/``optional`` parameter keys.
    """

    type_name: ClassVar[str] = ""
    group: str = "demand"
    required: ClassVar[tuple[str, ...]] = ()
    optional: ClassVar[tuple[str, ...]] = ()
    #: the unit each numeric parameter is read in; a scenario value may state its ``unit`` and must match
    #: (one of the aliases), else :class:`~ioemissions.errors.UnitMismatchError` naming the key
    units: ClassVar[dict[str, str]] = {
        "factor": "1",
        "share": "1",
        "capture": "1",
        "efficiency": "1",
        "energy_penalty": "1",
        "rate": "1/yr",
        "half_life": "years",
    }

    def __init__(self, name: str, params: dict[str, Any], *, group: str | None = None, where: str = "levers"):
        self.name = name
        self.where = where
        if group is not None:
            if group not in GROUPS:
                raise ScenarioError(f"{where}.group: unknown group {group!r}; choose one of {list(GROUPS)}")
            self.group = group
        allowed = set(self.required) | set(self.optional)
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise ScenarioError(
                f"{where}: lever type {self.type_name!r} has no parameter(s) {unknown}; it takes {sorted(allowed)}"
            )
        missing = [k for k in self.required if k not in params]
        if missing:
            raise ScenarioError(f"{where}: lever type {self.type_name!r} needs {missing}")
        self.params = {k: parse_param(v, f"{where}.{k}") for k, v in params.items()}
        self._check_units()
        self.validate()

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, d: dict, where: str = "levers") -> Lever:
        """Build the registered lever for ``d["type"]`` from one ``[[levers]]`` table."""
        if "type" not in d:
            raise ScenarioError(f"{where}: a lever needs a 'type'")
        klass = lever_class(d["type"], where)
        params = {k: v for k, v in d.items() if k not in ("type", "name", "group")}
        return klass(d.get("name", d["type"]), params, group=d.get("group"), where=where)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"type": self.type_name, "name": self.name, "group": self.group}
        for k, v in self.params.items():
            out[k] = v.to_dict() if isinstance(v, Value | Path) else v
        return out

    def _check_units(self) -> None:
        for k, v in self.params.items():
            given = getattr(v, "unit", None)
            if given is None or k not in self.units:
                continue
            want = self.units[k]
            if _UNIT_ALIASES.get(given.strip(), given.strip()) != want:
                raise UnitMismatchError(
                    f"{self.where}.{k}: unit {given!r} does not match the lever's {want!r} "
                    f"({self.type_name}.{k} is read in {want}; convert the values, e.g. % -> fraction)"
                )

    def validate(self) -> None:
        """Check parameter values that need no table (override; raise ScenarioError naming the key)."""

    def check(self, state: YearState) -> None:
        """Check labels against the base table before any year runs (regions, sectors, categories)."""
        try:
            state.region_pos(self.params.get("regions"))
            state.sector_pos(self.params.get("sectors"))
            for key in ("from_sectors", "to_sectors", "inputs"):
                if key in self.params:
                    state.sector_pos(self.params[key])
            if "categories" in self.params:
                state.columns_of(None, self.params["categories"])
        except LabelError as exc:
            raise ScenarioError(f"{self.where} ({self.name!r}): {exc}") from None

    # ------------------------------------------------------------------ use
    def param(self, key: str, default=None):
        """A parameter: a :class:`Path` (call it with the year), a :class:`Value` (``.static``), or labels."""
        v = self.params.get(key, default)
        return v

    def at(self, key: str, year: int) -> float:
        """The number of parameter ``key`` in ``year`` (a path is interpolated; a value is constant)."""
        v = self.params[key]
        if isinstance(v, Path):
            return v(year)
        if isinstance(v, Value):
            return v.static
        raise ScenarioError(f"{self.where}.{key}: expected a number or a path, got {v!r}")

    @property
    def regions(self):
        return self.params.get("regions", "all")

    @property
    def sectors(self):
        return self.params.get("sectors", "all")

    def apply(self, state: YearState) -> None:  # pragma: no cover - abstract
        """Modify ``state``'s arrays in place for ``state.year``."""
        raise NotImplementedError

    # ------------------------------------------------------------------ uncertainty
    def distributions(self) -> dict[tuple[str, int | None], Any]:
        """Every distribution in this lever's parameters: ``{(key, year or None): Distribution}``."""
        out = {}
        for k, v in self.params.items():
            if isinstance(v, Value | Path):
                for y, d in v.distributions().items():
                    out[(k, y)] = d
        return out

    def with_values(self, values: dict[tuple[str, int | None], float]) -> Lever:
        """A copy with sampled numbers substituted (keys as from :meth:`distributions`)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        params = dict(self.params)
        for k, v in self.params.items():
            if isinstance(v, Value | Path):
                sub = {y: x for (kk, y), x in values.items() if kk == k}
                params[k] = v.with_values(sub)
        new.params = params
        return new

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} ({self.type_name}, {self.group})>"

r"""Scenarios as TOML files: the format, loading with named errors, and copies with sampled values.

A scenario file (see the shipped ``baseline.toml``, ``peak-plan.toml``, ``deep.toml``)::

    [scenario]
    name = "baseline"
    description = "SSP2 growth, historical intensity trends continued"
    base_table = "yrd-mrio-2017"      # an MRIO dataset of ioemissions.tables with a CO2 stressor
    stressor = "CO2"
    ssp = "SSP2"                      # SSP1 … SSP5 of the ssp-provinces dataset
    end = 2060

    [drivers]                         # optional: multiply each region's real-GDP index by a path
    gdp_factor = {2017 = 1.0, 2060 = 1.0, source = "assumption: SSP as published"}

    [[levers]]                        # in the order they are applied
    type = "intensity-trend"          # a registered lever type (ioemissions.pathways.levers)
    name = "historical intensity trends"
    regions = "all"
    rate = {value = -0.03, source = "..."}

    [[targets]]                       # checked by Pathway.targets()
    id = "CP-05"
    metric = "peak_year"              # peak_year | co2_per_gdp_change | level
    region = "Shanghai"
    basis = "production"
    value = {value = 2030, source = "CP-05 ... URL"}
    year = 2030

Every number carries a source (:mod:`ioemissions.pathways.values`); a number may be a distribution,
the static run using its mode/median. :meth:`Scenario.from_dict` / :meth:`Scenario.to_dict`
round-trip, and :meth:`Scenario.distributions` / :meth:`Scenario.with_values` let the ensemble
code sample a copy and run it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from ..errors import ScenarioError
from .levers import Lever
from .values import Path, Value, parse_param

__all__ = ["SSPS", "TARGET_METRICS", "Scenario", "load_scenario", "scenario", "shipped"]

SSPS = ("SSP1", "SSP2", "SSP3", "SSP4", "SSP5")
TARGET_METRICS = ("peak_year", "co2_per_gdp_change", "level")
_SCENARIO_KEYS = {"name", "description", "base_table", "stressor", "ssp", "end", "history"}
_DRIVER_KEYS = {"gdp_factor", "population_factor", "export_factor"}
_TARGET_KEYS = {"id", "metric", "region", "basis", "value", "year", "base_year", "source", "description"}


@dataclass
class Scenario:
    """A parsed scenario. Build with :func:`scenario` (a name or a path) or :meth:`from_dict`."""

    name: str
    levers: list[Lever]
    ssp: str = "SSP2"
    base_table: str = "yrd-mrio-2017"
    stressor: str = "CO2"
    end: int = 2060
    description: str = ""
    history: bool = True
    drivers: dict[str, Path | Value] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)
    path: str | None = None

    # ------------------------------------------------------------------ dict form
    @classmethod
    def from_dict(cls, d: dict, *, path: str | None = None) -> Scenario:
        where_file = f"{path}: " if path else ""
        if not isinstance(d, dict):
            raise ScenarioError(f"{where_file}a scenario is a table, got {type(d).__name__}")
        unknown = set(d) - {"scenario", "drivers", "levers", "targets"}
        if unknown:
            raise ScenarioError(
                f"{where_file}unknown top-level key(s) {sorted(unknown)} (scenario, drivers, levers, targets)"
            )
        head = d.get("scenario")
        if not isinstance(head, dict) or "name" not in head:
            raise ScenarioError(f"{where_file}[scenario] with at least 'name' is required")
        bad = set(head) - _SCENARIO_KEYS
        if bad:
            raise ScenarioError(f"{where_file}scenario: unknown key(s) {sorted(bad)}; allowed {sorted(_SCENARIO_KEYS)}")
        ssp = head.get("ssp", "SSP2")
        if ssp not in SSPS:
            raise ScenarioError(f"{where_file}scenario.ssp: unknown SSP {ssp!r}; choose one of {list(SSPS)}")
        end = head.get("end", 2060)
        if not isinstance(end, int) or isinstance(end, bool):
            raise ScenarioError(f"{where_file}scenario.end: a year (integer), got {end!r}")
        drivers_raw = d.get("drivers", {})
        bad = set(drivers_raw) - _DRIVER_KEYS
        if bad:
            raise ScenarioError(f"{where_file}drivers: unknown key(s) {sorted(bad)}; allowed {sorted(_DRIVER_KEYS)}")
        drivers = {k: parse_param(v, f"{where_file}drivers.{k}") for k, v in drivers_raw.items()}
        for k, v in drivers.items():
            if not isinstance(v, Path | Value):
                raise ScenarioError(f"{where_file}drivers.{k}: expected a path or a sourced value")
        raw_levers = d.get("levers", [])
        if not isinstance(raw_levers, list):
            raise ScenarioError(f"{where_file}levers: write each lever as a [[levers]] table")
        levers = []
        for i, lv in enumerate(raw_levers):
            where = f"{where_file}levers[{i}]" + (f" (line {_line_of(path, 'levers', i)})" if path else "")
            if not isinstance(lv, dict):
                raise ScenarioError(f"{where}: a lever is a table")
            levers.append(Lever.from_dict(lv, where))
        names = [lv.name for lv in levers]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ScenarioError(f'{where_file}levers: lever names must be unique; repeated {dup} (add name = "...")')
        targets = []
        for i, t in enumerate(d.get("targets", [])):
            where = f"{where_file}targets[{i}]" + (f" (line {_line_of(path, 'targets', i)})" if path else "")
            targets.append(_parse_target(t, where))
        return cls(
            name=head["name"],
            levers=levers,
            ssp=ssp,
            base_table=head.get("base_table", "yrd-mrio-2017"),
            stressor=head.get("stressor", "CO2"),
            end=end,
            description=head.get("description", ""),
            history=bool(head.get("history", True)),
            drivers=drivers,
            targets=targets,
            path=path,
        )

    def to_dict(self) -> dict:
        head = {
            "name": self.name,
            "description": self.description,
            "base_table": self.base_table,
            "stressor": self.stressor,
            "ssp": self.ssp,
            "end": self.end,
            "history": self.history,
        }
        out: dict[str, Any] = {"scenario": head}
        if self.drivers:
            out["drivers"] = {k: v.to_dict() for k, v in self.drivers.items()}
        out["levers"] = [lv.to_dict() for lv in self.levers]
        if self.targets:
            out["targets"] = [
                {k: (v.to_dict() if isinstance(v, Value) else v) for k, v in t.items()} for t in self.targets
            ]
        return out

    # ------------------------------------------------------------------ uncertainty
    def distributions(self) -> dict[tuple, Any]:
        """Every distribution, keyed by its address.

        Addresses are ``("levers", lever_name, key, year or None)`` and ``("drivers", key, year or None)``.
        """
        out = {}
        for k, v in self.drivers.items():
            for y, dist in v.distributions().items():
                out[("drivers", k, y)] = dist
        for lv in self.levers:
            for (k, y), dist in lv.distributions().items():
                out[("levers", lv.name, k, y)] = dist
        return out

    def with_values(self, values: dict[tuple, float]) -> Scenario:
        """A copy with the numbers at ``values``' addresses (from :meth:`distributions`) replaced."""
        known = set(self.distributions())
        bad = [k for k in values if k not in known]
        if bad:
            raise ScenarioError(f"scenario {self.name!r}: no distribution at {bad[:5]}")
        new = copy.copy(self)
        new.drivers = {
            k: v.with_values({a[2]: x for a, x in values.items() if a[0] == "drivers" and a[1] == k})
            for k, v in self.drivers.items()
        }
        new.levers = [
            lv.with_values({(a[2], a[3]): x for a, x in values.items() if a[0] == "levers" and a[1] == lv.name})
            for lv in self.levers
        ]
        return new

    def replace(self, **changes) -> Scenario:
        new = copy.copy(self)
        for k, v in changes.items():
            if not hasattr(new, k):
                raise AttributeError(k)
            setattr(new, k, v)
        return new

    def lever(self, name: str) -> Lever:
        for lv in self.levers:
            if lv.name == name:
                return lv
        raise ScenarioError(f"scenario {self.name!r} has no lever {name!r}; it has {[lv.name for lv in self.levers]}")

    def __repr__(self) -> str:
        return f"<Scenario {self.name!r}: {self.ssp}, {len(self.levers)} levers, to {self.end}>"


def _parse_target(t: dict, where: str) -> dict:
    if not isinstance(t, dict):
        raise ScenarioError(f"{where}: a target is a table")
    bad = set(t) - _TARGET_KEYS
    if bad:
        raise ScenarioError(f"{where}: unknown key(s) {sorted(bad)}; allowed {sorted(_TARGET_KEYS)}")
    for k in ("id", "metric", "value", "year"):
        if k not in t:
            raise ScenarioError(f"{where}: a target needs {k!r}")
    if t["metric"] not in TARGET_METRICS:
        raise ScenarioError(f"{where}.metric: unknown metric {t['metric']!r}; choose one of {list(TARGET_METRICS)}")
    out = dict(t)
    out["value"] = parse_param(t["value"], f"{where}.value")
    if not isinstance(out["value"], Value):
        raise ScenarioError(f'{where}.value: a target value is {{value = ..., source = "..."}}')
    out.setdefault("region", "Shanghai")
    out.setdefault("basis", "production")
    return out


# ---------------------------------------------------------------------- files
def _line_of(path: str | None, table: str, i: int) -> int | None:
    """Line number (1-based) of the i-th ``[[table]]`` header in the file, for error messages."""
    if not path:
        return None
    try:
        lines = FsPath(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    hits = [n + 1 for n, line in enumerate(lines) if re.match(rf"\s*\[\[\s*{table}\s*\]\]", line)]
    return hits[i] if i < len(hits) else None


def _toml():
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
        import tomli as tomllib
    return tomllib


def load_scenario(path) -> Scenario:
    """Read a scenario TOML file; a syntax error names its line and column, a bad key names the key."""
    path = FsPath(path)
    tomllib = _toml()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc})") from None
    try:
        d = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: invalid TOML ({exc})") from None
    return Scenario.from_dict(d, path=str(path))


def _shipped_dir() -> FsPath:
    return FsPath(__file__).with_name("scenarios")


def shipped() -> list[str]:
    """Names of the scenarios shipped with ioemissions."""
    return sorted(p.stem for p in _shipped_dir().glob("*.toml"))


def scenario(name_or_path) -> Scenario:
    """A shipped scenario by name (``"baseline"``, ``"peak-plan"``, ``"deep"``) or a TOML file by path."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    p = FsPath(name_or_path)
    if p.suffix == ".toml" or p.exists():
        if not p.exists():
            raise ScenarioError(f"{p}: no such scenario file")
        return load_scenario(p)
    shipped_path = _shipped_dir() / f"{name_or_path}.toml"
    if not shipped_path.exists():
        raise ScenarioError(f"unknown scenario {name_or_path!r}; shipped: {shipped()} (or give a path to a .toml file)")
    return load_scenario(shipped_path)

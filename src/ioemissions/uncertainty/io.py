r"""Monte Carlo of the Shanghai-in-YRD accounts: the builder's parameters, CEADs CO2 and import multipliers.

What varies in each draw (see :doc:`/methods/uncertainty` for the sources):

* the YRD builder's trade parameters — FLQ δ, gravity β and the internal-distance factor. Each draw
  rebuilds the interregional trade and the table from them (:func:`ioemissions.regional.yrd.assemble_yrd`,
  ~0.3 s; the parameter-free steps are built once per worker), so every drawn table is balanced exactly
  as the shipped one is;
* CEADs CO2: one multiplicative factor per region on F and F_Y (sectors within a region move together,
  regions independently);
* the import multipliers for goods from abroad: their ratio to China's multipliers under the domestic
  technology assumption (DTA), between a documented lower bound and 1 (DTA), with the shipped table's
  world/China intensity ratio (:data:`~ioemissions.core.imports.WORLD_TO_CHINA_INTENSITY`) as the mode.

:func:`accounts` returns an :class:`AccountsEnsemble` whose ``.data`` holds per draw each region's
production and consumption and Shanghai's footprint by origin, and ``.percentiles()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..errors import LabelError
from .distributions import Distribution, from_spec, triangular
from .execute import CachedModel, DrawPlan, run_draws

__all__ = ["DEFAULT_DISTRIBUTIONS", "AccountsEnsemble", "YRDModel", "accounts", "default_distributions"]

REGIONS = ("Shanghai", "Jiangsu", "Zhejiang", "Anhui", "RestOfChina")

#: Relative range of CEADs CO2: the 95 % interval of China's total CO2 by Monte Carlo, −9 % to +11 %
#: (Zhao, Nielsen & McElroy 2012, Atmospheric Environment, doi:10.1016/j.atmosenv.2012.05.027).
CEADS_RANGE = (0.91, 1.11)
#: Foreign-invested enterprises in China had sectoral CO2 intensities 10–110 % better than Chinese-owned
#: ones up to 2010 (Jiang, Zhu & Wang 2015, Global Environmental Change 35:22–30): imports made with such
#: technology carry at least 1/2.1 of the domestic (DTA) multiplier — the documented lower bound of the
#: foreign/DTA ratio; its upper bound is 1 (DTA).
IMPORT_LOWER = 1.0 / 2.1


def default_distributions() -> dict[str, Distribution]:
    """The shipped distributions (static value = the shipped table's parameter, at the mode).

    δ, β and the internal-distance factor: *assumed* sensitivity ranges around the builder's defaults
    (δ = 0.3 recommended by Flegg & Tohmo 2013; β = 1; internal distance ½ of the nearest capital),
    not estimates from the literature. CEADs: :data:`CEADS_RANGE`. Import ratio: triangular from
    :data:`IMPORT_LOWER` to 1 (DTA) with the shipped ratio as mode.
    """
    from ..core.imports import WORLD_TO_CHINA_INTENSITY

    d = {
        "delta": triangular(0.1, 0.3, 0.5, name="delta"),
        "beta": triangular(0.5, 1.0, 1.5, name="beta"),
        "internal_factor": triangular(0.25, 0.5, 0.75, name="internal_factor"),
    }
    for r in REGIONS:
        d[f"ceads_{r}"] = triangular(CEADS_RANGE[0], 1.0, CEADS_RANGE[1], name=f"ceads_{r}")
    d["import_ratio"] = triangular(IMPORT_LOWER, WORLD_TO_CHINA_INTENSITY, 1.0, name="import_ratio")
    return d


DEFAULT_DISTRIBUTIONS = default_distributions


class YRDModel(CachedModel):
    """One draw of the YRD table → production, consumption and Shanghai's footprint by origin (Mt CO2).

    Parameter names: ``delta``, ``beta``, ``internal_factor`` (builder), ``ceads_<region>`` (factor on that
    region's CO2), ``import_ratio`` (foreign multipliers as a ratio to China's DTA multipliers). A name
    missing from a draw takes its static value (the shipped table's). The parameter-free parts of the build and the
    satellite are made once per worker.
    """

    _cache = ("_base",)
    STATIC: ClassVar[dict] = {"delta": 0.3, "beta": 1.0, "internal_factor": 0.5}

    def __init__(self, year: int = 2017, region: str = "Shanghai"):
        self.year = year
        self.region = region

    def base(self) -> dict:
        with self.lock:
            if "_base" not in self.__dict__:
                from ..regional.yrd import assemble_yrd, foreign_multipliers, regional_satellite, yrd_inputs

                inputs = yrd_inputs(self.year)
                table = assemble_yrd(inputs)
                sat = regional_satellite(table, self.year)
                m_imp = foreign_multipliers(inputs["national"], self.year, "dta")
                regions = list(table.regions)
                if self.region not in regions:
                    raise LabelError(f"unknown region {self.region!r}; the YRD table has {regions}")
                self.__dict__["_base"] = {
                    "inputs": inputs,
                    "table": table,
                    "F": sat["F"],
                    "F_Y": sat["F_Y"],
                    "M_imp": m_imp,
                    "regions": regions,
                    "origins": [*regions, "Abroad"],
                }
            return self.__dict__["_base"]

    @property
    def tag(self) -> str:
        return f"YRDModel({self.year}, {self.region})"

    @property
    def regions(self) -> list[str]:
        return self.base()["regions"]

    @property
    def origins(self) -> list[str]:
        return self.base()["origins"]

    def __call__(self, values: Mapping[str, float]) -> dict[str, np.ndarray]:
        from ..core.imports import WORLD_TO_CHINA_INTENSITY
        from ..regional.yrd import assemble_yrd

        b = self.base()
        v = {**self.STATIC, "import_ratio": WORLD_TO_CHINA_INTENSITY, **values}
        if any(v[k] != self.STATIC[k] for k in ("delta", "beta", "internal_factor")):
            table = assemble_yrd(b["inputs"], beta=v["beta"], delta=v["delta"], internal_factor=v["internal_factor"])
        else:
            table = b["table"]
        F, F_Y = b["F"].copy(), b["F_Y"].copy()
        for r in b["regions"]:
            f = v.get(f"ceads_{r}", 1.0)
            if f != 1.0:
                F.loc[:, F.columns.get_level_values(0) == r] *= f
                F_Y.loc[:, F_Y.columns.get_level_values(0) == r] *= f
        model = table.replace(
            F=F,
            F_Y=F_Y,
            M_imp=b["M_imp"] * v["import_ratio"],
            units={"monetary": table.monetary_unit, "CO2": "Mt"},
        )
        acc = model.accounts("CO2")
        trade = model.embodied_trade("CO2")
        return {
            "production": acc["production"].reindex(b["regions"]).to_numpy(),
            "consumption": acc["consumption"].reindex(b["regions"]).to_numpy(),
            "footprint": trade[self.region].reindex(b["origins"]).to_numpy(),
        }


@dataclass
class AccountsEnsemble:
    """Draws of the YRD accounts: ``data`` (xarray Dataset, dims draw, region, origin) and summaries."""

    data: object  # xarray.Dataset

    def percentiles(self, q=(2.5, 50, 97.5)):
        """Percentiles over draws of every variable (a Dataset with a ``percentile`` dimension)."""
        return (
            self.data.quantile(np.asarray(q) / 100.0, dim="draw")
            .rename(quantile="percentile")
            .assign_coords(percentile=list(q))
        )

    def to_netcdf(self, path) -> None:
        """Write ``data`` to a netCDF file."""
        self.data.to_netcdf(path)

    def summary(self, q=(2.5, 50, 97.5)):
        """A table: production and consumption by region, Shanghai's imported share, footprint by origin."""
        import pandas as pd

        p = self.percentiles(q)
        rows = {}
        for var in ("production", "consumption"):
            for r in p.region.values:
                rows[(var, str(r))] = p[var].sel(region=r).values
        for o in p.origin.values:
            rows[("footprint", str(o))] = p["footprint"].sel(origin=o).values
        rows[("imported_share", str(self.data.attrs.get("footprint_region", "Shanghai")))] = p["imported_share"].values
        return pd.DataFrame(rows, index=[f"p{x:g}" for x in q]).T


def accounts(
    model_factory: Callable | None = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    executor=None,
    distributions: Mapping[str, object] | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    folder=None,
    progress: bool = False,
) -> AccountsEnsemble:
    """Monte Carlo of the YRD accounts (Mt CO2): ``draws`` tables, ``seed``, on ``executor``.

    ``model_factory`` is a picklable callable ``f(values) -> {"production": (regions,), "consumption":
    (regions,), "footprint": (origins,)}``; default :class:`YRDModel` ``(2017)``. ``distributions`` maps
    parameter names to distributions (a :class:`Distribution` or a spec such as ``{"triangular": [lo, mode,
    hi]}``); default :func:`default_distributions`. Every distribution is checked before any work; see
    :func:`ioemissions.uncertainty.run_draws` for ``executor``, ``workers``, ``chunk_size`` and ``folder``.
    """
    import xarray as xr

    model = model_factory if model_factory is not None else YRDModel(2017)
    dists = (
        default_distributions()
        if distributions is None
        else {k: from_spec(d, name=k) for k, d in distributions.items()}
    )
    plan = DrawPlan(seed, draws, dists)
    out = run_draws(
        model, plan, executor=executor, workers=workers, chunk_size=chunk_size, folder=folder, progress=progress
    )
    regions = list(getattr(model, "regions", [f"r{i}" for i in range(out["production"].shape[1])]))
    origins = list(getattr(model, "origins", [*regions, "Abroad"][: out["footprint"].shape[1]]))
    fp_region = getattr(model, "region", regions[0])
    ds = xr.Dataset(
        {
            "production": (("draw", "region"), out["production"], {"units": "Mt CO2"}),
            "consumption": (("draw", "region"), out["consumption"], {"units": "Mt CO2"}),
            "footprint": (("draw", "origin"), out["footprint"], {"units": "Mt CO2", "region": fp_region}),
            "parameters": (("draw", "parameter"), plan.table(), {}),
        },
        coords={
            "draw": np.arange(draws),
            "region": regions,
            "origin": [str(o) for o in origins],
            "parameter": list(dists),
        },
        attrs={"seed": seed, "draws": draws, "footprint_region": fp_region, "static_at": _static_positions(dists)},
    )
    # share of the region's footprint (F_Y excluded) emitted outside it, abroad included
    own = ds["footprint"].sel(origin=fp_region) if fp_region in ds.origin.values else 0.0
    total = ds["footprint"].sum("origin")
    ds["imported_share"] = ((total - own) / total).assign_attrs(units="1")
    return AccountsEnsemble(ds)


def _static_positions(dists: Mapping[str, Distribution]) -> str:
    return "; ".join(
        f"{k}: static {d.static:g} at the {d.static_position()}" for k, d in dists.items() if d.static is not None
    )

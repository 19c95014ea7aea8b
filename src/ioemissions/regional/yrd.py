r"""The Shanghai-in-Yangtze-River-Delta MRIO: an *estimate* built from national and provincial data.

Regions: Shanghai, Jiangsu, Zhejiang, Anhui and RestOfChina (the other 27 provinces); 42 sectors
(NBS 2017 list); imports from abroad as a non-competitive block; exports abroad as a final-demand
column of :data:`~ioemissions.ABROAD`. The steps, each a function below:

1. :func:`regional_output` — gross output :math:`x^r_i = x^N_i \cdot q^r_i / \sum_p q^p_i` from the
   IPIO provincial outputs q (scaled to the national table, so regions add up exactly).
2. :func:`regional_final_demand` — each national final-demand column (by product) split over
   regions by the region's share of that expenditure item in the balanced provincial accounts
   (consumption = rural + urban households + government; GFCF; inventories):
   :math:`y^r_{ic} = y^N_{ic} \cdot g^r_c`. Imports into final demand likewise.
3. :func:`regional_exports` — exports abroad of product i split by the region's share of China
   Customs exports of i (goods), else by its share of total exports (services), with no region
   exporting more than it produces (:func:`capped_allocation`).
4. Value added and technology — each region's value added is its IPIO GDP share of the national
   value added (:func:`regional_gdp_shares`, sector detail by RAS in :func:`regional_value_added`),
   and its total input coefficients are the national inputs rebalanced by RAS to the region's
   intermediate inputs :math:`x^r_j - v^r_j` (:func:`regional_input_coefficients`). How much of them
   is imported from abroad differs by region (:func:`regional_import_factors`: scaled towards each
   region's share of China's imports in the balanced provincial accounts, keeping national imports
   of every product): :math:`a^{m,r}_{ij} = k_{ri} \mu_{ij} a^r_{ij}`, :math:`a^{d,r}_{ij} = a^r_{ij} -
   a^{m,r}_{ij}`, and the use of domestic i in r is :math:`u^r_i = \sum_j a^{d,r}_{ij} x^r_j`.
5. :func:`interregional_trade` — for each product, flows between supply
   :math:`s^o_i = x^o_i - e^o_i` and use :math:`D^d_i = u^d_i + \sum_c y^d_{ic}`, balanced by RAS
   (GRAS where signs are mixed). The prior (:func:`trade_prior`): region d supplies the share
   :math:`\omega^d_i = \min(FLQ^d_{ii}, 1)` of its own use (:func:`own_supply_shares`, Flegg & Tohmo
   2013, δ = 0.3), and the rest comes from the other regions by gravity, :math:`\propto s^o_i
   d_{od}^{-\beta}` (:mod:`ioemissions.regional.gravity`). Electricity is not balanced: each region's
   use by origin is held at the observed physical shares (GCAM-China interprovincial flows, from the
   Annual Book of Statistics for the Power Industry; :func:`electricity_shares`), and each region's
   electricity output is the sum of its sales, :math:`x^o_e = \sum_d t^{od} D^d_e + e^o_e`; steps 4–5
   are iterated to that fixed point. :func:`electricity_check` compares table and physical shares.
6. Assembly — the share of d's use of i supplied by o, :math:`t^{od}_i = T^{od}_i / D^d_i`, is
   applied to every user in d: :math:`z^{od}_{ij} = t^{od}_i a^d_{ij} x^d_j`,
   :math:`y^{od}_{ic} = t^{od}_i y^d_{ic}` (the Chenery–Moses assumption; Miller & Blair §3.3).
   Rows then sum to gross output by construction.
7. :func:`regional_satellite` — CEADs CO2 of each province mapped to its sectors; RestOfChina is the
   national inventory minus the four provinces, sector by sector (default; or the discrepancy spread
   proportionally over all regions), so that the regions add up to the national CEADs total. Imports
   from abroad carry China's average multipliers under the domestic technology assumption times a
   world/China intensity ratio (:func:`foreign_multipliers`).

Simplifications (also in the docs' limitations section): regional input structures differ from the
national one only as far as value added requires; import propensities differ by region but not by
product; final demand has the national product mix within each category; the gravity model has one
distance elasticity for all products; imports from abroad carry China's multipliers times one ratio.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..core.mrio import ABROAD, MRIO
from ..errors import LabelError
from ..errors import _fmt_labels as fmt
from .gravity import gravity_flows, group_distances, province_distances

__all__ = [
    "YRD_GROUPS",
    "assemble_yrd",
    "build_yrd_mrio",
    "capped_allocation",
    "common_sectors",
    "electricity_check",
    "electricity_shares",
    "foreign_multipliers",
    "harmonised",
    "interregional_trade",
    "own_supply_shares",
    "regional_exports",
    "regional_final_demand",
    "regional_gdp_shares",
    "regional_import_factors",
    "regional_input_coefficients",
    "regional_output",
    "regional_satellite",
    "regional_value_added",
    "rest_co2_totals",
    "trade_prior",
    "yrd_inputs",
]

PROVINCES_31 = [
    "Beijing",
    "Tianjin",
    "Hebei",
    "Shanxi",
    "Inner Mongolia",
    "Liaoning",
    "Jilin",
    "Heilongjiang",
    "Shanghai",
    "Jiangsu",
    "Zhejiang",
    "Anhui",
    "Fujian",
    "Jiangxi",
    "Shandong",
    "Henan",
    "Hubei",
    "Hunan",
    "Guangdong",
    "Guangxi",
    "Hainan",
    "Chongqing",
    "Sichuan",
    "Guizhou",
    "Yunnan",
    "Tibet",
    "Shaanxi",
    "Gansu",
    "Qinghai",
    "Ningxia",
    "Xinjiang",
]
YRD = ["Shanghai", "Jiangsu", "Zhejiang", "Anhui"]
#: Region name → provinces.
YRD_GROUPS: dict[str, list[str]] = {**{p: [p] for p in YRD}, "RestOfChina": [p for p in PROVINCES_31 if p not in YRD]}
NATIONAL_TABLES = {2012: "china-io-2012-42", 2017: "china-io-2017"}
#: final-demand category -> items of the balanced provincial expenditure accounts that split it over regions
CATEGORY_ITEMS = {
    "consumption": ["hsh_rural", "hsh_urban", "gov"],
    "rural households": ["hsh_rural"],
    "urban households": ["hsh_urban"],
    "government": ["gov"],
    "gross fixed capital formation": ["fixed_capital"],
    "changes in inventories": ["inventory"],
}
#: categories whose import share follows the region's import propensity (not inventories or discrepancies)
SCALED_CATEGORIES = (
    "consumption",
    "rural households",
    "urban households",
    "government",
    "gross fixed capital formation",
)
DISCREPANCY = "statistical discrepancy"  # split by the regions' output of each product


def categories(national: MRIO) -> list[str]:
    """The national table's domestic final-demand categories, in table order."""
    region = national.regions[0]
    cats = [c for r, c in national.Y.columns if r == region]
    unknown = [c for c in cats if c not in CATEGORY_ITEMS and c != DISCREPANCY]
    if unknown:
        raise LabelError(f"no regional split rule for final-demand categories {fmt(unknown)}")
    return cats


ELECTRICITY = "Production and supply of electric power and heat power"


def _load(name):
    from ..tables import load

    return load(name)


def _group_shares(values: pd.DataFrame, groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """values: provinces (rows) × items → group shares per item (columns sum to 1)."""
    g = pd.DataFrame({r: values.loc[list(ps)].sum(axis=0) for r, ps in groups.items()}).T
    total = values.sum(axis=0)
    return g / total.where(total != 0, np.nan)


def capped_allocation(total: float, weights: np.ndarray, caps: np.ndarray, max_iter: int = 100) -> np.ndarray:
    """Split ``total`` in proportion to ``weights`` with no part above its cap; the excess of capped
    parts goes to the others in proportion to their weights (water-filling).

    >>> capped_allocation(10.0, np.array([1.0, 1.0, 2.0]), np.array([1.0, 10.0, 10.0])).round(6).tolist()
    [1.0, 3.0, 6.0]
    """
    weights = np.asarray(weights, dtype=float)
    caps = np.asarray(caps, dtype=float)
    if total > caps.sum() * (1 + 1e-12):
        raise LabelError(f"cannot allocate {total:.6g} within caps summing to {caps.sum():.6g}")
    fixed = np.zeros(len(weights), dtype=bool)
    out = weights * total / weights.sum() if weights.sum() > 0 else caps * total / caps.sum()
    for _ in range(max_iter):
        over = (out > caps * (1 + 1e-12)) & ~fixed
        if not over.any():
            return out
        fixed |= over
        out = np.where(fixed, caps, out)
        free = ~fixed
        rest = total - caps[fixed].sum()
        w = weights[free] if weights[free].sum() > 0 else caps[free]
        out[free] = w * rest / w.sum()
    raise LabelError("capped allocation did not settle")  # pragma: no cover


def regional_output(national: MRIO, year: int, groups=YRD_GROUPS) -> pd.DataFrame:
    """Gross output (regions × sectors, monetary unit of ``national``) from IPIO provincial shares."""
    q = _load("ipio-provincial-output").query("year == @year")
    if q.empty:
        raise LabelError(f"no IPIO provincial output for {year}")
    wide = q.pivot(index="province", columns="sector_index", values="value").loc[PROVINCES_31]
    if wide.shape[1] != len(national.sectors):
        raise LabelError(f"IPIO {year} has {wide.shape[1]} sectors, the national table {len(national.sectors)}")
    wide.columns = national.sectors
    shares = _group_shares(wide, groups)
    if shares.isna().any().any():
        bad = shares.columns[shares.isna().any()]
        raise LabelError(f"sectors with no provincial output in IPIO {year}: {fmt(bad)}")
    return shares.mul(national.x.droplevel(0), axis=1)


def _expenditure(year: int) -> pd.DataFrame:
    e = _load("ipio-provincial-expenditure").query("year == @year")
    return e.pivot(index="province", columns="item", values="value").loc[PROVINCES_31]


def regional_final_demand(
    national: MRIO, year: int, groups=YRD_GROUPS, x: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Domestic final demand by region and category: ``{category: DataFrame regions × products}``.

    Also returns imports into final demand under key ``("imports", category)``.
    """
    exp = _expenditure(year)
    items = pd.DataFrame({c: exp[cols].sum(axis=1) for c, cols in CATEGORY_ITEMS.items()})
    shares = _group_shares(items, groups)
    region = national.regions[0]
    out = {}
    for cat in categories(national):
        col = (region, cat)
        y = national.Y[col].droplevel(0)
        ym = national.Y_imp[col]
        if cat == DISCREPANCY:  # no expenditure item: split by each region's output of the product
            x = regional_output(national, year, groups) if x is None else x
            w = x / x.sum(axis=0)
            out[cat] = w.mul(y, axis=1)
            out[("imports", cat)] = w.mul(ym, axis=1)
            continue
        out[cat] = pd.DataFrame(np.outer(shares[cat], y), index=shares.index, columns=y.index)
        out[("imports", cat)] = pd.DataFrame(np.outer(shares[cat], ym), index=shares.index, columns=ym.index)
    return out


def regional_exports(
    national: MRIO, year: int, groups=YRD_GROUPS, x: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Exports abroad of domestic products and re-exports of imports, regions × products."""
    trade = _load("customs-trade-provinces").query("year == @year")
    if trade.empty:
        raise LabelError(f"no customs trade data for {year}")
    ex = trade.pivot(index="province", columns="sector_index", values="exports")
    ex = ex.reindex(index=PROVINCES_31, fill_value=0.0).reindex(
        columns=range(1, len(national.sectors) + 1), fill_value=0.0
    )
    ex.columns = national.sectors
    exp_tot = _expenditure(year)["export_s"]
    goods = _group_shares(ex, groups)
    services = _group_shares(exp_tot.to_frame("x"), groups)["x"]
    shares = goods.apply(lambda col: col if col.notna().all() else services)
    EX = national.Y[(ABROAD, "exports")].droplevel(0)
    x = regional_output(national, year, groups) if x is None else x
    # customs record exports where the exporter sits (Shanghai "exports" ores it does not mine): a region
    # exports at most its output of a product, the excess going to the others by their customs shares
    e = pd.DataFrame(
        {
            p: capped_allocation(EX[p], shares[p].to_numpy(), x[p].to_numpy()) if EX[p] > 0 else 0.0
            for p in national.sectors
        },
        index=shares.index,
    )
    em = shares.mul(national.Y_imp[(ABROAD, "exports")], axis=1)
    return e, em


def _import_target_share(year: int, groups=YRD_GROUPS) -> pd.Series:
    """Each region's share of China's imports (``import_d``) in the balanced provincial accounts."""
    exp = _expenditure(year)
    return _group_shares((-exp[["import_d"]]), groups)["import_d"]


def regional_import_factors(
    national: MRIO,
    x: pd.DataFrame,
    fd: dict,
    year: int,
    groups=YRD_GROUPS,
    A_m_regional: Mapping | None = None,
    target_share: pd.Series | None = None,
) -> pd.DataFrame:
    r"""Import-propensity factors :math:`k_{ri}` (regions × products) for the imports from abroad.

    With national coefficients, region r would import :math:`b_{ri} = \sum_j a^m_{ij} x^r_j +
    \sum_c y^{m,r}_{ic}` of product i (consumption and GFCF; inventories keep the national split).
    Regions differ: Shanghai imports far more per unit of output. Each region's imports are scaled
    towards its share of China's imports in the balanced provincial accounts (``import_d``), then
    normalised per product so that national imports of every product are kept, with the cap that no
    user's domestic input may turn negative (:math:`k_{ri}\,a^m_{ij} \le a^m_{ij} + a^d_{ij}`), the
    excess going to the other regions in proportion. Returns :math:`k_{ri}` with
    :math:`m_{ri} = k_{ri} b_{ri}`.

    ``A_m_regional`` (region → products × sectors) replaces the national import coefficients in
    :math:`b_{ri}` when regions have their own input structures (:func:`regional_input_coefficients`):
    there :math:`a^{m}_{ij}` is :math:`\mu_{ij} a^r_{ij}` with :math:`\mu_{ij}` the national import share of the cell,
    so the same cap :math:`k_{ri} \mu_{ij} \le 1` applies.

    ``target_share`` (regions, as from ``_import_target_share(year, groups)``) saves re-reading the
    provincial accounts when the factors are computed repeatedly for one year.
    """
    # numpy arrays by position: products in the order of the import block, which is the sector order of
    # the one-region national table (checked), regions in the order of x
    products = national.A_imp.index
    if list(products) != list(national.sectors):
        raise LabelError("the national import block must list the products in sector order")
    A_m = national.A_imp.to_numpy()
    A_tot = A_m + national.A.to_numpy()
    cats = [c for c in categories(national) if c in SCALED_CATEGORIES]
    if A_m_regional is None:
        base_arr = x.to_numpy() @ A_m.T
    else:
        base_arr = np.array([A_m_regional[r] @ x.loc[r].to_numpy() for r in x.index])
    for c in cats:
        base_arr = base_arr + fd[("imports", c)].reindex(index=x.index, columns=products).to_numpy()
    base = pd.DataFrame(base_arr, index=x.index, columns=products)  # pandas sums, as before (same order)
    if target_share is None:
        target_share = _import_target_share(year, groups)
    K = target_share * base.to_numpy().sum() / base.sum(axis=1)  # region-level scaling towards macro shares
    # per-product cap: k <= min_j (a_tot / a_m) over users with imports, and the same for final demand
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(A_m > 0, A_tot / A_m, np.inf)
    cap_arr = ratio.min(axis=1)
    region = national.regions[0]
    Y, Y_imp = national.Y, national.Y_imp
    for c in cats:
        y_m = Y_imp[(region, c)].to_numpy()
        y_t = y_m + Y[(region, c)].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            cap_arr = np.minimum(cap_arr, np.where(y_m > 0, y_t / y_m, np.inf))
    # per product on numpy columns
    K_arr = K.reindex(x.index).to_numpy()
    k = np.ones(base_arr.shape)
    for i in range(base_arr.shape[1]):
        b = base_arr[:, i]
        total = b.sum()
        if total <= 0:
            continue
        m = capped_allocation(total, K_arr * b, np.minimum(cap_arr[i], 1e12) * b)
        k[:, i] = np.divide(m, b, out=np.ones_like(m), where=b > 0)
    return pd.DataFrame(k, index=x.index, columns=products)


def _electricity_prior(year: int, groups, regions) -> pd.DataFrame:
    """Interregional electricity flows (GWh) between groups, own use = generation − outflows."""
    flows = _load("gcam-electricity-flows").query("year == @year")
    gen = _load("gcam-electricity-generation").query("year == @year")
    if flows.empty or gen.empty:
        raise LabelError(f"no GCAM-China electricity data for {year}")
    to_group = {p: r for r, ps in groups.items() for p in ps}
    f = flows[flows.origin.isin(to_group) & flows.destination.isin(to_group)].assign(
        o=lambda d: d.origin.map(to_group), d=lambda d: d.destination.map(to_group)
    )
    M = (
        f.groupby(["o", "d"])
        .value.sum()
        .unstack(fill_value=0.0)
        .reindex(index=regions, columns=regions, fill_value=0.0)
    )
    generation = gen.assign(g=gen.province.map(to_group)).groupby("g").value.sum().reindex(regions) * 100.0  # GWh
    arr = M.to_numpy(dtype=float, copy=True)
    np.fill_diagonal(arr, 0.0)
    own = generation.to_numpy() - arr.sum(axis=1)
    if (own < 0).any():
        raise LabelError(f"electricity outflows exceed generation for {fmt(np.array(regions)[own < 0])} in {year}")
    np.fill_diagonal(arr, own)
    return pd.DataFrame(arr, index=regions, columns=regions)


def own_supply_shares(x: pd.DataFrame, delta: float = 0.3) -> pd.DataFrame:
    r"""Share of each region's use of product i supplied from within the region (regions × products).

    :math:`\min(FLQ_{ii}, 1) = \min(\lambda^*_r\, SLQ^r_i, 1)` (Flegg & Tohmo 2013), from the regions'
    gross output ``x``; one share for all users of i in the region, as the Chenery–Moses trade
    assumption requires.
    """
    from .lq import location_quotients

    national = x.sum(axis=0)
    out = {}
    for r in x.index:
        flq = location_quotients(national, x.loc[r], "flq", delta=delta)
        out[r] = np.minimum(np.diag(flq.to_numpy()), 1.0)
    return pd.DataFrame(out, index=x.columns).T


def trade_prior(
    supply: pd.Series, demand: pd.Series, distance: pd.DataFrame, own: pd.Series, beta: float = 1.0
) -> pd.DataFrame:
    r"""Prior flows of one product: own supply on the diagonal, the rest from the other regions by gravity.

    :math:`P^{dd} = \min(\omega_d D^d, s^d)` (a region cannot supply itself more than it has), and the rest
    of d's use, :math:`D^d - P^{dd}`, comes from the other regions in proportion to
    :math:`s^o d_{od}^{-\beta}`. Cells that would be exactly zero between two regions that both supply the
    product get a seed of 1e-9 of the destination's use, so that the balancing can always reach its
    margins (a zero prior cell stays zero under RAS).
    """
    s = supply.to_numpy()
    s = np.where((s >= 0) | np.isnan(s), s, 0.0)  # supply.clip(lower=0) without the pandas overhead
    D = demand.to_numpy()
    w = s[:, None] / distance.to_numpy() ** beta
    np.fill_diagonal(w, 0.0)
    col = w.sum(axis=0)
    share = np.divide(w, col[None, :], out=np.zeros_like(w), where=col[None, :] > 0)
    diag = np.where(col > 0, np.minimum(own.to_numpy() * D, np.maximum(s, 0.0)), D)
    P = share * (D - diag)[None, :]
    P[np.diag_indices(len(D))] = diag
    seed = (P == 0) & (s[:, None] > 0) & (D[None, :] > 0)
    P[seed] = 1e-9 * np.broadcast_to(D[None, :], P.shape)[seed]
    return pd.DataFrame(P, index=supply.index, columns=demand.index)


def interregional_trade(
    supply: pd.DataFrame,
    demand: pd.DataFrame,
    distance: pd.DataFrame,
    *,
    beta: float = 1.0,
    priors: Mapping[str, pd.DataFrame] | None = None,
    own: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Flows for every product, ``{product: origin × destination}``, balanced to supply and use.

    The prior is ``priors[product]`` where given (observed flows), else :func:`trade_prior` with the
    own-supply shares ``own`` (regions × products), else the plain gravity prior s·D·d^-β.
    """
    priors = priors or {}
    out = {}
    dist = distance.loc[supply.index, demand.index]  # the same for every product: select once
    for product in supply.columns:
        prior = priors.get(product)
        if prior is None and own is not None:
            prior = trade_prior(supply[product], demand[product], dist, own[product], beta=beta)
        elif prior is not None:
            prior = prior.loc[supply.index, demand.index]
        out[product] = gravity_flows(
            supply[product],
            demand[product],
            dist,
            beta=beta,
            prior=prior,
            tol=1e-13,
        )
    return out


REST_CO2_METHODS = ("residual", "proportional")


def regional_satellite(
    model: MRIO, year: int, groups=YRD_GROUPS, rest: str = "RestOfChina", method: str = "residual"
) -> dict:
    r"""CEADs CO2 for each region, adding up to the national CEADs inventory sector by sector and fuel by fuel.

    The provinces' own CEADs inventories do not add up to the national one (their sum exceeds it by
    about 8 % in 2017). ``method`` says where that discrepancy goes:

    * ``"residual"`` (default): the provinces keep their own inventories and ``rest`` = national −
      provinces, so the whole discrepancy lands in ``rest`` (one cell can turn negative). Shanghai's
      territorial CO2 stays the published CEADs figure.
    * ``"proportional"``: every region r — the four provinces and ``rest`` as the sum of its
      own provinces — carries the same relative correction in each (sector, fuel) cell c,
      :math:`E^r_c = P^r_c \cdot N_c / \sum_q P^q_c` (N national, P provincial inventories). A cell
      no province reports (:math:`\sum_q P^q_c = 0`) goes to ``rest``.
      Provinces without a CEADs inventory (Tibet) count as zero.
    """
    from ..inventory import ceads

    if method not in REST_CO2_METHODS:
        raise LabelError(f"unknown rest-of-China CO2 method {method!r}; use one of {fmt(REST_CO2_METHODS)}")
    provinces = [r for r in groups if r != rest]
    for r in provinces:
        if groups[r] != [r]:
            raise LabelError(f"region {r!r} must be one province for the CEADs satellite")
    key = ["sector", "fuel"]
    nat = ceads.ceads_co2("China", year).groupby(key).value.sum()
    prov = ceads.ceads_co2(None, year)
    to_group = {p: r for r, ps in groups.items() for p in ps}
    by_region = (
        prov[prov.province.isin(to_group)]
        .assign(region=lambda d: d.province.map(to_group))
        .groupby(["region", *key])
        .value.sum()
        .unstack("region", fill_value=0.0)
        .reindex(columns=list(groups), fill_value=0.0)
    )
    cells = by_region.index.union(nat.index)
    by_region = by_region.reindex(cells, fill_value=0.0)
    nat = nat.reindex(cells, fill_value=0.0)
    if method == "residual":
        by_region[rest] = nat - by_region[provinces].sum(axis=1)
    else:
        total = by_region.sum(axis=1)
        ratio = (nat / total.where(total != 0, np.nan)).fillna(0.0)
        by_region = by_region.mul(ratio, axis=0)
        by_region.loc[total == 0, rest] = nat[total == 0]
    F = F_Y = None
    for r in groups:
        inv = by_region[r].rename("value").reset_index()
        inv.insert(0, "province", r)
        inv.insert(1, "year", year)
        sat = ceads.satellite_from_inventory(inv, model, region=r)
        F = sat["F"] if F is None else F + sat["F"]
        F_Y = sat["F_Y"] if F_Y is None else F_Y + sat["F_Y"]
    return {"F": F, "F_Y": F_Y, "units": {"CO2": "Mt"}}


def rest_co2_totals(model: MRIO, year: int, groups=YRD_GROUPS) -> pd.DataFrame:
    """Territorial CO2 (F + F_Y, Mt) of every region of ``model`` under each :data:`REST_CO2_METHODS` method."""
    out = {}
    for method in REST_CO2_METHODS:
        sat = regional_satellite(model, year, groups, method=method)
        out[method] = (
            sat["F"].loc["CO2"].groupby(level=0, sort=False).sum() + sat["F_Y"].loc["CO2"].groupby(level=0).sum()
        ).reindex(model.regions)
    return pd.DataFrame(out)


def regional_gdp_shares(year: int, groups=YRD_GROUPS) -> pd.Series:
    r"""Each region's share of national GDP in the balanced IPIO provincial accounts for ``year``.

    The expenditure items of ``ipio-provincial-expenditure`` sum, province by province, to GDP by the
    production approach of the same balanced accounts (``reslt_prod``, checked to 1e-9 in 2012 and
    2017 when the table was built), scaled so that the provinces add up to national GDP.
    """
    exp = _expenditure(year)
    gdp = exp.sum(axis=1)
    out = pd.Series({r: gdp[list(ps)].sum() for r, ps in groups.items()})
    return out / gdp.sum()


def regional_value_added(national: MRIO, x: pd.DataFrame, gdp_share: pd.Series, tol: float = 1e-14) -> pd.DataFrame:
    r"""Value added by region and sector (regions × sectors) matching provincial GDP shares.

    Prior: the national value-added coefficient times regional output, :math:`v_j x^r_j`; balanced
    by RAS so that each region's total is :math:`g_r \sum_j v^N_j` (its GDP share of the national
    table's value added) and each sector's total is the national :math:`v^N_j` (Miller & Blair
    §7.4 on RAS). Non-negative by construction. Raises :class:`LabelError` naming the (region, sector)
    cells whose value added would exceed gross output.
    """
    from ..balance import ras

    va_nat = (national.x - national.Z.sum(axis=0) - national.Z_imp.sum(axis=0)).droplevel(0)
    v = va_nat / national.x.droplevel(0)
    prior = x.mul(v, axis=1)
    rows = gdp_share.reindex(x.index) * va_nat.sum()
    va = ras(prior, rows, va_nat.reindex(x.columns), tol=tol)
    over_mask = va.to_numpy() > x.reindex(index=va.index, columns=va.columns).to_numpy()
    over = [(va.index[r], va.columns[j]) for r, j in np.argwhere(over_mask)]
    if over:
        raise LabelError(f"value added above gross output for {fmt(over)}")
    return va


def regional_input_coefficients(national: MRIO, x: pd.DataFrame, va: pd.DataFrame, tol: float = 1e-14) -> dict:
    r"""Total input coefficients (domestic + imported, products × sectors) of each region.

    For each sector j, the national intermediate inputs :math:`z^N_{ij}` (domestic + imported) are
    split over regions by RAS with prior :math:`z^N_{ij} x^r_j / x^N_j`, rows summing to
    :math:`z^N_{ij}` and columns to the region's intermediate inputs :math:`x^r_j - v^r_j`; then
    :math:`a^r_{ij} = z^r_{ij} / x^r_j`. Regions add up to the national inputs cell by cell; a
    region whose value added is scaled up buys proportionally fewer inputs, mostly of the inputs it
    already used least (RAS preserves the prior's cross-product ratios).
    """
    from ..balance import ras

    Zn = national.Z.droplevel(0, axis=0).droplevel(0, axis=1).to_numpy() + national.Z_imp.to_numpy()
    xn = national.x.to_numpy()
    regions = list(x.index)
    xr = x.to_numpy()
    cols = xr - va.to_numpy()
    A = {r: np.zeros_like(Zn) for r in regions}
    for j in range(Zn.shape[1]):
        if xn[j] == 0 or Zn[:, j].sum() == 0:
            continue
        prior = np.outer(Zn[:, j], xr[:, j] / xn[j])
        Zj = ras(prior, Zn[:, j], cols[:, j], tol=tol)
        for r_i, r in enumerate(regions):
            if xr[r_i, j] > 0:
                A[r][:, j] = Zj[:, r_i] / xr[r_i, j]
    return A


def electricity_shares(year: int, groups=YRD_GROUPS, regions=None) -> pd.DataFrame:
    r"""Physical origin shares of each region's electricity use (origin × destination, columns sum to 1).

    :math:`t^{od} = P^{od} / \sum_o P^{od}` with P the GCAM-China interprovincial flows (GWh) between
    the region groups and each region's own supply = generation − outflows on the diagonal
    (:func:`_electricity_prior`). At one uniform price per GWh for all origins the money shares equal
    these physical shares.
    """
    regions = list(groups) if regions is None else regions
    P = _electricity_prior(year, groups, regions)
    return P / P.sum(axis=0)


def electricity_check(model: MRIO, year: int, groups=YRD_GROUPS) -> pd.DataFrame:
    """Each region's electricity use by origin in ``model`` against the physical shares (built-in check).

    Returns a frame indexed by (destination, origin) with ``table`` (share of the destination's use of
    domestic electricity, intermediate and final, bought from the origin), ``physical`` (GCAM-China
    flows, :func:`electricity_shares`) and ``difference_pp`` (percentage points).
    """
    regions = list(model.regions)
    phys = electricity_shares(year, groups, regions)
    rows = []
    for d in regions:
        use = pd.Series(
            {
                o: model.Z.loc[(o, ELECTRICITY), d].to_numpy().sum() + model.Y.loc[(o, ELECTRICITY), d].to_numpy().sum()
                for o in regions
            }
        )
        share = use / use.sum()
        for o in regions:
            rows.append((d, o, share[o], phys.at[o, d]))
    out = pd.DataFrame(rows, columns=["destination", "origin", "table", "physical"])
    out = out.set_index(["destination", "origin"])
    out["difference_pp"] = 100 * (out["table"] - out["physical"])
    return out


def build_yrd_mrio(
    year: int = 2017,
    *,
    beta: float = 1.0,
    delta: float = 0.3,
    internal_factor: float = 0.5,
    electricity_flows: bool = True,
    value_added: bool = True,
    satellite: bool = True,
    rest_co2: str = "residual",
    foreign="ratio",
) -> MRIO:
    """Build the Shanghai-in-YRD MRIO for ``year`` (an estimate; see the module docstring).

    Parameters
    ----------
    beta:
        Distance elasticity of the gravity model (interregional part of the trade prior).
    delta:
        FLQ parameter δ for the own-region supply shares (Flegg & Tohmo 2013 recommend 0.3).
    internal_factor:
        Internal distance of a province as a fraction of the distance to its nearest other capital.
    electricity_flows:
        Hold each region's electricity use by origin at the observed physical shares (GCAM-China
        flows, :func:`electricity_shares`); regional electricity output then follows from those sales.
        If False, the observed flows are only the prior of the RAS balancing (the pre-2026 build).
    value_added:
        Give each region value added matching its GDP share (:func:`regional_value_added`) and
        rebalance its input structure (:func:`regional_input_coefficients`); if False every region has
        the national input structure.
    satellite:
        Attach CEADs CO2 (stressor ``CO2``, Mt).
    rest_co2:
        ``"residual"`` (default) or ``"proportional"``: where the national-vs-provincial CEADs
        discrepancy goes (:func:`regional_satellite`; the reasons for the default are in
        :doc:`/methods/regionalisation`).
    foreign:
        CO2 per unit of product imported from abroad: ``"ratio"`` (default) — China's multipliers under
        the domestic technology assumption times
        :data:`~ioemissions.core.imports.WORLD_TO_CHINA_INTENSITY`; ``"dta"`` — China's multipliers
        unchanged; a number or a per-product Series — that ratio to China's multipliers; a DataFrame
        (stressor × product) — foreign multipliers supplied directly (e.g. from
        :func:`~ioemissions.core.imports.foreign_multipliers_from_pymrio`). See :doc:`/methods/imports`.
    """
    inputs = yrd_inputs(year, electricity_flows=electricity_flows, value_added=value_added)
    model = assemble_yrd(inputs, beta=beta, delta=delta, internal_factor=internal_factor)
    if satellite:
        model = model.with_stressors(**regional_satellite(model, year, method=rest_co2))
        # imports from abroad: China's average (DTA) multipliers from the national table and inventory, scaled
        model = model.replace(M_imp=foreign_multipliers(inputs["national"], year, foreign))
    return model


def yrd_inputs(year: int = 2017, *, electricity_flows: bool = True, value_added: bool = True) -> dict:
    """Steps 1–4 of :func:`build_yrd_mrio` (output, final demand, exports, value added, regional technology,
    electricity output): everything that does not depend on δ, β or the internal distance.
    :func:`assemble_yrd` turns them into a table; the Monte Carlo of :mod:`ioemissions.uncertainty` builds
    them once and assembles one table per draw.
    """
    if year not in NATIONAL_TABLES:
        raise LabelError(f"the YRD MRIO can be built for {sorted(NATIONAL_TABLES)}, not {year}")
    national = _load(NATIONAL_TABLES[year])
    regions = list(YRD_GROUPS)
    sectors = national.sectors
    x = regional_output(national, year)
    fd0 = regional_final_demand(national, year, x=x)
    e, em = regional_exports(national, year, x=x)
    A_nat = national.A.droplevel(0, axis=0).droplevel(0, axis=1).to_numpy()
    A_m = national.A_imp.droplevel(0, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = np.where(A_nat + A_m.to_numpy() > 0, A_m.to_numpy() / (A_nat + A_m.to_numpy()), 0.0)
    cats = categories(national)
    scaled = [c for c in cats if c in SCALED_CATEGORIES]
    gdp_share = regional_gdp_shares(year)
    t_elec = electricity_shares(year, YRD_GROUPS, regions).to_numpy() if electricity_flows else None
    target_share = _import_target_share(year, YRD_GROUPS)  # read once, not at every step of the fixed point
    # final demand as numpy arrays (regions × sectors) by position; fd0 itself is only read below
    fd0_arr = {key: df.reindex(index=regions, columns=sectors).to_numpy() for key, df in fd0.items()}
    e_i = list(sectors).index(ELECTRICITY)
    # Fixed point: electricity output of each region = its sales at the physical shares, which depend on
    # every region's use of electricity, which depends on output. Each step keeps national totals.
    for _ in range(200):
        if value_added:
            A_tot = regional_input_coefficients(national, x, regional_value_added(national, x, gdp_share))
        else:
            A_tot = {r: A_nat + A_m.to_numpy() for r in regions}
        A_m0 = {r: mu * A_tot[r] for r in regions}
        k = regional_import_factors(national, x, fd0, year, A_m_regional=A_m0, target_share=target_share)
        k_arr = k.reindex(index=regions, columns=sectors).to_numpy()
        A_m_r, A_d_r = {}, {}
        for r_i, r in enumerate(regions):  # region-specific split of the region's total input coefficients
            A_m_r[r] = A_m0[r] * k_arr[r_i][:, None]
            A_d_r[r] = np.clip(A_tot[r] - A_m_r[r], 0.0, None)
        fd = dict(fd0_arr)
        for c in scaled:  # the same cell-by-cell arithmetic for all regions at once, on aligned arrays
            total = fd0_arr[c] + fd0_arr[("imports", c)]
            fd[("imports", c)] = fd0_arr[("imports", c)] * k_arr
            fd[c] = total - fd[("imports", c)]
        use = np.array([A_d_r[r] @ x.loc[r].to_numpy() for r in regions])
        y_dom = sum(fd[c] for c in cats)
        demand_arr = use + y_dom
        if t_elec is None:
            break
        x_e = t_elec @ np.ascontiguousarray(demand_arr[:, e_i]) + e[ELECTRICITY].to_numpy()
        step = np.abs(x_e - x[ELECTRICITY].to_numpy()).max()
        x[ELECTRICITY] = x_e
        if step <= 1e-13 * x_e.sum():
            break
    else:  # pragma: no cover
        raise LabelError(f"regional electricity output did not settle for {year}")
    demand = pd.DataFrame(demand_arr, index=regions, columns=sectors)
    return {
        "year": year,
        "national": national,
        "regions": regions,
        "sectors": sectors,
        "categories": cats,
        "x": x,
        "fd": fd,
        "e": e,
        "em": em,
        "A_m": A_m,
        "A_m_r": A_m_r,
        "A_d_r": A_d_r,
        "demand": demand,
        "t_elec": t_elec,
        "electricity_flows": electricity_flows,
    }


def assemble_yrd(inputs: dict, *, beta: float = 1.0, delta: float = 0.3, internal_factor: float = 0.5) -> MRIO:
    """Steps 5–6 of :func:`build_yrd_mrio`: interregional trade for (δ, β, internal distance) and the table
    (no satellite)."""
    year, national, regions, sectors = inputs["year"], inputs["national"], inputs["regions"], inputs["sectors"]
    cats, x, fd, e, em = inputs["categories"], inputs["x"], inputs["fd"], inputs["e"], inputs["em"]
    A_m, A_m_r, A_d_r, demand = inputs["A_m"], inputs["A_m_r"], inputs["A_d_r"], inputs["demand"]
    t_elec, electricity_flows = inputs["t_elec"], inputs["electricity_flows"]
    supply = x - e
    weights = pd.Series(_load("ipio-provincial-output").query("year == @year").groupby("province").value.sum())
    dist = group_distances(province_distances(internal_factor), YRD_GROUPS, weights)
    if electricity_flows:
        products = [p for p in sectors if p != ELECTRICITY]
        flows = interregional_trade(
            supply[products], demand[products], dist, beta=beta, own=own_supply_shares(x, delta=delta)[products]
        )
        D_e = demand[ELECTRICITY].to_numpy()
        flows[ELECTRICITY] = pd.DataFrame(t_elec * D_e[None, :], index=regions, columns=regions)
    else:
        priors = {ELECTRICITY: _electricity_prior(year, YRD_GROUPS, regions)}
        flows = interregional_trade(supply, demand, dist, beta=beta, priors=priors, own=own_supply_shares(x, delta))

    n = len(regions) * len(sectors)
    nodes = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    ycols = pd.MultiIndex.from_tuples(
        [(r, c) for r in regions for c in cats] + [(ABROAD, "exports")], names=["region", "category"]
    )
    Z = np.zeros((n, n))
    Y = np.zeros((n, len(ycols)))
    s = len(sectors)
    ncat = len(cats)
    x_arr = x.reindex(index=regions, columns=sectors).to_numpy()
    fd_arr = np.stack([fd[cat] for cat in cats])  # category × region × product
    for i, product in enumerate(sectors):
        T = flows[product].to_numpy()
        D = demand[product].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(D != 0, T / D[None, :], 0.0)  # share of d's use of i supplied by o
        for d_i, d in enumerate(regions):
            z_use = A_d_r[d][i] * x_arr[d_i]  # d's use of domestic i by each sector j
            y_use = fd_arr[:, d_i, i]
            for o_i in range(len(regions)):
                Z[o_i * s + i, d_i * s : (d_i + 1) * s] = t[o_i, d_i] * z_use
                Y[o_i * s + i, d_i * ncat : (d_i + 1) * ncat] = t[o_i, d_i] * y_use
        Y[i::s, -1] = e[product].to_numpy()
    Z_imp = pd.DataFrame(
        np.hstack([A_m_r[r] * x.loc[r].to_numpy()[None, :] for r in regions]), index=A_m.index, columns=nodes
    )
    Ym = np.zeros((len(sectors), len(ycols)))
    for c_i, cat in enumerate(cats):
        Ym[:, c_i:-1:ncat] = fd[("imports", cat)].T
    Ym[:, -1] = em.sum(axis=0).to_numpy()
    x_series = pd.Series(x.to_numpy().ravel(), index=nodes)
    model = MRIO(
        pd.DataFrame(Z, index=nodes, columns=nodes),
        pd.DataFrame(Y, index=nodes, columns=ycols),
        units={"monetary": national.monetary_unit},
        x=x_series,
        Z_imp=Z_imp,
        Y_imp=pd.DataFrame(Ym, index=A_m.index, columns=ycols),
        name=f"yrd-mrio-{year}",
        rtol=1e-8,
    )
    return model


#: 2012-list sector code -> 2017-list code(s) it corresponds to (the lists differ from sector 22 on)
_CODES_2012_TO_2017 = {
    **{f"{k:02d}": f"{k:02d}" for k in range(1, 22)},
    "22": "22",
    "23": "22",
    "24": "23",
    **{f"{k:02d}": f"{k - 1:02d}" for k in range(25, 36)},
    "36": "35+36",
    **{f"{k:02d}": f"{k:02d}" for k in range(37, 43)},
}
COMMON_RESEARCH = "Scientific research and technical services"


#: final-demand categories shared by 2012 and 2017 (the 2012 statistical discrepancy joins inventories,
#: the residual category of the expenditure accounts)
COMMON_CATEGORIES = {
    "rural households": "consumption",
    "urban households": "consumption",
    "government": "consumption",
    "statistical discrepancy": "changes in inventories",
}


def harmonised(year: int) -> MRIO:
    """``yrd-mrio-<year>`` on the 2012/2017 common sectors and final-demand categories."""
    from ..tables import load

    return load(f"yrd-mrio-{year}").aggregate(sectors=common_sectors(year), categories=COMMON_CATEGORIES)


def common_sectors(year: int) -> dict[str, str]:
    """Map the sector names of ``yrd-mrio-<year>`` to a classification shared by 2012 and 2017 (41 sectors).

    The 2017 names are kept except that research (35) and technical services (36) merge into
    "Scientific research and technical services"; on the 2012 list, other manufacturing (22) and waste
    (23) merge into the 2017 "other manufacturing and waste resources". Use with :meth:`MRIO.aggregate`
    before comparing the two years (e.g. :func:`ioemissions.analysis.sda`).
    """
    from ..tables.nbs import sectors as nbs_sectors

    s17 = nbs_sectors("china-io-2017").set_index("code")["sector"]
    if year in (2017, 2018, 2020):
        return {s17[c]: (COMMON_RESEARCH if c in ("35", "36") else s17[c]) for c in s17.index}
    if year == 2012:
        s12 = nbs_sectors("china-io-2012-42").set_index("code")["sector"]
        return {
            s12[c]: (COMMON_RESEARCH if _CODES_2012_TO_2017[c] == "35+36" else s17[_CODES_2012_TO_2017[c]])
            for c in s12.index
        }
    raise LabelError(f"no common classification for {year}")


def foreign_multipliers(national: MRIO, year: int, foreign="ratio") -> pd.DataFrame:
    """CO2 multipliers of products imported from abroad (``foreign`` as in :func:`build_yrd_mrio`)."""
    from ..core.imports import FOREIGN_OPTIONS, WORLD_TO_CHINA_INTENSITY, scaled_multipliers

    if isinstance(foreign, pd.DataFrame):
        return foreign
    dta = national.with_stressors(**_national_satellite(national, year)).dta_multipliers()
    if isinstance(foreign, str):
        if foreign == "dta":
            return dta
        if foreign == "ratio":
            return scaled_multipliers(dta, WORLD_TO_CHINA_INTENSITY)
        raise LabelError(
            f"unknown foreign-intensity option {foreign!r}; use one of {fmt(FOREIGN_OPTIONS)}, a number or a table"
        )
    return scaled_multipliers(dta, foreign)


def _national_satellite(national: MRIO, year: int) -> dict:
    from ..inventory.ceads import ceads_satellite

    return ceads_satellite("China", year, national)

"""Regionalisation: location quotients, distances and gravity trade, and the Yangtze-Delta MRIO builder."""

from .gravity import gravity_flows, group_distances, haversine_km, province_distances
from .lq import location_quotients, regional_coefficients
from .yrd import YRD_GROUPS, build_yrd_mrio

__all__ = [
    "YRD_GROUPS",
    "build_yrd_mrio",
    "gravity_flows",
    "group_distances",
    "haversine_km",
    "location_quotients",
    "province_distances",
    "regional_coefficients",
]

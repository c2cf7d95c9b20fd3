"""Tiny SQL expression builders for PostGIS. The lon/lat order of ST_MakePoint lives here only."""

from __future__ import annotations


def point(lat_param: str = "lat", lon_param: str = "lon") -> str:
    """A geography point from two bound parameters. ST_MakePoint takes x (lon) first."""
    return f"ST_SetSRID(ST_MakePoint(:{lon_param}, :{lat_param}), 4326)::geography"


def lat_of(column: str) -> str:
    return f"ST_Y({column}::geometry)"


def lon_of(column: str) -> str:
    return f"ST_X({column}::geometry)"


def lat_lon(column: str, prefix: str = "") -> str:
    """Select a point column as two floats named <prefix>lat and <prefix>lon."""
    return f"{lat_of(column)} AS {prefix}lat, {lon_of(column)} AS {prefix}lon"


def distance_m(a: str, b: str) -> str:
    """Geodesic distance in metres on the WGS 84 spheroid (geography default)."""
    return f"ST_Distance({a}, {b})"

"""Base-map layers as GeoJSON built by PostGIS.

GeoJSON rather than vector tiles: the whole city is ~40 km², 1.4 k lines and 41 areas, about
1 MB before gzip; one cached request per layer beats a tile pyramid at this size. A province
would move to ST_AsMVT tiles behind the same layer names.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

LAYERS = {
    "kota": "SELECT code AS id, name, NULL AS class, geom FROM admin_areas WHERE level = 'kota'",
    "kecamatan": "SELECT code AS id, name, NULL AS class, geom FROM admin_areas WHERE level = 'kecamatan'",
    "kelurahan": "SELECT code AS id, name, parent_code AS class, geom FROM admin_areas WHERE level = 'kelurahan'",
    "roads": "SELECT id::text, name, class, geom FROM map_features WHERE layer = 'roads'",
    "rivers": "SELECT id::text, name, class, geom FROM map_features WHERE layer = 'rivers'",
    "places": "SELECT id::text, name, kind AS class, location::geometry AS geom FROM places "
              "WHERE NOT approximate",
    "stations": "SELECT id::text, name, kind AS class, location::geometry AS geom FROM stations",
}  # fmt: skip


async def layer_geojson(session: AsyncSession, layer: str) -> str:
    """The FeatureCollection as text, coordinates in GeoJSON's [lon, lat] at 6 decimals (~0.1 m)."""
    row = await session.execute(
        text(
            f"""SELECT json_build_object('type', 'FeatureCollection', 'features',
                   coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'id', l.id,
                       'properties', json_build_object('name', l.name, 'class', l.class),
                       'geometry', ST_AsGeoJSON(l.geom, 6)::json) ORDER BY l.id), '[]'::json))::text
            FROM ({LAYERS[layer]}) l"""
        )
    )
    return str(row.scalar_one())

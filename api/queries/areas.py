"""Administrative areas: reverse look-up and the service area."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Invalid
from geo import sql


@dataclass(frozen=True)
class AreaNames:
    kelurahan_code: str | None
    kelurahan: str | None
    kecamatan_code: str | None
    kecamatan: str | None
    kota: str | None


# ST_Covers on the geometry, so the GiST index on admin_areas.geom is used.
REVERSE = text(
    f"""
    SELECT level, code, name FROM admin_areas
    WHERE ST_Covers(geom, ({sql.point()})::geometry)
    """
)


async def reverse_area(session: AsyncSession, lat: float, lon: float) -> AreaNames:
    rows = (await session.execute(REVERSE, {"lat": lat, "lon": lon})).all()
    found = {row.level: row for row in rows}
    kel, kec, kota = found.get("kelurahan"), found.get("kecamatan"), found.get("kota")
    return AreaNames(
        kelurahan_code=kel.code if kel else None,
        kelurahan=kel.name if kel else None,
        kecamatan_code=kec.code if kec else None,
        kecamatan=kec.name if kec else None,
        kota=kota.name if kota else None,
    )


SERVICE_AREA = text(
    f"""
    SELECT count(*) AS areas,
           bool_or(ST_DWithin(geom::geography, {sql.point()}, :buffer)) AS inside
    FROM admin_areas WHERE level = 'kota'
    """
)


async def check_service_area(
    session: AsyncSession, lat: float, lon: float, buffer_m: int, field: str
) -> None:
    """Refuse a point far from every loaded kota. With no kota loaded (a bare deployment or a
    replay of another city's log), or a buffer of 0, there is no service area to enforce."""
    if buffer_m <= 0:
        return
    row = (await session.execute(SERVICE_AREA, {"lat": lat, "lon": lon, "buffer": buffer_m})).one()
    if row.areas == 0 or row.inside:
        return
    hint = ""
    if -90 <= lon <= 90:
        swapped = (
            await session.execute(SERVICE_AREA, {"lat": lon, "lon": lat, "buffer": buffer_m})
        ).one()
        if swapped.inside:
            hint = "; swapped, it would be inside: did you swap lat and lon?"
    raise Invalid(
        f"{field} ({lat}, {lon}) is outside the service area "
        f"(more than {buffer_m} m from the city boundary){hint}",
        field,
    )

"""Units, stations and the nearest-available ranking."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.dispatch import Candidate
from api.errors import Conflict, Invalid, NotFound
from api.events import touch
from api.schemas import LocationOut, StationOut, UnitOut
from geo import sql

UNIT_COLUMNS = f"""
    u.id, u.callsign, u.kind, u.status, u.station_id, u.location_at,
    {sql.lat_lon("u.location")}
"""


def unit_out(row: object) -> UnitOut:
    r = row
    location = LocationOut(lat=r.lat, lon=r.lon) if r.lat is not None else None  # type: ignore[attr-defined]
    return UnitOut(
        id=str(r.id),  # type: ignore[attr-defined]
        callsign=r.callsign,  # type: ignore[attr-defined]
        kind=r.kind,  # type: ignore[attr-defined]
        status=r.status,  # type: ignore[attr-defined]
        location=location,
        location_at=r.location_at,  # type: ignore[attr-defined]
        station_id=str(r.station_id) if r.station_id else None,  # type: ignore[attr-defined]
    )


async def list_units(session: AsyncSession, kind: str | None, status: str | None) -> list[UnitOut]:
    rows = await session.execute(
        text(
            f"""SELECT {UNIT_COLUMNS} FROM units u
            WHERE (CAST(:kind AS text) IS NULL OR u.kind = :kind)
              AND (CAST(:status AS text) IS NULL OR u.status = :status)
            ORDER BY u.kind, u.callsign"""
        ),
        {"kind": kind, "status": status},
    )
    return [unit_out(r) for r in rows]


async def get_unit(session: AsyncSession, unit_id: uuid.UUID, lock: bool = False) -> UnitOut:
    row = (
        await session.execute(
            text(
                f"SELECT {UNIT_COLUMNS} FROM units u WHERE u.id = :id"
                + (" FOR UPDATE" if lock else "")
            ),
            {"id": unit_id},
        )
    ).first()
    if row is None:
        raise NotFound(f"unit {unit_id} not found", "unit_id")
    return unit_out(row)


async def create_unit(
    session: AsyncSession,
    callsign: str,
    kind: str,
    station_id: uuid.UUID | None,
    lat: float | None,
    lon: float | None,
    actor: str,
) -> uuid.UUID:
    if station_id is not None:
        found = await session.execute(
            text("SELECT kind FROM stations WHERE id = :id"), {"id": station_id}
        )
        if found.first() is None:
            raise Invalid(f"station {station_id} does not exist", "station_id")
    exists = await session.execute(
        text("SELECT 1 FROM units WHERE lower(callsign) = lower(:c)"), {"c": callsign}
    )
    if exists.first() is not None:
        raise Conflict(f"a unit with callsign {callsign} already exists", "callsign")
    location = sql.point() if lat is not None else "NULL"
    row = await session.execute(
        text(
            f"""INSERT INTO units (callsign, kind, station_id, location, location_at)
            VALUES (:callsign, :kind, :station_id, {location},
                    CASE WHEN CAST(:lat AS float8) IS NULL THEN NULL ELSE now() END)
            RETURNING id"""
        ),
        {"callsign": callsign, "kind": kind, "station_id": station_id, "lat": lat, "lon": lon},
    )
    unit_id = uuid.UUID(str(row.scalar_one()))
    await add_status_event(session, unit_id, "available", actor, "unit created")
    touch(session, "unit", unit_id)
    return unit_id


async def add_status_event(
    session: AsyncSession, unit_id: uuid.UUID, status: str, actor: str | None, reason: str | None
) -> None:
    await session.execute(
        text(
            "INSERT INTO unit_status_history (unit_id, status, actor, reason) "
            "VALUES (:u, :s, :a, :r)"
        ),
        {"u": unit_id, "s": status, "a": actor, "r": reason},
    )


async def set_unit_status(
    session: AsyncSession, unit_id: uuid.UUID, status: str, actor: str, reason: str | None
) -> None:
    await session.execute(
        text("UPDATE units SET status = :s WHERE id = :id"), {"s": status, "id": unit_id}
    )
    await add_status_event(session, unit_id, status, actor, reason)
    touch(session, "unit", unit_id)


async def set_availability(
    session: AsyncSession, unit_id: uuid.UUID, status: str, actor: str, reason: str | None
) -> UnitOut:
    unit = await get_unit(session, unit_id, lock=True)
    if unit.status not in {"available", "out_of_service"}:
        raise Conflict(f"unit {unit.callsign} is {unit.status} on an assignment", "status")
    if unit.status != status:
        await set_unit_status(session, unit_id, status, actor, reason)
    return await get_unit(session, unit_id)


async def set_position(
    session: AsyncSession, unit_id: uuid.UUID, lat: float, lon: float, at: datetime | None
) -> None:
    await session.execute(
        text(
            f"""UPDATE units SET location = {sql.point()},
                location_at = coalesce(CAST(:at AS timestamptz), now())
            WHERE id = :id AND (location_at IS NULL
                                OR location_at <= coalesce(CAST(:at AS timestamptz), now()))"""
        ),
        {"lat": lat, "lon": lon, "at": at, "id": unit_id},
    )
    touch(session, "unit", unit_id)


# The unit's own position counts while fresh; otherwise its station's. `<->` (KNN on geography)
# picks a short list cheaply; the exact spheroid ST_Distance then orders it, because `<->` on
# geography measures on a sphere and could swap two units a few metres apart.
RANKED = text(
    f"""
    WITH pos AS (
        SELECT u.id, u.callsign, u.kind, s.name AS station_name,
               (u.location IS NOT NULL AND u.location_at > now() - make_interval(secs => :fresh))
                   AS fresh,
               CASE WHEN u.location IS NOT NULL
                         AND u.location_at > now() - make_interval(secs => :fresh)
                    THEN u.location ELSE s.location END AS at,
               extract(epoch FROM now() - u.location_at)::int AS age_s
        FROM units u LEFT JOIN stations s ON s.id = u.station_id
        WHERE u.kind = :kind AND u.status = 'available' AND NOT (u.id = ANY(:exclude))
    ), short AS (
        SELECT * FROM pos WHERE at IS NOT NULL ORDER BY at <-> {sql.point()} LIMIT 16
    )
    SELECT id, callsign, kind, station_name, fresh, age_s,
           {sql.distance_m("at", sql.point())} AS distance_m
    FROM short ORDER BY distance_m, callsign
    """
)


async def rank_available(
    session: AsyncSession,
    kind: str,
    lat: float,
    lon: float,
    fresh_s: int,
    exclude: list[uuid.UUID],
) -> list[Candidate]:
    rows = await session.execute(
        RANKED, {"kind": kind, "lat": lat, "lon": lon, "fresh": fresh_s, "exclude": exclude}
    )
    return [
        Candidate(
            unit_id=str(r.id),
            callsign=r.callsign,
            kind=r.kind,
            distance_m=float(r.distance_m),
            from_station=not r.fresh,
            station_name=r.station_name,
            position_age_s=r.age_s if r.fresh else None,
        )
        for r in rows
    ]


async def claim_unit(session: AsyncSession, unit_id: uuid.UUID) -> bool:
    """Atomically take an available unit. Under READ COMMITTED a concurrent claimer waits for
    the row lock and then re-checks `status = 'available'`, so exactly one of them wins."""
    row = await session.execute(
        text(
            "UPDATE units SET status = 'dispatched' WHERE id = :id AND status = 'available' "
            "RETURNING id"
        ),
        {"id": unit_id},
    )
    return row.first() is not None


def station_out(row: object) -> StationOut:
    r = row
    return StationOut(
        id=str(r.id),  # type: ignore[attr-defined]
        name=r.name,  # type: ignore[attr-defined]
        kind=r.kind,  # type: ignore[attr-defined]
        location=LocationOut(lat=r.lat, lon=r.lon),  # type: ignore[attr-defined]
        approximate=r.approximate,  # type: ignore[attr-defined]
        note=r.note,  # type: ignore[attr-defined]
    )


STATION_COLUMNS = f"id, name, kind, approximate, note, {sql.lat_lon('location')}"


async def list_stations(session: AsyncSession) -> list[StationOut]:
    rows = await session.execute(
        text(f"SELECT {STATION_COLUMNS} FROM stations ORDER BY kind, name")
    )
    return [station_out(r) for r in rows]


async def move_station(
    session: AsyncSession, station_id: uuid.UUID, lat: float, lon: float
) -> StationOut:
    """An admin fixes a station's place; it is then no longer approximate."""
    row = (
        await session.execute(
            text(
                f"""UPDATE stations SET location = {sql.point()}, approximate = false
                WHERE id = :id RETURNING {STATION_COLUMNS}"""
            ),
            {"lat": lat, "lon": lon, "id": station_id},
        )
    ).first()
    if row is None:
        raise NotFound(f"station {station_id} not found", "station_id")
    return station_out(row)

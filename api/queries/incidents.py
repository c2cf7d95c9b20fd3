"""Incidents: create with geocoding, read, change, close."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Conflict, NotFound
from api.events import touch
from api.queries.areas import reverse_area
from api.queries.geocode import geocode
from api.queries.timeline import add_event
from api.schemas import (
    AssignmentOut,
    GeocodeCandidate,
    GeocodeOut,
    IncidentOut,
    LocationOut,
    RecommendationOut,
)
from geo import sql

# The best candidate is taken as resolved when it is this sure and clearly ahead of the next.
RESOLVED_AT = 0.6
CLEAR_LEAD = 0.1


@dataclass(frozen=True)
class Place:
    status: str
    source: str | None
    confidence: float | None
    label: str | None
    lat: float | None
    lon: float | None
    accuracy_m: float | None = None


UNRESOLVED = Place("unresolved", None, None, None, None, None)


def pick_place(candidates: list[GeocodeCandidate]) -> Place:
    if not candidates:
        return UNRESOLVED
    best = candidates[0]
    runner_up = candidates[1] if len(candidates) > 1 else None
    clear = runner_up is None or best.confidence - runner_up.confidence >= CLEAR_LEAD
    status = "resolved" if best.confidence >= RESOLVED_AT and clear else "ambiguous"
    return Place(status, best.source, best.confidence, best.label, best.lat, best.lon)


async def resolve_place(
    session: AsyncSession,
    location: tuple[float, float, float | None] | None,
    call_location: tuple[float, float, float | None] | None,
    address: str | None,
) -> Place:
    """In order: an explicit location, the call's location, then the address text."""
    if location is not None:
        lat, lon, acc = location
        return Place("resolved", "explicit", 1.0, f"{lat:.6f}, {lon:.6f}", lat, lon, acc)
    if call_location is not None:
        lat, lon, acc = call_location
        return Place("resolved", "call", 1.0, f"{lat:.6f}, {lon:.6f}", lat, lon, acc)
    if address and address.strip():
        return pick_place(await geocode(session, address))
    return UNRESOLVED


async def _place_params(session: AsyncSession, place: Place) -> dict[str, Any]:
    """The bound parameters of a place, with the kelurahan and kecamatan it lies in."""
    areas = (
        await reverse_area(session, place.lat, place.lon)
        if place.lat is not None and place.lon is not None
        else None
    )
    return {
        "lat": place.lat,
        "lon": place.lon,
        "gstatus": place.status,
        "gsource": place.source,
        "gconf": place.confidence,
        "glabel": place.label,
        "kel": areas.kelurahan_code if areas else None,
        "kec": areas.kecamatan_code if areas else None,
    }


async def next_number(session: AsyncSession) -> str:
    row = await session.execute(
        text(
            "SELECT to_char(now() AT TIME ZONE 'Asia/Jakarta', 'YYYYMMDD') || '-' || "
            "lpad(nextval('incident_number_seq')::text, 5, '0')"
        )
    )
    return f"112-{row.scalar_one()}"


async def insert_incident(
    session: AsyncSession,
    *,
    category: str,
    priority: int,
    description: str,
    address: str | None,
    place: Place,
    call_id: uuid.UUID | None,
    user_id: uuid.UUID,
) -> uuid.UUID:
    location = sql.point() if place.lat is not None else "NULL"
    row = await session.execute(
        text(
            f"""INSERT INTO incidents (number, category, priority, description, address, location,
                geocode_status, geocode_source, geocode_confidence, geocode_label,
                kelurahan_code, kecamatan_code, call_id, created_by)
            VALUES (:number, :category, :priority, :description, :address, {location},
                :gstatus, :gsource, :gconf, :glabel, :kel, :kec, :call_id, :user_id)
            RETURNING id"""
        ),
        {
            "number": await next_number(session),
            "category": category,
            "priority": priority,
            "description": description,
            "address": address,
            **await _place_params(session, place),
            "call_id": call_id,
            "user_id": user_id,
        },
    )
    incident_id = uuid.UUID(str(row.scalar_one()))
    touch(session, "incident", incident_id)
    return incident_id


async def relocate_incident(session: AsyncSession, incident_id: uuid.UUID, place: Place) -> None:
    location = sql.point() if place.lat is not None else "NULL"
    await session.execute(
        text(
            f"""UPDATE incidents SET location = {location}, geocode_status = :gstatus,
                geocode_source = :gsource, geocode_confidence = :gconf, geocode_label = :glabel,
                kelurahan_code = :kel, kecamatan_code = :kec WHERE id = :id"""
        ),
        {**await _place_params(session, place), "id": incident_id},
    )
    touch(session, "incident", incident_id)


async def update_fields(
    session: AsyncSession, incident_id: uuid.UUID, fields: dict[str, Any]
) -> None:
    allowed = {"category", "priority", "description", "address"}
    sets = ", ".join(f"{name} = :{name}" for name in fields if name in allowed)
    if sets:
        await session.execute(
            text(f"UPDATE incidents SET {sets} WHERE id = :id"), {**fields, "id": incident_id}
        )
        touch(session, "incident", incident_id)


async def save_recommendations(
    session: AsyncSession,
    incident_id: uuid.UUID,
    recommendations: list[RecommendationOut],
    shortfall: list[str],
) -> None:
    payload = json.dumps(
        [
            {
                "unit_id": r.unit_id,
                "callsign": r.callsign,
                "kind": r.kind,
                "distance_m": r.distance_m,
                "eta_s": r.eta_s,
                "reason": r.reason,
            }
            for r in recommendations
        ]
    )
    await session.execute(
        text(
            "UPDATE incidents SET recommendations = CAST(:r AS jsonb), shortfall = :s WHERE id = :id"
        ),
        {"r": payload, "s": shortfall, "id": incident_id},
    )
    touch(session, "incident", incident_id)


async def set_incident_status(session: AsyncSession, incident_id: uuid.UUID, status: str) -> None:
    await session.execute(
        text("UPDATE incidents SET status = :s WHERE id = :id"), {"s": status, "id": incident_id}
    )
    touch(session, "incident", incident_id)


INCIDENT = text(
    f"""
    SELECT i.*, {sql.lat_lon("i.location")}, kel.name AS kelurahan, kec.name AS kecamatan
    FROM incidents i
    LEFT JOIN admin_areas kel ON kel.code = i.kelurahan_code
    LEFT JOIN admin_areas kec ON kec.code = i.kecamatan_code
    WHERE i.id = ANY(:ids)
    """
)
ASSIGNMENTS = text(
    """
    SELECT a.*, u.callsign, u.kind AS unit_kind FROM assignments a JOIN units u ON u.id = a.unit_id
    WHERE a.incident_id = ANY(:ids) ORDER BY a.sent_at, u.callsign
    """
)


def assignment_out(r: Any) -> AssignmentOut:
    return AssignmentOut(
        id=str(r.id),
        incident_id=str(r.incident_id),
        unit_id=str(r.unit_id),
        callsign=r.callsign,
        unit_kind=r.unit_kind,
        status=r.status,
        sent_at=r.sent_at,
        accepted_at=r.accepted_at,
        en_route_at=r.en_route_at,
        on_scene_at=r.on_scene_at,
        transporting_at=r.transporting_at,
        cleared_at=r.cleared_at,
        distance_m=r.distance_m,
        reason=r.reason,
    )


def incident_out(r: Any, assignments: list[AssignmentOut]) -> IncidentOut:
    return IncidentOut(
        id=str(r.id),
        number=r.number,
        status=r.status,
        category=r.category,
        priority=r.priority,
        description=r.description,
        address=r.address,
        location=LocationOut(lat=r.lat, lon=r.lon) if r.lat is not None else None,
        geocode=GeocodeOut(
            status=r.geocode_status,
            source=r.geocode_source,
            confidence=r.geocode_confidence,
            label=r.geocode_label,
            kelurahan=r.kelurahan,
            kecamatan=r.kecamatan,
        ),
        recommendations=[RecommendationOut(**rec) for rec in r.recommendations],
        shortfall=list(r.shortfall),
        assignments=assignments,
        call_id=str(r.call_id) if r.call_id else None,
        outcome=r.outcome,
        created_at=r.created_at,
        closed_at=r.closed_at,
    )


async def load_incidents(session: AsyncSession, ids: list[uuid.UUID]) -> list[IncidentOut]:
    rows = (await session.execute(INCIDENT, {"ids": ids})).all()
    by_incident: dict[str, list[AssignmentOut]] = {}
    for a in (await session.execute(ASSIGNMENTS, {"ids": ids})).all():
        by_incident.setdefault(str(a.incident_id), []).append(assignment_out(a))
    order = {str(i): n for n, i in enumerate(ids)}
    out = [incident_out(r, by_incident.get(str(r.id), [])) for r in rows]
    return sorted(out, key=lambda inc: order[inc.id])


async def get_incident(session: AsyncSession, incident_id: uuid.UUID) -> IncidentOut:
    found = await load_incidents(session, [incident_id])
    if not found:
        raise NotFound(f"incident {incident_id} not found", "incident_id")
    return found[0]


async def lock_incident(session: AsyncSession, incident_id: uuid.UUID) -> Any:
    row = (
        await session.execute(
            text(
                f"SELECT id, status, category, {sql.lat_lon('location')} FROM incidents "
                "WHERE id = :id FOR UPDATE"
            ),
            {"id": incident_id},
        )
    ).first()
    if row is None:
        raise NotFound(f"incident {incident_id} not found", "incident_id")
    return row


async def require_open(session: AsyncSession, incident_id: uuid.UUID) -> Any:
    row = await lock_incident(session, incident_id)
    if row.status in {"closed", "cancelled"}:
        raise Conflict(f"incident is {row.status}", "incident_id")
    return row


async def list_incident_ids(
    session: AsyncSession, status: list[str] | None, bbox: tuple[float, float, float, float] | None
) -> list[uuid.UUID]:
    # Compared as geometry (a lon/lat box is planar) so the expression index of migration 0003
    # is used and a world-wide box works.
    rows = await session.execute(
        text(
            """SELECT id FROM incidents
            WHERE (CAST(:status AS text[]) IS NULL OR status = ANY(:status))
              AND (CAST(:minlon AS float8) IS NULL OR location::geometry && ST_MakeEnvelope(
                       :minlon, :minlat, :maxlon, :maxlat, 4326))
            ORDER BY created_at DESC LIMIT 500"""
        ),
        {
            "status": status,
            "minlon": bbox[0] if bbox else None,
            "minlat": bbox[1] if bbox else None,
            "maxlon": bbox[2] if bbox else None,
            "maxlat": bbox[3] if bbox else None,
        },
    )
    return [r.id for r in rows]


async def mark_closed(
    session: AsyncSession, incident_id: uuid.UUID, outcome: str, notes: str | None, actor: str
) -> None:
    await session.execute(
        text(
            "UPDATE incidents SET status = 'closed', closed_at = now(), outcome = :o WHERE id = :id"
        ),
        {"o": outcome, "id": incident_id},
    )
    touch(session, "incident", incident_id)
    await add_event(session, incident_id, "closed", actor, {"outcome": outcome, "notes": notes})

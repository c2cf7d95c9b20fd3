"""Choosing and assigning units: the nearest available unit of each kind in the plan."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api import dispatch, jobs
from api.errors import Conflict, Invalid
from api.events import publish, touch
from api.queries.assignments import insert_assignment, refresh_incident_status, transition
from api.queries.incidents import require_open, save_recommendations
from api.queries.timeline import add_event
from api.queries.units import claim_unit, rank_available
from api.queries.users import CurrentUser
from api.schemas import AssignmentOut, RecommendationOut
from geo import sql


async def plan_kinds(session: AsyncSession, category: str) -> list[str]:
    row = await session.execute(
        text("SELECT unit_kinds FROM response_plans WHERE category = :c"), {"c": category}
    )
    kinds = row.scalar_one_or_none()
    return list(kinds) if kinds else []


async def covered_kinds(session: AsyncSession, incident_id: uuid.UUID) -> list[str]:
    rows = await session.execute(
        text(
            """SELECT u.kind FROM assignments a JOIN units u ON u.id = a.unit_id
            WHERE a.incident_id = :i AND a.status = ANY(:open)"""
        ),
        {"i": incident_id, "open": list(dispatch.OPEN_ASSIGNMENT)},
    )
    return list(rows.scalars())


def _recommendation(candidate: dispatch.Candidate) -> RecommendationOut:
    return RecommendationOut(
        unit_id=candidate.unit_id,
        callsign=candidate.callsign,
        kind=candidate.kind,
        distance_m=round(candidate.distance_m, 1),
        eta_s=dispatch.eta_s(candidate.distance_m),
        reason=dispatch.reason(candidate),
    )


async def recommend(
    session: AsyncSession, incident: Any, fresh_s: int, claim: bool, actor: str
) -> tuple[list[RecommendationOut], list[str]]:
    """For each kind of the plan, the nearest available unit. With `claim`, each pick is taken
    atomically and assigned; a unit lost to a concurrent dispatch is skipped for the next one."""
    kinds = await plan_kinds(session, incident.category)
    if claim:  # send only what the incident still lacks: a second press sends no second truck
        kinds = dispatch.shortfall(kinds, await covered_kinds(session, incident.id))
    picked: list[RecommendationOut] = []
    taken: list[uuid.UUID] = []
    for kind in kinds:
        while True:
            ranked = await rank_available(session, kind, incident.lat, incident.lon, fresh_s, taken)
            if not ranked:
                break
            choice = await _first_claimable(session, ranked, claim)
            if choice is None:
                taken.extend(uuid.UUID(c.unit_id) for c in ranked)
                continue
            taken.append(uuid.UUID(choice.unit_id))
            rec = _recommendation(choice)
            picked.append(rec)
            if claim:
                await insert_assignment(
                    session, incident.id, uuid.UUID(rec.unit_id), rec.distance_m, rec.reason, actor
                )
            break
    missing = dispatch.shortfall(kinds, [r.kind for r in picked])
    await save_recommendations(session, incident.id, picked, missing)
    return picked, missing


async def _first_claimable(
    session: AsyncSession, ranked: list[dispatch.Candidate], claim: bool
) -> dispatch.Candidate | None:
    for candidate in ranked:
        if not claim or await claim_unit(session, uuid.UUID(candidate.unit_id)):
            return candidate
    return None


async def auto_dispatch(
    session: AsyncSession, incident_id: uuid.UUID, fresh_s: int, actor: str, claim: bool
) -> None:
    incident = await require_open(session, incident_id)
    if incident.lat is None:
        raise Conflict("incident has no resolved location; PATCH a location first", "location")
    if claim and not dispatch.shortfall(
        await plan_kinds(session, incident.category), await covered_kinds(session, incident_id)
    ):
        raise Conflict(
            "every unit kind of the response plan is already on this incident; "
            "name unit_ids to send more",
            "unit_ids",
        )
    picked, missing = await recommend(session, incident, fresh_s, claim, actor)
    if claim:
        await add_event(
            session,
            incident_id,
            "dispatched" if picked else "dispatch_shortfall",
            actor,
            {"units": [r.callsign for r in picked], "shortfall": missing},
        )
        await refresh_incident_status(session, incident_id)


EFFECTIVE_DISTANCE = text(
    f"""SELECT u.id, u.callsign, u.kind, u.status, s.name AS station_name,
        (u.location IS NOT NULL AND u.location_at > now() - make_interval(secs => :fresh)) AS fresh,
        extract(epoch FROM now() - u.location_at)::int AS age_s,
        {
        sql.distance_m(
            "CASE WHEN u.location IS NOT NULL AND u.location_at > now() - "
            "make_interval(secs => :fresh) THEN u.location ELSE s.location END",
            sql.point(),
        )
    } AS distance_m
    FROM units u LEFT JOIN stations s ON s.id = u.station_id WHERE u.id = ANY(:ids)"""
)


async def dispatch_units(
    session: AsyncSession,
    incident_id: uuid.UUID,
    unit_ids: list[uuid.UUID],
    fresh_s: int,
    actor: str,
) -> None:
    """The dispatcher's own choice: all the named units or none (409 names the one taken)."""
    incident = await require_open(session, incident_id)
    rows = {
        str(r.id): r
        for r in await session.execute(
            EFFECTIVE_DISTANCE,
            {"ids": unit_ids, "fresh": fresh_s, "lat": incident.lat, "lon": incident.lon},
        )
    }
    for unit_id in unit_ids:
        row = rows.get(str(unit_id))
        if row is None:
            raise Invalid(f"unit {unit_id} does not exist", "unit_ids")
        if not await claim_unit(session, unit_id):
            raise Conflict(f"unit {row.callsign} is no longer available ({row.status})", "unit_ids")
        distance = float(row.distance_m) if row.distance_m is not None else None
        candidate = dispatch.Candidate(
            str(row.id),
            row.callsign,
            row.kind,
            distance or 0.0,
            not row.fresh,
            row.station_name,
            row.age_s,
        )
        reason = (
            f"chosen by the dispatcher ({dispatch.reason(candidate)})"
            if distance
            else ("chosen by the dispatcher")
        )
        await insert_assignment(session, incident_id, unit_id, distance, reason, actor)
    await add_event(
        session,
        incident_id,
        "dispatched",
        actor,
        {"units": [rows[str(u)].callsign for u in unit_ids], "chosen_by": "dispatcher"},
    )
    await refresh_incident_status(session, incident_id)


async def units_tried(session: AsyncSession, incident_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.execute(
        text("SELECT DISTINCT unit_id FROM assignments WHERE incident_id = :i"), {"i": incident_id}
    )
    return list(rows.scalars())


async def redispatch(
    session: AsyncSession, incident_id: uuid.UUID, kind: str, fresh_s: int, actor: str, why: str
) -> RecommendationOut | None:
    """The next nearest available unit of `kind`, never one already tried on this incident."""
    incident = await require_open(session, incident_id)
    if incident.lat is None:
        return None
    tried = await units_tried(session, incident_id)
    for candidate in await rank_available(
        session, kind, incident.lat, incident.lon, fresh_s, tried
    ):
        if await claim_unit(session, uuid.UUID(candidate.unit_id)):
            rec = _recommendation(candidate)
            reason = f"{why}; {rec.reason}"
            await insert_assignment(
                session, incident_id, uuid.UUID(rec.unit_id), rec.distance_m, reason, actor
            )
            await add_event(session, incident_id, "redispatched", actor,
                            {"unit": rec.callsign, "kind": kind, "why": why})  # fmt: skip
            await refresh_incident_status(session, incident_id)
            return rec
    await add_event(
        session, incident_id, "dispatch_shortfall", actor, {"shortfall": [kind], "why": why}
    )
    await _add_shortfall(session, incident_id, kind)
    return None


async def _add_shortfall(session: AsyncSession, incident_id: uuid.UUID, kind: str) -> None:
    await session.execute(
        text(
            "UPDATE incidents SET shortfall = array_append(shortfall, :k) "
            "WHERE id = :i AND NOT (:k = ANY(shortfall))"
        ),
        {"k": kind, "i": incident_id},
    )
    touch(session, "incident", incident_id)


async def transition_and_follow_up(
    session: AsyncSession,
    assignment_id: uuid.UUID,
    to: str,
    user: CurrentUser,
    at: datetime | None,
    position: tuple[float, float] | None,
    reason: str | None,
) -> AssignmentOut:
    """A legal transition; a declined or timed-out unit is replaced at once by the next nearest
    available unit of its kind (SIAGA_AUTO_REDISPATCH)."""
    done = await transition(session, assignment_id, to, user, at, position, reason)
    settings = jobs.settings_of(session)
    if to == "timed_out":
        publish(session, "overdue", assignment_id, {
            "assignment_id": done.id, "incident_id": done.incident_id, "unit_id": done.unit_id,
            "callsign": done.callsign, "sent_at": done.sent_at.isoformat()})  # fmt: skip
    if to in {"declined", "timed_out"} and settings.auto_redispatch:
        kind = await session.scalar(
            text("SELECT kind FROM units WHERE id = :u"), {"u": done.unit_id}
        )
        why = f"{done.callsign} {'declined' if to == 'declined' else 'did not acknowledge'}"
        await redispatch(session, uuid.UUID(done.incident_id), str(kind),
                         settings.position_fresh_s, user.actor, why)  # fmt: skip
    return done

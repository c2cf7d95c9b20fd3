"""Assignments: creation, legal transitions, release."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api import dispatch, jobs
from api.errors import Conflict, Forbidden, Invalid, NotFound
from api.events import touch
from api.queries.incidents import assignment_out, load_incidents, set_incident_status
from api.queries.timeline import add_event
from api.queries.units import set_position, set_unit_status
from api.queries.users import CurrentUser
from api.schemas import AssignmentOut, MyAssignmentOut

ASSIGNMENT = text(
    """SELECT a.*, u.callsign, u.kind AS unit_kind FROM assignments a
    JOIN units u ON u.id = a.unit_id WHERE a.id = :id"""
)


async def insert_assignment(
    session: AsyncSession,
    incident_id: uuid.UUID,
    unit_id: uuid.UUID,
    distance_m: float | None,
    reason: str,
    actor: str,
) -> None:
    """The unit must already be claimed (status 'dispatched') by the caller's transaction.
    The push and its acknowledgement timer are queued in the same transaction."""
    row = await session.execute(
        text(
            "INSERT INTO assignments (incident_id, unit_id, distance_m, reason) "
            "VALUES (:i, :u, :d, :r) RETURNING id"
        ),
        {"i": incident_id, "u": unit_id, "d": distance_m, "r": reason},
    )
    assignment_id = uuid.UUID(str(row.scalar_one()))
    await set_unit_status(
        session, unit_id, "dispatched", actor, f"assigned to incident {incident_id}"
    )
    touch(session, "assignment", assignment_id)
    touch(session, "incident", incident_id)
    await jobs.assignment_created(session, assignment_id)


async def refresh_incident_status(session: AsyncSession, incident_id: uuid.UUID) -> None:
    row = (
        await session.execute(
            text("SELECT status FROM incidents WHERE id = :id"), {"id": incident_id}
        )
    ).one()
    statuses = (
        await session.execute(
            text("SELECT status FROM assignments WHERE incident_id = :id"), {"id": incident_id}
        )
    ).scalars()
    new = dispatch.incident_status(row.status, list(statuses))
    if new != row.status:
        await set_incident_status(session, incident_id, new)


async def get_assignment(session: AsyncSession, assignment_id: uuid.UUID, lock: bool) -> Any:
    query = ASSIGNMENT.text + (" FOR UPDATE OF a" if lock else "")
    row = (await session.execute(text(query), {"id": assignment_id})).first()
    if row is None:
        raise NotFound(f"assignment {assignment_id} not found", "assignment_id")
    return row


async def transition(
    session: AsyncSession,
    assignment_id: uuid.UUID,
    to: str,
    user: CurrentUser,
    at: datetime | None,
    position: tuple[float, float] | None,
    reason: str | None,
) -> AssignmentOut:
    row = await get_assignment(session, assignment_id, lock=True)
    if user.role == "responder" and user.unit_id != row.unit_id:
        raise Forbidden("this assignment belongs to another unit")
    try:
        dispatch.check_transition(row.status, to, role=user.role, unit_kind=row.unit_kind)
    except dispatch.TransitionRefused as exc:
        raise Conflict(str(exc), "to") from exc
    last = max(getattr(row, column) or row.sent_at for column in dispatch.TIMESTAMP_COLUMN.values())
    if at is not None and at < last:
        # Response times are computed from these stamps; one out of order would corrupt them.
        raise Invalid(f"at {at.isoformat()} is before the assignment's last change "
                      f"({last.isoformat()})", "at")  # fmt: skip
    await _apply(session, row, to, user.actor, at, reason)
    if position is not None:
        await set_position(session, row.unit_id, position[0], position[1], at)
    return assignment_out(await get_assignment(session, assignment_id, lock=False))


async def _apply(
    session: AsyncSession, row: Any, to: str, actor: str, at: datetime | None, reason: str | None
) -> None:
    column = dispatch.TIMESTAMP_COLUMN[to]
    await session.execute(
        text(
            f"""UPDATE assignments SET status = :to,
                {column} = coalesce(CAST(:at AS timestamptz), now()),
                decline_reason = CASE WHEN :declined THEN :reason ELSE decline_reason END
            WHERE id = :id"""
        ),
        {"to": to, "at": at, "reason": reason, "declined": to == "declined", "id": row.id},
    )
    await set_unit_status(session, row.unit_id, dispatch.UNIT_STATUS_FOR[to], actor, reason or to)
    touch(session, "assignment", row.id)
    touch(session, "incident", row.incident_id)
    await add_event(
        session,
        row.incident_id,
        f"assignment_{to}",
        actor,
        {
            "assignment_id": str(row.id),
            "unit_id": str(row.unit_id),
            "callsign": row.callsign,
            "reason": reason,
        },
    )
    await refresh_incident_status(session, row.incident_id)


async def release_all(session: AsyncSession, incident_id: uuid.UUID, actor: str) -> None:
    """Closing an incident frees every unit still on it: units on scene or transporting are
    cleared, units not yet there are cancelled."""
    rows = (
        await session.execute(
            text(
                """SELECT a.*, u.callsign, u.kind AS unit_kind FROM assignments a
                JOIN units u ON u.id = a.unit_id
                WHERE a.incident_id = :i AND a.status = ANY(:open) FOR UPDATE OF a"""
            ),
            {"i": incident_id, "open": list(dispatch.OPEN_ASSIGNMENT)},
        )
    ).all()
    for row in rows:
        to = "cleared" if row.status in {"on_scene", "transporting"} else "cancelled"
        await _apply(session, row, to, actor, None, "incident closed")


async def my_assignments(session: AsyncSession, unit_id: uuid.UUID) -> list[MyAssignmentOut]:
    rows = (
        await session.execute(
            text(
                """SELECT a.*, u.callsign, u.kind AS unit_kind FROM assignments a
                JOIN units u ON u.id = a.unit_id
                WHERE a.unit_id = :u ORDER BY (a.status = ANY(:open)) DESC, a.sent_at DESC
                LIMIT 20"""
            ),
            {"u": unit_id, "open": list(dispatch.OPEN_ASSIGNMENT)},
        )
    ).all()
    incidents = {i.id: i for i in await load_incidents(session, [r.incident_id for r in rows])}
    return [
        MyAssignmentOut(assignment=assignment_out(r), incident=incidents[str(r.incident_id)])
        for r in rows
    ]


async def unit_on_incident(
    session: AsyncSession, incident_id: uuid.UUID, unit_id: uuid.UUID
) -> bool:
    row = await session.execute(
        text("SELECT 1 FROM assignments WHERE incident_id = :i AND unit_id = :u"),
        {"i": incident_id, "u": unit_id},
    )
    return row.first() is not None

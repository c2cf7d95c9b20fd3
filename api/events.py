"""Change events for the live feed.

Queries mark what they changed with `touch`; just before the transaction commits,
`flush_events` writes each changed entity's new JSON to events_log and NOTIFYs its id, so the
event exists if and only if the change does, and every API process hears it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

CHANNEL = "siaga_events"
KINDS = ("call", "incident", "unit", "assignment")


def touch(session: AsyncSession, kind: str, entity_id: uuid.UUID | str) -> None:
    touched: dict[tuple[str, str], None] = session.info.setdefault("touched", {})
    touched[(kind, str(entity_id))] = None


def publish(session: AsyncSession, kind: str, entity_id: uuid.UUID | str, data: Any) -> None:
    """Write one event now (for events that are not an entity's new state, e.g. overdue)."""
    pending: list[tuple[str, str, Any]] = session.info.setdefault("published", [])
    pending.append((kind, str(entity_id), data))


async def _render(session: AsyncSession, kind: str, entity_id: uuid.UUID) -> Any:
    # Imported here: the query modules import this one to call touch().
    from api.queries.calls import CallRules, call_out, get_call_row
    from api.queries.incidents import assignment_out, get_incident
    from api.queries.units import get_unit

    if kind == "incident":
        return await get_incident(session, entity_id)
    if kind == "unit":
        return await get_unit(session, entity_id)
    if kind == "assignment":
        from api.queries.assignments import get_assignment

        return assignment_out(await get_assignment(session, entity_id, lock=False))
    rules = CallRules.from_settings(session.info["settings"])
    return await call_out(session, await get_call_row(session, entity_id), rules)


async def flush_events(session: AsyncSession) -> None:
    touched: dict[tuple[str, str], None] = session.info.pop("touched", {})
    published: list[tuple[str, str, Any]] = session.info.pop("published", [])
    if not touched and not published:
        return
    rows = [(k, i, await _render(session, k, uuid.UUID(i))) for k, i in touched] + published
    # Ids must become visible in order, or a client resuming after id N could miss an id below
    # N committed later; this lock, held to commit, serialises only this short tail.
    await session.execute(text("SELECT pg_advisory_xact_lock(112112)"))
    for kind, entity_id, data in rows:
        row = await session.execute(
            text(
                "INSERT INTO events_log (kind, entity_id, data) "
                "VALUES (:k, :e, CAST(:d AS jsonb)) RETURNING id"
            ),
            {"k": kind, "e": entity_id, "d": json.dumps(msgspec.to_builtins(data), default=str)},
        )
        await session.execute(
            text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": str(row.scalar_one())}
        )

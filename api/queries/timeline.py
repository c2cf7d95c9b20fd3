"""The incident timeline: append-only events."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas import TimelineItem


async def add_event(
    session: AsyncSession,
    incident_id: uuid.UUID,
    kind: str,
    actor: str | None,
    data: dict[str, Any] | None = None,
) -> None:
    await session.execute(
        text(
            "INSERT INTO incident_events (incident_id, kind, actor, data) "
            "VALUES (:i, :k, :a, CAST(:d AS jsonb))"
        ),
        {"i": incident_id, "k": kind, "a": actor, "d": json.dumps(data or {}, default=str)},
    )


async def list_events(session: AsyncSession, incident_id: uuid.UUID) -> list[TimelineItem]:
    rows = await session.execute(
        text(
            "SELECT at, kind, actor, data FROM incident_events WHERE incident_id = :i ORDER BY id"
        ),
        {"i": incident_id},
    )
    return [TimelineItem(at=r.at, kind=r.kind, actor=r.actor, data=r.data) for r in rows]

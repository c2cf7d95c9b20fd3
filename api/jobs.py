"""Durable background work on PgQueuer: push delivery and acknowledgement timers.

PgQueuer (PostgreSQL-backed, asyncpg, FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY wake-up) was chosen
because the jobs then live in the same database and, above all, are enqueued in the same
transaction as the assignment: a process killed right after the commit finds the job on
restart, and a rolled-back dispatch sends nothing. Timers are jobs with `execute_after`, so
they survive restarts too.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from pgqueuer.adapters.drivers.asyncpg import AsyncpgDriver
from pgqueuer.queries import Queries
from sqlalchemy.ext.asyncio import AsyncSession

from api.settings import Settings

PUSH_ASSIGNMENT = "push_assignment"
PUSH_SEND = "push_send"
ACK_CHECK = "ack_check"


def settings_of(session: AsyncSession) -> Settings:
    settings: Settings = session.info["settings"]
    return settings


async def enqueue(
    session: AsyncSession, entrypoint: str, payload: dict[str, Any], delay_s: float = 0
) -> None:
    """Queue a job on the session's own connection, inside its open transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    queries = Queries(AsyncpgDriver(raw.driver_connection))
    await queries.enqueue(
        entrypoint,
        json.dumps(payload).encode(),
        execute_after=timedelta(seconds=delay_s) if delay_s > 0 else None,
    )


async def assignment_created(session: AsyncSession, assignment_id: uuid.UUID) -> None:
    """Every new assignment is pushed now and checked for acknowledgement after the timeout."""
    ack_timeout = settings_of(session).ack_timeout_s
    await enqueue(session, PUSH_ASSIGNMENT, {"assignment_id": str(assignment_id)})
    await enqueue(
        session, ACK_CHECK, {"assignment_id": str(assignment_id), "round": 1}, ack_timeout
    )

"""The job worker: pushes assignments to every device of the unit and runs the
acknowledgement timers. It runs inside each API process (SIAGA_RUN_WORKER) or alone
(`siaga worker`); PgQueuer's SKIP LOCKED lets several run at once."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from datetime import timedelta
from typing import Any

import aiohttp
import asyncpg
import msgspec
from pgqueuer import PgQueuer
from pgqueuer.adapters.drivers.asyncpg import AsyncpgDriver
from pgqueuer.models import Job, Schedule
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import jobs, notify
from api.db import plain_dsn, unit_of_work
from api.queries.assignments import get_assignment
from api.queries.dispatching import transition_and_follow_up
from api.queries.incidents import assignment_out, get_incident
from api.queries.public import refresh_public
from api.queries.timeline import add_event
from api.queries.users import CurrentUser
from api.settings import Settings

log = logging.getLogger("siaga.worker")
SYSTEM = CurrentUser(uuid.UUID(int=0), "system", "system", None)
ACTOR = "system"


class Worker:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.vapid = notify.load_vapid(settings)
        self._task: asyncio.Task[None] | None = None
        self._connection: Any = None
        self._http: aiohttp.ClientSession | None = None
        self._pgq: PgQueuer | None = None

    def uow(self) -> contextlib.AbstractAsyncContextManager[AsyncSession]:
        return unit_of_work(self.sessionmaker, self.settings)

    async def start(self) -> None:
        self._connection = await asyncpg.connect(plain_dsn(self.settings.database_url))
        self._http = aiohttp.ClientSession()
        pgq = PgQueuer(AsyncpgDriver(self._connection))
        pgq.entrypoint(jobs.PUSH_ASSIGNMENT)(self.push_assignment)
        pgq.entrypoint(jobs.PUSH_SEND, concurrency_limit=20)(self.push_send)
        pgq.entrypoint(jobs.ACK_CHECK)(self.ack_check)
        pgq.schedule("prune_events", "* * * * *")(self._prune_on_schedule)
        pgq.schedule("refresh_public", "*/10 * * * *")(self._refresh_on_schedule)
        self._pgq = pgq
        # A one-second poll keeps short timers punctual; NOTIFY wakes the worker for new jobs.
        self._task = asyncio.create_task(
            pgq.run(dequeue_timeout=timedelta(seconds=1), heartbeat_timeout=timedelta(seconds=10))
        )

    async def stop(self) -> None:
        if self._pgq is not None:
            self._pgq.shutdown.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()
            except Exception:  # a failing worker must not stop the API from shutting down
                log.exception("worker stopped with an error")
        if self._http is not None:
            await self._http.close()
        if self._connection is not None:
            await self._connection.close()

    # --- jobs ------------------------------------------------------------------------------

    async def _refresh_on_schedule(self, _schedule: Schedule) -> None:
        async with self.uow() as session:
            s = self.settings
            await refresh_public(session, s.timezone, s.public_delay_h, s.public_cell_m)

    async def _prune_on_schedule(self, _schedule: Schedule) -> None:
        await self.prune_events()

    async def prune_events(self) -> int:
        """The live feed's replay log only needs to cover a reconnecting client's gap."""
        async with self.uow() as session:
            done = await session.execute(
                text("DELETE FROM events_log WHERE at < now() - make_interval(secs => :keep)"),
                {"keep": self.settings.events_keep_s},
            )
        return int(done.rowcount or 0)  # type: ignore[attr-defined]

    async def push_assignment(self, job: Job) -> None:
        """Fan out: one job per device, so a dead or slow device delays no other."""
        body = json.loads(job.payload or b"{}")
        async with self.uow() as session:
            row = await get_assignment(session, uuid.UUID(body["assignment_id"]), lock=False)
            if row.status != "sent":
                return
            subscriptions = await session.execute(
                text("SELECT id FROM push_subscriptions WHERE unit_id = :u ORDER BY created_at"),
                {"u": row.unit_id},
            )
            ids = [str(s) for s in subscriptions.scalars()]
            if not ids:
                await add_event(session, row.incident_id, "push_no_device", ACTOR,
                                {"assignment_id": str(row.id), "callsign": row.callsign})  # fmt: skip
            for sub_id in ids:
                await jobs.enqueue(session, jobs.PUSH_SEND, {
                    "assignment_id": str(row.id), "subscription_id": sub_id, "attempt": 1})  # fmt: skip

    async def push_send(self, job: Job) -> None:
        body = json.loads(job.payload or b"{}")
        assignment_id = uuid.UUID(body["assignment_id"])
        attempt = int(body["attempt"])
        async with self.uow() as session:
            row = await get_assignment(session, assignment_id, lock=False)
            sub = (
                await session.execute(
                    text("SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = :i"),
                    {"i": uuid.UUID(body["subscription_id"])},
                )
            ).first()
            if sub is None or row.status != "sent":
                return
            incident = msgspec.to_builtins(await get_incident(session, row.incident_id))
            payload = notify.assignment_payload(msgspec.to_builtins(assignment_out(row)), incident)
        subscription = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
        assert self._http is not None
        # Network I/O happens outside any transaction: no connection is held while waiting.
        outcome = await notify.send(
            self._http, self.vapid, self.settings.vapid_subject, subscription, payload,
            notify.topic(str(assignment_id)), self.settings.push_ttl_s,
        )  # fmt: skip
        await self._record(body, row, sub.endpoint, attempt, outcome)

    async def _record(
        self, body: dict[str, Any], row: Any, endpoint: str, attempt: int, outcome: notify.Outcome
    ) -> None:
        retry = outcome.retryable and attempt < self.settings.push_max_attempts
        async with self.uow() as session:
            await add_event(session, row.incident_id, "push_attempt", ACTOR, {
                "assignment_id": str(row.id), "subscription_id": body["subscription_id"],
                "attempt": attempt, "status": outcome.status, "error": outcome.error,
                "result": "delivered" if outcome.delivered else "gone" if outcome.gone
                else "retrying" if retry else "failed"})  # fmt: skip
            if outcome.gone:
                await session.execute(
                    text("DELETE FROM push_subscriptions WHERE endpoint = :e"), {"e": endpoint}
                )
            elif retry:
                backoff = self.settings.push_backoff_s * 2 ** (attempt - 1)
                delay = max(backoff, outcome.retry_after_s or 0)
                await jobs.enqueue(session, jobs.PUSH_SEND, {**body, "attempt": attempt + 1}, delay)

    async def ack_check(self, job: Job) -> None:
        """First window over: push again. Second window over: time out, flag it overdue, and
        send the next nearest unit of the same kind."""
        body = json.loads(job.payload or b"{}")
        assignment_id = uuid.UUID(body["assignment_id"])
        async with self.uow() as session:
            row = await get_assignment(session, assignment_id, lock=True)
            if row.status != "sent":
                return
            if int(body["round"]) == 1:
                await add_event(session, row.incident_id, "ack_reminder", ACTOR,
                                {"assignment_id": str(row.id), "callsign": row.callsign})  # fmt: skip
                await jobs.enqueue(session, jobs.PUSH_ASSIGNMENT, {"assignment_id": str(row.id)})
                await jobs.enqueue(session, jobs.ACK_CHECK, {**body, "round": 2},
                                   self.settings.ack_timeout_s)  # fmt: skip
                return
            await transition_and_follow_up(
                session, assignment_id, "timed_out", SYSTEM, None, None,
                f"not acknowledged within {2 * self.settings.ack_timeout_s:.0f} s",
            )  # fmt: skip


async def run_worker(settings: Settings) -> None:
    """`siaga worker`: the worker alone, for deployments that scale it apart from the API."""
    from api.db import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    worker = Worker(make_sessionmaker(engine), settings)
    await worker.start()
    try:
        assert worker._task is not None
        await worker._task
    finally:
        await worker.stop()
        await engine.dispose()

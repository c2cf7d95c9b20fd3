"""The live feed hub of one API process: LISTEN on the events channel, fan out to SSE clients.

Every process listens, so a change committed through any process reaches every client.
events_log keeps recent events, so a client that reconnects with Last-Event-ID gets the gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import asyncpg

from api.db import plain_dsn
from api.events import CHANNEL

log = logging.getLogger("siaga.feed")
REPLAY_LIMIT = 5000


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    data: str


class Feed:
    def __init__(self, database_url: str) -> None:
        self.dsn = plain_dsn(database_url)
        self.clients: set[asyncio.Queue[Event]] = set()
        self._ids: asyncio.Queue[int] = asyncio.Queue()
        self._listener: Any = None
        self._pool: Any = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._pool = await asyncpg.create_pool(self.dsn, min_size=1, max_size=2)
        self._listener = await asyncpg.connect(self.dsn)
        await self._listener.add_listener(CHANNEL, self._notified)
        self._task = asyncio.create_task(self._pump())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._listener is not None:
            await self._listener.close()
        if self._pool is not None:
            await self._pool.close()

    def _notified(self, _conn: object, _pid: object, _channel: object, payload: object) -> None:
        with contextlib.suppress(ValueError):
            self._ids.put_nowait(int(str(payload)))

    async def _pump(self) -> None:
        """One at a time, in NOTIFY (= commit) order."""
        while True:
            event_id = await self._ids.get()
            try:
                row = await self._pool.fetchrow(
                    "SELECT id, kind, data::text AS data FROM events_log WHERE id = $1", event_id
                )
            except (asyncpg.PostgresError, OSError):
                log.exception("could not read event %s", event_id)
                continue
            if row is None:
                continue
            event = Event(row["id"], row["kind"], row["data"])
            for client in list(self.clients):
                client.put_nowait(event)

    def subscribe(self) -> asyncio.Queue[Event]:
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self.clients.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Event]) -> None:
        self.clients.discard(queue)

    async def latest(self) -> int:
        return int(await self._pool.fetchval("SELECT coalesce(max(id), 0) FROM events_log"))

    async def since(self, last_id: int) -> list[Event]:
        rows = await self._pool.fetch(
            "SELECT id, kind, data::text AS data FROM events_log WHERE id > $1 ORDER BY id LIMIT $2",
            last_id,
            REPLAY_LIMIT,
        )
        return [Event(r["id"], r["kind"], r["data"]) for r in rows]

"""GET /api/events: Server-Sent Events for dispatchers and supervisors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from litestar import Controller, Request, get
from litestar.response import ServerSentEvent, ServerSentEventMessage

from api.errors import Invalid
from api.feed import Event, Feed

READERS: dict[str, Any] = {"roles": ("dispatcher", "supervisor")}
KEEP_ALIVE_S = 15


def _message(event: Event) -> ServerSentEventMessage:
    return ServerSentEventMessage(data=event.data, event=event.kind, id=event.id)


def _last_id(request: Request[Any, Any, Any]) -> int:
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id")
    if raw is None or raw == "":
        return 0
    # ASCII digits only (str.isdigit() also takes "²"), and within bigint.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise Invalid("Last-Event-ID must be an event id this server sent", "last_event_id")
    return int(raw)


async def _stream(feed: Feed, last: int) -> AsyncIterator[ServerSentEventMessage]:
    queue = feed.subscribe()  # before the replay, so nothing falls between the two
    try:
        yield ServerSentEventMessage(data=None, comment="siaga 112 live feed", retry=2000)
        # An id from the future (a reset database, a made-up header) would silence the feed;
        # such a client starts from now instead.
        last = min(last, await feed.latest())
        if last:
            for event in await feed.since(last):
                last = event.id
                yield _message(event)
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), KEEP_ALIVE_S)
            except TimeoutError:
                yield ServerSentEventMessage(data=None, comment="keep-alive")
                continue
            if event.id > last:
                last = event.id
                yield _message(event)
    finally:
        feed.unsubscribe(queue)


class EventController(Controller):
    path = "/api/events"
    tags = ["events"]

    @get("/", opt=READERS)
    async def events(self, request: Request[Any, Any, Any]) -> ServerSentEvent:
        feed: Feed = request.app.state.feed
        return ServerSentEvent(_stream(feed, _last_id(request)))

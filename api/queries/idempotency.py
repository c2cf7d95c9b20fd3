"""Exactly-once for retried requests: the first request with a key claims it (a concurrent
twin waits on the primary key until the first commits), the answer is stored in the same
transaction as the change, and every later request with that key gets the stored answer."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Invalid


@dataclass(frozen=True)
class Stored:
    status: int
    body: Any


async def claim(session: AsyncSession, user_id: uuid.UUID, key: str, path: str) -> Stored | None:
    """None: this request owns the key and must do the work; otherwise the earlier answer."""
    if not key or len(key) > 100 or "\x00" in key:
        raise Invalid("Idempotency-Key must be 1 to 100 characters", "Idempotency-Key")
    owned = await session.execute(
        text(
            "INSERT INTO idempotency_keys (user_id, key, path) VALUES (:u, :k, :p) "
            "ON CONFLICT DO NOTHING RETURNING key"
        ),
        {"u": user_id, "k": key, "p": path},
    )
    if owned.first() is not None:
        return None
    row = (
        await session.execute(
            text("SELECT path, status, body FROM idempotency_keys WHERE user_id = :u AND key = :k"),
            {"u": user_id, "k": key},
        )
    ).one()
    if row.path != path:
        raise Invalid(
            "this Idempotency-Key was already used for another request", "Idempotency-Key"
        )
    return Stored(row.status, row.body)


async def complete(
    session: AsyncSession, user_id: uuid.UUID, key: str, status: int, body: Any
) -> None:
    await session.execute(
        text(
            "UPDATE idempotency_keys SET status = :s, body = CAST(:b AS jsonb) "
            "WHERE user_id = :u AND key = :k"
        ),
        {"s": status, "b": json.dumps(body, default=str), "u": user_id, "k": key},
    )


T = TypeVar("T")


async def once(
    session: AsyncSession, user_id: uuid.UUID, key: str | None, fingerprint: str,
    answer_type: type[T], work: Callable[[], Awaitable[T]],
) -> T:  # fmt: skip
    """Do `work` once per key: a repeat with the same key gets the stored answer back."""
    if key and (stored := await claim(session, user_id, key, fingerprint)):
        return msgspec.convert(stored.body, answer_type)
    answer = await work()
    if key:
        await complete(session, user_id, key, 200, msgspec.to_builtins(answer))
    return answer

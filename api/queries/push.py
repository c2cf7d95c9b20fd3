"""Push subscriptions: one row per browser endpoint, several per unit."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas import PushSubscriptionOut


async def save_subscription(
    session: AsyncSession, endpoint: str, p256dh: str, auth: str, unit_id: uuid.UUID,
    user_id: uuid.UUID,
) -> PushSubscriptionOut:  # fmt: skip
    """Registering the same endpoint again updates it (a browser rotates its keys, or the phone
    passes to another crew member's log-in)."""
    row = (
        await session.execute(
            text(
                """INSERT INTO push_subscriptions (endpoint, p256dh, auth, unit_id, user_id)
                VALUES (:e, :p, :a, :u, :usr)
                ON CONFLICT (endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh,
                    auth = EXCLUDED.auth, unit_id = EXCLUDED.unit_id, user_id = EXCLUDED.user_id,
                    updated_at = now()
                RETURNING id, endpoint, unit_id"""
            ),
            {"e": endpoint, "p": p256dh, "a": auth, "u": unit_id, "usr": user_id},
        )
    ).one()
    return PushSubscriptionOut(id=str(row.id), endpoint=row.endpoint, unit_id=str(row.unit_id))


async def delete_subscription(session: AsyncSession, endpoint: str, unit_id: uuid.UUID) -> bool:
    row = await session.execute(
        text("DELETE FROM push_subscriptions WHERE endpoint = :e AND unit_id = :u RETURNING id"),
        {"e": endpoint, "u": unit_id},
    )
    return row.first() is not None

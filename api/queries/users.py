"""Users and log-in sessions. Passwords are hashed with argon2 (argon2-cffi)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

HASHER = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = HASHER.hash("siaga-112-no-such-user")


@dataclass(frozen=True)
class CurrentUser:
    id: uuid.UUID
    username: str
    role: str
    unit_id: uuid.UUID | None

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.username}"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def upsert_user(
    session: AsyncSession,
    username: str,
    password: str,
    role: str,
    unit_id: uuid.UUID | None = None,
    demo: bool = False,
) -> uuid.UUID:
    row = await session.execute(
        text(
            """
            INSERT INTO users (username, password_hash, role, unit_id, demo)
            VALUES (:username, :hash, :role, :unit_id, :demo)
            ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash,
                role = EXCLUDED.role, unit_id = EXCLUDED.unit_id, demo = EXCLUDED.demo
            RETURNING id
            """
        ),
        {
            "username": username,
            "hash": HASHER.hash(password),
            "role": role,
            "unit_id": unit_id,
            "demo": demo,
        },
    )
    return uuid.UUID(str(row.scalar_one()))


async def check_password(session: AsyncSession, username: str, password: str) -> CurrentUser | None:
    row = (
        await session.execute(
            text(
                "SELECT id, username, role, unit_id, password_hash FROM users WHERE username = :u"
            ),
            {"u": username},
        )
    ).first()
    try:
        HASHER.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    return CurrentUser(row.id, row.username, row.role, row.unit_id)


async def open_session(session: AsyncSession, user_id: uuid.UUID, ttl_s: int) -> str:
    token = secrets.token_urlsafe(32)
    await session.execute(
        text("INSERT INTO auth_sessions (token_hash, user_id, expires_at) VALUES (:h, :u, :e)"),
        {"h": _token_hash(token), "u": user_id, "e": datetime.now(UTC) + timedelta(seconds=ttl_s)},
    )
    return token


async def close_session(session: AsyncSession, token: str) -> None:
    await session.execute(
        text("DELETE FROM auth_sessions WHERE token_hash = :h"), {"h": _token_hash(token)}
    )


async def user_for_token(session: AsyncSession, token: str) -> CurrentUser | None:
    row = (
        await session.execute(
            text(
                """
                SELECT u.id, u.username, u.role, u.unit_id FROM auth_sessions s
                JOIN users u ON u.id = s.user_id
                WHERE s.token_hash = :h AND s.expires_at > now()
                """
            ),
            {"h": _token_hash(token)},
        )
    ).first()
    return CurrentUser(row.id, row.username, row.role, row.unit_id) if row else None

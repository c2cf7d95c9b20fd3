"""Engine, sessions and the per-request transaction dependency."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from litestar import Request
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from api.events import flush_events
from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def make_engine(url: str) -> AsyncEngine:
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[AsyncSession]:
    """One transaction: committed with its change events when the body returns, rolled back
    (events and queued jobs included) when it raises."""
    async with sessionmaker() as session, session.begin():
        session.info["settings"] = settings
        yield session
        await flush_events(session)


async def provide_transaction(
    request: Request[Any, Any, Any],
) -> AsyncGenerator[AsyncSession]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    state = request.app.state
    async with unit_of_work(state.sessionmaker, state.settings) as session:
        yield session


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def migrate(database_url: str, revision: str = "head") -> None:
    """Run the real Alembic migrations (sync entry point; env.py runs its own event loop)."""
    command.upgrade(alembic_config(database_url), revision)


def plain_dsn(url: str) -> str:
    """The libpq-style URL that asyncpg itself takes (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def recreate_database(url: str) -> None:
    """Drop and create the database named in `url` (for tests and scratch replays), connecting
    to the server's `postgres` database with the same credentials."""
    import asyncpg

    target = make_url(url)
    name = target.database
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"refusing to recreate a database named {name!r}")
    conn = await asyncpg.connect(plain_dsn(with_database(url, "postgres")))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)

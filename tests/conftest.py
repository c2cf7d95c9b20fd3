"""One PostGIS server for the session; a fresh database built by the real Alembic migrations,
with Tebing Tinggi's real boundaries and facilities loaded; one TRUNCATE per test."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.app import create_app
from api.db import make_engine, make_sessionmaker, migrate, recreate_database, with_database
from api.demo import CITY_DIR, load_areas, load_facilities
from api.notify import ensure_vapid_file, load_vapid, public_key
from api.push_receiver import PushReceiver
from api.queries.users import HASHER
from api.settings import Settings

PASSWORD = "kata-sandi-uji-112"
OPERATIONAL = (
    "calls, callers, incident_events, assignments, incidents, push_subscriptions, auth_sessions, "
    "unit_status_history, users, units, stations, places, events_log, pgqueuer, pgqueuer_log"
)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The suite's settings: its own database and VAPID key, the local push receiver allowed,
    and no background worker (tests that deliver pushes start one themselves)."""
    base = Settings.from_env()
    url = os.environ.get("SIAGA_TEST_DATABASE_URL") or with_database(
        base.database_url, "siaga_test"
    )
    key_file = tmp_path_factory.mktemp("vapid") / "vapid-private.pem"
    ensure_vapid_file(key_file)
    return dataclasses.replace(
        base,
        database_url=url,
        demo_password=PASSWORD,
        vapid_private_key=None,
        vapid_key_file=key_file,
        push_allowed_origins=(*base.push_allowed_origins, "http://127.0.0.1"),
        run_worker=False,
        public_rate_per_min=100_000,  # the rate limit has its own test, with its own app
    )


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    await recreate_database(settings.database_url)
    await asyncio.to_thread(migrate, settings.database_url)
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as session, session.begin():
        await load_areas(session, settings.data_dir / CITY_DIR)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def password_hash() -> str:
    return HASHER.hash(PASSWORD)


@pytest.fixture
async def db(
    engine: AsyncEngine, settings: Settings, password_hash: str
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Each test starts with the city's areas and stations, the staff users and nothing else."""
    maker = make_sessionmaker(engine)
    async with maker() as session, session.begin():
        await session.execute(text(f"TRUNCATE {OPERATIONAL} RESTART IDENTITY CASCADE"))
        await load_facilities(session, settings.data_dir / CITY_DIR)
        for role in ("admin", "supervisor", "dispatcher"):
            await session.execute(
                text("INSERT INTO users (username, password_hash, role) VALUES (:u, :h, :u)"),
                {"u": role, "h": password_hash},
            )
    yield maker


@pytest.fixture
def receiver(settings: Settings) -> Iterator[PushReceiver]:
    """The local push service, expecting the server's own VAPID key."""
    receiver = PushReceiver(expected_key=public_key(load_vapid(settings))).start()
    yield receiver
    receiver.stop()


class Api:
    """A logged-in view of the real app over ASGI, with small helpers tests share."""

    def __init__(self, client: AsyncTestClient[Any], maker: async_sessionmaker[AsyncSession],
                 password_hash: str) -> None:  # fmt: skip
        self.client = client
        self.maker = maker
        self.password_hash = password_hash
        self._tokens: dict[str, str] = {}

    async def as_(self, username: str) -> dict[str, str]:
        if username not in self._tokens:
            response = await self.client.post(
                "/api/auth/login", json={"username": username, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            self._tokens[username] = response.json()["token"]
        return {"authorization": f"Bearer {self._tokens[username]}"}

    async def request(self, method: str, path: str, who: str = "dispatcher", **kw: Any) -> Any:
        headers = {**(await self.as_(who) if who else {}), **kw.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kw)

    async def ok(self, method: str, path: str, who: str = "dispatcher", **kw: Any) -> Any:
        response = await self.request(method, path, who, **kw)
        assert response.status_code < 300, (
            f"{method} {path}: {response.status_code} {response.text}"
        )
        return response.json() if response.content else None

    async def unit(self, callsign: str, kind: str, lat: float | None = None,
                   lon: float | None = None, station: str | None = None) -> dict[str, Any]:  # fmt: skip
        """A unit (created by the admin through the API) and its responder user."""
        body: dict[str, Any] = {"callsign": callsign, "kind": kind}
        if lat is not None:
            body["location"] = {"lat": lat, "lon": lon}
        if station is not None:
            body["station_id"] = await self.station_id(station)
        unit = await self.ok("POST", "/api/units", "admin", json=body)
        async with self.maker() as session, session.begin():
            await session.execute(
                text("INSERT INTO users (username, password_hash, role, unit_id) "
                     "VALUES (:u, :h, 'responder', :unit)"),
                {"u": callsign.lower(), "h": self.password_hash, "unit": unit["id"]},
            )  # fmt: skip
        return dict(unit)

    async def station_id(self, name: str) -> str:
        stations = await self.ok("GET", "/api/stations", "admin")
        return str(next(s["id"] for s in stations["items"] if s["name"] == name))

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.maker() as session:
            return (await session.execute(text(sql), params)).scalar()


@pytest.fixture(scope="session")
async def client(settings: Settings, engine: AsyncEngine) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


@pytest.fixture
async def api(
    client: AsyncTestClient[Any], db: async_sessionmaker[AsyncSession], password_hash: str
) -> Api:
    return Api(client, db, password_hash)

"""The composition root: create_app(settings) is the only place that wires routes together."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, Router, get
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.datastructures import CacheControlHeader
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from api.auth import provide_user, role_guard
from api.db import make_engine, make_sessionmaker, provide_transaction
from api.errors import EXCEPTION_HANDLERS
from api.feed import Feed
from api.notify import load_vapid, public_key
from api.routes.auth import AuthController
from api.routes.calls import CallController, CallerController
from api.routes.events import EventController
from api.routes.incidents import IncidentController
from api.routes.places import PlaceController
from api.routes.public import PublicController, rate_limit
from api.routes.push import PushController
from api.routes.reports import ReportController
from api.routes.units import AssignmentController, StationController, UnitController
from api.settings import Settings
from api.strict_body import strict_json_body
from api.worker import Worker

# SQLSTATEs that mean "someone else changed this first": a retry may succeed.
CONFLICT_STATES = {"40001", "40P01", "23505"}


def db_conflict_handler(_: Request[Any, Any, Any], exc: DBAPIError) -> Response[dict[str, Any]]:
    state = getattr(exc.orig, "sqlstate", None) or getattr(
        getattr(exc.orig, "__cause__", None), "sqlstate", None
    )
    if isinstance(exc, IntegrityError) or state in CONFLICT_STATES:
        body = {"status_code": 409, "detail": "a concurrent change won; reload and retry",
                "extra": []}  # fmt: skip
        return Response(body, status_code=409)
    raise exc


@get("/api/health", tags=["health"])
async def health(request: Request[Any, Any, Any]) -> dict[str, str]:
    async with request.app.state.sessionmaker() as session:
        await session.execute(text("SELECT 1"))
    return {"status": "ok"}


PWA_DIST = Path(__file__).resolve().parent.parent / "pwa" / "dist"


def pwa_router(dist: Path) -> list[Any]:
    """The built PWA at "/", so its service worker's scope covers the whole app. no-cache: the
    browser revalidates, and the service worker's own precache is what works offline."""
    if not (dist / "index.html").exists():
        return []
    return [
        create_static_files_router(
            path="/", directories=[dist], html_mode=True, include_in_schema=False,
            cache_control=CacheControlHeader(no_cache=True), name="pwa",
        )
    ]  # fmt: skip


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None]:
        engine = make_engine(settings.database_url)
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.settings = settings
        vapid = load_vapid(settings)
        app.state.vapid_public_key = public_key(vapid)
        feed = app.state.feed = Feed(settings.database_url)
        await feed.start()
        worker = Worker(app.state.sessionmaker, settings) if settings.run_worker else None
        if worker is not None:
            await worker.start()
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            await feed.stop()
            await engine.dispose()

    return Litestar(
        route_handlers=[
            health,
            AuthController,
            CallController,
            CallerController,
            IncidentController,
            UnitController,
            AssignmentController,
            StationController,
            PlaceController,
            PushController,
            EventController,
            ReportController,
            Router(
                "/",
                route_handlers=[PublicController],
                middleware=[rate_limit(settings.public_rate_per_min).middleware],
            ),
            *pwa_router(PWA_DIST),
        ],
        dependencies={
            "db": Provide(provide_transaction),
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
            "user": Provide(provide_user, sync_to_thread=False),
        },
        guards=[role_guard],
        before_request=strict_json_body,
        exception_handlers={**EXCEPTION_HANDLERS, DBAPIError: db_conflict_handler},  # type: ignore[dict-item]
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(title="Siaga 112", version="0.1.0", path="/schema"),
        cors_config=CORSConfig(allow_origins=[], allow_credentials=True),
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024),
        debug=False,
    )

"""The `siaga` command: migrate, import, serve, replay, demo, user."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
from pathlib import Path

from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def demo_password(settings: Settings) -> tuple[str, bool]:
    """SIAGA_DEMO_PASSWORD, or one generated once and kept in var/ (never in the repository)."""
    if settings.demo_password:
        return settings.demo_password, False
    path = ROOT / "var" / "demo-password"
    if path.exists():
        return path.read_text().strip(), True
    path.parent.mkdir(exist_ok=True)
    password = secrets.token_urlsafe(9)
    path.write_text(password + "\n")
    os.chmod(path, 0o600)
    return password, True


async def _import(settings: Settings, demo: bool) -> None:
    from api.db import make_engine, make_sessionmaker
    from api.demo import CITY_DIR, load_areas, load_demo_fleet, load_facilities, load_lines

    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            city = settings.data_dir / CITY_DIR
            areas = await load_areas(session, city)
            facilities = await load_facilities(session, city)
            lines = await load_lines(session, city)
            print(f"imported {areas} areas, {facilities} stations and {lines} road and river "
                  "lines of Kota Tebing Tinggi")  # fmt: skip
            if demo:
                password, generated = demo_password(settings)
                units = await load_demo_fleet(session, password)
                print(f"demo: {units} units, users admin / supervisor / dispatcher and one "
                      "responder per unit (callsign in lower case, e.g. damkar-1)")  # fmt: skip
                where = " (generated, kept in var/demo-password)" if generated else ""
                print(f"demo password: {password}{where}")
    finally:
        await engine.dispose()


async def _add_user(settings: Settings, username: str, role: str, unit: str | None) -> None:
    import getpass
    import uuid

    from api.db import make_engine, make_sessionmaker
    from api.queries.users import upsert_user

    password = os.environ.get("SIAGA_NEW_PASSWORD") or getpass.getpass("password: ")
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await upsert_user(session, username, password, role, uuid.UUID(unit) if unit else None)
    finally:
        await engine.dispose()
    print(f"user {username} ({role}) saved")


async def _refresh_public(settings: Settings) -> None:
    from api.db import make_engine, make_sessionmaker
    from api.queries.public import refresh_public

    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            s = settings
            total = await refresh_public(session, s.timezone, s.public_delay_h, s.public_cell_m)
        print(f"public summary rebuilt: {total} incidents on the map before k-suppression")
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="siaga", description="Siaga 112 dispatch service")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="run the Alembic migrations to head")
    imp = sub.add_parser("import", help="load Tebing Tinggi's areas and stations")
    imp.add_argument("--demo", action="store_true", help="also load demo units and users")
    sub.add_parser("serve", help="serve the API on SIAGA_HOST:SIAGA_PORT")
    rep = sub.add_parser("replay", help="feed a real call log through the HTTP API")
    rep.add_argument("file", type=Path)
    rep.add_argument("--url", help="a running server (default: a scratch server of its own)")
    rep.add_argument("--username", default="admin")
    rep.add_argument("--password", default=os.environ.get("SIAGA_REPLAY_PASSWORD"))
    rep.add_argument("--limit", type=int, default=None, help="replay only the first N rows")
    demo = sub.add_parser("demo", help="the README walk-through against a running server")
    demo.add_argument("--url", default=None)
    sub.add_parser(
        "vapid", help="create the deployment's VAPID key pair once; print the public key"
    )
    sub.add_parser("worker", help="run only the job worker (push delivery, timers)")
    sub.add_parser("refresh-public", help="rebuild the public page's summary now")
    rec = sub.add_parser(
        "push-receiver", help="a local push service for demos: decrypts and prints"
    )
    rec.add_argument("--port", type=int, default=8113)
    user = sub.add_parser("user", help="create or update a user (password from the prompt)")
    user.add_argument("username")
    user.add_argument("role", choices=["admin", "supervisor", "dispatcher", "responder"])
    user.add_argument("--unit", help="unit id, for a responder")
    args = parser.parse_args(argv)
    settings = Settings.from_env()

    if args.command == "migrate":
        from api.db import migrate

        migrate(settings.database_url)
        print("database migrated to head")
    elif args.command == "import":
        asyncio.run(_import(settings, args.demo))
    elif args.command == "serve":
        import uvicorn

        from api.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    elif args.command == "replay":
        from api.replay import run_replay

        return run_replay(settings, args.file, args.url, args.username, args.password, args.limit)
    elif args.command == "demo":
        from api.walkthrough import run_walkthrough

        url = args.url or f"http://{settings.host}:{settings.port}"
        return run_walkthrough(url, demo_password(settings)[0])
    elif args.command == "vapid":
        from api.notify import ensure_vapid_file, load_vapid, public_key

        if settings.vapid_private_key is None and ensure_vapid_file(settings.vapid_key_file):
            print(f"VAPID key pair created in {settings.vapid_key_file} (keep it out of git)")
        print(f"VAPID public key: {public_key(load_vapid(settings))}")
    elif args.command == "refresh-public":
        asyncio.run(_refresh_public(settings))
    elif args.command == "worker":
        from api.worker import run_worker

        asyncio.run(run_worker(settings))
    elif args.command == "push-receiver":
        from api.push_receiver import serve_forever

        serve_forever(args.port, settings)
    elif args.command == "user":
        asyncio.run(_add_user(settings, args.username, args.role, args.unit))
    return 0


if __name__ == "__main__":
    sys.exit(main())

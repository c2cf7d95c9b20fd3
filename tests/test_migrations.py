"""The real Alembic migrations, on a database of their own."""

import asyncio
import dataclasses

import asyncpg
import pytest
from alembic import command
from sqlalchemy.engine import make_url

from api.db import alembic_config, migrate, plain_dsn, recreate_database, with_database


@pytest.fixture(scope="module")
def scratch(settings) -> str:
    url = with_database(settings.database_url, make_url(settings.database_url).database + "_mig")
    asyncio.run(recreate_database(url))
    return url


async def fetch(url: str, sql: str) -> list:
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


def test_upgrade_creates_extensions_and_geography_columns(scratch) -> None:
    migrate(scratch)
    extensions = {
        r["extname"] for r in asyncio.run(fetch(scratch, "SELECT extname FROM pg_extension"))
    }
    assert {"postgis", "pg_trgm"} <= extensions
    columns = asyncio.run(fetch(scratch, """
        SELECT f_table_name AS t, f_geography_column AS c, type, srid FROM geography_columns
        ORDER BY 1, 2"""))  # fmt: skip
    found = {(r["t"], r["c"]): (r["type"], r["srid"]) for r in columns}
    for table in ("calls", "incidents", "units", "stations", "places"):
        assert found[(table, "location")] == ("Point", 4326)
    gist = asyncio.run(
        fetch(scratch, "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gist%'")
    )
    assert {"incidents_location_gist", "units_location_gist", "calls_location_gist"} <= {
        r["indexname"] for r in gist}  # fmt: skip


def test_downgrade_and_upgrade_again(scratch) -> None:
    migrate(scratch)
    command.downgrade(alembic_config(scratch), "0001")
    tables = asyncio.run(
        fetch(scratch, "SELECT tablename FROM pg_tables WHERE schemaname='public'")
    )
    assert "incidents" not in {r["tablename"] for r in tables}
    migrate(scratch)
    tables = asyncio.run(
        fetch(scratch, "SELECT tablename FROM pg_tables WHERE schemaname='public'")
    )
    assert {"incidents", "assignments", "response_plans"} <= {r["tablename"] for r in tables}


def test_response_plan_is_data(scratch) -> None:
    migrate(scratch)
    plans = asyncio.run(fetch(scratch, "SELECT category, unit_kinds FROM response_plans"))
    assert {r["category"]: list(r["unit_kinds"]) for r in plans} == {
        "fire": ["fire"], "medical": ["ambulance"], "security": ["police"],
        "accident": ["police", "ambulance"], "disaster": ["fire", "police", "ambulance"],
        "other": ["police"]}  # fmt: skip


def test_settings_are_read_once_from_siaga_variables() -> None:
    from api.settings import Settings, SettingsError

    settings = Settings.from_env(
        {"SIAGA_DATABASE_URL": "postgresql://u:p@db/x", "SIAGA_PORT": "9000"}
    )
    assert settings.database_url == "postgresql+asyncpg://u:p@db/x" and settings.port == 9000
    assert dataclasses.replace(settings, port=1).port == 1
    with pytest.raises(SettingsError, match="SIAGA_PORT"):
        Settings.from_env({"SIAGA_PORT": "eighty"})


def test_orm_tables_match_the_migrated_schema(scratch) -> None:
    """api/models.py describes the same tables and columns the migrations build (indexes live
    in the migrations only), so the typed mapping cannot drift from the database."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from api.models import Base

    migrate(scratch)

    async def diff() -> list:
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(scratch)
        async with engine.connect() as conn:
            found = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
        await engine.dispose()
        return found

    diffs = [
        d for d in asyncio.run(diff())
        if not (isinstance(d, tuple) and d[0] == "remove_index")
        # PostGIS's and PgQueuer's own tables are theirs, not ours to map.
        and not (isinstance(d, tuple) and d[0] == "remove_table"
                 and (d[1].name == "spatial_ref_sys" or d[1].name.startswith("pgqueuer")))
    ]  # fmt: skip
    assert diffs == [], diffs

"""Run a multi-statement SQL script inside the migration's transaction.

asyncpg prepares every statement it is given, and a prepared statement holds one command, so a
script goes through asyncpg's simple-query ``execute`` on the driver connection instead.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.util import await_


def run_script(sql: str) -> None:
    driver = op.get_bind().connection.dbapi_connection.driver_connection  # type: ignore[union-attr]
    await_(driver.execute(sql))

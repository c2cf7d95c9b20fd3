"""The job queue (PgQueuer's own schema) and the replayable live-feed log.

PgQueuer's tables are created from the library's own install SQL, so they always match the
installed version's expectations. events_log keeps recent changes for SSE clients that
reconnect with Last-Event-ID; NOTIFY carries only the row id.

Revision ID: 0004
Revises: 0003
"""

from alembic import op
from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment

from migrations.sqlscript import run_script

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

EVENTS = """
CREATE TABLE events_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    kind      varchar(20) NOT NULL CHECK (kind IN ('call', 'incident', 'unit', 'assignment', 'overdue')),
    entity_id uuid NOT NULL,
    data      jsonb NOT NULL
);
CREATE INDEX events_log_at ON events_log (at);
"""


def upgrade() -> None:
    run_script(QueryBuilderEnvironment().build_install_query(create_schema=False))
    run_script(EVENTS)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS events_log")
    run_script(QueryBuilderEnvironment().build_uninstall_query())

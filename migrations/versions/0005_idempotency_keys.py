"""Idempotency keys: a responder's phone retries an action queued offline, and the retry must
not apply twice.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from migrations.sqlscript import run_script

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE idempotency_keys (
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key        varchar(100) NOT NULL,
    path       text NOT NULL,
    status     integer,
    body       jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS idempotency_keys")

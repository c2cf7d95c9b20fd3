"""The public page's summary: published only from here, refreshed by a job, never from raw rows
on a request.

public_atoms: counts per (fixed hexagon, category, WIB month); only those of at least k are ever
published. public_counts: calls by verdict and incidents by category / kecamatan per month.
public_response: response durations per incident, for medians (internal; never returned).

Revision ID: 0007
Revises: 0006
"""

from alembic import op

from migrations.sqlscript import run_script

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE public_atoms (
    cell_i   integer NOT NULL,
    cell_j   integer NOT NULL,
    category varchar(20) NOT NULL,
    month    char(7) NOT NULL,
    count    integer NOT NULL,
    PRIMARY KEY (cell_i, cell_j, category, month)
);
CREATE TABLE public_counts (
    kind  varchar(20) NOT NULL,
    key   text NOT NULL,
    month char(7) NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (kind, key, month)
);
CREATE TABLE public_response (
    month                 char(7) NOT NULL,
    answer_to_dispatch_s  double precision,
    dispatch_to_scene_s   double precision
);
CREATE INDEX public_response_month ON public_response (month);
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    for table in ("public_response", "public_counts", "public_atoms"):
        op.execute(f"DROP TABLE IF EXISTS {table}")

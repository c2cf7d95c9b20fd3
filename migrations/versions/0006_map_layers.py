"""Base-map layers from the city's own data (roads and rivers), so the console's map needs no
internet. Lines are geometry: they are drawn, never measured.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

from migrations.sqlscript import run_script

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE map_features (
    id     bigserial PRIMARY KEY,
    layer  varchar(20) NOT NULL CHECK (layer IN ('roads', 'rivers')),
    name   text,
    class  text,
    geom   geometry(MultiLineString, 4326) NOT NULL
);
CREATE INDEX map_features_layer ON map_features (layer);
CREATE INDEX map_features_geom_gist ON map_features USING gist (geom);
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS map_features")

"""Index incidents for map boxes on the plane.

A bbox is a lon/lat rectangle, so it is compared as geometry: as geography, a box 180 degrees
wide has antipodal edges and one wider than that wraps the wrong way round the globe.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX incidents_location_geom_gist ON incidents USING gist ((location::geometry))"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS incidents_location_geom_gist")

"""The declarative base and the column helpers every table module uses."""

from __future__ import annotations

import uuid
from datetime import datetime

from geoalchemy2 import Geography
from sqlalchemy import (
    DateTime,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# GeoAlchemy2 takes nullability from the type as well as the column; the GiST indexes are made
# by the migrations, not by the type.
POINT = Geography(geometry_type="POINT", srid=4326, spatial_index=False, nullable=False)
OPTIONAL_POINT = Geography(geometry_type="POINT", srid=4326, spatial_index=False, nullable=True)


class Base(DeclarativeBase):
    pass


def uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )


def now_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)

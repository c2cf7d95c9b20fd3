"""Areas, places, stations and the base map's lines."""

from __future__ import annotations

import uuid
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import POINT, Base, uuid_pk


class AdminArea(Base):
    """Kota, kecamatan and kelurahan. Polygons are geometry, not geography: point-in-polygon
    at city scale is exact enough on the plane and geography has no fast ST_Covers."""

    __tablename__ = "admin_areas"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    name_norm: Mapped[str] = mapped_column(Text, nullable=False)
    level: Mapped[str] = mapped_column(String(10), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("admin_areas.code"))
    geom: Mapped[Any] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=False), nullable=False
    )
    centre: Mapped[Any] = mapped_column(POINT, nullable=False)


class Place(Base):
    """Landmarks and facilities that a caller may name."""

    __tablename__ = "places"
    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(Text, nullable=False)
    name_norm: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    location: Mapped[Any] = mapped_column(POINT, nullable=False)
    approximate: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    source: Mapped[str] = mapped_column(Text, nullable=False)


class Station(Base):
    __tablename__ = "stations"
    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    location: Mapped[Any] = mapped_column(POINT, nullable=False)
    approximate: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    note: Mapped[str | None] = mapped_column(Text)
    place_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("places.id"))


class MapFeature(Base):
    """Roads and rivers of the base map (geometry: drawn, never measured)."""

    __tablename__ = "map_features"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    layer: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str | None] = mapped_column(Text)
    class_: Mapped[str | None] = mapped_column("class", Text)
    geom: Mapped[Any] = mapped_column(
        Geometry("MULTILINESTRING", srid=4326, spatial_index=False), nullable=False
    )

"""ORM tables. Every location is geography(Point, 4326) unless a comment says why not."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from geoalchemy2 import Geography, Geometry
from sqlalchemy import (
    ARRAY,
    CHAR,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# GeoAlchemy2 takes nullability from the type as well as the column; the GiST indexes are made
# by the migrations, not by the type.
POINT = Geography(geometry_type="POINT", srid=4326, spatial_index=False, nullable=False)
OPTIONAL_POINT = Geography(geometry_type="POINT", srid=4326, spatial_index=False, nullable=True)


class Base(DeclarativeBase):
    pass


def _id() -> Mapped[uuid.UUID]:
    return mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )


def _now() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


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
    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = mapped_column(Text, nullable=False)
    name_norm: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    location: Mapped[Any] = mapped_column(POINT, nullable=False)
    approximate: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    source: Mapped[str] = mapped_column(Text, nullable=False)


class Station(Base):
    __tablename__ = "stations"
    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    location: Mapped[Any] = mapped_column(POINT, nullable=False)
    approximate: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    note: Mapped[str | None] = mapped_column(Text)
    place_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("places.id"))


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[uuid.UUID] = _id()
    callsign: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, server_default="available")
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stations.id"))
    # Last position the unit itself reported; null until it reports one.
    location: Mapped[Any | None] = mapped_column(OPTIONAL_POINT, nullable=True)
    location_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _now()


class UnitStatusEvent(Base):
    """Append-only: a trigger refuses UPDATE and DELETE."""

    __tablename__ = "unit_status_history"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    at: Mapped[datetime] = _now()
    actor: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = _id()
    username: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(Text, nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"))
    demo: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    created_at: Mapped[datetime] = _now()


class AuthSession(Base):
    """Only the SHA-256 of a token is stored, so a database dump logs nobody in."""

    __tablename__ = "auth_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    created_at: Mapped[datetime] = _now()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Caller(Base):
    """One row per number (or per IMEI when the phone has no SIM)."""

    __tablename__ = "callers"
    id: Mapped[uuid.UUID] = _id()
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    imei: Mapped[str | None] = mapped_column(String(16), unique=True)
    first_call_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_call_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Call(Base):
    __tablename__ = "calls"
    id: Mapped[uuid.UUID] = _id()
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    caller_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("callers.id"))
    caller_number: Mapped[str | None] = mapped_column(String(20))
    caller_imei: Mapped[str | None] = mapped_column(String(16))
    location: Mapped[Any | None] = mapped_column(OPTIONAL_POINT, nullable=True)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    location_source: Mapped[str | None] = mapped_column(String(20))
    aml: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str | None] = mapped_column(String(20))
    triaged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    triaged_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    incident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("incidents.id"))
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _now()


class Incident(Base):
    __tablename__ = "incidents"
    id: Mapped[uuid.UUID] = _id()
    number: Mapped[str] = mapped_column(String(30), nullable=False, unique=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, server_default="new")
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, server_default="3")
    description: Mapped[str] = mapped_column(Text, nullable=False)
    address: Mapped[str | None] = mapped_column(Text)
    location: Mapped[Any | None] = mapped_column(OPTIONAL_POINT, nullable=True)
    geocode_status: Mapped[str] = mapped_column(String(20), nullable=False)
    geocode_source: Mapped[str | None] = mapped_column(String(20))
    geocode_confidence: Mapped[float | None] = mapped_column(Float)
    geocode_label: Mapped[str | None] = mapped_column(Text)
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("admin_areas.code"))
    kecamatan_code: Mapped[str | None] = mapped_column(ForeignKey("admin_areas.code"))
    recommendations: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, server_default="[]"
    )
    shortfall: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    call_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _now()
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IncidentEvent(Base):
    """The incident timeline. Append-only: a trigger refuses UPDATE and DELETE."""

    __tablename__ = "incident_events"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), nullable=False)
    at: Mapped[datetime] = _now()
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    actor: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")


class Assignment(Base):
    __tablename__ = "assignments"
    id: Mapped[uuid.UUID] = _id()
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, server_default="sent")
    distance_m: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = _now()
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    declined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    timed_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    en_route_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    on_scene_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transporting_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(Text)


class PushSubscription(Base):
    __tablename__ = "push_subscriptions"
    id: Mapped[uuid.UUID] = _id()
    endpoint: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    p256dh: Mapped[str] = mapped_column(Text, nullable=False)
    auth: Mapped[str] = mapped_column(Text, nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    created_at: Mapped[datetime] = _now()
    updated_at: Mapped[datetime] = _now()


class ResponsePlan(Base):
    """Which unit kinds a category needs. Data, so a deployment can edit it."""

    __tablename__ = "response_plans"
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    unit_kinds: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)


class EventLog(Base):
    """Recent changes for the live feed; NOTIFY carries only the id."""

    __tablename__ = "events_log"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = _now()
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)


class IdempotencyKey(Base):
    """The stored answer to a request that carried an Idempotency-Key."""

    __tablename__ = "idempotency_keys"
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    path: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[Any | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _now()


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


class PublicAtom(Base):
    """Incidents per (fixed hexagon, category, WIB month); published only when >= k."""

    __tablename__ = "public_atoms"
    cell_i: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell_j: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    month: Mapped[str] = mapped_column(CHAR(7), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)


class PublicCount(Base):
    __tablename__ = "public_counts"
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    month: Mapped[str] = mapped_column(CHAR(7), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)


class PublicResponse(Base):
    """Internal: one row per published incident's durations, for medians only."""

    __tablename__ = "public_response"
    __mapper_args__ = {"primary_key": ["month"]}
    month: Mapped[str] = mapped_column(CHAR(7), nullable=False)
    answer_to_dispatch_s: Mapped[float | None] = mapped_column(Float)
    dispatch_to_scene_s: Mapped[float | None] = mapped_column(Float)

"""Units, calls, incidents, assignments and the response plan."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import OPTIONAL_POINT, Base, now_column, uuid_pk


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[uuid.UUID] = uuid_pk()
    callsign: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, server_default="available")
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stations.id"))
    # Last position the unit itself reported; null until it reports one.
    location: Mapped[Any | None] = mapped_column(OPTIONAL_POINT, nullable=True)
    location_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = now_column()


class UnitStatusEvent(Base):
    """Append-only: a trigger refuses UPDATE and DELETE."""

    __tablename__ = "unit_status_history"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    at: Mapped[datetime] = now_column()
    actor: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)


class Caller(Base):
    """One row per number (or per IMEI when the phone has no SIM)."""

    __tablename__ = "callers"
    id: Mapped[uuid.UUID] = uuid_pk()
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    imei: Mapped[str | None] = mapped_column(String(16), unique=True)
    first_call_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_call_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Call(Base):
    __tablename__ = "calls"
    id: Mapped[uuid.UUID] = uuid_pk()
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
    created_at: Mapped[datetime] = now_column()


class Incident(Base):
    __tablename__ = "incidents"
    id: Mapped[uuid.UUID] = uuid_pk()
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
    created_at: Mapped[datetime] = now_column()
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IncidentEvent(Base):
    """The incident timeline. Append-only: a trigger refuses UPDATE and DELETE."""

    __tablename__ = "incident_events"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), nullable=False)
    at: Mapped[datetime] = now_column()
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    actor: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")


class Assignment(Base):
    __tablename__ = "assignments"
    id: Mapped[uuid.UUID] = uuid_pk()
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, server_default="sent")
    distance_m: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = now_column()
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    declined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    timed_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    en_route_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    on_scene_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transporting_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(Text)


class ResponsePlan(Base):
    """Which unit kinds a category needs. Data, so a deployment can edit it."""

    __tablename__ = "response_plans"
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    unit_kinds: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)

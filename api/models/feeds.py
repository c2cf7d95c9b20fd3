"""The live feed's log and the public page's summary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CHAR,
    BigInteger,
    Float,
    Integer,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, now_column


class EventLog(Base):
    """Recent changes for the live feed; NOTIFY carries only the id."""

    __tablename__ = "events_log"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = now_column()
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)


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

"""Shared wire types and the checks every input struct uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from msgspec import Meta, Struct

from geo.coords import CoordinateError, validate_lat_lon

Verdict = Literal[
    "emergency", "prank", "silent", "non_emergency", "wrong_number", "test", "duplicate"
]
Category = Literal["fire", "medical", "security", "accident", "disaster", "other"]
UnitKind = Literal["fire", "police", "ambulance"]
AssignmentStatus = Literal[
    "sent", "accepted", "declined", "timed_out", "en_route", "on_scene", "transporting",
    "cleared", "cancelled",
]  # fmt: skip
Role = Literal["admin", "supervisor", "dispatcher", "responder"]

SHORT_TEXT = 200
LONG_TEXT = 4000


def clean_text(value: str | None, field: str, max_length: int = SHORT_TEXT) -> str | None:
    """Refuse what PostgreSQL text cannot hold (NUL) and what no dispatcher would type."""
    if value is None:
        return None
    if "\x00" in value:
        raise ValueError(f"{field} must not contain NUL bytes")
    if len(value) > max_length:
        raise ValueError(f"{field} is too long: {len(value)} characters, at most {max_length}")
    return value


def check_position(lat: float, lon: float, field: str) -> None:
    try:
        validate_lat_lon(lat, lon, field)
    except CoordinateError as exc:
        raise ValueError(f"{field}: {exc}") from exc


Accuracy = Annotated[float, Meta(ge=0, le=100_000)]

# Clocks on phones drift; a time this far ahead of the server's is a mistake, not a report.
MAX_CLOCK_SKEW = timedelta(minutes=5)
# Older than this is a broken clock or a typo (and year 1 does not fit PostgreSQL's range).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def check_time(value: datetime | None, field: str) -> None:
    if value is None:
        return
    if value.tzinfo is None:
        raise ValueError(f"{field} must carry a time-zone offset (RFC 3339)")
    if value > datetime.now(UTC) + MAX_CLOCK_SKEW:
        raise ValueError(f"{field} is in the future: {value.isoformat()}")
    if value < EARLIEST:
        raise ValueError(f"{field} is before {EARLIEST.year}: {value.isoformat()}")


class LocationIn(Struct, forbid_unknown_fields=True):
    lat: float
    lon: float
    accuracy_m: Accuracy | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        check_position(self.lat, self.lon, "location")
        clean_text(self.source, "location.source", 40)


class LocationOut(Struct):
    lat: float
    lon: float
    accuracy_m: float | None = None
    source: str | None = None

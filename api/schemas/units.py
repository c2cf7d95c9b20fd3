"""Units, stations and assignments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from api.schemas.common import (
    SHORT_TEXT,
    Accuracy,
    AssignmentStatus,
    LocationIn,
    LocationOut,
    UnitKind,
    check_position,
    check_time,
    clean_text,
)
from api.schemas.incidents import AssignmentOut, IncidentOut


class UnitIn(Struct, forbid_unknown_fields=True):
    callsign: Annotated[
        str, Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.-]*$")
    ]
    kind: UnitKind
    station_id: str | None = None
    location: LocationIn | None = None

    def __post_init__(self) -> None:
        if self.station_id is None and self.location is None:
            raise ValueError("a unit needs a station_id or a location, or it can never be ranked")


class UnitOut(Struct):
    id: str
    callsign: str
    kind: str
    status: str
    location: LocationOut | None
    location_at: datetime | None
    station_id: str | None


class UnitPage(Struct):
    items: list[UnitOut]


class PositionIn(Struct, forbid_unknown_fields=True):
    lat: float
    lon: float
    accuracy_m: Accuracy | None = None
    at: datetime | None = None

    def __post_init__(self) -> None:
        check_position(self.lat, self.lon, "position")
        check_time(self.at, "at")


class UnitStatusIn(Struct, forbid_unknown_fields=True):
    status: Literal["available", "out_of_service"]
    reason: str | None = None

    def __post_init__(self) -> None:
        clean_text(self.reason, "reason", SHORT_TEXT)


class TransitionIn(Struct, forbid_unknown_fields=True):
    to: AssignmentStatus
    at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        clean_text(self.reason, "reason", SHORT_TEXT)
        check_time(self.at, "at")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must be given together")
        if self.lat is not None and self.lon is not None:
            check_position(self.lat, self.lon, "position")


class MyAssignmentOut(Struct):
    assignment: AssignmentOut
    incident: IncidentOut


class MyAssignmentPage(Struct):
    items: list[MyAssignmentOut]


class StationOut(Struct):
    id: str
    name: str
    kind: str
    location: LocationOut
    approximate: bool
    note: str | None


class StationPage(Struct):
    items: list[StationOut]


class StationPatch(Struct, forbid_unknown_fields=True):
    location: LocationIn

"""msgspec wire types: separate In (Create / Update) and Out structs.

Input structs check themselves in ``__post_init__`` so that every client mistake becomes a 422
naming the field, before any handler or query runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

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


def check_time(value: datetime | None, field: str) -> None:
    if value is None:
        return
    if value.tzinfo is None:
        raise ValueError(f"{field} must carry a time-zone offset (RFC 3339)")
    if value > datetime.now(UTC) + MAX_CLOCK_SKEW:
        raise ValueError(f"{field} is in the future: {value.isoformat()}")


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


# --- auth ---------------------------------------------------------------------------------


class LoginIn(Struct, forbid_unknown_fields=True):
    username: Annotated[str, Meta(min_length=1, max_length=60)]
    password: Annotated[str, Meta(min_length=1, max_length=200)]

    def __post_init__(self) -> None:
        clean_text(self.username, "username", 60)


class UserOut(Struct):
    id: str
    username: str
    role: str
    unit_id: str | None


class LoginOut(Struct):
    token: str
    user: UserOut


# --- calls --------------------------------------------------------------------------------


class CallIn(Struct, forbid_unknown_fields=True):
    caller_number: str | None = None
    caller_imei: str | None = None
    received_at: datetime | None = None
    location: LocationIn | None = None
    aml: str | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        clean_text(self.caller_number, "caller_number", 40)
        clean_text(self.caller_imei, "caller_imei", 40)
        clean_text(self.aml, "aml", 1000)
        clean_text(self.notes, "notes", LONG_TEXT)
        check_time(self.received_at, "received_at")


class TriageIn(Struct, forbid_unknown_fields=True):
    verdict: Verdict
    incident_id: str | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        clean_text(self.incident_id, "incident_id", 60)
        clean_text(self.notes, "notes", LONG_TEXT)
        if self.verdict == "duplicate" and not self.incident_id:
            raise ValueError("incident_id is required when verdict is duplicate")


class CallerHistoryOut(Struct):
    calls: int
    by_verdict: dict[str, int]
    flag: str


class DuplicateCandidateOut(Struct):
    incident_id: str
    number: str
    category: str
    distance_m: float
    age_s: int


class CallOut(Struct):
    id: str
    received_at: datetime
    caller_number: str | None
    caller_imei: str | None
    location: LocationOut | None
    verdict: str | None
    incident_id: str | None
    notes: str | None
    triaged_at: datetime | None
    caller_history: CallerHistoryOut
    duplicate_candidates: list[DuplicateCandidateOut]


class CallPage(Struct):
    items: list[CallOut]
    next: str | None = None


class CallerHistoryPage(Struct):
    number: str
    calls: int
    by_verdict: dict[str, int]
    last_call_at: datetime | None
    flag: str


# --- incidents ----------------------------------------------------------------------------

Priority = Annotated[int, Meta(ge=1, le=5)]


class IncidentIn(Struct, forbid_unknown_fields=True):
    category: Category
    description: str
    call_id: str | None = None
    priority: Priority = 3
    address: str | None = None
    location: LocationIn | None = None
    auto_dispatch: bool = True

    def __post_init__(self) -> None:
        clean_text(self.description, "description", LONG_TEXT)
        clean_text(self.address, "address", 500)
        clean_text(self.call_id, "call_id", 60)


class IncidentPatch(Struct, forbid_unknown_fields=True):
    location: LocationIn | UnsetType = UNSET
    address: str | UnsetType = UNSET
    category: Category | UnsetType = UNSET
    priority: Priority | UnsetType = UNSET
    description: str | UnsetType = UNSET

    def __post_init__(self) -> None:
        if isinstance(self.description, str):
            clean_text(self.description, "description", LONG_TEXT)
        if isinstance(self.address, str):
            clean_text(self.address, "address", 500)


class DispatchIn(Struct, forbid_unknown_fields=True):
    """Omit unit_ids to send the recommended units for the kinds the incident still lacks."""

    unit_ids: Annotated[list[str], Meta(min_length=1, max_length=50)] | None = None


class CloseIn(Struct, forbid_unknown_fields=True):
    outcome: Annotated[str, Meta(min_length=1)]
    notes: str | None = None

    def __post_init__(self) -> None:
        clean_text(self.outcome, "outcome", SHORT_TEXT)
        clean_text(self.notes, "notes", LONG_TEXT)
        if not self.outcome.strip():
            raise ValueError("outcome must say how the incident ended")


class GeocodeOut(Struct):
    status: str
    source: str | None
    confidence: float | None
    label: str | None
    kelurahan: str | None
    kecamatan: str | None


class RecommendationOut(Struct):
    unit_id: str
    callsign: str
    kind: str
    distance_m: float
    reason: str
    eta_s: int | None = None


class AssignmentOut(Struct):
    id: str
    incident_id: str
    unit_id: str
    callsign: str
    unit_kind: str
    status: str
    sent_at: datetime
    accepted_at: datetime | None
    en_route_at: datetime | None
    on_scene_at: datetime | None
    transporting_at: datetime | None
    cleared_at: datetime | None
    distance_m: float | None
    reason: str | None


class IncidentOut(Struct):
    id: str
    number: str
    status: str
    category: str
    priority: int
    description: str
    address: str | None
    location: LocationOut | None
    geocode: GeocodeOut
    recommendations: list[RecommendationOut]
    shortfall: list[str]
    assignments: list[AssignmentOut]
    call_id: str | None
    outcome: str | None
    created_at: datetime
    closed_at: datetime | None


class IncidentPage(Struct):
    items: list[IncidentOut]


class TimelineItem(Struct):
    at: datetime
    kind: str
    actor: str | None
    data: dict[str, Any]


class TimelinePage(Struct):
    items: list[TimelineItem]


# --- units and assignments ----------------------------------------------------------------


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


# --- places -------------------------------------------------------------------------------


class GeocodeCandidate(Struct):
    label: str
    lat: float
    lon: float
    kind: str
    source: str
    confidence: float
    kelurahan: str | None
    kecamatan: str | None


class GeocodePage(Struct):
    items: list[GeocodeCandidate]


class ReverseOut(Struct):
    kelurahan: str | None
    kecamatan: str | None
    kota: str | None
    label: str


def to_builtins(value: Any) -> Any:
    return msgspec.to_builtins(value)


# --- web push -----------------------------------------------------------------------------


class PushKeys(Struct):
    p256dh: Annotated[str, Meta(min_length=1, max_length=200)]
    auth: Annotated[str, Meta(min_length=1, max_length=100)]


class PushSubscriptionIn(Struct, rename={"expiration_time": "expirationTime"}):
    """A browser's PushSubscription.toJSON(); unknown fields are ignored, as browsers add some."""

    endpoint: Annotated[str, Meta(min_length=1, max_length=2048)]
    keys: PushKeys
    expiration_time: int | float | None = None


class PushSubscriptionOut(Struct):
    id: str
    endpoint: str
    unit_id: str


class EndpointIn(Struct, forbid_unknown_fields=True):
    endpoint: Annotated[str, Meta(min_length=1, max_length=2048)]


class VapidKeyOut(Struct):
    key: str

"""Incidents, recommendations and the timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from msgspec import UNSET, Meta, Struct, UnsetType

from api.schemas.common import LONG_TEXT, SHORT_TEXT, Category, LocationIn, LocationOut, clean_text

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

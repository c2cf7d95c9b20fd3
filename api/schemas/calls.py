"""Calls and callers."""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from api.schemas.common import LONG_TEXT, LocationIn, LocationOut, Verdict, check_time, clean_text


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

"""Pure dispatch rules: assignment transitions, unit and incident status, caller flags,
recommendation reasons. No I/O and no await, so the rules are tested without a database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

OPEN_ASSIGNMENT = frozenset({"sent", "accepted", "en_route", "on_scene", "transporting"})
CLOSED_INCIDENT = frozenset({"closed", "cancelled"})

# Legal assignment transitions (API.md). "cancelled" from any open state is the dispatcher's.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    "sent": frozenset({"accepted", "declined", "timed_out"}),
    "accepted": frozenset({"en_route"}),
    "en_route": frozenset({"on_scene"}),
    "on_scene": frozenset({"transporting", "cleared"}),
    "transporting": frozenset({"cleared"}),
}
DISPATCHER_ONLY = frozenset({"cancelled", "timed_out"})

# The unit's status while its assignment is in each state. A unit whose assignment ends goes
# back to "available", except after a time-out: nobody answered, so someone must check it.
UNIT_STATUS_FOR: Mapping[str, str] = {
    "sent": "dispatched",
    "accepted": "dispatched",
    "en_route": "en_route",
    "on_scene": "on_scene",
    "transporting": "transporting",
    "declined": "available",
    "cleared": "available",
    "cancelled": "available",
    "timed_out": "out_of_service",
}
TIMESTAMP_COLUMN: Mapping[str, str] = {
    "accepted": "accepted_at",
    "declined": "declined_at",
    "timed_out": "timed_out_at",
    "en_route": "en_route_at",
    "on_scene": "on_scene_at",
    "transporting": "transporting_at",
    "cleared": "cleared_at",
    "cancelled": "cancelled_at",
}

# Only ambulances transport patients.
TRANSPORTING_KINDS = frozenset({"ambulance"})

# A rough urban speed for the ETA hint: 30 km/h on a road ~1.3 times the straight line.
ETA_SPEED_M_S = 30_000 / 3600
ROAD_FACTOR = 1.3


class TransitionRefused(Exception):
    """Not a legal move; the message says why."""


def check_transition(current: str, to: str, *, role: str, unit_kind: str) -> None:
    if current not in OPEN_ASSIGNMENT:
        raise TransitionRefused(f"assignment is {current}; it can no longer change")
    if to == "cancelled":
        if role not in {"dispatcher", "supervisor", "admin"}:
            raise TransitionRefused("only a dispatcher can cancel an assignment")
        return
    if to in DISPATCHER_ONLY and role == "responder":
        raise TransitionRefused(f"a responder cannot set an assignment to {to}")
    if to not in TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(sorted(TRANSITIONS.get(current, frozenset()))) or "nothing"
        raise TransitionRefused(f"cannot go from {current} to {to}; allowed: {allowed}")
    if to == "transporting" and unit_kind not in TRANSPORTING_KINDS:
        raise TransitionRefused(f"a {unit_kind} unit does not transport patients")


def incident_status(current: str, assignment_statuses: Iterable[str]) -> str:
    """An open incident is 'active' once a unit has accepted, 'dispatched' while units are only
    alerted, and stays 'active' after units clear until the dispatcher closes it."""
    if current in CLOSED_INCIDENT:
        return current
    statuses = list(assignment_statuses)
    if any(s in OPEN_ASSIGNMENT - {"sent"} or s == "cleared" for s in statuses):
        return "active"
    if "sent" in statuses:
        return "dispatched"
    return "new"


def caller_flag(by_verdict: Mapping[str, int], *, repeat_at: int, suspect_at: int) -> str:
    """`suspect`: at least `suspect_at` prank calls in the window; `repeat`: at least `repeat_at`
    calls of any verdict (the current one included). Flags inform; nobody is ever blocked."""
    if by_verdict.get("prank", 0) >= suspect_at:
        return "suspect"
    if sum(by_verdict.values()) >= repeat_at:
        return "repeat"
    return "none"


@dataclass(frozen=True)
class Candidate:
    unit_id: str
    callsign: str
    kind: str
    distance_m: float
    from_station: bool
    station_name: str | None
    position_age_s: int | None


def eta_s(distance_m: float) -> int:
    return round(distance_m * ROAD_FACTOR / ETA_SPEED_M_S)


def reason(candidate: Candidate) -> str:
    where = (
        f"from its station {candidate.station_name}"
        if candidate.from_station
        else f"from its own position reported {candidate.position_age_s} s ago"
    )
    return (
        f"nearest available {candidate.kind} unit: {candidate.distance_m:.0f} m (geodesic) {where}"
    )


def shortfall(kinds: Iterable[str], picked: Iterable[str]) -> list[str]:
    """The kinds of the plan that got no unit, in plan order."""
    remaining = list(picked)
    missing = []
    for kind in kinds:
        if kind in remaining:
            remaining.remove(kind)
        else:
            missing.append(kind)
    return missing

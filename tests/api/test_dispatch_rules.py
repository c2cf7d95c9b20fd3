"""The pure rules: no database."""

import pytest

from api import dispatch


@pytest.mark.parametrize(
    ("current", "to"),
    [("sent", "accepted"), ("sent", "declined"), ("accepted", "en_route"),
     ("en_route", "on_scene"), ("on_scene", "cleared"), ("on_scene", "transporting"),
     ("transporting", "cleared")],
)  # fmt: skip
def test_legal_moves_pass(current: str, to: str) -> None:
    dispatch.check_transition(current, to, role="responder", unit_kind="ambulance")


@pytest.mark.parametrize(
    ("current", "to"),
    [("sent", "en_route"), ("sent", "on_scene"), ("accepted", "cleared"),
     ("en_route", "accepted"), ("cleared", "accepted"), ("declined", "accepted"),
     ("on_scene", "en_route"), ("transporting", "on_scene")],
)  # fmt: skip
def test_illegal_moves_are_refused(current: str, to: str) -> None:
    with pytest.raises(dispatch.TransitionRefused):
        dispatch.check_transition(current, to, role="dispatcher", unit_kind="ambulance")


def test_only_staff_cancel_and_only_the_system_times_out() -> None:
    with pytest.raises(dispatch.TransitionRefused, match="dispatcher"):
        dispatch.check_transition("accepted", "cancelled", role="responder", unit_kind="fire")
    dispatch.check_transition("accepted", "cancelled", role="dispatcher", unit_kind="fire")
    with pytest.raises(dispatch.TransitionRefused):
        dispatch.check_transition("sent", "timed_out", role="responder", unit_kind="fire")


def test_a_fire_truck_does_not_transport_patients() -> None:
    with pytest.raises(dispatch.TransitionRefused, match="transport"):
        dispatch.check_transition("on_scene", "transporting", role="responder", unit_kind="fire")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [([], "new"), (["sent"], "dispatched"), (["sent", "accepted"], "active"),
     (["cleared"], "active"), (["declined"], "new"), (["cancelled", "sent"], "dispatched")],
)  # fmt: skip
def test_incident_status_follows_its_assignments(statuses: list[str], expected: str) -> None:
    assert dispatch.incident_status("new", statuses) == expected
    assert dispatch.incident_status("closed", statuses) == "closed"


@pytest.mark.parametrize(
    ("by_verdict", "flag"),
    [({}, "none"), ({"prank": 2}, "none"), ({"prank": 1, "silent": 2}, "repeat"),
     ({"prank": 3}, "suspect"), ({"prank": 3, "emergency": 4}, "suspect"),
     ({"untriaged": 3}, "repeat")],
)  # fmt: skip
def test_caller_flags(by_verdict: dict[str, int], flag: str) -> None:
    assert dispatch.caller_flag(by_verdict, repeat_at=3, suspect_at=3) == flag


def test_shortfall_lists_kinds_without_a_unit_in_plan_order() -> None:
    assert dispatch.shortfall(["fire", "police", "ambulance"], ["police"]) == ["fire", "ambulance"]
    assert dispatch.shortfall(["police", "ambulance"], ["ambulance", "police"]) == []


def test_reason_names_distance_and_origin() -> None:
    from_station = dispatch.Candidate("u", "DAMKAR-1", "fire", 376.7, True, "Damkar", None)
    assert "377 m" in dispatch.reason(from_station) and "Damkar" in dispatch.reason(from_station)
    moving = dispatch.Candidate("u", "POLRES-1", "police", 50.0, False, None, 42)
    assert "42 s ago" in dispatch.reason(moving)
    assert dispatch.eta_s(1000) == round(1000 * 1.3 / (30000 / 3600))

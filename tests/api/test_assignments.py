"""A unit's assignment from alert to clear, and what closing an incident releases."""

import pytest
from points import RSUD


async def fire_incident(api) -> dict:
    return await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "kebakaran", "address": "RSUD Kumpulan Pane"})  # fmt: skip


async def unit_status(api, callsign: str) -> str:
    return await api.scalar("SELECT status FROM units WHERE callsign = :c", c=callsign)


async def test_accept_en_route_on_scene_clear_then_close(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    incident = await fire_incident(api)
    assignment_id = incident["assignments"][0]["id"]
    path = f"/api/assignments/{assignment_id}/transition"
    expected_unit = {"accepted": "dispatched", "en_route": "en_route", "on_scene": "on_scene",
                     "cleared": "available"}  # fmt: skip
    for to, unit in expected_unit.items():
        done = await api.ok(
            "POST", path, "damkar-1", json={"to": to, "lat": RSUD[0], "lon": RSUD[1]}
        )
        assert done["status"] == to
        assert await unit_status(api, "DAMKAR-1") == unit
    done_at = await api.ok("GET", f"/api/incidents/{incident['id']}")
    a = done_at["assignments"][0]
    assert a["accepted_at"] <= a["en_route_at"] <= a["on_scene_at"] <= a["cleared_at"]
    assert done_at["status"] == "active"
    closed = await api.ok(
        "POST", f"/api/incidents/{incident['id']}/close", json={"outcome": "padam"}
    )
    assert closed["status"] == "closed" and closed["closed_at"] is not None
    again = await api.request(
        "POST", f"/api/incidents/{incident['id']}/close", json={"outcome": "x"}
    )
    assert again.status_code == 409
    history = await api.scalar(
        "SELECT string_agg(h.status, ',' ORDER BY h.id) FROM unit_status_history h "
        "JOIN units u ON u.id = h.unit_id WHERE u.callsign = 'DAMKAR-1'")  # fmt: skip
    assert history == "available,dispatched,dispatched,en_route,on_scene,available"


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [([], "en_route"), ([], "cleared"), (["accepted"], "on_scene"), (["accepted"], "accepted"),
     (["accepted", "en_route", "on_scene"], "transporting"), (["declined"], "accepted")],
)  # fmt: skip
async def test_illegal_transitions_are_409_and_change_nothing(api, steps, illegal) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    incident = await fire_incident(api)
    path = f"/api/assignments/{incident['assignments'][0]['id']}/transition"
    for to in steps:
        await api.ok("POST", path, "damkar-1", json={"to": to})
    before = await api.scalar("SELECT status FROM assignments")
    response = await api.request("POST", path, "damkar-1", json={"to": illegal})
    assert response.status_code == 409, response.text
    assert await api.scalar("SELECT status FROM assignments") == before


async def test_an_ambulance_transports_before_clearing(api) -> None:
    await api.unit("AMB-1", "ambulance", *RSUD)
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "medical", "description": "sesak napas", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    path = f"/api/assignments/{incident['assignments'][0]['id']}/transition"
    for to in ("accepted", "en_route", "on_scene", "transporting"):
        await api.ok("POST", path, "amb-1", json={"to": to})
    assert await unit_status(api, "AMB-1") == "transporting"
    closed = await api.ok(
        "POST", f"/api/incidents/{incident['id']}/close", json={"outcome": "dirujuk"}
    )
    assert closed["assignments"][0]["status"] == "cleared"
    assert await unit_status(api, "AMB-1") == "available"


async def test_decline_frees_the_unit_and_closing_cancels_the_rest(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    await api.unit("POLRES-1", "police", station="Polres Tebing Tinggi")
    await api.unit("AMB-1", "ambulance", *RSUD)
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "disaster", "description": "banjir", "address": "RSUD Kumpulan Pane"})  # fmt: skip
    by_callsign = {a["callsign"]: a["id"] for a in incident["assignments"]}
    declined = await api.ok("POST", f"/api/assignments/{by_callsign['POLRES-1']}/transition",
                            "polres-1", json={"to": "declined", "reason": "ban bocor"})  # fmt: skip
    assert declined["status"] == "declined"
    assert await unit_status(api, "POLRES-1") == "available"
    await api.ok("POST", f"/api/assignments/{by_callsign['AMB-1']}/transition", "amb-1",
                 json={"to": "accepted"})  # fmt: skip
    closed = await api.ok(
        "POST", f"/api/incidents/{incident['id']}/close", json={"outcome": "selesai"}
    )
    statuses = {a["callsign"]: a["status"] for a in closed["assignments"]}
    assert statuses == {"DAMKAR-1": "cancelled", "POLRES-1": "declined", "AMB-1": "cancelled"}
    assert await api.scalar("SELECT count(*) FROM units WHERE status <> 'available'") == 0


async def test_unit_cannot_go_off_duty_while_assigned(api) -> None:
    unit = await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    off = await api.ok(
        "POST", f"/api/units/{unit['id']}/status", "damkar-1", json={"status": "out_of_service"}
    )
    assert off["status"] == "out_of_service"
    skipped = await fire_incident(api)
    assert skipped["assignments"] == [] and skipped["shortfall"] == ["fire"]
    await api.ok(
        "POST", f"/api/units/{unit['id']}/status", "damkar-1", json={"status": "available"}
    )
    incident = await fire_incident(api)
    assert incident["assignments"][0]["unit_id"] == unit["id"]
    busy = await api.request("POST", f"/api/units/{unit['id']}/status", "damkar-1",
                             json={"status": "out_of_service"})  # fmt: skip
    assert busy.status_code == 409


async def test_dispatcher_can_cancel_and_responder_cannot(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    incident = await fire_incident(api)
    path = f"/api/assignments/{incident['assignments'][0]['id']}/transition"
    refused = await api.request("POST", path, "damkar-1", json={"to": "cancelled"})
    assert refused.status_code == 409
    cancelled = await api.ok("POST", path, "dispatcher", json={"to": "cancelled"})
    assert cancelled["status"] == "cancelled"
    assert await unit_status(api, "DAMKAR-1") == "available"


async def test_responder_reads_its_incident_but_not_others(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    await api.unit("DAMKAR-2", "fire", station="Damkar Kota Tebing Tinggi")
    mine = await fire_incident(api)
    other = await fire_incident(api)
    assert await api.ok("GET", f"/api/incidents/{mine['id']}", "damkar-1")
    refused = await api.request("GET", f"/api/incidents/{other['id']}", "damkar-1")
    assert refused.status_code == 403


async def test_a_time_before_the_last_change_is_refused(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    incident = await fire_incident(api)
    path = f"/api/assignments/{incident['assignments'][0]['id']}/transition"
    early = await api.request(
        "POST", path, "damkar-1", json={"to": "accepted", "at": "1970-01-01T00:00:00Z"}
    )
    assert early.status_code == 422 and "at" in early.json()["detail"]
    assert await api.scalar("SELECT status FROM assignments") == "sent"


async def test_a_retried_action_with_the_same_idempotency_key_applies_once(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    incident = await fire_incident(api)
    path = f"/api/assignments/{incident['assignments'][0]['id']}/transition"
    key = {"Idempotency-Key": "hp-damkar-1-0001"}
    first = await api.request("POST", path, "damkar-1", json={"to": "accepted"}, headers=key)
    again = await api.request("POST", path, "damkar-1", json={"to": "accepted"}, headers=key)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    events = await api.scalar(
        "SELECT count(*) FROM incident_events WHERE kind = 'assignment_accepted'"
    )
    assert events == 1
    reused = await api.request("POST", path, "damkar-1", json={"to": "en_route"}, headers=key)
    assert reused.status_code == 422 and "Idempotency-Key" in reused.json()["detail"]
    assert await api.scalar("SELECT status FROM assignments") == "accepted"

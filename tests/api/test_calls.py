"""Every call is stored; caller history and flags; AML; likely duplicates; triage."""

from datetime import UTC, datetime, timedelta

import pytest
from points import RSUD
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
AML = 'A"ML=1;lt=+3.32988;lg=+99.15548;rd=12;top=20261203101500;lc=90;pm=G;si=510101234567890;ei=356938035643809;mcc=510;mnc=10;ml=124'


async def call(api, **body) -> dict:
    return await api.ok("POST", "/api/calls", json=body)


async def triage(api, call_id: str, verdict: str, **extra) -> dict:
    return await api.ok("POST", f"/api/calls/{call_id}/triage", json={"verdict": verdict, **extra})


async def test_every_verdict_is_stored(api) -> None:
    verdicts = ["prank", "silent", "non_emergency", "wrong_number", "test", "emergency"]
    for verdict in verdicts:
        logged = await call(api, caller_number="081234567890")
        done = await triage(api, logged["id"], verdict)
        assert done["verdict"] == verdict and done["triaged_at"] is not None
    listed = await api.ok("GET", "/api/calls")
    assert sorted(c["verdict"] for c in listed["items"]) == sorted(verdicts)
    pranks = await api.ok("GET", "/api/calls", params={"verdict": "prank"})
    assert len(pranks["items"]) == 1


async def test_history_and_flags_by_number(api) -> None:
    first = await call(api, caller_number="+62 812-1111-2222")
    assert first["caller_history"] == {"calls": 1, "by_verdict": {"untriaged": 1}, "flag": "none"}
    await triage(api, first["id"], "prank")
    second = await call(api, caller_number="081211112222")
    await triage(api, second["id"], "prank")
    third = await call(api, caller_number="6281211112222")
    assert third["caller_history"]["calls"] == 3
    assert third["caller_history"]["flag"] == "repeat"
    await triage(api, third["id"], "prank")
    history = await api.ok("GET", "/api/callers/0812-1111-2222/history")
    assert history["number"] == "+6281211112222"
    assert history["by_verdict"] == {"prank": 3} and history["flag"] == "suspect"
    # A suspect number is still logged and answered: nothing is ever blocked.
    fourth = await call(api, caller_number="081211112222")
    assert fourth["caller_history"]["flag"] == "suspect"


async def test_calls_older_than_the_window_do_not_count(api) -> None:
    old = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    for _ in range(3):
        logged = await call(api, caller_number="081233334444", received_at=old)
        await triage(api, logged["id"], "prank")
    fresh = await call(api, caller_number="081233334444")
    assert fresh["caller_history"] == {"calls": 1, "by_verdict": {"untriaged": 1}, "flag": "none"}


async def test_a_phone_without_sim_is_known_by_imei(api) -> None:
    first = await call(api, caller_imei="356938035643809")
    second = await call(api, caller_imei="35-693803-564380-9")
    assert first["caller_number"] is None and second["caller_imei"] == "356938035643809"
    assert second["caller_history"]["calls"] == 2


async def test_aml_gives_the_call_its_location_and_accuracy(api) -> None:
    logged = await call(api, caller_number="081299990000", aml=AML,
                        location={"lat": 3.35, "lon": 99.17})  # fmt: skip
    assert logged["location"] == {"lat": 3.32988, "lon": 99.15548, "accuracy_m": 12.0,
                                  "source": "aml"}  # fmt: skip
    assert logged["caller_imei"] == "356938035643809"


async def test_a_call_near_an_open_incident_lists_it_as_likely_duplicate(api) -> None:
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "kebakaran", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    lon, lat, _ = GEOD.fwd(RSUD[1], RSUD[0], 90, 300)
    near = await call(api, caller_number="081200001111", location={"lat": lat, "lon": lon})
    (candidate,) = near["duplicate_candidates"]
    assert candidate["incident_id"] == incident["id"]
    assert candidate["distance_m"] == pytest.approx(300, abs=0.5)
    lon, lat, _ = GEOD.fwd(RSUD[1], RSUD[0], 90, 900)
    far = await call(api, caller_number="081200001112", location={"lat": lat, "lon": lon})
    assert far["duplicate_candidates"] == []
    done = await triage(api, near["id"], "duplicate", incident_id=incident["id"])
    assert done["incident_id"] == incident["id"] and done["duplicate_candidates"] == []
    timeline = await api.ok("GET", f"/api/incidents/{incident['id']}/timeline")
    assert timeline["items"][-1]["kind"] == "call_duplicate"
    assert timeline["items"][-1]["data"] == {"call_id": near["id"]}
    await api.ok("POST", f"/api/incidents/{incident['id']}/close", json={"outcome": "padam"})
    later = await call(api, caller_number="081200001113", location={"lat": RSUD[0], "lon": RSUD[1]})
    assert later["duplicate_candidates"] == []


async def test_list_pages_newest_first_and_filters_by_time(api) -> None:
    base = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    for n in range(5):
        await call(
            api, caller_number="081255556666", received_at=(base + timedelta(hours=n)).isoformat()
        )
    page = await api.ok("GET", "/api/calls", params={"limit": 2})
    assert len(page["items"]) == 2 and page["next"]
    rest = await api.ok("GET", "/api/calls", params={"limit": 10, "cursor": page["next"]})
    times = [c["received_at"] for c in page["items"] + rest["items"]]
    assert times == sorted(times, reverse=True) and len(set(times)) == 5
    window = await api.ok("GET", "/api/calls", params={
        "since": (base + timedelta(hours=1)).isoformat(), "until": (base + timedelta(hours=3)).isoformat()})  # fmt: skip
    assert len(window["items"]) == 2
    queue = await api.ok("GET", "/api/calls", params={"verdict": "untriaged"})
    assert len(queue["items"]) == 5


async def test_times_from_the_future_are_refused(api) -> None:
    ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    response = await api.request("POST", "/api/calls", json={"received_at": ahead})
    assert response.status_code == 422 and "received_at" in response.json()["detail"]
    naive = await api.request("POST", "/api/calls", json={"received_at": "2026-12-03T10:00:00"})
    assert naive.status_code == 422 and "received_at" in naive.json()["detail"]
    assert await api.scalar("SELECT count(*) FROM calls") == 0

"""Web push, end to end through a real worker to the local receiver that verifies and decrypts."""

import asyncio
import dataclasses

import pytest
from litestar.testing import AsyncTestClient
from points import RSUD

from api.app import create_app
from api.notify import load_vapid, public_key


@pytest.fixture
async def pushing(api, settings):
    """The app with its job worker running; acknowledgement windows of one second."""
    app = create_app(dataclasses.replace(settings, run_worker=True, ack_timeout_s=1.0,
                                         push_backoff_s=0.2))  # fmt: skip
    async with AsyncTestClient(app=app) as client:
        api.client = client
        api._tokens.clear()
        yield api


async def subscribe(api, receiver, who: str) -> dict:
    sub = receiver.new_subscription()
    response = await api.request("POST", "/api/push/subscriptions", who, json=sub)
    assert response.status_code == 201, response.text
    return sub


async def wait_until(check, timeout: float = 15.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


async def fire_incident(api) -> dict:
    return await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "kebakaran", "address": "RSUD Kumpulan Pane"})  # fmt: skip


async def test_the_public_key_is_the_deployments(api, settings) -> None:
    body = await api.ok("GET", "/api/push/vapid-public-key", who="")
    assert body == {"key": public_key(load_vapid(settings))}


async def test_subscriptions_register_update_and_delete(api, receiver) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    sub = await subscribe(api, receiver, "damkar-1")
    fresh = receiver.new_subscription()
    again = {**sub, "keys": fresh["keys"]}
    assert (
        await api.request("POST", "/api/push/subscriptions", "damkar-1", json=again)
    ).status_code == 201
    assert await api.scalar("SELECT count(*) FROM push_subscriptions") == 1
    assert await api.scalar("SELECT p256dh FROM push_subscriptions") == fresh["keys"]["p256dh"]
    gone = await api.request(
        "DELETE", "/api/push/subscriptions", "damkar-1", json={"endpoint": sub["endpoint"]}
    )
    assert gone.status_code == 204
    assert await api.scalar("SELECT count(*) FROM push_subscriptions") == 0


@pytest.mark.parametrize(
    ("endpoint", "keys_ok"),
    [("https://evil.example/push/1", True), ("http://10.0.0.5/push", True),
     ("https://fcm.googleapis.com.evil.example/x", True), ("file:///etc/passwd", True),
     ("https://fcm.googleapis.com/fcm/send/abc", False)],
)  # fmt: skip
async def test_foreign_endpoints_and_bad_keys_are_refused(api, receiver, endpoint, keys_ok) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    sub = receiver.new_subscription()
    body = {
        "endpoint": endpoint,
        "keys": sub["keys"] if keys_ok else {"p256dh": "AAAA", "auth": "x"},
    }
    response = await api.request("POST", "/api/push/subscriptions", "damkar-1", json=body)
    assert response.status_code == 422
    assert ("endpoint" if keys_ok else "keys.p256dh") in response.json()["detail"]
    assert await api.scalar("SELECT count(*) FROM push_subscriptions") == 0
    staff = await api.request("POST", "/api/push/subscriptions", "dispatcher", json=sub)
    assert staff.status_code == 403


async def test_every_device_of_the_unit_gets_the_assignment_decrypted(pushing, receiver) -> None:
    api = pushing
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    phone, tablet = (
        await subscribe(api, receiver, "damkar-1"),
        await subscribe(api, receiver, "damkar-1"),
    )
    incident = await fire_incident(api)
    assignment = incident["assignments"][0]
    for device in (phone, tablet):
        (message,) = receiver.wait_for(1, device["endpoint"])
        assert message.status == 201
        assert message.payload["assignment_id"] == assignment["id"]
        assert message.payload["number"] == incident["number"]
        assert message.payload["category"] == "fire"
        assert message.payload["label"] == "RSUD DR. H. Kumpulan Pane Pasarbaru"
        assert message.payload["kelurahan"] == "Bandar Utama"
        assert message.headers["urgency"] == "high" and int(message.headers["ttl"]) > 0
        assert message.headers["topic"] == assignment["id"].replace("-", "")
        assert message.claims["aud"] == receiver.origin
    timeline = await api.ok("GET", f"/api/incidents/{incident['id']}/timeline")
    attempts = [e["data"] for e in timeline["items"] if e["kind"] == "push_attempt"]
    assert sorted(a["result"] for a in attempts) == ["delivered", "delivered"]


@pytest.mark.parametrize("status", [404, 410])
async def test_a_gone_device_is_pruned_and_the_others_still_receive(
    pushing, receiver, status
) -> None:
    api = pushing
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    dead, alive = (
        await subscribe(api, receiver, "damkar-1"),
        await subscribe(api, receiver, "damkar-1"),
    )
    receiver.answer(dead["endpoint"], status)
    await fire_incident(api)
    assert receiver.wait_for(1, alive["endpoint"])[0].status == 201
    remaining = await wait_until(lambda: api.scalar(
        "SELECT string_agg(endpoint, ',') FROM push_subscriptions HAVING count(*) = 1"))  # fmt: skip
    assert remaining == alive["endpoint"]


@pytest.mark.parametrize("statuses", [(429,), (503,), (503, 429)])
async def test_busy_push_services_are_retried(pushing, receiver, statuses) -> None:
    api = pushing
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    device = await subscribe(api, receiver, "damkar-1")
    receiver.answer(device["endpoint"], *statuses)
    incident = await fire_incident(api)
    messages = receiver.wait_for(len(statuses) + 1, device["endpoint"])
    assert [m.status for m in messages] == [*statuses, 201]
    assert messages[-1].payload["assignment_id"] == incident["assignments"][0]["id"]

    async def results():
        timeline = await api.ok("GET", f"/api/incidents/{incident['id']}/timeline")
        found = [e["data"]["result"] for e in timeline["items"] if e["kind"] == "push_attempt"]
        return found if len(found) == len(statuses) + 1 else None

    assert await wait_until(results) == ["retrying"] * len(statuses) + ["delivered"]


async def test_no_acknowledgement_repushes_then_times_out_and_sends_the_next_unit(
    pushing, receiver
) -> None:
    api = pushing
    first = await api.unit("DAMKAR-1", "fire", *RSUD)
    await api.unit("DAMKAR-2", "fire", station="Damkar Kota Tebing Tinggi")
    one = await subscribe(api, receiver, "damkar-1")
    two = await subscribe(api, receiver, "damkar-2")
    incident = await fire_incident(api)
    assert incident["assignments"][0]["callsign"] == "DAMKAR-1"
    pushed = receiver.wait_for(2, one["endpoint"])  # the alert, then the reminder, same topic
    assert len(pushed) == 2 and pushed[0].headers["topic"] == pushed[1].headers["topic"]
    (second,) = receiver.wait_for(1, two["endpoint"])
    assert second.payload["incident_id"] == incident["id"]

    async def settled():
        now = await api.ok("GET", f"/api/incidents/{incident['id']}")
        return now if len(now["assignments"]) == 2 else None

    now = await wait_until(settled)
    assert [(a["callsign"], a["status"]) for a in now["assignments"]] == [
        ("DAMKAR-1", "timed_out"), ("DAMKAR-2", "sent")]  # fmt: skip
    assert (
        await api.scalar("SELECT status FROM units WHERE id = :u", u=first["id"])
        == "out_of_service"
    )
    overdue = await api.scalar("SELECT count(*) FROM events_log WHERE kind = 'overdue'")
    assert overdue == 1


async def test_a_decline_redispatches_at_once(pushing, receiver) -> None:
    api = pushing
    await api.unit("DAMKAR-1", "fire", *RSUD)
    await api.unit("DAMKAR-2", "fire", station="Damkar Kota Tebing Tinggi")
    two = await subscribe(api, receiver, "damkar-2")
    incident = await fire_incident(api)
    path = f"/api/assignments/{incident['assignments'][0]['id']}/transition"
    await api.ok("POST", path, "damkar-1", json={"to": "declined", "reason": "mesin mogok"})
    now = await api.ok("GET", f"/api/incidents/{incident['id']}")
    assert [(a["callsign"], a["status"]) for a in now["assignments"]] == [
        ("DAMKAR-1", "declined"), ("DAMKAR-2", "sent")]  # fmt: skip
    (message,) = receiver.wait_for(1, two["endpoint"])
    assert message.payload["assignment_id"] == now["assignments"][1]["id"]


async def test_a_subscription_whose_key_cannot_encrypt_is_a_failed_attempt_not_a_crash(
    pushing, receiver
) -> None:
    api = pushing
    unit = await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    good = await subscribe(api, receiver, "damkar-1")
    from api.notify import b64url

    async with api.maker() as session, session.begin():  # stored before keys were checked
        from sqlalchemy import text

        await session.execute(text(
            "INSERT INTO push_subscriptions (endpoint, p256dh, auth, unit_id, user_id) "
            "SELECT :e, :p, :a, :u, id FROM users WHERE username = 'damkar-1'"),
            {"e": receiver.origin + "/push/broken", "p": b64url(b"\x04" + bytes(64)),
             "a": b64url(bytes(16)), "u": unit["id"]})  # fmt: skip
    incident = await fire_incident(api)
    assert receiver.wait_for(1, good["endpoint"])[0].status == 201

    async def results():
        timeline = await api.ok("GET", f"/api/incidents/{incident['id']}/timeline")
        found = sorted(
            e["data"]["result"] for e in timeline["items"] if e["kind"] == "push_attempt"
        )
        return found if len(found) == 2 else None

    assert await wait_until(results) == ["delivered", "failed"]

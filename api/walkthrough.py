"""`siaga demo`: the README walk-through, run against a live server with the demo loaded."""

from __future__ import annotations

from typing import Any

import httpx

from api.push_receiver import PushReceiver

# `make run` allows exactly this local origin, so the demo server never posts to other local ports.
DEMO_RECEIVER_PORT = 8113


class Step:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def __call__(self, what: str, method: str, path: str, token: str, **kw: Any) -> Any:
        response = self.client.request(
            method, path, headers={"authorization": f"Bearer {token}"}, **kw
        )
        if response.status_code >= 400:
            raise SystemExit(
                f"FAILED {what}: {method} {path} -> {response.status_code} {response.text}"
            )
        return response.json() if response.content else None


def login(client: httpx.Client, username: str, password: str) -> str:
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    if response.status_code != 200:
        raise SystemExit(f"FAILED log-in as {username}: {response.status_code} {response.text}")
    return str(response.json()["token"])


def run_walkthrough(url: str, password: str) -> int:
    with httpx.Client(base_url=url, timeout=30) as client:
        step = Step(client)
        key = client.get("/api/push/vapid-public-key").json()["key"]
        receiver = PushReceiver(port=DEMO_RECEIVER_PORT, expected_key=key).start()
        try:
            return _walk(client, step, password, receiver)
        finally:
            receiver.stop()


def _subscribe_fire_crews(
    client: httpx.Client, step: Step, password: str, receiver: PushReceiver
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each Damkar crew's phone, played by the local push receiver."""
    devices = {}
    for n in (1, 2, 3):
        token = login(client, f"damkar-{n}", password)
        device = receiver.new_subscription()
        step("subscribe to push", "POST", "/api/push/subscriptions", token, json=device)
        devices[f"DAMKAR-{n}"] = (token, device)
    return devices


def _walk(client: httpx.Client, step: Step, password: str, receiver: PushReceiver) -> int:
    devices = _subscribe_fire_crews(client, step, password, receiver)
    print(f"0. the Damkar crews' phones subscribed to push at {receiver.origin}")
    try:
        return _walk_subscribed(client, step, password, receiver, devices)
    finally:
        for token, device in devices.values():
            step("unsubscribe", "DELETE", "/api/push/subscriptions", token,
                 json={"endpoint": device["endpoint"]})  # fmt: skip


def _walk_subscribed(
    client: httpx.Client, step: Step, password: str, receiver: PushReceiver,
    devices: dict[str, tuple[str, dict[str, Any]]],
) -> int:  # fmt: skip
    dispatcher = login(client, "dispatcher", password)
    call = step("log a call", "POST", "/api/calls", dispatcher,
                json={"caller_number": "0812-6000-1120", "notes": "api terlihat di dekat RSUD"})  # fmt: skip
    print(f"1. call {call['id']} logged from {call['caller_number']}; "
          f"caller history: {call['caller_history']}")  # fmt: skip
    step(
        "triage",
        "POST",
        f"/api/calls/{call['id']}/triage",
        dispatcher,
        json={"verdict": "emergency"},
    )
    print("2. triaged: emergency")
    incident = step("create the incident", "POST", "/api/incidents", dispatcher, json={
        "call_id": call["id"], "category": "fire", "description": "Kebakaran di dekat RSUD",
        "address": "RSUD Kumpulan Pane"})  # fmt: skip
    geo = incident["geocode"]
    print(f"3. incident {incident['number']}: '{incident['address']}' -> {geo['label']} "
          f"({geo['status']}, {geo['source']}, confidence {geo['confidence']}), "
          f"kel. {geo['kelurahan']}, kec. {geo['kecamatan']}")  # fmt: skip
    if not incident["assignments"]:
        raise SystemExit(f"FAILED: no unit dispatched; shortfall {incident['shortfall']}")
    assignment = incident["assignments"][0]
    print(f"4. nearest available fire unit: {assignment['callsign']}, "
          f"{assignment['distance_m']:.0f} m — {assignment['reason']}")  # fmt: skip
    pushed = receiver.wait_for(1, devices[assignment["callsign"]][1]["endpoint"], timeout=30)
    if not pushed:
        raise SystemExit("FAILED: no push reached the unit's phone (is the worker running?)")
    print(f"   push received and decrypted on {assignment['callsign']}'s phone "
          f"(VAPID verified, Urgency {pushed[0].headers.get('urgency')}): {pushed[0].payload}")  # fmt: skip
    responder = login(client, assignment["callsign"].lower(), password)
    mine = step("responder's assignments", "GET", "/api/assignments/mine", responder)
    assert mine["items"][0]["assignment"]["id"] == assignment["id"]
    for to in ("accepted", "en_route", "on_scene", "cleared"):
        done = step(f"go {to}", "POST", f"/api/assignments/{assignment['id']}/transition",
                    responder, json={"to": to})  # fmt: skip
        print(f"5. {assignment['callsign']}: {done['status']}")
    closed = step("close", "POST", f"/api/incidents/{incident['id']}/close", dispatcher,
                  json={"outcome": "api padam, tidak ada korban"})  # fmt: skip
    units = step("units", "GET", "/api/units", dispatcher, params={"kind": "fire"})["items"]
    unit = next(u for u in units if u["id"] == assignment["unit_id"])
    print(f"6. incident {closed['status']}; {unit['callsign']} is {unit['status']} again")
    if closed["status"] != "closed" or unit["status"] != "available":
        raise SystemExit("FAILED: the incident did not close or the unit was not released")
    print("walk-through complete")
    return 0

"""Every client mistake is a 4xx whose `detail` names the field, and it stores nothing."""

import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from points import CITY_CENTRE, RSUD

UNKNOWN = str(uuid.uuid4())

# What a refused request must leave exactly as it was: row counts and the rows themselves.
STATE = {
    "calls": "SELECT count(*) FROM calls",
    "incidents": "SELECT count(*) FROM incidents",
    "units": "SELECT count(*) FROM units",
    "assignments": "SELECT count(*) FROM assignments",
    "timeline": "SELECT count(*) FROM incident_events",
    **{
        f"{table} rows": f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "
        f"FROM {table} t"
        for table in ("calls", "incidents", "units", "callers")
    },
}


@dataclass
class World:
    call: str
    incident: str
    unit: str
    responder: str


@pytest.fixture
async def world(api: Any) -> World:
    unit = await api.unit("DAMKAR-1", "fire", *CITY_CENTRE)
    call = await api.ok("POST", "/api/calls", json={"caller_number": "081234567890"})
    incident = await api.ok(
        "POST",
        "/api/incidents",
        json={"category": "fire", "description": "Api di dapur", "auto_dispatch": False,
              "location": {"lat": RSUD[0], "lon": RSUD[1]}},
    )  # fmt: skip
    return World(call["id"], incident["id"], unit["id"], "damkar-1")


async def snapshot(api: Any) -> dict[str, Any]:
    return {name: await api.scalar(sql) for name, sql in STATE.items()}


async def send(api: Any, method: str, path: str, who: str | None, body: Any) -> httpx.Response:
    """`body` is JSON-able, or bytes sent as they are (JSON cannot carry NaN literally)."""
    if who is None:
        # The shared client still holds the last log-in's session cookie.
        api.client.cookies.clear()
        return await api.client.request(method, path, json=body)
    if isinstance(body, bytes):
        headers = {**await api.as_(who), "content-type": "application/json"}
        return await api.client.request(method, path, content=body, headers=headers)
    return await api.request(method, path, who, json=body)


async def refused(
    api: Any, method: str, path: str, who: str | None, body: Any, status: int | None,
    fields: tuple[str, ...], says: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    before = await snapshot(api)
    response = await send(api, method, path, who, body)
    if status is None:
        assert 400 <= response.status_code < 500, response.text
    else:
        assert response.status_code == status, response.text
    assert await snapshot(api) == before, "a refused request changed stored data"
    detail = response.json()["detail"]
    assert says is None or says in detail, detail
    assert not fields or any(f in detail for f in fields), f"{detail!r} names none of {fields}"
    return dict(response.json())


# --- coordinates --------------------------------------------------------------------------

COORDINATES = [  # (lat, lon) as JSON text, expected status (None: any 4xx), words in detail
    pytest.param("NaN", "99.16", None, None, id="nan-literal"),
    pytest.param("3.33", "Infinity", None, None, id="infinity-literal"),
    pytest.param("1e999", "99.16", 422, "finite", id="lat-1e999"),
    pytest.param("3.33", "-1e999", 422, "finite", id="lon-minus-1e999"),
    pytest.param("91", "99.16", 422, "latitude", id="lat-91"),
    pytest.param("3.33", "181", 422, "longitude", id="lon-181"),
    pytest.param('"3.3"', "99.16", 422, None, id="lat-as-string"),
    pytest.param("3.33", '"99.16"', 422, None, id="lon-as-string"),
    pytest.param("99.155", "3.33", 422, "swap", id="swapped"),
    pytest.param("-3.33", "99.16", 422, "outside the service area", id="south-of-equator"),
    pytest.param("3.33", "-99.16", 422, "outside the service area", id="west"),
]


def coordinate_requests(
    w: World,
) -> dict[str, tuple[str, str, str, dict[str, Any], tuple[str, ...]]]:
    loc = {"lat": "@lat", "lon": "@lon"}
    return {
        "call": ("POST", "/api/calls", "dispatcher", {"location": loc}, ("location",)),
        "incident": ("POST", "/api/incidents", "dispatcher",
                     {"category": "fire", "description": "Api", "location": loc}, ("location",)),
        "patch": ("PATCH", f"/api/incidents/{w.incident}", "dispatcher", {"location": loc},
                  ("location",)),
        "position": ("POST", f"/api/units/{w.unit}/position", w.responder, loc,
                     ("position", "$.lat", "$.lon")),
    }  # fmt: skip


@pytest.mark.parametrize("endpoint", ["call", "incident", "patch", "position"])
@pytest.mark.parametrize(("lat", "lon", "status", "says"), COORDINATES)
async def test_bad_coordinates_are_refused(
    api: Any, world: World, endpoint: str, lat: str, lon: str, status: int | None, says: str | None
) -> None:
    method, path, who, body, fields = coordinate_requests(world)[endpoint]
    raw = json.dumps(body).replace('"@lat"', lat).replace('"@lon"', lon).encode()
    await refused(api, method, path, who, raw, status, fields if status else (), says)


@pytest.mark.parametrize("endpoint", ["call", "incident", "patch", "position"])
async def test_the_same_requests_with_good_coordinates_succeed(
    api: Any, world: World, endpoint: str
) -> None:
    """The control for the matrix above: only the coordinates were wrong."""
    method, path, who, body, _ = coordinate_requests(world)[endpoint]
    raw = json.dumps(body).replace('"@lat"', "3.3301").replace('"@lon"', "99.1601").encode()
    response = await send(api, method, path, who, raw)
    assert response.status_code < 300, response.text


@pytest.mark.parametrize(
    ("lat", "lon", "says"),
    [("NaN", "99.16", "finite"), ("3.33", "inf", "finite"), ("1e999", "99.16", "finite"),
     ("91", "99.16", "latitude"), ("3.33", "181", "longitude"), ('"3.3"', "99.16", "number"),
     ("abc", "99.16", "number"), ("99.155", "3.33", "swap")],
)  # fmt: skip
async def test_reverse_refuses_bad_coordinates(api: Any, lat: str, lon: str, says: str) -> None:
    path = f"/api/reverse?{httpx.QueryParams({'lat': lat, 'lon': lon})}"
    await refused(api, "GET", path, "dispatcher", None, 422, ("lat", "lon"), says)


async def test_reverse_without_lon_is_refused(api: Any) -> None:
    await refused(api, "GET", "/api/reverse?lat=3.33", "dispatcher", None, 422, ("lon",))


@pytest.mark.parametrize(
    ("q", "names"),
    [("a\x00b", "q"), ("", "q"), ("   ", "q"), ("x" * 600, "q"), ("91.5, 181.5", "latitude")],
)
async def test_geocode_refuses_bad_queries(api: Any, q: str, names: str) -> None:
    path = f"/api/geocode?{httpx.QueryParams({'q': q})}"
    await refused(api, "GET", path, "dispatcher", None, 422, (names,))


# --- bodies -------------------------------------------------------------------------------

INCIDENT = {"category": "fire", "description": "Api", "auto_dispatch": False}
POSITION = {"lat": CITY_CENTRE[0], "lon": CITY_CENTRE[1]}
BODIES = [  # method, path (formatted with the world), who, body, status, a field the detail names
    ("POST", "/api/calls", "dispatcher", {"notes": "a\x00b"}, 422, "notes"),
    ("POST", "/api/calls", "dispatcher", {"notes": "n" * 5000}, 422, "notes"),
    ("POST", "/api/calls", "dispatcher", {"caller_name": "Budi"}, 422, "caller_name"),
    ("POST", "/api/calls", "dispatcher", {"location": {**POSITION, "alt": 5}}, 422, "alt"),
    ("POST", "/api/calls", "dispatcher", {"notes": "n" * 200_000}, 413, None),
    ("POST", "/api/calls", "damkar-1", {"notes": "kebakaran"}, 403, None),
    ("POST", "/api/calls", None, {"notes": "kebakaran"}, 401, None),
    ("POST", "/api/incidents", "dispatcher", {**INCIDENT, "description": "a\x00b"}, 422,
     "description"),
    ("POST", "/api/incidents", "dispatcher", {**INCIDENT, "address": "Jl. \x00"}, 422, "address"),
    ("POST", "/api/incidents", "dispatcher", {**INCIDENT, "description": "d" * 10_000}, 422,
     "description"),
    ("POST", "/api/incidents", "dispatcher", {**INCIDENT, "description": "d" * 100_000}, 413,
     None),
    ("POST", "/api/incidents", "dispatcher", {**INCIDENT, "severity": 1}, 422, "severity"),
    ("POST", "/api/incidents", "dispatcher", {**INCIDENT, "call_id": "nope"}, 422, "call_id"),
    ("POST", "/api/incidents", "dispatcher", {k: v for k, v in INCIDENT.items()
                                              if k != "description"}, 422, "description"),
    ("POST", "/api/incidents", None, INCIDENT, 401, None),
    ("PATCH", "/api/incidents/{incident}", "dispatcher", {"description": "a\x00b"}, 422,
     "description"),
    ("PATCH", "/api/incidents/{incident}", "dispatcher", {"description": "d" * 100_000}, 413,
     None),
    ("PATCH", "/api/incidents/{incident}", "dispatcher", {"status": "closed"}, 422, "status"),
    ("PATCH", "/api/incidents/{incident}", "damkar-1", {"description": "x"}, 403, None),
    ("PATCH", f"/api/incidents/{UNKNOWN}", "dispatcher", {"description": "x"}, 404, "incident"),
    ("PATCH", "/api/incidents/42; DROP", "dispatcher", {"description": "x"}, 404, "incident"),
    ("POST", "/api/units/{unit}/position", "damkar-1", {**POSITION, "speed": 3}, 422, "speed"),
    ("POST", "/api/units/{unit}/position", "damkar-1", {"lat": 3.33}, 422, "lon"),
    ("POST", f"/api/units/{UNKNOWN}/position", "admin", POSITION, 404, "unit"),
    ("POST", "/api/units/xyz/position", "admin", POSITION, 404, "unit"),
    ("POST", "/api/calls/{call}/triage", "dispatcher", {"verdict": "prank", "notes": "\x00"},
     422, "notes"),
    ("POST", "/api/calls/{call}/triage", "dispatcher", {"verdict": "prank", "why": "x"}, 422,
     "why"),
    ("POST", "/api/calls/{call}/triage", "dispatcher", {"verdict": "duplicate"}, 422,
     "incident_id"),
    ("POST", "/api/calls/{call}/triage", "dispatcher",
     {"verdict": "duplicate", "incident_id": "nope"}, 422, "incident_id"),
    ("POST", f"/api/calls/{UNKNOWN}/triage", "dispatcher", {"verdict": "prank"}, 404, "call"),
    ("POST", "/api/calls/nope/triage", "dispatcher", {"verdict": "prank"}, 404, "call"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "who", "body", "status", "field"), BODIES)
async def test_bad_bodies_are_refused(
    api: Any, world: World, method: str, path: str, who: str | None, body: Any, status: int,
    field: str | None,
) -> None:  # fmt: skip
    path = path.format(**vars(world))
    await refused(api, method, path, who, body, status, (field,) if field else ())


# msgspec reports these with the field only in `extra[].key`, not in the message itself.
CONSTRAINTS = [
    ("POST", "/api/incidents", {**INCIDENT, "category": "flood"}, "category"),
    ("PATCH", "/api/incidents/{incident}", {"category": "flood"}, "category"),
    ("PATCH", "/api/incidents/{incident}", {"priority": 9}, "priority"),
    ("POST", "/api/incidents", {**INCIDENT, "priority": 0}, "priority"),
    ("POST", "/api/calls/{call}/triage", {"verdict": "hoax"}, "verdict"),
    ("POST", "/api/units/{unit}/position", {**POSITION, "accuracy_m": -1}, "accuracy_m"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), CONSTRAINTS)
async def test_unknown_values_are_refused(
    api: Any, world: World, method: str, path: str, body: Any, field: str
) -> None:
    who = world.responder if "/position" in path else "dispatcher"
    answer = await refused(api, method, path.format(**vars(world)), who, body, 422, ())
    assert field in [item.get("key") for item in answer["extra"]]


@pytest.mark.parametrize(("method", "path", "body", "field"), CONSTRAINTS)
async def test_unknown_values_are_named_in_detail(
    api: Any, world: World, method: str, path: str, body: Any, field: str
) -> None:
    who = world.responder if "/position" in path else "dispatcher"
    await refused(api, method, path.format(**vars(world)), who, body, 422, (field,))


async def test_duplicate_of_a_closed_incident_is_a_conflict(api: Any, world: World) -> None:
    await api.ok("POST", f"/api/incidents/{world.incident}/close", json={"outcome": "padam"})
    body = {"verdict": "duplicate", "incident_id": world.incident}
    answer = await refused(
        api, "POST", f"/api/calls/{world.call}/triage", "dispatcher", body, 409, ("incident",)
    )
    assert "closed" in answer["detail"]
    assert [item["key"] for item in answer["extra"]] == ["incident_id"]
    call = (await api.ok("GET", "/api/calls"))["items"][0]
    assert call["verdict"] is None and call["incident_id"] is None


# --- phone numbers ------------------------------------------------------------------------


async def test_one_caller_written_three_ways_is_one_caller(api: Any) -> None:
    counts = []
    for number in ("+62 812-3456-7890", "6281234567890", "081234567890"):
        call = await api.ok("POST", "/api/calls", json={"caller_number": number})
        counts.append(call["caller_history"]["calls"])
        assert call["caller_number"] == "+6281234567890"
    assert counts == [1, 2, 3]
    history = await api.ok("GET", "/api/callers/081234567890/history")
    assert history["calls"] == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [("caller_number", "abc"), ("caller_number", "12"), ("caller_number", "+62"),
     ("caller_number", "0812345678901234567"), ("caller_number", "0812\x0034567890"),
     ("caller_imei", "490154203237519"), ("caller_imei", "12345"), ("caller_imei", "imei")],
)  # fmt: skip
async def test_garbage_caller_identities_are_refused(api: Any, field: str, value: str) -> None:
    await refused(api, "POST", "/api/calls", "dispatcher", {field: value}, 422, (field,))


async def test_a_valid_imei_is_kept(api: Any) -> None:
    call = await api.ok("POST", "/api/calls", json={"caller_imei": "49-015420-323751-8"})
    assert call["caller_imei"] == "490154203237518"


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [("POST", "/api/auth/login", {"username": "disp\u0000", "password": "x"}, "username"),
     ("POST", "/api/units", {"callsign": "NOWHERE-1", "kind": "fire"}, "station_id"),
     ("POST", "/api/incidents/{incident}/close", {"outcome": "   "}, "outcome"),
     ("POST", "/api/incidents/{incident}/dispatch", {"unit_ids": []}, "unit_ids")],
)  # fmt: skip
async def test_more_mistakes_found_by_a_new_user(
    api: Any, world: World, method, path, body, field
) -> None:
    who = "admin" if path == "/api/units" else "dispatcher"
    before = await snapshot(api)
    response = await api.request(method, path.format(**vars(world)), who, json=body)
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]
    assert await snapshot(api) == before


@pytest.mark.parametrize("raw", ["3_3", "３.３", "nan", "0x10", ""])
async def test_reverse_takes_plain_decimals_only(api: Any, raw: str) -> None:
    response = await api.request("GET", "/api/reverse", params={"lat": raw, "lon": "99.16"})
    assert response.status_code == 422 and "lat" in response.json()["detail"]


async def test_an_absurd_aml_radius_is_not_taken_as_accuracy(api: Any) -> None:
    aml = 'A"ML=1;lt=+3.32988;lg=+99.15548;rd=99999999999999999999;pm=G'
    call = await api.ok("POST", "/api/calls", json={"aml": aml})
    assert call["location"]["lat"] == 3.32988 and call["location"]["accuracy_m"] is None


@pytest.mark.parametrize("last", ["²", "99999999999999999999999", "-5", "1e3"])
async def test_a_strange_last_event_id_is_refused(api: Any, last: str) -> None:
    response = await api.request("GET", "/api/events", params={"last_event_id": last})
    assert response.status_code == 422 and "Last-Event-ID" in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [("/api/calls", {"received_at": "0001-01-01T00:00:00+14:00"}, "received_at"),
     ("/api/calls", {"received_at": "1970-01-01T00:00:00Z"}, "received_at")],
)  # fmt: skip
async def test_times_before_2000_are_refused(api: Any, path: str, body: Any, field: str) -> None:
    before = await snapshot(api)
    response = await api.request("POST", path, json=body)
    assert response.status_code == 422 and field in response.json()["detail"]
    assert await snapshot(api) == before


async def test_a_push_endpoint_with_nul_or_a_key_off_the_curve_is_refused(
    api: Any, world: World
) -> None:
    from api.notify import b64url

    good_auth = b64url(bytes(16))
    off_curve = b64url(b"\x04" + bytes(64))
    for body, field in (
        ({"endpoint": "https://fcm.googleapis.com/fcm/send/a\u0000b", "keys": {"p256dh": off_curve, "auth": good_auth}}, "endpoint"),
        ({"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": {"p256dh": off_curve, "auth": good_auth}}, "p256dh"),
    ):  # fmt: skip
        response = await api.request("POST", "/api/push/subscriptions", world.responder, json=body)
        assert response.status_code == 422 and field in response.json()["detail"], response.text
    assert await api.scalar("SELECT count(*) FROM push_subscriptions") == 0

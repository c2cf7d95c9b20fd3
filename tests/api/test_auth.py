"""Log-in, sessions and who may do what."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from points import CITY_CENTRE, RSUD

PASSWORD = "kata-sandi-uji-112"  # conftest.PASSWORD
COOKIE = "siaga_session"
FAR_SOUTH = (3.3050, 99.1520)  # Tebing Tinggi, about 3 km south of RSUD


@pytest.fixture
async def fresh(api: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The shared client with an empty cookie jar: it keeps the last log-in's session cookie.
    (A second client cannot be used: the app and its connection pool live on the client's loop.)"""
    api.client.cookies.clear()
    yield api.client
    api.client.cookies.clear()


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> Any:
    return await client.post("/api/auth/login", json={"username": username, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_login_answers_token_and_user(api: Any, fresh: httpx.AsyncClient) -> None:
    response = await login(fresh, "dispatcher")
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body["token"], str) and len(body["token"]) >= 20
    user = body["user"]
    assert set(user) == {"id", "username", "role", "unit_id"}
    assert (user["username"], user["role"], user["unit_id"]) == ("dispatcher", "dispatcher", None)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={body['token']}") and "httponly" in cookie.lower()


async def test_a_responder_logs_in_bound_to_its_unit(api: Any, fresh: httpx.AsyncClient) -> None:
    unit = await api.unit("AMB-1", "ambulance", *RSUD)
    response = await login(fresh, "amb-1")
    assert response.status_code == 200, response.text
    assert response.json()["user"]["role"] == "responder"
    assert response.json()["user"]["unit_id"] == unit["id"]


async def test_wrong_password_and_unknown_user_get_the_same_answer(
    api: Any, fresh: httpx.AsyncClient
) -> None:
    wrong = await login(fresh, "dispatcher", "salah")
    unknown = await login(fresh, "tidak-ada", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert COOKIE not in wrong.headers.get("set-cookie", "")
    assert await api.scalar("SELECT count(*) FROM auth_sessions") == 0


async def test_the_session_cookie_alone_authenticates(api: Any, fresh: httpx.AsyncClient) -> None:
    response = await login(fresh, "supervisor")
    token = response.json()["token"]
    assert (await fresh.get("/api/auth/me")).json()["username"] == "supervisor"  # as a browser
    fresh.cookies.clear()
    assert (await fresh.get("/api/auth/me")).status_code == 401
    fresh.cookies.set(COOKIE, token)
    me = await fresh.get("/api/auth/me")
    assert me.status_code == 200, me.text
    assert me.json()["username"] == "supervisor"
    assert (await fresh.get("/api/incidents")).status_code == 200


async def test_me_matches_the_login(api: Any, fresh: httpx.AsyncClient) -> None:
    body = (await login(fresh, "admin")).json()
    me = await fresh.get("/api/auth/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.json() == body["user"]


@pytest.mark.parametrize("token", ["", "not-a-token", "0" * 64])
async def test_no_or_bad_token_is_401(api: Any, fresh: httpx.AsyncClient, token: str) -> None:
    headers = bearer(token) if token else {}
    for path in ("/api/auth/me", "/api/incidents", "/api/calls"):
        response = await fresh.get(path, headers=headers)
        assert response.status_code == 401, f"{path}: {response.text}"
        assert response.json()["detail"]


async def test_logout_ends_the_token_and_the_cookie(api: Any, fresh: httpx.AsyncClient) -> None:
    token = (await login(fresh, "dispatcher")).json()["token"]
    assert (await fresh.get("/api/auth/me", headers=bearer(token))).status_code == 200
    out = await fresh.post("/api/auth/logout", headers=bearer(token))
    assert out.status_code == 204
    assert out.headers["set-cookie"].startswith(f"{COOKIE}=")  # the browser forgets it too
    assert (await fresh.get("/api/auth/me", headers=bearer(token))).status_code == 401
    fresh.cookies.clear()
    fresh.cookies.set(COOKIE, token)
    assert (await fresh.get("/api/calls")).status_code == 401


async def test_logout_leaves_other_sessions_alone(api: Any, fresh: httpx.AsyncClient) -> None:
    first = (await login(fresh, "dispatcher")).json()["token"]
    second = (await login(fresh, "dispatcher")).json()["token"]
    assert first != second
    await fresh.post("/api/auth/logout", headers=bearer(first))
    assert (await fresh.get("/api/auth/me", headers=bearer(second))).status_code == 200


# --- the role matrix ----------------------------------------------------------------------

UNIT_BODY = {"callsign": "POL-9", "kind": "police", "location": {"lat": 3.33, "lon": 99.16}}
CALL_BODY = {"caller_number": "081234567890"}
FORBIDDEN = [  # who, method, path, body
    ("damkar-1", "GET", "/api/incidents", None),
    ("damkar-1", "POST", "/api/units", UNIT_BODY),
    ("damkar-1", "POST", "/api/calls", CALL_BODY),
    ("damkar-1", "GET", "/api/calls", None),
    ("damkar-1", "GET", "/api/units", None),
    ("supervisor", "POST", "/api/calls", CALL_BODY),
    ("supervisor", "POST", "/api/incidents", {"category": "fire", "description": "Api"}),
    ("supervisor", "POST", "/api/units", UNIT_BODY),
    ("dispatcher", "POST", "/api/units", UNIT_BODY),
    ("dispatcher", "GET", "/api/assignments/mine", None),
]


@pytest.mark.parametrize(("who", "method", "path", "body"), FORBIDDEN)
async def test_roles_are_enforced(
    api: Any, who: str, method: str, path: str, body: dict[str, Any] | None
) -> None:
    await api.unit("DAMKAR-1", "fire", *CITY_CENTRE)
    before = [
        await api.scalar(f"SELECT count(*) FROM {t}") for t in ("calls", "incidents", "units")
    ]
    kw = {"json": body} if body is not None else {}
    response = await api.request(method, path, who, **kw)
    assert response.status_code == 403, response.text
    assert response.json()["detail"]
    after = [await api.scalar(f"SELECT count(*) FROM {t}") for t in ("calls", "incidents", "units")]
    assert after == before


@pytest.mark.parametrize(
    ("who", "method", "path", "body"),
    [("supervisor", "GET", "/api/incidents", None), ("supervisor", "GET", "/api/units", None),
     ("admin", "POST", "/api/units", UNIT_BODY), ("admin", "POST", "/api/calls", CALL_BODY),
     ("dispatcher", "POST", "/api/calls", CALL_BODY)],
)  # fmt: skip
async def test_the_roles_that_may_are_let_through(
    api: Any, who: str, method: str, path: str, body: dict[str, Any] | None
) -> None:
    """The control for the matrix: each path works for a role that holds it."""
    kw = {"json": body} if body is not None else {}
    await api.ok(method, path, who, **kw)


async def two_fires(api: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two fire units far apart, each sent to the fire next to it."""
    units = [
        await api.unit("DAMKAR-1", "fire", *RSUD),
        await api.unit("DAMKAR-2", "fire", *FAR_SOUTH),
    ]
    incidents = []
    for (lat, lon), unit in zip((RSUD, FAR_SOUTH), units, strict=True):
        created = await api.ok(
            "POST", "/api/incidents",
            json={"category": "fire", "description": f"Api dekat {unit['callsign']}",
                  "location": {"lat": lat + 0.0005, "lon": lon}, "auto_dispatch": False},
        )  # fmt: skip
        incidents.append(
            await api.ok(
                "POST", f"/api/incidents/{created['id']}/dispatch", json={"unit_ids": [unit["id"]]}
            )
        )
    return units, incidents


async def test_a_responder_reports_only_its_own_position(api: Any) -> None:
    await api.unit("DAMKAR-1", "fire", *RSUD)
    other = await api.unit("DAMKAR-2", "fire", *FAR_SOUTH)
    body = {"lat": CITY_CENTRE[0], "lon": CITY_CENTRE[1]}
    response = await api.request(
        "POST", f"/api/units/{other['id']}/position", "damkar-1", json=body
    )
    assert response.status_code == 403, response.text
    units = {u["callsign"]: u for u in (await api.ok("GET", "/api/units"))["items"]}
    assert units["DAMKAR-2"]["location"]["lat"] == pytest.approx(FAR_SOUTH[0])
    await api.ok("POST", f"/api/units/{other['id']}/position", "damkar-2", json=body)
    units = {u["callsign"]: u for u in (await api.ok("GET", "/api/units"))["items"]}
    assert units["DAMKAR-2"]["location"]["lat"] == pytest.approx(CITY_CENTRE[0])


async def test_a_responder_moves_only_its_own_assignments(api: Any) -> None:
    _, incidents = await two_fires(api)
    theirs = incidents[1]["assignments"][0]
    response = await api.request(
        "POST", f"/api/assignments/{theirs['id']}/transition", "damkar-1", json={"to": "accepted"}
    )
    assert response.status_code == 403, response.text
    status = await api.scalar("SELECT status FROM assignments WHERE id = :id", id=theirs["id"])
    assert status == "sent"
    moved = await api.ok(
        "POST", f"/api/assignments/{theirs['id']}/transition", "damkar-2", json={"to": "accepted"}
    )
    assert moved["status"] == "accepted"


async def test_a_responder_sees_only_its_own_assignments(api: Any) -> None:
    units, incidents = await two_fires(api)
    for unit, incident in zip(units, incidents, strict=True):
        assert [a["unit_id"] for a in incident["assignments"]] == [unit["id"]]
        mine = (await api.ok("GET", "/api/assignments/mine", unit["callsign"].lower()))["items"]
        assert [m["incident"]["id"] for m in mine] == [incident["id"]]
        assert [m["assignment"]["unit_id"] for m in mine] == [unit["id"]]


async def test_a_responder_reads_only_the_incidents_it_is_on(api: Any) -> None:
    _, (ours, theirs) = await two_fires(api)
    assert (await api.ok("GET", f"/api/incidents/{ours['id']}", "damkar-1"))["id"] == ours["id"]
    response = await api.request("GET", f"/api/incidents/{theirs['id']}", "damkar-1")
    assert response.status_code == 403, response.text


async def test_the_openapi_document_lists_the_api(api: Any, fresh: httpx.AsyncClient) -> None:
    response = await fresh.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/calls", "/api/incidents", "/api/auth/login"):
        assert path in paths, sorted(paths)
    assert "post" in paths["/api/calls"] and "get" in paths["/api/incidents"]

"""/api/events across two API processes on one database, and resuming with Last-Event-ID."""

import pytest
from points import RSUD
from servers import listen, start_server


@pytest.fixture
def two_servers(api, settings):
    servers = [start_server(settings, SIAGA_RUN_WORKER="false") for _ in range(2)]
    yield servers
    for server in servers:
        server.stop()


async def token(api, who: str = "dispatcher") -> str:
    return (await api.as_(who))["authorization"].removeprefix("Bearer ")


async def test_a_change_through_either_process_shows_on_both_feeds(api, two_servers) -> None:
    import httpx

    a, b = two_servers
    t = await token(api)
    headers = {"authorization": f"Bearer {t}"}
    async with listen(a.url, t) as feed_a, listen(b.url, t) as feed_b, httpx.AsyncClient() as http:
        made = await http.post(
            f"{b.url}/api/calls", headers=headers, json={"caller_number": "081211112222"}
        )
        call_id = made.json()["id"]
        for feed in (feed_a, feed_b):
            event = await feed.wait_for(
                lambda e: e["event"] == "call" and e["data"]["id"] == call_id
            )
            assert event["data"]["caller_number"] == "+6281211112222"
        incident = await http.post(f"{a.url}/api/incidents", headers=headers, json={
            "category": "other", "description": "uji", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
        incident_id = incident.json()["id"]
        for feed in (feed_a, feed_b):
            await feed.wait_for(
                lambda e: e["event"] == "incident" and e["data"]["id"] == incident_id
            )


async def test_last_event_id_resumes_without_a_gap(api, two_servers, settings) -> None:
    import httpx

    a, b = two_servers
    t = await token(api)
    headers = {"authorization": f"Bearer {t}"}
    async with httpx.AsyncClient() as http:
        async with listen(a.url, t) as first:
            await http.post(f"{a.url}/api/calls", headers=headers, json={"notes": "sebelum"})
            seen = await first.wait_for(lambda e: e["event"] == "call")
        missed = []
        for n in range(5):  # made while the client is away, through the other process
            made = await http.post(
                f"{b.url}/api/calls", headers=headers, json={"notes": f"celah {n}"}
            )
            missed.append(made.json()["id"])
        async with listen(a.url, t, last_id=seen["id"]) as resumed:
            await resumed.wait_for(lambda e: e["event"] == "call" and e["data"]["id"] == missed[-1])
            ids = [int(e["id"]) for e in resumed.events]
            got = [e["data"]["id"] for e in resumed.events if e["event"] == "call"]
    assert got == missed
    assert ids == sorted(ids) and min(ids) > int(seen["id"])
    logged = await api.scalar("SELECT count(*) FROM events_log WHERE id > :i", i=int(seen["id"]))
    assert len(ids) == logged


async def test_the_feed_is_for_dispatchers_and_supervisors(api, two_servers) -> None:
    import httpx

    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    t = await token(api, "damkar-1")
    async with httpx.AsyncClient() as http:
        refused = await http.get(
            f"{two_servers[0].url}/api/events", headers={"authorization": f"Bearer {t}"}
        )
        anonymous = await http.get(f"{two_servers[0].url}/api/events")
    assert (refused.status_code, anonymous.status_code) == (403, 401)


async def test_old_events_are_pruned_from_the_replay_log(api, settings) -> None:
    from api.worker import Worker

    await api.ok("POST", "/api/calls", json={"notes": "baru"})
    async with api.maker() as session, session.begin():
        from sqlalchemy import text

        await session.execute(text(
            "INSERT INTO events_log (at, kind, entity_id, data) "
            "VALUES (now() - interval '2 hours', 'call', gen_random_uuid(), '{}')"))  # fmt: skip
    assert await api.scalar("SELECT count(*) FROM events_log") == 2
    removed = await Worker(api.maker, settings).prune_events()
    assert removed == 1
    assert await api.scalar("SELECT count(*) FROM events_log WHERE data ->> 'notes' = 'baru'") == 1

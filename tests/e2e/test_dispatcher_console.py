"""The dispatcher console and the supervisor view in headless Chromium at 1366x768."""

from __future__ import annotations

import asyncio

import pytest
from browser import SCREENSHOTS, chromium
from servers import start_server
from sqlalchemy import text

from api.app import PWA_DIST
from api.demo import CITY_DIR, load_lines

DESK = {"width": 1366, "height": 768}
# 19 calls that are not emergencies (a few from one prankster) and one that is, last.
PLAN = [
    "p",
    "s",
    "n",
    "p",
    "w",
    "t",
    "p",
    "s",
    "n",
    "n",
    "p",
    "s",
    "w",
    "n",
    "p",
    "t",
    "s",
    "n",
    "p",
    "e",
]
VERDICT = {
    "p": "prank",
    "s": "silent",
    "n": "non_emergency",
    "w": "wrong_number",
    "t": "test",
    "e": "emergency",
}


@pytest.fixture
async def server(api, settings):
    assert (PWA_DIST / "index.html").exists(), "the PWA is not built: make test builds it"
    async with api.maker() as session, session.begin():
        await load_lines(session, settings.data_dir / CITY_DIR)
    server = start_server(settings, SIAGA_RUN_WORKER="false")
    yield server
    server.stop()


async def login(page, who: str) -> None:
    await page.goto("/")
    await page.fill("input[name=username]", who)
    await page.fill("input[name=password]", "kata-sandi-uji-112")
    await page.click("button[type=submit]")


async def test_keyboard_triage_landmark_incident_dispatch_and_live_map(api, server) -> None:
    unit = await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    await api.unit("POLRES-1", "police", station="Polres Tebing Tinggi")
    call_ids = []
    for n, key in enumerate(PLAN):
        number = "081277770001" if key == "p" else f"08127777{n:04d}"
        call_ids.append((await api.ok("POST", "/api/calls", json={"caller_number": number}))["id"])
    async with chromium() as browser:
        context = await browser.new_context(viewport=DESK, base_url=server.url, locale="id-ID")
        outside: list[str] = []

        async def only_this_server(route) -> None:
            if route.request.url.startswith(server.url):
                await route.continue_()
            else:
                outside.append(route.request.url)
                await route.abort()

        await context.route("**/*", only_this_server)
        page = await context.new_page()
        await login(page, "dispatcher")
        await page.wait_for_selector("#current-call")
        # With the internet cut off, the base map is the city's own boundaries and roads.
        await page.wait_for_selector("path.layer-roads")
        assert await page.locator("path.layer-kelurahan").count() == 35
        assert await page.locator("path.layer-roads").count() > 1000
        await page.screenshot(path=str(SCREENSHOTS / "console-intake.png"))

        for call_id, key in zip(call_ids, PLAN, strict=True):
            await page.wait_for_selector(f"#current-call[data-call='{call_id}']")
            await page.keyboard.press(key)
        await page.wait_for_selector("#incident-form")
        verdicts = await _verdicts(api, call_ids)
        assert verdicts == [VERDICT[k] for k in PLAN]

        await page.type("#address", "RSUD Kumpulan", delay=30)
        first = await page.wait_for_selector("button.candidate")
        assert "RSUD DR. H. Kumpulan Pane" in await first.inner_text()
        await page.keyboard.press("Enter")
        await page.click("#create")
        rec = await page.wait_for_selector("#recommendations .rec")
        assert "DAMKAR-1" in await rec.inner_text() and " m " in await rec.inner_text()
        await page.click("#dispatch")
        await page.wait_for_selector("#units li[data-unit='DAMKAR-1'][data-status='dispatched']")
        label = await api.scalar("SELECT geocode_label FROM incidents")
        assert label == "RSUD DR. H. Kumpulan Pane Pasarbaru"
        assignment = await api.scalar("SELECT id::text FROM assignments")
        linked = await api.scalar("SELECT count(*) FROM calls WHERE incident_id IS NOT NULL")
        assert assignment and linked == 1

        path = f"/api/assignments/{assignment}/transition"
        for to in ("accepted", "en_route"):
            await api.ok("POST", path, "damkar-1", json={"to": to})
        loop = asyncio.get_running_loop()
        started = loop.time()
        await page.wait_for_selector(
            "#units li[data-unit='DAMKAR-1'][data-status='en_route']", timeout=2000
        )
        await page.wait_for_selector("[data-unit-status='en_route']", timeout=2000)
        assert loop.time() - started < 2.0
        await page.screenshot(path=str(SCREENSHOTS / "console-live-map.png"))
        assert unit["id"]
        assert outside == []  # the console never needed another host

        async with (
            api.maker() as session,
            session.begin(),
        ):  # what the worker publishes on a time-out
            row = await session.execute(text(
                "INSERT INTO events_log (kind, entity_id, data) VALUES ('overdue', gen_random_uuid(), "
                "'{\"callsign\": \"POLRES-1\"}') RETURNING id"))  # fmt: skip
            await session.execute(
                text("SELECT pg_notify('siaga_events', :id)"), {"id": str(row.scalar_one())}
            )
        alarm = await page.wait_for_selector("#alarm:has-text('POLRES-1')", timeout=2000)
        assert "TIDAK DIJAWAB" in await alarm.inner_text()

        await context.close()
        other = await browser.new_context(viewport=DESK, base_url=server.url, locale="id-ID")
        supervisor = await other.new_page()
        await login(supervisor, "supervisor")
        await supervisor.wait_for_selector("#valid-share")
        assert (await supervisor.inner_text("#calls-total")) == "20"
        assert (await supervisor.inner_text("#valid-share")) == "5.0 %"
        await supervisor.wait_for_timeout(300)
        await supervisor.screenshot(path=str(SCREENSHOTS / "supervisor.png"))
        await other.close()


async def _verdicts(api, call_ids: list[str]) -> list[str]:
    for _ in range(50):
        rows = [await api.scalar("SELECT verdict FROM calls WHERE id = :i", i=c) for c in call_ids]
        if all(rows):
            return rows
        await asyncio.sleep(0.1)
    return rows


async def test_an_unresolved_incident_is_placed_with_a_pin_and_then_dispatched(api, server) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    made = await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "asap tebal", "address": "di belakang rumah pak qzx"})  # fmt: skip
    assert made["geocode"]["status"] == "unresolved" and made["assignments"] == []
    async with chromium() as browser:
        context = await browser.new_context(viewport=DESK, base_url=server.url)
        page = await context.new_page()
        await login(page, "dispatcher")
        await page.click(f"li[data-incident='{made['id']}'] button.fix-pin")
        box = await page.locator("#console-map").bounding_box()
        assert box is not None
        await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        await page.wait_for_selector("#units li[data-unit='DAMKAR-1'][data-status='dispatched']")
        await context.close()
    placed = await api.ok("GET", f"/api/incidents/{made['id']}")
    assert placed["geocode"]["status"] == "resolved" and placed["geocode"]["kelurahan"]
    assert [a["callsign"] for a in placed["assignments"]] == ["DAMKAR-1"]
    assert placed["description"] == "asap tebal"

"""The responder PWA in headless Chromium at 360x640: log in, enable alerts, receive the real
push through the service worker, accept, work offline, and load the shell with no network."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from browser import SCREENSHOTS, chromium, fake_push_subscribe
from points import RSUD
from servers import start_server

from api.app import PWA_DIST

PHONE = {"width": 360, "height": 640}


@pytest.fixture
def server(api, settings):
    assert (PWA_DIST / "index.html").exists(), "the PWA is not built: make test builds it"
    server = start_server(settings, SIAGA_RUN_WORKER="true", SIAGA_ACK_TIMEOUT_S="3600")
    yield server
    server.stop()


async def log_in_with_alerts(context, who: str):
    page = await context.new_page()
    await page.goto("/")
    await page.fill("input[name=username]", who)
    await page.fill("input[name=password]", "kata-sandi-uji-112")
    await page.click("button[type=submit]")
    await page.click("#enable-alerts")
    await page.wait_for_selector("#alerts-on")
    return page


async def assignment_status(api, assignment_id: str) -> str:
    return await api.scalar("SELECT status FROM assignments WHERE id = :i", i=assignment_id)


async def eventually(check, timeout: float = 15.0):
    for _ in range(int(timeout * 10)):
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def test_responder_alert_accept_offline_and_back(api, server, receiver) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    device = receiver.new_subscription()
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                            base_url=server.url, locale="id-ID")  # fmt: skip
        await context.grant_permissions(["notifications", "geolocation"], origin=server.url)
        await context.set_geolocation({"latitude": 3.3265, "longitude": 99.1558})
        await context.add_init_script(fake_push_subscribe(device))
        page = await log_in_with_alerts(context, "damkar-1")
        assert await api.scalar("SELECT endpoint FROM push_subscriptions") == device["endpoint"]

        cdp = await context.new_cdp_session(page)
        registrations: list[str] = []
        cdp.on("ServiceWorker.workerRegistrationUpdated",
               lambda e: registrations.extend(r["registrationId"] for r in e["registrations"]))  # fmt: skip
        await cdp.send("ServiceWorker.enable")
        await page.evaluate("navigator.serviceWorker.ready.then(() => true)")

        headers = await api.as_("dispatcher")
        async with httpx.AsyncClient(base_url=server.url, headers=headers) as http:
            made = await http.post("/api/incidents", json={
                "category": "fire", "description": "Api di dapur rumah", "address": "RSUD Kumpulan Pane"})  # fmt: skip
        incident = made.json()
        assignment_id = incident["assignments"][0]["id"]
        (message,) = receiver.wait_for(1, device["endpoint"])  # really encrypted, really sent
        assert message.payload["assignment_id"] == assignment_id
        await eventually(lambda: asyncio.sleep(0, result=bool(registrations)))
        await cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": server.url, "registrationId": registrations[-1],
            "data": json.dumps(message.payload)})  # fmt: skip
        notes = await eventually(lambda: page.evaluate(
            "navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => ns.map(n => "
            "({title: n.title, body: n.body, tag: n.tag, actions: n.actions.map(a => a.title)})))"))  # fmt: skip
        assert notes[0]["title"] == "Kebakaran: RSUD DR. H. Kumpulan Pane Pasarbaru"
        assert notes[0]["tag"] == f"assignment-{assignment_id}"
        assert notes[0]["actions"] == ["Terima", "Tolak"]
        assert incident["number"] in notes[0]["body"]
        banner = await page.wait_for_selector("#new-assignment")
        await page.screenshot(path=str(SCREENSHOTS / "responder-alert.png"))

        await banner.click()
        await page.wait_for_selector("#assignment[data-status=sent]")
        await page.wait_for_selector("#map .leaflet-interactive")
        await page.screenshot(path=str(SCREENSHOTS / "responder-assignment.png"))
        box = await page.locator("#next-accepted").bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 300
        await page.click("#next-accepted")
        await eventually(lambda: _is(api, assignment_id, "accepted"))

        await page.wait_for_selector("#next-en_route")
        await context.set_offline(True)
        await page.click("#next-en_route")
        await page.wait_for_selector("#next-on_scene")
        await page.click("#next-on_scene")
        await page.wait_for_selector("section.pending[data-count='2']")
        await page.wait_for_selector("#assignment[data-status=on_scene]")
        assert await assignment_status(api, assignment_id) == "accepted"
        await page.screenshot(path=str(SCREENSHOTS / "responder-offline-pending.png"))

        await context.set_offline(False)
        await page.evaluate("window.dispatchEvent(new Event('online'))")
        await eventually(lambda: _is(api, assignment_id, "on_scene"))
        await page.wait_for_selector("section.pending[data-count='0']")
        kinds = await api.scalar(
            "SELECT string_agg(kind, ',' ORDER BY id) FROM incident_events "
            "WHERE incident_id = :i AND kind LIKE 'assignment_%'", i=incident["id"])  # fmt: skip
        assert kinds == "assignment_accepted,assignment_en_route,assignment_on_scene"

        await context.set_offline(True)
        await page.reload()
        await page.wait_for_selector("header h1")
        assert "Siaga 112" in await page.inner_text("header h1")
        await context.set_offline(False)
        await context.close()


async def _is(api, assignment_id: str, status: str) -> bool:
    return await assignment_status(api, assignment_id) == status


async def test_accept_from_the_notification_without_opening_the_app(api, server, receiver) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    device = receiver.new_subscription()
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE, base_url=server.url)
        await context.grant_permissions(["notifications"], origin=server.url)
        await context.add_init_script(fake_push_subscribe(device))
        page = await log_in_with_alerts(context, "damkar-1")
        headers = await api.as_("dispatcher")
        async with httpx.AsyncClient(base_url=server.url, headers=headers) as http:
            made = await http.post("/api/incidents", json={
                "category": "fire", "description": "x", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
        assignment_id = made.json()["assignments"][0]["id"]
        (message,) = receiver.wait_for(1, device["endpoint"])
        worker = context.service_workers[0]
        await worker.evaluate(
            """payload => self.registration.showNotification('x', {data: payload, tag: 't'})""",
            message.payload,
        )
        # A tap on "Terima": the worker's own notificationclick handler runs, with no window
        # involved. (A synthetic event cannot extend its lifetime, so waitUntil may complain;
        # the request it started is what counts.)
        await page.close()
        await worker.evaluate(
            """async () => {
                const [note] = await self.registration.getNotifications();
                self.dispatchEvent(new NotificationEvent('notificationclick',
                                                         {notification: note, action: 'accept'}));
                return true;
            }"""
        )
        await eventually(lambda: _is(api, assignment_id, "accepted"))
        await context.close()

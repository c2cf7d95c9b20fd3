"""The public page on a phone, with no log-in: the heatmap and the valid-share figure."""

from __future__ import annotations

import random

import pytest
from browser import SCREENSHOTS, chromium
from points import RSUD
from pyproj import Geod
from servers import start_server
from sqlalchemy import text

from api.app import PWA_DIST
from api.queries.public import refresh_public

GEOD = Geod(ellps="WGS84")


@pytest.fixture
def server(api, settings):
    assert (PWA_DIST / "index.html").exists(), "the PWA is not built: make test builds it"
    server = start_server(settings, SIAGA_RUN_WORKER="false")
    yield server
    server.stop()


async def test_public_page_shows_heatmap_and_valid_share(api, settings, server) -> None:
    random.seed(5)
    for verdict in ("emergency", "prank", "prank", "silent"):
        call = await api.ok("POST", "/api/calls", json={"caller_number": "081299990000"})
        await api.ok("POST", f"/api/calls/{call['id']}/triage", json={"verdict": verdict})
    for _ in range(6):
        lon, lat, _ = GEOD.fwd(RSUD[1], RSUD[0], random.uniform(0, 360), random.uniform(0, 15))
        made = await api.ok("POST", "/api/incidents", json={
            "category": "fire", "description": "x", "location": {"lat": lat, "lon": lon},
            "auto_dispatch": False})  # fmt: skip
        await api.ok("POST", f"/api/incidents/{made['id']}/close", json={"outcome": "selesai"})
    async with api.maker() as session, session.begin():
        await session.execute(text("UPDATE incidents SET created_at = now() - interval '2 days'"))
        await session.execute(text("UPDATE calls SET received_at = now() - interval '2 days'"))
        await refresh_public(
            session, settings.timezone, settings.public_delay_h, settings.public_cell_m
        )
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True,
                                            base_url=server.url)  # fmt: skip
        page = await context.new_page()
        await page.goto("/#/public")
        await page.wait_for_selector("path.hex")
        assert await page.locator("path.hex").count() == 1
        share = await page.wait_for_selector("#public-valid-share")
        assert await share.inner_text() == "25.0 %"
        await page.wait_for_timeout(300)
        await page.screenshot(path=str(SCREENSHOTS / "public.png"), full_page=True)
        await context.close()

"""Base-map layers, the supervisor's figures and the CSV exports."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from points import RSUD
from sqlalchemy import text

from api.demo import CITY_DIR, load_lines


@pytest.fixture
async def lines(api, settings):
    async with api.maker() as session, session.begin():
        await load_lines(session, settings.data_dir / CITY_DIR)


async def test_layers_are_geojson_in_lon_lat_and_cacheable(api, lines) -> None:
    response = await api.request("GET", "/api/layers/kelurahan")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "application/geo+json"
    )
    kelurahan = response.json()
    assert len(kelurahan["features"]) == 35
    lon, lat = kelurahan["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 99.0 < lon < 99.3 and 3.2 < lat < 3.4  # GeoJSON order: [lon, lat]
    again = await api.request(
        "GET", "/api/layers/kelurahan", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304
    roads = await api.ok("GET", "/api/layers/roads")
    assert len(roads["features"]) == 1368
    assert {f["properties"]["class"] for f in roads["features"]} >= {"Jalan Arteri", "Jalan Lokal"}
    assert len((await api.ok("GET", "/api/layers/rivers"))["features"]) == 47
    assert (await api.request("GET", "/api/layers/secret")).status_code == 404
    api.client.cookies.clear()  # the shared client keeps the last log-in's cookie
    assert (await api.request("GET", "/api/layers/roads", who="")).status_code == 401


async def test_stats_count_calls_valid_share_and_response_times(api) -> None:
    await api.unit("DAMKAR-1", "fire", *RSUD)
    for verdict in ("prank", "prank", "silent", "emergency"):
        call = await api.ok("POST", "/api/calls", json={"caller_number": "081299998888"})
        await api.ok("POST", f"/api/calls/{call['id']}/triage", json={"verdict": verdict})
    call = await api.ok("POST", "/api/calls", json={"caller_number": "081277776666"})
    incident = await api.ok("POST", "/api/incidents", json={
        "call_id": call["id"], "category": "fire", "description": "x", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    path = f"/api/assignments/{incident['assignments'][0]['id']}/transition"
    for to in ("accepted", "en_route", "on_scene"):
        await api.ok("POST", path, "damkar-1", json={"to": to})
    stats = await api.ok("GET", "/api/stats", "supervisor")
    assert stats["calls_total"] == 5
    assert stats["by_verdict"] == {"prank": 2, "silent": 1, "emergency": 2}
    assert stats["valid_share"] == 0.4
    assert stats["top_repeat_numbers"] == [{"number": "+6281299998888", "calls": 4, "pranks": 2}]
    assert stats["median_response"]["incidents"] == 1
    assert stats["median_response"]["answer_to_dispatch_s"] >= 0
    assert stats["median_response"]["dispatch_to_scene_s"] >= 0
    assert [k["kecamatan"] for k in stats["per_kecamatan"]] == ["Tebing Tinggi Kota"]
    masked = await api.ok("GET", "/api/stats", "dispatcher")
    assert masked["top_repeat_numbers"][0]["number"] == "+62812****8888"


async def test_csv_exports_for_a_date_range(api) -> None:
    old = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    await api.ok("POST", "/api/calls", json={"caller_number": "081211112222", "received_at": old})
    await api.ok("POST", "/api/calls", json={"caller_number": "081233334444"})
    response = await api.request("GET", "/api/export/calls.csv", "supervisor")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["caller_number"] for r in rows] == ["+6281233334444"]
    since = (datetime.now(UTC) - timedelta(days=60)).isoformat()
    wider = await api.request("GET", "/api/export/calls.csv", "supervisor", params={"since": since})
    assert len(list(csv.DictReader(io.StringIO(wider.text)))) == 2
    incidents = await api.request("GET", "/api/export/incidents.csv", "supervisor")
    assert incidents.text.splitlines()[0].startswith("number,created_wib,category")
    assert (await api.request("GET", "/api/export/calls.csv", "dispatcher")).status_code == 403
    bad = await api.request(
        "GET", "/api/export/calls.csv", "supervisor", params={"since": "kemarin"}
    )
    assert bad.status_code == 422
    async with api.maker() as session:
        assert (await session.execute(text("SELECT count(*) FROM calls"))).scalar() == 2


async def test_weak_and_listed_etags_revalidate_and_csv_cells_cannot_run_formulas(api) -> None:
    first = await api.request("GET", "/api/layers/kota")
    etag = first.headers["etag"]
    for header in (f"W/{etag}", f'"other", {etag}', "*"):
        again = await api.request("GET", "/api/layers/kota", headers={"If-None-Match": header})
        assert again.status_code == 304, header
    await api.ok(
        "POST", "/api/calls", json={"caller_number": "081233334444", "notes": "=HYPERLINK(1)"}
    )
    call = (await api.ok("GET", "/api/calls"))["items"][0]
    incident = await api.ok("POST", "/api/incidents", json={
        "call_id": call["id"], "category": "other", "description": "x", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    await api.ok(
        "POST", f"/api/incidents/{incident['id']}/close", json={"outcome": "=cmd|' /C calc'!A0"}
    )
    text_csv = (await api.request("GET", "/api/export/incidents.csv", "supervisor")).text
    row = next(iter(csv.DictReader(io.StringIO(text_csv))))
    assert row["outcome"].startswith("'=")

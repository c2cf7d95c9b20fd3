"""Incidents: geocoding order, nearest-available ranking on geography, shortfalls, timeline."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient
from points import DAMKAR, RSUD
from pyproj import Geod
from sqlalchemy import text

from api.app import create_app

GEOD = Geod(ellps="WGS84")


def offset(lat: float, lon: float, azimuth: float, metres: float) -> tuple[float, float]:
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, metres)
    return lat2, lon2


@pytest.fixture
async def borderless(api, settings):
    """The same app with no service area, for points far from Tebing Tinggi."""
    app = create_app(dataclasses.replace(settings, service_area_buffer_m=0))
    async with AsyncTestClient(app=app) as client:
        api.client = client
        yield api


async def test_geodesic_ranking_beats_degrees_at_latitude_minus_10(borderless) -> None:
    api = borderless
    lat, lon = -10.17, 123.6
    east = offset(lat, lon, 90, 992)
    north = offset(lat, lon, 0, 1000)
    # In raw degrees the northern unit looks nearer: the test would catch a planar ranking.
    assert abs(north[0] - lat) < abs(east[1] - lon)
    await api.unit("NORTH-1", "fire", *north)
    await api.unit("EAST-1", "fire", *east)
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "uji", "location": {"lat": lat, "lon": lon}})  # fmt: skip
    (assignment,) = incident["assignments"]
    assert assignment["callsign"] == "EAST-1"
    assert assignment["distance_m"] == pytest.approx(992, abs=0.5)


async def test_lat_lon_round_trip_through_api_database_and_geojson(api) -> None:
    lat, lon = 3.340123, 99.150456
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "other", "description": "uji", "location": {"lat": lat, "lon": lon}})  # fmt: skip
    assert incident["location"]["lat"] == pytest.approx(lat, abs=1e-9)
    assert incident["location"]["lon"] == pytest.approx(lon, abs=1e-9)
    async with api.maker() as session:
        row = (await session.execute(text(
            "SELECT ST_Y(location::geometry) AS y, ST_X(location::geometry) AS x, "
            "ST_AsGeoJSON(location)::json -> 'coordinates' AS coords FROM incidents"))).one()  # fmt: skip
    assert (row.y, row.x) == pytest.approx((lat, lon), abs=1e-9)
    assert row.coords == pytest.approx([lon, lat], abs=1e-9)
    assert incident["geocode"]["kelurahan"] is not None


async def test_unresolved_place_is_saved_and_patching_a_location_dispatches(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "rumah terbakar", "address": "di belakang rumah pak qzx"})  # fmt: skip
    assert incident["geocode"]["status"] == "unresolved"
    assert incident["location"] is None and incident["assignments"] == []
    assert incident["description"] == "rumah terbakar" and incident["status"] == "new"
    patched = await api.ok("PATCH", f"/api/incidents/{incident['id']}",
                           json={"location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    assert patched["geocode"]["status"] == "resolved"
    assert [a["callsign"] for a in patched["assignments"]] == ["DAMKAR-1"]
    assert patched["status"] == "dispatched"


async def test_explicit_location_beats_the_call_location_which_beats_text(api) -> None:
    call = await api.ok("POST", "/api/calls", json={"location": {"lat": RSUD[0], "lon": RSUD[1]}})
    from_call = await api.ok("POST", "/api/incidents", json={
        "category": "other", "description": "a", "call_id": call["id"], "address": "Kec. Rambutan"})  # fmt: skip
    assert from_call["geocode"]["source"] == "call"
    assert from_call["location"]["lat"] == pytest.approx(RSUD[0])
    second = await api.ok("POST", "/api/calls", json={"location": {"lat": RSUD[0], "lon": RSUD[1]}})
    explicit = await api.ok("POST", "/api/incidents", json={
        "category": "other", "description": "b", "call_id": second["id"],
        "location": {"lat": DAMKAR[0], "lon": DAMKAR[1]}})  # fmt: skip
    assert explicit["geocode"]["source"] == "explicit"
    assert explicit["location"]["lat"] == pytest.approx(DAMKAR[0])
    linked = await api.scalar("SELECT incident_id::text FROM calls WHERE id = :c", c=second["id"])
    assert linked == explicit["id"]


async def test_each_kind_of_the_plan_gets_its_nearest_unit_or_a_shortfall(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    await api.unit("AMB-RSUD-1", "ambulance", station="RSUD DR. H. Kumpulan Pane Pasarbaru")
    await api.unit("AMB-BEROHOL-1", "ambulance", station="Puskesmas Berohol")
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "disaster", "description": "banjir", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    picked = {a["callsign"] for a in incident["assignments"]}
    assert picked == {"DAMKAR-1", "AMB-RSUD-1"}
    assert incident["shortfall"] == ["police"]
    rsud = next(r for r in incident["recommendations"] if r["callsign"] == "AMB-RSUD-1")
    assert rsud["distance_m"] == pytest.approx(0, abs=0.01)
    assert "RSUD" in rsud["reason"]


async def test_fresh_position_counts_and_stale_position_falls_back_to_station(api) -> None:
    far = await api.unit("POLSEK-PHU-1", "police", station="Polsek Padang Hulu")
    await api.unit("POLRES-1", "police", station="Polres Tebing Tinggi")
    near_rsud = offset(*RSUD, 45, 100)
    await api.ok("POST", f"/api/units/{far['id']}/position", "polsek-phu-1",
                 json={"lat": near_rsud[0], "lon": near_rsud[1]})  # fmt: skip
    first = await api.ok("POST", "/api/incidents", json={
        "category": "security", "description": "a", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    assert first["assignments"][0]["callsign"] == "POLSEK-PHU-1"
    assert first["assignments"][0]["distance_m"] == pytest.approx(100, abs=0.5)
    assert "reported" in first["assignments"][0]["reason"]
    await api.ok("POST", f"/api/incidents/{first['id']}/close", json={"outcome": "x"})
    stale = (datetime.now(UTC) - timedelta(minutes=11)).isoformat()
    async with api.maker() as session, session.begin():
        await session.execute(text("UPDATE units SET location_at = :t WHERE callsign = 'POLSEK-PHU-1'"),
                              {"t": datetime.fromisoformat(stale)})  # fmt: skip
    second = await api.ok("POST", "/api/incidents", json={
        "category": "security", "description": "b", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    assert second["assignments"][0]["callsign"] == "POLRES-1"


async def test_no_auto_dispatch_recommends_then_the_dispatcher_dispatches(api) -> None:
    unit = await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "a", "address": "RSUD Kumpulan Pane",
        "auto_dispatch": False})  # fmt: skip
    assert incident["assignments"] == [] and incident["recommendations"][0]["unit_id"] == unit["id"]
    done = await api.ok("POST", f"/api/incidents/{incident['id']}/dispatch", json={})
    assert [a["unit_id"] for a in done["assignments"]] == [unit["id"]]
    other = await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "b", "address": "RSUD Kumpulan Pane", "auto_dispatch": False})  # fmt: skip
    busy = await api.request(
        "POST", f"/api/incidents/{other['id']}/dispatch", json={"unit_ids": [unit["id"]]}
    )
    assert busy.status_code == 409 and "DAMKAR-1" in busy.json()["detail"]
    assert await api.scalar("SELECT count(*) FROM assignments") == 1


async def test_timeline_is_ordered_and_append_only(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "a", "address": "RSUD Kumpulan Pane"})  # fmt: skip
    await api.ok("POST", f"/api/incidents/{incident['id']}/close", json={"outcome": "padam"})
    timeline = await api.ok("GET", f"/api/incidents/{incident['id']}/timeline")
    kinds = [item["kind"] for item in timeline["items"]]
    assert kinds == ["created", "dispatched", "assignment_cancelled", "closed"]
    async with api.maker() as session:
        with pytest.raises(Exception, match="append-only"):
            await session.execute(text("UPDATE incident_events SET kind = 'x'"))


async def test_list_filters_by_status_and_bbox(api) -> None:
    a = await api.ok("POST", "/api/incidents", json={
        "category": "other", "description": "a", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    b = await api.ok("POST", "/api/incidents", json={
        "category": "other", "description": "b", "location": {"lat": 3.36, "lon": 99.18}})  # fmt: skip
    await api.ok("POST", f"/api/incidents/{b['id']}/close", json={"outcome": "x"})
    around_rsud = "99.15,3.325,99.16,3.335"
    found = await api.ok("GET", "/api/incidents", "supervisor", params={"bbox": around_rsud})
    assert [i["id"] for i in found["items"]] == [a["id"]]
    closed = await api.ok("GET", "/api/incidents", params={"status": "closed"})
    assert [i["id"] for i in closed["items"]] == [b["id"]]


async def test_a_world_wide_bbox_finds_everything(api) -> None:
    made = await api.ok("POST", "/api/incidents", json={
        "category": "other", "description": "a", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    for bbox in ("-180,-90,180,90", "-10,3,179,4", "99,-90,100,90"):
        found = await api.ok("GET", "/api/incidents", params={"bbox": bbox})
        assert [i["id"] for i in found["items"]] == [made["id"]], bbox


async def test_dispatching_again_sends_only_what_the_plan_still_lacks(api) -> None:
    await api.unit("POLRES-1", "police", station="Polres Tebing Tinggi")
    incident = await api.ok("POST", "/api/incidents", json={
        "category": "accident", "description": "tabrakan", "address": "RSUD Kumpulan Pane"})  # fmt: skip
    assert [a["callsign"] for a in incident["assignments"]] == ["POLRES-1"]
    assert incident["shortfall"] == ["ambulance"]
    await api.unit("POLRES-2", "police", station="Polres Tebing Tinggi")
    await api.unit("AMB-1", "ambulance", *RSUD)
    again = await api.ok("POST", f"/api/incidents/{incident['id']}/dispatch", json={})
    assert sorted(a["callsign"] for a in again["assignments"]) == ["AMB-1", "POLRES-1"]
    full = await api.request("POST", f"/api/incidents/{incident['id']}/dispatch", json={})
    assert full.status_code == 409 and "unit_ids" in full.json()["detail"]
    assert await api.scalar("SELECT count(*) FROM assignments") == 2


async def test_a_call_becomes_at_most_one_incident_and_never_a_prank(api) -> None:
    untriaged = await api.ok("POST", "/api/calls", json={"caller_number": "081211110000"})
    body = {"category": "other", "description": "a", "call_id": untriaged["id"],
            "location": {"lat": RSUD[0], "lon": RSUD[1]}}  # fmt: skip
    made = await api.ok("POST", "/api/incidents", json=body)
    call = (await api.ok("GET", "/api/calls"))["items"][0]
    assert call["verdict"] == "emergency" and call["incident_id"] == made["id"]
    twice = await api.request("POST", "/api/incidents", json=body)
    assert twice.status_code == 409 and made["id"] in twice.json()["detail"]
    prank = await api.ok("POST", "/api/calls", json={"caller_number": "081211110001"})
    await api.ok("POST", f"/api/calls/{prank['id']}/triage", json={"verdict": "prank"})
    refused = await api.request("POST", "/api/incidents", json={**body, "call_id": prank["id"]})
    assert refused.status_code == 409 and "prank" in refused.json()["detail"]
    assert await api.scalar("SELECT count(*) FROM incidents") == 1


@pytest.mark.parametrize(
    ("address", "label", "kind"),
    [("dekat Masjid Raya, Kel. Bandar Utama", "Bandar Utama", "kelurahan"),
     ("Tebing Tinggi Kota", "Tebing Tinggi Kota", "kecamatan"),
     ("Psr Gambir", "Pasar Gambir", "kelurahan")],
)  # fmt: skip
async def test_addresses_with_extra_words_or_area_names_find_the_area(
    api, address, label, kind
) -> None:
    best = (await api.ok("GET", "/api/geocode", params={"q": address}))["items"][0]
    assert (best["label"], best["kind"]) == (label, kind)


async def test_geocode_refuses_points_outside_the_service_area(api) -> None:
    for q in ("geo:0,0", "1.2903, 103.8519", "7VP3+PR"):
        response = await api.request("GET", "/api/geocode", params={"q": q})
        assert response.status_code == 422, q
        assert "outside the service area" in response.json()["detail"]

"""The demo city loads from the project's own real data, idempotently."""

from sqlalchemy import text

from api.demo import load_demo_fleet, load_facilities


async def count(api, sql: str) -> int:
    return int(await api.scalar(sql))


async def test_boundaries_areas_and_codes(api) -> None:
    assert await count(api, "SELECT count(*) FROM admin_areas WHERE level = 'kelurahan'") == 35
    assert await count(api, "SELECT count(*) FROM admin_areas WHERE level = 'kecamatan'") == 5
    assert await api.scalar("SELECT code FROM admin_areas WHERE level = 'kota'") == "12.76"
    # Every kelurahan's point lies in its own kecamatan: the parent codes are consistent.
    mismatched = await count(api, """
        SELECT count(*) FROM admin_areas kel JOIN admin_areas kec ON kec.code = kel.parent_code
        WHERE kel.level = 'kelurahan' AND NOT ST_Covers(kec.geom, kel.centre::geometry)""")  # fmt: skip
    assert mismatched == 0
    area_km2 = await api.scalar(
        "SELECT ST_Area(geom::geography) / 1e6 FROM admin_areas WHERE level = 'kota'")  # fmt: skip
    assert 38 < area_km2 < 41


async def test_stations_real_and_approximate(api) -> None:
    assert await count(api, "SELECT count(*) FROM stations WHERE kind = 'ambulance'") == 17
    approx = await api.ok("GET", "/api/stations", "admin")
    fallbacks = {s["name"]: s for s in approx["items"] if s["approximate"]}
    assert set(fallbacks) == {"Damkar Kota Tebing Tinggi", "Polres Tebing Tinggi",
                              "Polsek Padang Hulu", "Polsek Rambutan", "Polsek Padang Hilir"}  # fmt: skip
    # Each Polsek sits inside the kecamatan it is named after.
    rambutan = fallbacks["Polsek Rambutan"]["location"]
    where = await api.ok("GET", "/api/reverse", params=rambutan)
    assert where["kecamatan"] == "Rambutan"


async def test_admin_moves_an_approximate_station_and_reimport_keeps_it(api, settings) -> None:
    station = await api.station_id("Polres Tebing Tinggi")
    moved = await api.ok("PATCH", f"/api/stations/{station}", "admin",
                         json={"location": {"lat": 3.3301, "lon": 99.1602}})  # fmt: skip
    assert moved["approximate"] is False and moved["location"]["lat"] == 3.3301
    refused = await api.request("PATCH", f"/api/stations/{station}", "dispatcher",
                                json={"location": {"lat": 3.33, "lon": 99.16}})  # fmt: skip
    assert refused.status_code == 403
    async with api.maker() as session, session.begin():
        await load_facilities(session, settings.data_dir / "tebing-tinggi")
    lat = await api.scalar("SELECT ST_Y(location::geometry) FROM stations WHERE id = :i", i=station)
    assert abs(lat - 3.3301) < 1e-9


async def test_demo_fleet_and_users_exist_only_with_the_demo(api) -> None:
    assert await count(api, "SELECT count(*) FROM units") == 0
    assert await count(api, "SELECT count(*) FROM users WHERE demo") == 0
    await api.as_("dispatcher")  # the demo resets the staff passwords to the demo one
    async with api.maker() as session, session.begin():
        await load_demo_fleet(session, "rahasia-demo")
        await load_demo_fleet(session, "rahasia-demo")  # idempotent
    kinds = await api.ok("GET", "/api/units")
    by_kind: dict[str, int] = {}
    for unit in kinds["items"]:
        by_kind[unit["kind"]] = by_kind.get(unit["kind"], 0) + 1
    assert by_kind == {"fire": 3, "police": 6, "ambulance": 5}
    login = await api.client.post(
        "/api/auth/login", json={"username": "damkar-1", "password": "rahasia-demo"}
    )
    assert login.status_code == 200 and login.json()["user"]["role"] == "responder"
    assert await count(api, "SELECT count(*) FROM users WHERE demo") == 14 + 3
    async with api.maker() as session:
        hashes = (
            await session.execute(text("SELECT password_hash FROM users WHERE demo"))
        ).scalars()
        assert all(h.startswith("$argon2id$") for h in hashes)

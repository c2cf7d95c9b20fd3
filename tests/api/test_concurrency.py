"""Fifty incidents at once compete for fewer units: no unit is ever on two open assignments."""

import asyncio

from points import RSUD
from pyproj import Geod

GEOD = Geod(ellps="WGS84")


async def test_fifty_concurrent_incidents_never_double_assign(api) -> None:
    units = []
    for n in range(12):
        lon, lat, _ = GEOD.fwd(RSUD[1], RSUD[0], n * 30, 300 + 150 * n)
        units.append(await api.unit(f"DAMKAR-{n + 1}", "fire", lat, lon))
    await api.as_("dispatcher")

    async def one(n: int) -> dict:
        lon, lat, _ = GEOD.fwd(RSUD[1], RSUD[0], (n * 37) % 360, 50 * (n % 9))
        return await api.ok("POST", "/api/incidents", json={
            "category": "fire", "description": f"kebakaran {n}", "location": {"lat": lat, "lon": lon}})  # fmt: skip

    incidents = await asyncio.gather(*(one(n) for n in range(50)))
    assigned = [a["unit_id"] for i in incidents for a in i["assignments"]]
    assert len(assigned) == len(set(assigned)) == len(units)
    assert sum(1 for i in incidents if i["shortfall"] == ["fire"]) == 50 - len(units)
    per_unit = await api.scalar(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM assignments "
        "WHERE status IN ('sent','accepted','en_route','on_scene','transporting') GROUP BY unit_id) x"
    )
    assert per_unit == 1
    assert await api.scalar("SELECT count(*) FROM units WHERE status = 'available'") == 0


async def test_concurrent_manual_dispatch_of_one_unit_has_one_winner(api) -> None:
    unit = await api.unit("DAMKAR-1", "fire", *RSUD)
    incidents = [
        await api.ok(
            "POST",
            "/api/incidents",
            json={
                "category": "fire",
                "description": str(n),
                "address": "RSUD Kumpulan Pane",
                "auto_dispatch": False,
            },
        )
        for n in range(10)
    ]
    responses = await asyncio.gather(
        *(
            api.request(
                "POST", f"/api/incidents/{i['id']}/dispatch", json={"unit_ids": [unit["id"]]}
            )
            for i in incidents
        )
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 9
    assert await api.scalar("SELECT count(*) FROM assignments") == 1


async def test_the_database_itself_refuses_a_second_open_assignment(api) -> None:
    unit = await api.unit("DAMKAR-1", "fire", *RSUD)
    first = await api.ok("POST", "/api/incidents", json={
        "category": "fire", "description": "a", "location": {"lat": RSUD[0], "lon": RSUD[1]}})  # fmt: skip
    async with api.maker() as session:
        from sqlalchemy import text
        from sqlalchemy.exc import IntegrityError

        try:
            await session.execute(
                text("INSERT INTO assignments (incident_id, unit_id) VALUES (:i, :u)"),
                {"i": first["id"], "u": unit["id"]},
            )
        except IntegrityError as exc:
            assert "assignments_one_open_per_unit" in str(exc)
        else:
            raise AssertionError("a second open assignment for one unit was accepted")

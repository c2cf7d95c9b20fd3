from points import RSUD


async def test_fire_by_landmark_text_gets_nearest_fire_unit(api) -> None:
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    incident = await api.ok(
        "POST",
        "/api/incidents",
        json={"category": "fire", "description": "Api di dapur", "address": "RSUD Kumpulan Pane"},
    )
    assert incident["geocode"]["status"] == "resolved"
    assert abs(incident["location"]["lat"] - RSUD[0]) < 1e-6
    assert [a["callsign"] for a in incident["assignments"]] == ["DAMKAR-1"]

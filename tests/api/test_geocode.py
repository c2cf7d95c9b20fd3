"""Geocoding in PostGIS on the real Tebing Tinggi data."""

import pytest
from openlocationcode import openlocationcode as olc
from points import RSUD


async def geocode(api, q: str) -> list[dict]:
    return (await api.ok("GET", "/api/geocode", params={"q": q}))["items"]


@pytest.mark.parametrize(
    "q",
    ["RSUD Kumpulan Pane", "rsud kumpulan pane", "RSUD dr. H. Kumpulan Pane", "Kumpulan Pane"],
)
async def test_landmark_names_find_the_hospital(api, q: str) -> None:
    best = (await geocode(api, q))[0]
    assert best["label"] == "RSUD DR. H. Kumpulan Pane Pasarbaru"
    assert (best["lat"], best["lon"]) == pytest.approx(RSUD, abs=1e-9)
    assert best["kelurahan"] == "Bandar Utama" and best["kecamatan"] == "Tebing Tinggi Kota"


async def test_abbreviations_are_expanded_before_matching(api) -> None:
    best = (await geocode(api, "Pkm Berohol"))[0]
    assert best["label"] == "Puskesmas Berohol"


@pytest.mark.parametrize(
    ("q", "kind", "kelurahan", "kecamatan"),
    [("Kel. Bandar Utama", "kelurahan", "Bandar Utama", "Tebing Tinggi Kota"),
     ("kelurahan tanjung marulak hilir", "kelurahan", "Tanjung Marulak Hilir", "Rambutan"),
     ("Kec. Rambutan", "kecamatan", None, "Rambutan")],
)  # fmt: skip
async def test_area_names(api, q: str, kind: str, kelurahan, kecamatan) -> None:
    best = (await geocode(api, q))[0]
    assert best["kind"] == kind
    assert best["kelurahan"] == kelurahan and best["kecamatan"] == kecamatan
    reverse = await api.ok("GET", "/api/reverse", params={"lat": best["lat"], "lon": best["lon"]})
    assert reverse["kecamatan"] == kecamatan  # the area's point lies inside the area


@pytest.mark.parametrize(
    ("q", "source"),
    [("3.329886, 99.155480", "decimal"),
     ("3°19'47.6\"N 99°09'19.7\"E", "dms"),
     ("https://www.google.com/maps?q=3.329886,99.155480", "map_link"),
     ("https://www.openstreetmap.org/?mlat=3.329886&mlon=99.155480#map=17/3.329886/99.155480",
      "map_link")],
)  # fmt: skip
async def test_coordinates_in_text(api, q: str, source: str) -> None:
    (only,) = await geocode(api, q)
    assert only["source"] == source
    assert only["lat"] == pytest.approx(RSUD[0], abs=5e-5)
    assert only["lon"] == pytest.approx(RSUD[1], abs=5e-5)
    assert only["kelurahan"] == "Bandar Utama"


async def test_plus_codes_full_and_short(api) -> None:
    full = olc.encode(RSUD[0], RSUD[1])
    short = full[4:]  # the form maps apps show with a locality: "85H4+X5 Tebing Tinggi"
    assert olc.recoverNearest(short, 3.33, 99.16) == full
    for code in (full, short, f"{short} Tebing Tinggi"):
        (only,) = await geocode(api, code)
        assert only["source"] == "plus_code"
        assert only["lat"] == pytest.approx(RSUD[0], abs=1e-4)
        assert only["lon"] == pytest.approx(RSUD[1], abs=1e-4)


async def test_nonsense_finds_nothing(api) -> None:
    assert await geocode(api, "qqqxzv wwyyk") == []


async def test_reverse_names_the_areas(api) -> None:
    out = await api.ok("GET", "/api/reverse", params={"lat": RSUD[0], "lon": RSUD[1]})
    assert out == {"kelurahan": "Bandar Utama", "kecamatan": "Tebing Tinggi Kota",
                   "kota": "Kota Tebing Tinggi",
                   "label": "Kel. Bandar Utama, Kec. Tebing Tinggi Kota, Kota Tebing Tinggi"}  # fmt: skip
    outside = await api.ok("GET", "/api/reverse", params={"lat": 3.5, "lon": 98.9})
    assert outside["kelurahan"] is None and "outside" in outside["label"]


async def test_area_lookup_uses_the_spatial_index(api) -> None:
    # With sequential scans discouraged, the planner must be able to use the GiST index.
    async with api.maker() as session:
        from sqlalchemy import text

        await session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = (await session.execute(text(
            "EXPLAIN SELECT code FROM admin_areas WHERE ST_Covers(geom, "
            "ST_SetSRID(ST_MakePoint(99.155, 3.33), 4326))"))).scalars().all()  # fmt: skip
    assert any("admin_areas_geom_gist" in line for line in plan), plan

import math

import pytest
from openlocationcode import openlocationcode as olc

from geo.coords import Position, parse_coordinates, parse_plus_code

# RSUD dr. H. Kumpulan Pane, Tebing Tinggi, and the city centre used as reference point.
RSUD_LAT, RSUD_LON = 3.329886, 99.155480
CITY_LAT, CITY_LON = 3.33, 99.16
# Computed with the library: olc.encode(RSUD_LAT, RSUD_LON); see test_plus_code_fixtures.
RSUD_CODE = "6MMX85H4+X5"
RSUD_SHORT_CODE = "85H4+X5"
RSUD_CODE_CENTRE = (3.3299375, 99.1554375)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def latlon(position: Position | None) -> tuple[float, float]:
    assert position is not None
    return position.lat, position.lon


def test_plus_code_fixtures() -> None:
    assert olc.encode(RSUD_LAT, RSUD_LON) == RSUD_CODE
    assert RSUD_CODE.endswith(RSUD_SHORT_CODE)
    area = olc.decode(RSUD_CODE)
    assert (area.latitudeCenter, area.longitudeCenter) == pytest.approx(RSUD_CODE_CENTRE)


def test_full_plus_code() -> None:
    position = parse_plus_code(RSUD_CODE)
    assert position is not None
    assert latlon(position) == pytest.approx(RSUD_CODE_CENTRE)
    assert position.source == "plus_code"
    # A 10-digit code is a 0.000125° square, about 14 m a side here.
    assert position.accuracy_m == pytest.approx(9.8, abs=0.1)
    assert distance_m(latlon(position), (RSUD_LAT, RSUD_LON)) < position.accuracy_m


def test_longer_plus_code_is_more_accurate() -> None:
    code = olc.encode(RSUD_LAT, RSUD_LON, 11)
    position = parse_plus_code(code.lower())
    assert position is not None
    assert position.accuracy_m is not None and position.accuracy_m < 3
    assert distance_m(latlon(position), (RSUD_LAT, RSUD_LON)) < 3


@pytest.mark.parametrize("text", [RSUD_SHORT_CODE, f"{RSUD_SHORT_CODE} Tebing Tinggi"])
def test_short_plus_code_with_reference(text: str) -> None:
    position = parse_plus_code(text, CITY_LAT, CITY_LON)
    assert latlon(position) == pytest.approx(RSUD_CODE_CENTRE)


def test_short_plus_code_without_reference() -> None:
    assert parse_plus_code(f"{RSUD_SHORT_CODE} Tebing Tinggi") is None
    assert parse_coordinates(RSUD_SHORT_CODE) is None


def test_plus_codes_through_parse_coordinates() -> None:
    assert latlon(parse_coordinates(f"kode {RSUD_CODE}")) == pytest.approx(RSUD_CODE_CENTRE)
    position = parse_coordinates(RSUD_SHORT_CODE, ref_lat=CITY_LAT, ref_lon=CITY_LON)
    assert position is not None and position.source == "plus_code"
    linked = parse_coordinates(f"https://plus.codes/{RSUD_CODE}")
    assert linked is not None and linked.source == "map_link"
    assert latlon(linked) == pytest.approx(RSUD_CODE_CENTRE)


@pytest.mark.parametrize(
    "text", ["", "RSUD", "85H4+X", "85H4+", "22+33", "H4+X5", "6MMX85H4+X5Z9Q0", "1234+5678"]
)
def test_not_plus_codes(text: str) -> None:
    assert parse_plus_code(text, CITY_LAT, CITY_LON) is None


def test_plus_code_round_trip_for_city_points() -> None:
    for lat, lon in [(3.3271, 99.1627), (3.3502, 99.1421), (3.3105, 99.1803)]:
        code = olc.encode(lat, lon)
        # Google Maps shows the last six or seven characters and the locality.
        short = code[4:]
        position = parse_plus_code(short, CITY_LAT, CITY_LON)
        assert position is not None and position.accuracy_m is not None
        assert distance_m(latlon(position), (lat, lon)) <= position.accuracy_m

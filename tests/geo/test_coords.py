import math

import pytest

from geo.coords import (
    CoordinateError,
    Position,
    parse_coordinates,
    validate_lat_lon,
)

# RSUD dr. H. Kumpulan Pane, Tebing Tinggi.
RSUD_LAT, RSUD_LON = 3.329886, 99.155480


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def to_dms(value: float, positive: str, negative: str) -> str:
    hemisphere = positive if value >= 0 else negative
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return f"{degrees}°{minutes:02d}'{seconds:04.1f}\"{hemisphere}"


def latlon(position: Position | None) -> tuple[float, float]:
    assert position is not None
    return position.lat, position.lon


# --- validate_lat_lon -----------------------------------------------------------------------


def test_validate_accepts_int_and_float() -> None:
    assert validate_lat_lon(3, 99.155) == (3.0, 99.155)
    assert validate_lat_lon(-90, 180) == (-90.0, 180.0)
    assert validate_lat_lon(90.0, -180.0) == (90.0, -180.0)


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (float("nan"), 99.0, "latitude must be a finite number"),
        (3.3, float("nan"), "longitude must be a finite number"),
        (float("inf"), 99.0, "latitude must be a finite number"),
        (3.3, float("-inf"), "longitude must be a finite number"),
        (91, 99.0, "latitude 91 is out of range [-90, 90]"),
        (-90.5, 99.0, "latitude -90.5 is out of range [-90, 90]"),
        (3.3, 181, "longitude 181 is out of range [-180, 180]"),
        (3.3, -180.01, "longitude -180.01 is out of range [-180, 180]"),
        ("3.33", 99.16, "latitude must be a number, not text ('3.33')"),
        (3.33, "99.16", "longitude must be a number, not text"),
        (True, 99.16, "latitude must be a number, not bool"),
        (3.33, False, "longitude must be a number, not bool"),
        (None, 99.16, "latitude is missing"),
        (3.33, None, "longitude is missing"),
        ([3.33], 99.16, "latitude must be a number, not list"),
    ],
)
def test_validate_rejects(lat: object, lon: object, message: str) -> None:
    with pytest.raises(CoordinateError, match=None) as caught:
        validate_lat_lon(lat, lon)
    assert str(caught.value).startswith(message)
    assert caught.value.field == "location"


def test_validate_hints_at_swapped_pair() -> None:
    with pytest.raises(CoordinateError) as caught:
        validate_lat_lon(99.16, 3.33)
    assert (
        str(caught.value) == "latitude 99.16 is out of range [-90, 90]; did you swap lat and lon?"
    )


def test_validate_gives_no_swap_hint_when_swapping_would_not_help() -> None:
    with pytest.raises(CoordinateError) as caught:
        validate_lat_lon(95.0, 120.0)
    assert "swap" not in str(caught.value)


def test_validate_field_names() -> None:
    with pytest.raises(CoordinateError) as caught:
        validate_lat_lon(3.3, 200, field="incident.location")
    assert caught.value.field == "incident.location"
    with pytest.raises(CoordinateError) as caught:
        validate_lat_lon(3.3, 200, field=None)
    assert caught.value.field == "lon"
    with pytest.raises(CoordinateError) as caught:
        validate_lat_lon("3.3", 99.1, field=None)
    assert caught.value.field == "lat"


def test_coordinate_error_is_a_value_error() -> None:
    assert issubclass(CoordinateError, ValueError)


# --- decimal and DMS ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.3299, 99.1555", (3.3299, 99.1555)),
        ("3.3299 99.1555", (3.3299, 99.1555)),
        ("-7.03753,113.776377", (-7.03753, 113.776377)),
        ("(3.3299; 99.1555)", (3.3299, 99.1555)),
        ("3.3299 N 99.1555 E", (3.3299, 99.1555)),
        ("3.3299°N, 99.1555°E", (3.3299, 99.1555)),
        ("3.3299n 99.1555e", (3.3299, 99.1555)),
        ("99.1555 E, 3.3299 N", (3.3299, 99.1555)),
        ("7.03753 S 113.776377 E", (-7.03753, 113.776377)),
        ("3.3299 LU 99.1555 BT", (3.3299, 99.1555)),
        ("korban di 3.3299, 99.1555 dekat pasar", (3.3299, 99.1555)),
    ],
)
def test_decimal(text: str, expected: tuple[float, float]) -> None:
    position = parse_coordinates(text)
    assert position == Position(*expected, source="decimal")


@pytest.mark.parametrize(
    "text",
    [
        "3°19'47.6\"N 99°09'19.7\"E",
        "3°19′47.6″N 99°09′19.7″E",
        "3° 19' 47.6\" N, 99° 9' 19.7\" E",
        "3 19 47.6 N 99 9 19.7 E",
        "99°09'19.7\"E 3°19'47.6\"N",
        "N 3°19'47.6\" E 99°9'19.7\"",
        "3°19'47.6\"LU 99°09'19.7\"BT",
        "3°19'47.6''N 99°09'19.7''E",
    ],
)
def test_dms(text: str) -> None:
    position = parse_coordinates(text)
    assert position is not None
    assert position.source == "dms"
    assert position.lat == pytest.approx(3 + 19 / 60 + 47.6 / 3600)
    assert position.lon == pytest.approx(99 + 9 / 60 + 19.7 / 3600)


def test_degrees_decimal_minutes() -> None:
    position = parse_coordinates("3°19.793'N 99°9.328'E")
    assert latlon(position) == pytest.approx((3 + 19.793 / 60, 99 + 9.328 / 60))


def test_dms_southern_and_western_hemispheres_are_negative() -> None:
    position = parse_coordinates("7°02'15.1\"S 113°46'34.9\"E")
    assert latlon(position) == pytest.approx(
        (-(7 + 2 / 60 + 15.1 / 3600), 113 + 46 / 60 + 34.9 / 3600)
    )
    position = parse_coordinates("51°30'26\"N 0°7'39\"W")
    assert latlon(position) == pytest.approx((51 + 30 / 60 + 26 / 3600, -(7 / 60 + 39 / 3600)))


def test_dms_round_trip_within_a_metre() -> None:
    text = f"{to_dms(RSUD_LAT, 'N', 'S')} {to_dms(RSUD_LON, 'E', 'W')}"
    assert distance_m(latlon(parse_coordinates(text)), (RSUD_LAT, RSUD_LON)) < 1.0


def test_decimal_round_trip_is_exact() -> None:
    assert latlon(parse_coordinates(f"{RSUD_LAT}, {RSUD_LON}")) == (RSUD_LAT, RSUD_LON)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "RSUD dr. H. Kumpulan Pane",
        "Jl. Sudirman No. 12, Tebing Tinggi",
        "0812 3456 7890",
        "3 19 47 99 9 19",
        "22+33 orang",
        "3.3299",
        "12:30, 2 orang terluka",
    ],
)
def test_not_coordinates(text: str) -> None:
    assert parse_coordinates(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "99.1555, 3.3299",
            "latitude 99.1555 is out of range [-90, 90]; did you swap lat and lon?",
        ),
        ("91.5, 99.1", "latitude 91.5 is out of range [-90, 90]"),
        ("3.3, 181.2", "longitude 181.2 is out of range [-180, 180]"),
        ("3.3 N 99.1 N", "both values are marked as latitude"),
        ("3°75'47.6\"N 99°09'19.7\"E", "minutes and seconds must be below 60"),
        ("https://www.google.com/maps?q=95.1,99.1", "latitude 95.1 is out of range"),
        ("geo:3.3,200.5", "longitude 200.5 is out of range"),
    ],
)
def test_out_of_range_text_raises(text: str, message: str) -> None:
    with pytest.raises(CoordinateError) as caught:
        parse_coordinates(text)
    assert str(caught.value).startswith(message)
    assert caught.value.field == "q"


# --- map links ------------------------------------------------------------------------------

PLACE_LINK = (
    "https://www.google.com/maps/place/RSUD+Dr.+H.+Kumpulan+Pane/@3.3301,99.1502,17z/"
    "data=!3m1!4b1!4m6!3m5!1s0x3031602b:0x9c7c!8m2!3d3.3299!4d99.1555!16s%2Fg%2F1tgk"
)


@pytest.mark.parametrize(
    "link",
    [
        "https://www.google.com/maps?q=3.3299,99.1555",
        "https://maps.google.com/?q=3.3299,99.1555",
        "https://maps.google.co.id/maps?q=3.3299%2C99.1555&z=17",
        "https://www.google.com/maps?q=loc:3.3299,99.1555",
        "https://www.google.com/maps/@3.3299,99.1555,17z",
        PLACE_LINK,
        "https://www.google.com/maps/search/?api=1&query=3.3299,99.1555",
        "https://www.google.com/maps/search/3.3299,+99.1555?entry=tts",
        "www.google.com/maps?q=3.3299,99.1555",
        "geo:3.3299,99.1555?z=17",
        "geo:0,0?q=3.3299,99.1555(RSUD)",
        "https://www.openstreetmap.org/?mlat=3.3299&mlon=99.1555#map=17/3.3400/99.1700",
        "https://www.openstreetmap.org/#map=17/3.3299/99.1555",
        "https://maps.apple.com/?ll=3.3299,99.1555",
        "https://maps.apple.com/?q=RSUD&sll=3.3299,99.1555&z=10",
        "https://maps.apple.com/place?coordinate=3.3299,99.1555&name=RSUD",
        "Lokasi saya: https://maps.google.com/?q=3.3299,99.1555. Tolong cepat!",
    ],
)
def test_map_links(link: str) -> None:
    assert parse_coordinates(link) == Position(3.3299, 99.1555, source="map_link")


def test_google_place_link_prefers_the_pin_over_the_viewport() -> None:
    assert latlon(parse_coordinates(PLACE_LINK)) == (3.3299, 99.1555)


def test_geo_uri_uncertainty_becomes_accuracy() -> None:
    position = parse_coordinates("geo:3.3299,99.1555;u=35")
    assert position == Position(3.3299, 99.1555, accuracy_m=35.0, source="map_link")


@pytest.mark.parametrize(
    "link",
    [
        "https://maps.app.goo.gl/Xq7ZbW3nT5mK9pLd8",
        "https://goo.gl/maps/4f3Xz9Lq2Pz7",
        "https://www.google.com/maps/place/RSUD+Dr.+H.+Kumpulan+Pane",
        "geo:0,0?q=RSUD+Kumpulan+Pane",
        "https://www.openstreetmap.org/way/123456789",
    ],
)
def test_links_without_coordinates(link: str) -> None:
    assert parse_coordinates(link) is None

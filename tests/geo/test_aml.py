from datetime import UTC, datetime

import pytest

from geo.coords import AmlFix, CoordinateError, Position, parse_aml

HANDSET_SMS = (
    'A"ML=1;lt=+3.32988;lg=+99.15548;rd=12;top=20261203101500;lc=90;pm=G;'
    "si=510101234567890;ei=356938035643809;mcc=510;mnc=10;ml=124"
)


def test_full_message() -> None:
    assert parse_aml(HANDSET_SMS) == AmlFix(
        position=Position(3.32988, 99.15548, accuracy_m=12.0, source="aml"),
        positioned_at=datetime(2026, 12, 3, 10, 15, 0, tzinfo=UTC),
        method="gnss",
        imei="356938035643809",
        imsi="510101234567890",
        mcc="510",
        mnc="10",
    )


def test_positioned_at_is_utc_aware() -> None:
    positioned_at = parse_aml(HANDSET_SMS).positioned_at
    assert positioned_at is not None
    assert positioned_at.utcoffset() is not None
    assert positioned_at.isoformat() == "2026-12-03T10:15:00+00:00"


@pytest.mark.parametrize(
    "text",
    [
        HANDSET_SMS.removeprefix('A"ML=1;'),
        HANDSET_SMS.replace('A"ML=1', "AML=1"),
        HANDSET_SMS.upper(),
        "  " + HANDSET_SMS.replace(";", " ; ") + "\n",
        HANDSET_SMS.replace(";", "\n"),
    ],
)
def test_lenient_about_prefix_case_and_whitespace(text: str) -> None:
    position = parse_aml(text).position
    assert (position.lat, position.lon, position.accuracy_m) == (3.32988, 99.15548, 12.0)


@pytest.mark.parametrize(("code", "method"), [("G", "gnss"), ("W", "wifi"), ("C", "cell")])
def test_positioning_methods(code: str, method: str) -> None:
    assert parse_aml(HANDSET_SMS.replace("pm=G", f"pm={code}")).method == method


def test_western_and_southern_coordinates_with_padded_degrees() -> None:
    fix = parse_aml('A"ML=1;lt=-07.03753;lg=-004.26881;rd=50;pm=C')
    assert (fix.position.lat, fix.position.lon) == (-7.03753, -4.26881)


def test_minimal_message_leaves_optional_fields_empty() -> None:
    fix = parse_aml("lt=+3.32988;lg=+99.15548")
    assert fix.position == Position(3.32988, 99.15548, source="aml")
    assert (fix.positioned_at, fix.method, fix.imei, fix.imsi) == (None, None, None, None)


@pytest.mark.parametrize(
    "text",
    [
        HANDSET_SMS.replace("top=20261203101500", "top=20261340101500"),
        HANDSET_SMS.replace("top=20261203101500", "top=2026"),
        HANDSET_SMS.replace("top=20261203101500", "top="),
    ],
)
def test_garbled_timestamp_keeps_the_position(text: str) -> None:
    fix = parse_aml(text)
    assert fix.positioned_at is None
    assert fix.position.lat == 3.32988


def test_garbled_radius_gives_unknown_accuracy() -> None:
    assert parse_aml(HANDSET_SMS.replace("rd=12", "rd=abc")).position.accuracy_m is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('A"ML=1;pm=N;si=510101234567890', "AML message reports no position fix (pm=N)"),
        (HANDSET_SMS.replace("pm=G", "pm=N"), "AML message reports no position fix (pm=N)"),
        ('A"ML=1;lg=+99.15548;pm=G', "AML message has no position (lt/lg missing)"),
        ('A"ML=1;lt=+3.32988;lg=;pm=G', "AML message has no position (lt/lg missing)"),
        ("", "AML message has no position (lt/lg missing)"),
        ("halo, tolong ada kecelakaan", "AML message has no position (lt/lg missing)"),
        ('A"ML=1;lt=nan;lg=+99.15548', "AML position is not numeric: lt='nan'"),
        ('A"ML=1;lt=+3.32988;lg=inf', "AML position is not numeric"),
        ('A"ML=1;lt=3,32988;lg=99,15548', "AML position is not numeric"),
        ('A"ML=1;lt=+93.32988;lg=+99.15548', "latitude 93.32988 is out of range"),
        ('A"ML=1;lt=+3.32988;lg=+199.15548', "longitude 199.15548 is out of range"),
    ],
)
def test_rejections(text: str, message: str) -> None:
    with pytest.raises(CoordinateError) as caught:
        parse_aml(text)
    assert str(caught.value).startswith(message)
    assert caught.value.field == "aml"

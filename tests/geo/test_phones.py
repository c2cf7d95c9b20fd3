import pytest

from geo.phones import PhoneError, normalize_imei, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+62 812-3456-7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("812 3456 7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        ("(061) 21234", "+626121234"),
        ("(0621) 21234", "+6262121234"),
        ("0621-21234", "+6262121234"),
        ("021 5551234", "+62215551234"),
        (" +62 621 21234 ", "+6262121234"),
    ],
)
def test_indonesian_numbers(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 202 555 0143", "+12025550143"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+60 12-345 6789", "+60123456789"),
        ("+12345678", "+12345678"),
        ("+123456789012345", "+123456789012345"),
    ],
)
def test_international_numbers_pass_through(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "phone number is empty"),
        ("   ", "phone number is empty"),
        ("0812-CALL-ME", "phone number '0812-CALL-ME' contains letters"),
        ("0812345678 ext 2", "contains letters"),
        ("+0812345678", "a country code never starts with 0"),
        ("++6281234567890", "has more than one '+'"),
        ("+62+81234567890", "has more than one '+'"),
        ("0812+34567890", "has a '+' that is not at the start"),
        ("0812\x0034567890", "phone number contains a NUL byte"),
        ("0812#3456*7890", "may only contain digits"),
        ("+62 812 345", "has 6 digits after the 0 or +62; expected 7 to 12"),
        ("081234567", "mobile number '081234567' is too short"),
        ("+62 8123 4567 89012", "has 13 digits after the 0 or +62"),
        ("0123456789", "is not a valid Indonesian number"),
        ("+1234567", "international number '+1234567' has 7 digits; E.164 allows 8 to 15"),
        ("+1234567890123456", "has 16 digits; E.164 allows 8 to 15"),
        ("21234", "needs an area code (0621 ...) or a country code"),
        ("112", "needs an area code"),
    ],
)
def test_rejections(raw: str, message: str) -> None:
    with pytest.raises(PhoneError) as caught:
        normalize_phone(raw)
    assert message in str(caught.value)


def test_phone_error_is_a_value_error() -> None:
    assert issubclass(PhoneError, ValueError)


def test_normalising_twice_changes_nothing() -> None:
    once = normalize_phone("0812 3456 7890")
    assert normalize_phone(once) == once


# 49015420323751-8 is the worked example in the GSMA IMEI allocation guidelines.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("490154203237518", "490154203237518"),
        ("49-015420-323751-8", "490154203237518"),
        ("49 015420 323751 8", "490154203237518"),
        ("49015420323751", "490154203237518"),
        ("356938035643809", "356938035643809"),
        ("35693803564380", "356938035643809"),
    ],
)
def test_imei(raw: str, expected: str) -> None:
    assert normalize_imei(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("490154203237519", "fails its check digit"),
        ("490154203237581", "fails its check digit"),
        ("4901542032375", "has 13 digits; expected 14 or 15"),
        ("4901542032375180", "has 16 digits"),
        ("49015420323751A", "contains letters"),
        ("", "IMEI is empty"),
        ("4901542032\x0037518", "NUL byte"),
        ("49015420323751#", "may only contain digits"),
    ],
)
def test_imei_rejections(raw: str, message: str) -> None:
    with pytest.raises(PhoneError) as caught:
        normalize_imei(raw)
    assert message in str(caught.value)

"""Caller numbers and handset identities as the switch, the caller or the dispatcher write them."""

from __future__ import annotations

import re


class PhoneError(ValueError):
    pass


# Separators people put inside numbers: "+62 812-3456-7890", "(0621) 21234", "0812.3456.7890".
_SEPARATORS = re.compile(r"[\s\-.()/]")
_INDONESIA = "62"


def _digits_after_cleanup(raw: str, what: str) -> str:
    if "\x00" in raw:
        raise PhoneError(f"{what} contains a NUL byte")
    compact = _SEPARATORS.sub("", raw)
    if not compact:
        raise PhoneError(f"{what} is empty")
    if any(c.isalpha() for c in compact):
        raise PhoneError(f"{what} {raw!r} contains letters")
    return compact


def _indonesian(national: str, raw: str) -> str:
    # "+62 (0)812..." and "+620812..." carry the domestic trunk 0 that E.164 leaves out.
    national = national.removeprefix("0")
    if not 7 <= len(national) <= 12:
        raise PhoneError(
            f"phone number {raw!r} has {len(national)} digits after the 0 or +62; expected 7 to 12"
        )
    # Area codes run from 2 (Jakarta 021) to 9; a leading 0 or 1 is a typo or a service number.
    if national[0] in "01":
        raise PhoneError(f"phone number {raw!r} is not a valid Indonesian number")
    if national[0] == "8" and len(national) < 9:
        raise PhoneError(f"mobile number {raw!r} is too short; mobiles have 10 to 13 digits")
    return f"+{_INDONESIA}{national}"


def normalize_phone(raw: str) -> str:
    """Return an E.164 number ("+6281234567890") for an Indonesian or international number.

    Numbers without a country code are Indonesian: "0812...", "(0621) 21234" and "62812..." all
    become "+62...". Other countries pass through as given when they are 8 to 15 digits long.
    """
    compact = _digits_after_cleanup(raw, "phone number")
    if compact.count("+") > 1:
        raise PhoneError(f"phone number {raw!r} has more than one '+'")
    if "+" in compact[1:]:
        raise PhoneError(f"phone number {raw!r} has a '+' that is not at the start")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    digits = compact.removeprefix("+")
    if not digits.isascii() or not digits.isdigit():
        raise PhoneError(f"phone number {raw!r} may only contain digits, spaces, - . ( ) and +")
    if compact.startswith("+"):
        if digits.startswith("0"):
            raise PhoneError(f"phone number {raw!r}: a country code never starts with 0")
        if digits.startswith(_INDONESIA):
            return _indonesian(digits[2:], raw)
        if not 8 <= len(digits) <= 15:
            raise PhoneError(
                f"international number {raw!r} has {len(digits)} digits; E.164 allows 8 to 15"
            )
        return "+" + digits
    if digits.startswith("0"):
        return _indonesian(digits, raw)
    if digits.startswith(_INDONESIA):
        return _indonesian(digits[2:], raw)
    # Callers often drop the trunk 0 from a mobile number ("812 3456 7890").
    if digits.startswith("8"):
        return _indonesian(digits, raw)
    raise PhoneError(f"phone number {raw!r} needs an area code (0621 ...) or a country code")


def _luhn_check_digit(body: str) -> int:
    total = 0
    # Double every second digit counting from the right of the body, as the check digit follows.
    for position, char in enumerate(reversed(body)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def normalize_imei(raw: str) -> str:
    """Return the 15-digit IMEI; 14 digits get their Luhn check digit appended."""
    digits = _digits_after_cleanup(raw, "IMEI")
    if not digits.isascii() or not digits.isdigit():
        raise PhoneError(f"IMEI {raw!r} may only contain digits")
    if len(digits) == 14:
        return digits + str(_luhn_check_digit(digits))
    if len(digits) != 15:
        raise PhoneError(f"IMEI {raw!r} has {len(digits)} digits; expected 14 or 15")
    if _luhn_check_digit(digits[:14]) != int(digits[14]):
        raise PhoneError(f"IMEI {raw!r} fails its check digit; a digit is probably mistyped")
    return digits

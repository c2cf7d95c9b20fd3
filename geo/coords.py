"""Coordinates as callers type, paste and share them: validation and free-text parsing."""

from __future__ import annotations

import math
import re
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

from openlocationcode import openlocationcode as olc


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    accuracy_m: float | None = None
    source: str | None = None


class CoordinateError(ValueError):
    """A value that was meant as a coordinate but cannot be one; `field` names the input."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _check_number(value: object, name: str, field: str) -> int | float:
    if value is None:
        raise CoordinateError(f"{name} is missing", field=field)
    if isinstance(value, str):
        hint = "send coordinates as numbers"
        raise CoordinateError(f"{name} must be a number, not text ({value!r}); {hint}", field=field)
    # bool is an int subclass, and True would otherwise pass as latitude 1.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CoordinateError(f"{name} must be a number, not {type(value).__name__}", field=field)
    if isinstance(value, float) and not math.isfinite(value):
        raise CoordinateError(f"{name} must be a finite number, not {value}", field=field)
    return value


def validate_lat_lon(
    lat: object, lon: object, field: str | None = "location"
) -> tuple[float, float]:
    """Check a lat/lon pair and return it as floats.

    Errors carry `field`; with `field=None` they name the offending axis ("lat" or "lon"), which
    suits inputs where lat and lon arrive as separate parameters.
    """
    lat_n = _check_number(lat, "latitude", field or "lat")
    lon_n = _check_number(lon, "longitude", field or "lon")
    if not -90 <= lat_n <= 90:
        message = f"latitude {lat_n} is out of range [-90, 90]"
        if -90 <= lon_n <= 90 and -180 <= lat_n <= 180:
            message += "; did you swap lat and lon?"
        raise CoordinateError(message, field=field or "lat")
    if not -180 <= lon_n <= 180:
        raise CoordinateError(
            f"longitude {lon_n} is out of range [-180, 180]", field=field or "lon"
        )
    return float(lat_n), float(lon_n)


# Indonesian sources write LU/LS (lintang utara/selatan) and BT/BB (bujur timur/barat).
_HEMI = r"[NSEW]|L[US]|B[TB]"
_HEMI_SIGN = {"N": 1, "LU": 1, "S": -1, "LS": -1, "E": 1, "BT": 1, "W": -1, "BB": -1}
_LAT_HEMIS = frozenset({"N", "S", "LU", "LS"})

_DECIMAL = re.compile(
    rf"""(?<![\w.+-])
    (?P<a>[+-]?\d{{1,3}}\.\d+)\s*°?\s*(?:(?P<ha>{_HEMI})(?![a-z]))?
    (?:\s*[,;/]\s*|\s+|(?<=[a-z]))
    (?P<b>[+-]?\d{{1,3}}\.\d+)\s*°?\s*(?:(?P<hb>{_HEMI})(?![a-z]))?
    (?![\w.])""",
    re.IGNORECASE | re.VERBOSE,
)

_DMS_NUMBERS = r"""
    (?P<{p}d>\d{{1,3}}(?:\.\d+)?)\s*(?P<{p}dm>[°º˚]|\s)\s*
    (?P<{p}m>\d{{1,2}}(?:\.\d+)?)\s*(?P<{p}mm>['′’])?\s*
    (?:(?P<{p}s>\d{{1,2}}(?:\.\d+)?)\s*(?P<{p}sm>"|″|”|''|′′|’’)?\s*)?"""
_DMS_SEP = r"\s*[,;/]?\s*"
# Letters before the numbers ("N 3°19'") and after them ("3°19'N") need separate patterns, or
# the suffix form would steal the prefix letter of the second half.
_DMS_PATTERNS = tuple(
    re.compile(body, re.IGNORECASE | re.VERBOSE)
    for body in (
        rf"(?<![a-z])(?P<aha>{_HEMI})\s*{_DMS_NUMBERS.format(p='a')}{_DMS_SEP}"
        rf"(?P<bha>{_HEMI})\s*{_DMS_NUMBERS.format(p='b')}",
        rf"(?<![\w.]){_DMS_NUMBERS.format(p='a')}(?:(?P<ahb>{_HEMI})(?![a-z]))?{_DMS_SEP}"
        rf"{_DMS_NUMBERS.format(p='b')}(?:(?P<bhb>{_HEMI})(?![a-z]))?",
    )
)

# At least four characters before "+", as Google Maps displays short codes ("85H4+X5"); fewer
# would read sums like "12+30" as codes.
_PLUS_CODE = re.compile(
    r"(?<![0-9a-z])[0-9CFGHJMPQRVWX]{4,8}\+[2-9CFGHJMPQRVWX]*(?![0-9a-z])", re.IGNORECASE
)
# Mean metres per degree of latitude; plus-code accuracy is only ever an estimate.
_M_PER_DEG = 111_195.0


def _orient(a: float, ha: str | None, b: float, hb: str | None) -> tuple[float, float]:
    """Apply hemisphere letters and return (lat, lon), letters overriding written order."""
    a_is_lat = None if ha is None else ha.upper() in _LAT_HEMIS
    b_is_lat = None if hb is None else hb.upper() in _LAT_HEMIS
    if a_is_lat is not None and a_is_lat == b_is_lat:
        axis = "latitude" if a_is_lat else "longitude"
        raise CoordinateError(f"both values are marked as {axis}", field="q")
    if ha:
        a = abs(a) * _HEMI_SIGN[ha.upper()]
    if hb:
        b = abs(b) * _HEMI_SIGN[hb.upper()]
    if a_is_lat is False or b_is_lat is True:
        a, b = b, a
    return validate_lat_lon(a, b, field="q")


def _dms_value(match: re.Match[str], p: str) -> float | None:
    degrees, minutes, seconds = (match.group(p + k) for k in ("d", "m", "s"))
    if "." in degrees or (seconds and "." in minutes):
        return None
    if float(minutes) >= 60 or (seconds and float(seconds) >= 60):
        raise CoordinateError(f"minutes and seconds must be below 60 in {match[0]!r}", field="q")
    return int(degrees) + float(minutes) / 60 + float(seconds or 0) / 3600


def _parse_dms(text: str) -> Position | None:
    for pattern in _DMS_PATTERNS:
        for match in pattern.finditer(text):
            g = match.groupdict()
            ha, hb = g.get("aha") or g.get("ahb"), g.get("bha") or g.get("bhb")
            marked = any(g[k] for k in ("amm", "asm", "bmm", "bsm")) or not g["adm"].isspace()
            # Bare "3 19 47 99 9 19" is as likely a list of numbers as a coordinate.
            if not marked and not (ha and hb):
                continue
            a, b = _dms_value(match, "a"), _dms_value(match, "b")
            if a is None or b is None:
                continue
            lat, lon = _orient(a, ha, b, hb)
            return Position(lat, lon, source="dms")
    return None


def _parse_decimal(text: str) -> Position | None:
    match = _DECIMAL.search(text)
    if match is None:
        return None
    lat, lon = _orient(float(match["a"]), match["ha"], float(match["b"]), match["hb"])
    return Position(lat, lon, source="decimal")


def _code_accuracy_m(area: olc.CodeArea) -> float:
    height_m = (area.latitudeHi - area.latitudeLo) * _M_PER_DEG
    width_m = (area.longitudeHi - area.longitudeLo) * _M_PER_DEG
    width_m *= math.cos(math.radians(area.latitudeCenter))
    return round(math.hypot(height_m, width_m) / 2, 1)


def parse_plus_code(
    text: str, ref_lat: float | None = None, ref_lon: float | None = None
) -> Position | None:
    """Find an Open Location Code in `text` and return the centre of its area.

    A short code ("85H4+X5 Tebing Tinggi") is recovered nearest to the reference point; the
    locality written after it is not geocoded, so without a reference it yields None.
    """
    for match in _PLUS_CODE.finditer(text):
        code = match[0].upper()
        if not olc.isValid(code):
            continue
        if olc.isShort(code):
            # A short code without digits after "+" ("85H4+") names a whole city block.
            if ref_lat is None or ref_lon is None or len(code.partition("+")[2]) < 2:
                continue
            lat, lon = validate_lat_lon(ref_lat, ref_lon, field="ref")
            code = olc.recoverNearest(code, lat, lon)
        area = olc.decode(code)
        lat, lon = validate_lat_lon(area.latitudeCenter, area.longitudeCenter, field="q")
        return Position(lat, lon, accuracy_m=_code_accuracy_m(area), source="plus_code")
    return None


_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?\d{1,3}(?:\.\d+)?")
_GOOGLE_PIN = re.compile(r"!3d([+-]?\d+(?:\.\d+)?)!4d([+-]?\d+(?:\.\d+)?)")
_GOOGLE_VIEW = re.compile(r"/@([+-]?\d+(?:\.\d+)?),([+-]?\d+(?:\.\d+)?)")
_OSM_FRAGMENT = re.compile(r"map=[\d.]+/([+-]?\d+(?:\.\d+)?)/([+-]?\d+(?:\.\d+)?)")
_PAIR_KEYS = (("mlat", "mlon"), ("lat", "lon"), ("lat", "lng"))
# Pins before viewports: Google's q/query and Apple's coordinate/ll are the place itself, while
# center and sll only say where the map was looking.
_POINT_KEYS = ("coordinate", "q", "query", "ll", "daddr", "destination", "center", "sll")


def _link_position(lat: str, lon: str, accuracy_m: float | None = None) -> Position | None:
    if not (_NUMBER.fullmatch(lat) and _NUMBER.fullmatch(lon)):
        return None
    lat_f, lon_f = validate_lat_lon(float(lat), float(lon), field="q")
    return Position(lat_f, lon_f, accuracy_m=accuracy_m, source="map_link")


def _from_geo_uri(uri: str) -> Position | None:
    body, _, query = uri[4:].partition("?")
    numbers, *params = body.split(";")
    searches = parse_qs(query).get("q", [])
    for value in searches:
        found = _parse_notation(value)
        if found is not None:
            return replace(found, source="map_link")
    # Android writes "geo:0,0?q=<place name>" to mean "search for this", not a point at 0,0.
    if searches:
        return None
    lat, _, rest = numbers.partition(",")
    lon = rest.split(",")[0]
    # RFC 5870 carries the fix's uncertainty in metres as ";u=".
    uncertainty = [p[2:] for p in params if p.lower().startswith("u=") and _NUMBER.fullmatch(p[2:])]
    return _link_position(lat.strip(), lon.strip(), float(uncertainty[0]) if uncertainty else None)


def _from_link(url: str) -> Position | None:
    if url.lower().startswith("geo:"):
        return _from_geo_uri(url)
    parts = urlsplit(url if "://" in url else "https://" + url)
    path = unquote(parts.path)
    pins = _GOOGLE_PIN.findall(path)
    if pins:
        return _link_position(*pins[-1])
    query = parse_qs(parts.query)
    for lat_key, lon_key in _PAIR_KEYS:
        if lat_key in query and lon_key in query:
            return _link_position(query[lat_key][0].strip(), query[lon_key][0].strip())
    candidates = [v for key in _POINT_KEYS for v in query.get(key, [])]
    candidates += [s for s in path.split("/") if s and not s.startswith(("@", "data="))]
    for value in candidates:
        found = _parse_notation(value.removeprefix("loc:"))
        if found is not None:
            return replace(found, source="map_link")
    view = _GOOGLE_VIEW.search(path) or _OSM_FRAGMENT.search(parts.fragment)
    return _link_position(view[1], view[2]) if view else None


def _link_in(token: str) -> str | None:
    lower = token.lower()
    for scheme in ("https://", "http://", "geo:"):
        if (at := lower.find(scheme)) >= 0:
            return token[at:]
    token = token.lstrip("([<'\"")
    host, slash, _ = token.partition("/")
    return token if slash and _HOST.fullmatch(host) else None


def _parse_notation(
    text: str, ref_lat: float | None = None, ref_lon: float | None = None
) -> Position | None:
    # Single spaces keep the patterns' optional-whitespace runs from backtracking quadratically
    # on hostile input.
    text = " ".join(text.split())
    return _parse_dms(text) or _parse_decimal(text) or parse_plus_code(text, ref_lat, ref_lon)


def parse_coordinates(
    text: str, *, ref_lat: float | None = None, ref_lon: float | None = None
) -> Position | None:
    """Find a coordinate in free text: a map link, DMS, a decimal pair or a plus code.

    Returns None when the text holds no coordinate, and raises CoordinateError (field "q") when
    it holds one that is out of range. Short links (goo.gl, maps.app.goo.gl) carry no
    coordinates and are never fetched. The reference point only serves short plus codes.
    """
    words = []
    for token in text.split():
        link = _link_in(token)
        if link is None:
            words.append(token)
        elif found := _from_link(link.rstrip(".,;)]>'\"")):
            return found
    # Digits inside an unusable link (a short link's id) must not be read as coordinates.
    return _parse_notation(" ".join(words), ref_lat, ref_lon)


@dataclass(frozen=True)
class AmlFix:
    position: Position
    positioned_at: datetime | None
    method: str | None
    imei: str | None
    imsi: str | None
    mcc: str | None = None
    mnc: str | None = None


_AML_METHODS = {"G": "gnss", "W": "wifi", "C": "cell"}
_AML_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def parse_aml(text: str) -> AmlFix:
    """Read an Advanced Mobile Location SMS (ETSI TS 103 625), e.g. 'A"ML=1;lt=+3.32988;...'."""
    fields: dict[str, str] = {}
    for item in re.split(r"[;\n]", text):
        key, sep, value = item.partition("=")
        if sep:
            # Only letters count in keys so that 'A"ML', 'AML' and ' LT ' all match.
            fields[re.sub(r"[^a-z]", "", key.lower())] = value.strip()
    code = fields.get("pm", "").upper()
    if code == "N":
        raise CoordinateError("AML message reports no position fix (pm=N)", field="aml")
    lat, lon = fields.get("lt", ""), fields.get("lg", "")
    if not lat or not lon:
        raise CoordinateError("AML message has no position (lt/lg missing)", field="aml")
    # float() would accept "nan" and "inf"; handsets only ever send signed decimals.
    if not (_AML_NUMBER.fullmatch(lat) and _AML_NUMBER.fullmatch(lon)):
        raise CoordinateError(f"AML position is not numeric: lt={lat!r}, lg={lon!r}", field="aml")
    lat_f, lon_f = validate_lat_lon(float(lat), float(lon), field="aml")
    radius = fields.get("rd", "")
    accuracy_m = float(radius) if _AML_NUMBER.fullmatch(radius) and float(radius) >= 0 else None
    positioned_at: datetime | None = None
    # A garbled timestamp must not cost the caller their position.
    with suppress(ValueError):
        if re.fullmatch(r"\d{14}", top := fields.get("top", "")):
            positioned_at = datetime.strptime(top, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return AmlFix(
        position=Position(lat_f, lon_f, accuracy_m=accuracy_m, source="aml"),
        positioned_at=positioned_at,
        method=_AML_METHODS.get(code, code.lower()) or None,
        imei=fields.get("ei") or None,
        imsi=fields.get("si") or None,
        mcc=fields.get("mcc") or None,
        mnc=fields.get("mnc") or None,
    )

"""Small parsers for path and query parameters that raise domain errors."""

from __future__ import annotations

import uuid
from datetime import datetime

from api.errors import Invalid, NotFound


def parse_id(raw: str, what: str) -> uuid.UUID:
    """Ids are opaque; a malformed one cannot name anything, so it is simply not found."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"{what} {raw!r} not found", f"{what}_id") from None


def parse_ref(raw: str, field: str) -> uuid.UUID:
    """An id inside a body: malformed is a 422 naming the field."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise Invalid(f"{field} {raw!r} is not a valid id", field) from None


def parse_time(raw: str | None, field: str) -> datetime | None:
    if raw is None or raw == "":
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{field} must be an RFC 3339 time, got {raw!r}", field) from None
    if value.tzinfo is None:
        raise Invalid(f"{field} must carry a time-zone offset", field)
    return value


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    if raw is None or raw == "":
        return None
    parts = raw.split(",")
    try:
        minlon, minlat, maxlon, maxlat = (float(p) for p in parts)
    except ValueError:
        raise Invalid("bbox must be minlon,minlat,maxlon,maxlat as four numbers", "bbox") from None
    for value in (minlon, minlat, maxlon, maxlat):
        if value != value or value in (float("inf"), float("-inf")):
            raise Invalid("bbox values must be finite", "bbox")
    if not (-180 <= minlon <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90):
        raise Invalid("bbox must be minlon,minlat,maxlon,maxlat within range, min <= max", "bbox")
    return minlon, minlat, maxlon, maxlat


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison: a list of tags, W/ prefixes (proxies add them after gzip), or *."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags

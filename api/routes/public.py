"""The public page's API: no log-in, cached, rate-limited, and privacy-safe by construction
(see api/queries/public.py)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, FromQuery, QueryParameter

from api.deps import Conf, Db
from api.errors import Invalid, NotFound
from api.queries.layers import layer_geojson
from api.queries.public import heatmap, month_of, public_stats
from api.routes.params import etag_matches, parse_time

CATEGORIES = {"fire", "medical", "security", "accident", "disaster", "other"}
PUBLIC_LAYERS = {"kota", "kecamatan", "kelurahan"}
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
Zoom = Annotated[int, QueryParameter(ge=0, le=22)]


def months(since: str | None, until: str | None, tz: str) -> tuple[str, str]:
    """Answers are whole WIB calendar months: a period is never cut finer than an atom."""

    def one(raw: str | None, field: str, default: datetime) -> str:
        if raw is None or raw == "":
            return month_of(default, tz)
        if _MONTH.fullmatch(raw) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            try:
                day = datetime.strptime(raw if len(raw) == 10 else f"{raw}-01", "%Y-%m-%d")
            except ValueError:
                raise Invalid(f"{field} {raw!r} is not a calendar date", field) from None
            if day.year < 2000:
                raise Invalid(f"{field} must be in the year 2000 or later", field)
            return raw[:7]
        value = parse_time(raw, field)
        assert value is not None
        return month_of(value, tz)

    now = datetime.now(UTC)
    m1, m2 = one(since, "since", now - timedelta(days=365)), one(until, "until", now)
    if m1 > m2:
        raise Invalid("since must not be after until", "since")
    return m1, m2


def cached(request: Request[Any, Any, Any], body: Any, media_type: str) -> Response[bytes]:
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(b"", status_code=304, headers=headers)
    return Response(data, media_type=media_type, headers=headers)


def rate_limit(per_minute: int) -> RateLimitConfig:
    return RateLimitConfig(rate_limit=("minute", per_minute))


class PublicController(Controller):
    path = "/api/public"
    tags = ["public"]

    @get("/heatmap")
    async def heatmap(
        self, request: Request[Any, Any, Any], db: Db, settings: Conf,
        since: FromQuery[str | None] = None, until: FromQuery[str | None] = None,
        category: FromQuery[str | None] = None, zoom: Zoom = 13,
    ) -> Response[bytes]:  # fmt: skip
        if category is not None and category not in CATEGORIES:
            raise Invalid(
                f"unknown category {category!r}; one of {', '.join(sorted(CATEGORIES))}", "category"
            )
        m1, m2 = months(since, until, settings.timezone)
        body = await heatmap(db, m1, m2, category, zoom, settings.public_min_count,
                             settings.public_cell_m)  # fmt: skip
        body["period"] = {"since": m1, "until": m2}
        return cached(request, body, "application/geo+json")

    @get("/stats")
    async def stats(
        self, request: Request[Any, Any, Any], db: Db, settings: Conf,
        since: FromQuery[str | None] = None, until: FromQuery[str | None] = None,
    ) -> Response[bytes]:  # fmt: skip
        m1, m2 = months(since, until, settings.timezone)
        body = await public_stats(db, m1, m2, settings.public_min_count)
        return cached(request, {"period": {"since": m1, "until": m2}, **body}, "application/json")

    @get("/layers/{layer:str}")
    async def layer(
        self, request: Request[Any, Any, Any], db: Db, layer: FromPath[str]
    ) -> Response[bytes]:
        """Boundaries are public data; the public map draws them under the heatmap."""
        if layer not in PUBLIC_LAYERS:
            raise NotFound(
                f"no public layer {layer!r}; layers: kota, kecamatan, kelurahan", "layer"
            )
        return cached(request, json.loads(await layer_geojson(db, layer)), "application/geo+json")

"""Base-map layers for the console, the supervisor's statistics, and CSV exports."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery

from api.deps import Conf, Db, Me
from api.errors import Invalid, NotFound
from api.queries.layers import LAYERS, layer_geojson
from api.queries.stats import call_stats, export_rows, response_stats
from api.routes.params import etag_matches, parse_time

STAFF: dict[str, Any] = {"roles": ("dispatcher", "supervisor")}
SUPERVISOR: dict[str, Any] = {"roles": ("supervisor",)}
MAX_RANGE = timedelta(days=400)


def period(since: str | None, until: str | None) -> tuple[datetime, datetime]:
    """Default: the last 30 days. At most ~13 months per request."""
    end = parse_time(until, "until") or datetime.now(UTC)
    start = parse_time(since, "since") or end - timedelta(days=30)
    if start >= end:
        raise Invalid("since must be before until", "since")
    if end - start > MAX_RANGE:
        raise Invalid("the period may span at most 400 days", "since")
    return start, end


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is quoted (CSV injection)."""
    phone = isinstance(value, str) and value[:1] == "+" and value[1:].isdigit()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not phone:
        return "'" + value
    return value


class ReportController(Controller):
    path = "/api"
    tags = ["reports"]

    @get("/layers/{layer:str}", opt=STAFF)
    async def layer(
        self, layer: FromPath[str], db: Db, request: Request[Any, Any, Any]
    ) -> Response[bytes]:
        if layer not in LAYERS:
            raise NotFound(f"no layer {layer!r}; layers: {', '.join(sorted(LAYERS))}", "layer")
        body = (await layer_geojson(db, layer)).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": "private, max-age=300"}
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(b"", status_code=304, headers=headers)
        return Response(body, media_type="application/geo+json", headers=headers)

    @get("/stats", opt=STAFF)
    async def stats(
        self, db: Db, user: Me, settings: Conf,
        since: FromQuery[str | None] = None, until: FromQuery[str | None] = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Repeat callers' numbers are masked for everyone but supervisors."""
        start, end = period(since, until)
        calls = await call_stats(db, start, end, settings.timezone, user.role != "dispatcher")
        return {"since": start.isoformat(), "until": end.isoformat(), **calls,
                **await response_stats(db, start, end)}  # fmt: skip

    @get("/export/{name:str}", opt=SUPERVISOR)
    async def export(
        self, name: FromPath[str], db: Db, settings: Conf,
        since: FromQuery[str | None] = None, until: FromQuery[str | None] = None,
    ) -> Response[str]:  # fmt: skip
        what = name.removesuffix(".csv")
        if what not in {"calls", "incidents"}:
            raise NotFound(f"no export {name!r}; exports: calls.csv, incidents.csv", "name")
        start, end = period(since, until)
        header, rows = await export_rows(db, what, start, end, settings.timezone)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([tuple(_cell(v) for v in row) for row in rows])
        file = f"siaga112-{what}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{file}"'})  # fmt: skip

"""Calls and callers: log every call, triage it, look up a caller's history."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from api.auth import STAFF
from api.deps import Conf, Db, Me
from api.errors import Invalid
from api.queries import calls as q
from api.queries.areas import check_service_area
from api.routes.params import parse_id, parse_ref, parse_time
from api.schemas import CallerHistoryPage, CallIn, CallOut, CallPage, TriageIn
from api.settings import Settings
from geo.coords import CoordinateError, parse_aml
from geo.phones import PhoneError, normalize_imei, normalize_phone

DISPATCHER: dict[str, Any] = {"roles": ("dispatcher",)}
READERS: dict[str, Any] = {"roles": STAFF}


def rules(settings: Settings) -> q.CallRules:
    return q.CallRules.from_settings(settings)


def _parsed(parse: Callable[[str], str], raw: str | None, field: str) -> str | None:
    if raw is None:
        return None
    try:
        return parse(raw)
    except PhoneError as exc:
        raise Invalid(f"{field}: {exc}", field) from exc


def parse_new_call(data: CallIn) -> q.NewCall:
    number = _parsed(normalize_phone, data.caller_number, "caller_number")
    imei = _parsed(normalize_imei, data.caller_imei, "caller_imei")
    lat = lon = accuracy = source = None
    if data.location is not None:
        lat, lon = data.location.lat, data.location.lon
        accuracy, source = data.location.accuracy_m, data.location.source or "manual"
    if data.aml:
        try:
            fix = parse_aml(data.aml)
        except CoordinateError as exc:
            raise Invalid(str(exc), "aml") from exc
        # The handset's own fix beats whatever was typed: it is what AML is for.
        lat, lon = fix.position.lat, fix.position.lon
        # A radius no handset could mean (rd=1e20) says nothing about where the caller is.
        accuracy = fix.position.accuracy_m
        accuracy = accuracy if accuracy is not None and 0 <= accuracy <= 100_000 else None
        source = "aml"
        if imei is None and fix.imei:
            try:
                imei = normalize_imei(fix.imei)
            except PhoneError:
                imei = None
    return q.NewCall(
        data.received_at, number, imei, lat, lon, accuracy, source, data.aml, data.notes
    )


def _cursor(row: Any) -> str:
    return base64.urlsafe_b64encode(f"{row.received_at.isoformat()}|{row.id}".encode()).decode()


def _uncursor(raw: str | None) -> tuple[datetime, Any] | None:
    if not raw:
        return None
    try:
        at, ident = base64.urlsafe_b64decode(raw.encode()).decode().split("|")
        return datetime.fromisoformat(at), parse_ref(ident, "cursor")
    except (ValueError, UnicodeDecodeError):
        raise Invalid("cursor is not one this server gave out", "cursor") from None


class CallController(Controller):
    path = "/api/calls"
    tags = ["calls"]

    @post("/", opt=DISPATCHER)
    async def create_call(
        self, data: JSONBody[CallIn], db: Db, user: Me, settings: Conf
    ) -> CallOut:
        call = parse_new_call(data)
        if call.lat is not None and call.lon is not None:
            field = "aml" if call.location_source == "aml" else "location"
            await check_service_area(db, call.lat, call.lon, settings.service_area_buffer_m, field)
        call_id = await q.insert_call(db, call, user.id)
        return await q.call_out(db, await q.get_call_row(db, call_id), rules(settings))

    @post("/{call_id:str}/triage", status_code=200, opt=DISPATCHER)
    async def triage(
        self, call_id: FromPath[str], data: JSONBody[TriageIn], db: Db, user: Me, settings: Conf
    ) -> CallOut:
        ident = parse_id(call_id, "call")
        incident = parse_ref(data.incident_id, "incident_id") if data.incident_id else None
        await q.triage_call(db, ident, data.verdict, incident, data.notes, user.id, user.actor)
        return await q.call_out(db, await q.get_call_row(db, ident), rules(settings))

    @get("/", opt=READERS)
    async def list_calls(
        self,
        db: Db,
        settings: Conf,
        verdict: FromQuery[str | None] = None,
        since: FromQuery[str | None] = None,
        until: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> CallPage:
        allowed = {"emergency", "prank", "silent", "non_emergency", "wrong_number", "test",
                   "duplicate", "untriaged"}  # fmt: skip
        if verdict is not None and verdict not in allowed:
            raise Invalid(f"unknown verdict {verdict!r}", "verdict")
        rows = await q.list_calls(
            db, verdict, parse_time(since, "since"), parse_time(until, "until"),
            _uncursor(cursor), limit + 1,
        )  # fmt: skip
        items = [await q.call_out(db, r, rules(settings)) for r in rows[:limit]]
        return CallPage(items=items, next=_cursor(rows[limit - 1]) if len(rows) > limit else None)


class CallerController(Controller):
    path = "/api/callers"
    tags = ["calls"]

    @get("/{number:str}/history", opt=READERS)
    async def history(self, number: FromPath[str], db: Db, settings: Conf) -> CallerHistoryPage:
        try:
            normalized = normalize_phone(number)
        except PhoneError as exc:
            raise Invalid(str(exc), "number") from exc
        return await q.number_history(db, normalized, rules(settings))

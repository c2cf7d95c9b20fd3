"""Incidents: create (geocode, then dispatch), read, correct, dispatch, close."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody
from msgspec import UNSET

from api.deps import Conf, Db, Me
from api.errors import Forbidden, Invalid
from api.queries import incidents as q
from api.queries.areas import check_service_area
from api.queries.assignments import release_all, unit_on_incident
from api.queries.calls import check_call_for_incident, link_call
from api.queries.dispatching import auto_dispatch, dispatch_units
from api.queries.timeline import add_event, list_events
from api.queries.users import CurrentUser
from api.routes.params import parse_bbox, parse_id, parse_ref
from api.schemas import (
    CloseIn,
    DispatchIn,
    IncidentIn,
    IncidentOut,
    IncidentPage,
    IncidentPatch,
    LocationIn,
    TimelinePage,
)
from geo.coords import CoordinateError

DISPATCHER: dict[str, Any] = {"roles": ("dispatcher",)}
READERS: dict[str, Any] = {"roles": ("dispatcher", "supervisor")}
ANYONE_LOGGED_IN: dict[str, Any] = {"roles": ()}
STATUSES = {"new", "dispatched", "active", "closed", "cancelled"}


async def _checked(
    db: Db, location: LocationIn | None, settings: Conf
) -> tuple[float, float, float | None] | None:
    if location is None:
        return None
    await check_service_area(
        db, location.lat, location.lon, settings.service_area_buffer_m, "location"
    )
    return location.lat, location.lon, location.accuracy_m


async def _place(
    db: Db, location: LocationIn | None, call: Any, address: str | None, settings: Conf
) -> q.Place:
    call_location = (
        (call.lat, call.lon, call.accuracy_m) if call is not None and call.lat is not None else None
    )
    try:
        place = await q.resolve_place(
            db, await _checked(db, location, settings), call_location, address
        )
    except CoordinateError as exc:
        raise Invalid(f"address: {exc}", "address") from exc
    if place.lat is not None and place.lon is not None and place.source not in {"explicit", "call"}:
        await check_service_area(
            db, place.lat, place.lon, settings.service_area_buffer_m, "address"
        )
    return place


async def readable(db: Db, ident: uuid.UUID, user: CurrentUser) -> IncidentOut:
    """Staff read every incident; a responder only those its unit is (or was) assigned to."""
    incident = await q.get_incident(db, ident)  # unknown stays 404 for everyone
    if user.role == "responder" and not (
        user.unit_id and await unit_on_incident(db, ident, user.unit_id)
    ):
        raise Forbidden("your unit is not assigned to this incident")
    return incident


class IncidentController(Controller):
    path = "/api/incidents"
    tags = ["incidents"]

    @post("/", opt=DISPATCHER)
    async def create_incident(
        self, data: JSONBody[IncidentIn], db: Db, user: Me, settings: Conf
    ) -> IncidentOut:
        call_id = parse_ref(data.call_id, "call_id") if data.call_id else None
        call = await check_call_for_incident(db, call_id) if call_id else None
        place = await _place(db, data.location, call, data.address, settings)
        incident_id = await q.insert_incident(
            db, category=data.category, priority=data.priority, description=data.description,
            address=data.address, place=place, call_id=call_id, user_id=user.id,
        )  # fmt: skip
        await add_event(db, incident_id, "created", user.actor, {"geocode": place.status,
                        "source": place.source, "label": place.label})  # fmt: skip
        if call_id is not None:
            await link_call(db, call_id, incident_id, user.id)
        if place.lat is not None:
            claim = data.auto_dispatch and place.status == "resolved"
            await auto_dispatch(db, incident_id, settings.position_fresh_s, user.actor, claim)
        return await q.get_incident(db, incident_id)

    @get("/", opt=READERS)
    async def list_incidents(
        self, db: Db, status: FromQuery[str | None] = None, bbox: FromQuery[str | None] = None
    ) -> IncidentPage:
        statuses = [s for s in status.split(",") if s] if status else None
        if statuses and not set(statuses) <= STATUSES:
            raise Invalid(f"unknown status in {status!r}", "status")
        ids = await q.list_incident_ids(db, statuses, parse_bbox(bbox))
        return IncidentPage(items=await q.load_incidents(db, ids))

    @get("/{incident_id:str}", opt=ANYONE_LOGGED_IN)
    async def get_incident(self, incident_id: FromPath[str], db: Db, user: Me) -> IncidentOut:
        return await readable(db, parse_id(incident_id, "incident"), user)

    @patch("/{incident_id:str}", opt=DISPATCHER)
    async def update_incident(
        self,
        incident_id: FromPath[str],
        data: JSONBody[IncidentPatch],
        db: Db,
        user: Me,
        settings: Conf,
    ) -> IncidentOut:
        ident = parse_id(incident_id, "incident")
        await q.require_open(db, ident)
        fields = {k: getattr(data, k) for k in ("category", "priority", "description", "address")
                  if getattr(data, k) is not UNSET}  # fmt: skip
        await q.update_fields(db, ident, fields)
        location = data.location if data.location is not UNSET else None
        if location is not None or "address" in fields:
            place = await _place(db, location, None, fields.get("address"), settings)
            await q.relocate_incident(db, ident, place)
        await add_event(db, ident, "updated", user.actor, {**fields, "location": location})
        after = await q.get_incident(db, ident)
        # An incident saved without a usable place is dispatched once the dispatcher gives one.
        moved = location is not None or "address" in fields
        if (
            moved
            and after.status == "new"
            and not after.assignments
            and after.geocode.status == "resolved"
        ):
            await auto_dispatch(db, ident, settings.position_fresh_s, user.actor, claim=True)
        return await q.get_incident(db, ident)

    @post("/{incident_id:str}/dispatch", status_code=200, opt=DISPATCHER)
    async def dispatch(
        self,
        incident_id: FromPath[str],
        data: JSONBody[DispatchIn],
        db: Db,
        user: Me,
        settings: Conf,
    ) -> IncidentOut:
        ident = parse_id(incident_id, "incident")
        if data.unit_ids:
            units = sorted({parse_ref(u, "unit_ids") for u in data.unit_ids})
            await dispatch_units(db, ident, units, settings.position_fresh_s, user.actor)
        else:
            await auto_dispatch(db, ident, settings.position_fresh_s, user.actor, claim=True)
        return await q.get_incident(db, ident)

    @post("/{incident_id:str}/close", status_code=200, opt=DISPATCHER)
    async def close(
        self, incident_id: FromPath[str], data: JSONBody[CloseIn], db: Db, user: Me
    ) -> IncidentOut:
        ident = parse_id(incident_id, "incident")
        await q.require_open(db, ident)
        await release_all(db, ident, user.actor)
        await q.mark_closed(db, ident, data.outcome, data.notes, user.actor)
        return await q.get_incident(db, ident)

    @get("/{incident_id:str}/timeline", opt=ANYONE_LOGGED_IN)
    async def timeline(self, incident_id: FromPath[str], db: Db, user: Me) -> TimelinePage:
        ident = parse_id(incident_id, "incident")
        await readable(db, ident, user)
        return TimelinePage(items=await list_events(db, ident))

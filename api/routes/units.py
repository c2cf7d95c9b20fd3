"""Units, their positions and availability; stations; a responder's own assignments."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody

from api.auth import STAFF
from api.deps import Conf, Db, Me
from api.errors import Forbidden, Invalid
from api.queries import units as q
from api.queries.areas import check_service_area
from api.queries.assignments import my_assignments
from api.queries.dispatching import transition_and_follow_up
from api.queries.idempotency import claim, complete, once
from api.routes.params import parse_id, parse_ref
from api.schemas import (
    AssignmentOut,
    MyAssignmentPage,
    PositionIn,
    StationOut,
    StationPage,
    StationPatch,
    TransitionIn,
    UnitIn,
    UnitOut,
    UnitPage,
    UnitStatusIn,
)

READERS: dict[str, Any] = {"roles": STAFF}
IdempotencyKey = Annotated[
    str | None, HeaderParameter(name="Idempotency-Key", max_length=100, required=False)
]
ADMIN: dict[str, Any] = {"roles": ("admin",)}
CREW: dict[str, Any] = {"roles": ("responder", "dispatcher")}
RESPONDER: dict[str, Any] = {"roles": ("responder",)}
KINDS = {"fire", "police", "ambulance"}
STATUSES = {"available", "dispatched", "en_route", "on_scene", "transporting", "out_of_service"}


def own_unit(user: Me, unit_id: Any) -> None:
    if user.role == "responder" and user.unit_id != unit_id:
        raise Forbidden("a responder may act only for its own unit")


class UnitController(Controller):
    path = "/api/units"
    tags = ["units"]

    @get("/", opt=READERS)
    async def list_units(
        self, db: Db, kind: FromQuery[str | None] = None, status: FromQuery[str | None] = None
    ) -> UnitPage:
        if kind is not None and kind not in KINDS:
            raise Invalid(f"unknown unit kind {kind!r}", "kind")
        if status is not None and status not in STATUSES:
            raise Invalid(f"unknown unit status {status!r}", "status")
        return UnitPage(items=await q.list_units(db, kind, status))

    @post("/", opt=ADMIN)
    async def create_unit(
        self, data: JSONBody[UnitIn], db: Db, user: Me, settings: Conf
    ) -> UnitOut:
        station = parse_ref(data.station_id, "station_id") if data.station_id else None
        lat = data.location.lat if data.location else None
        lon = data.location.lon if data.location else None
        if lat is not None and lon is not None:
            await check_service_area(db, lat, lon, settings.service_area_buffer_m, "location")
        unit_id = await q.create_unit(db, data.callsign, data.kind, station, lat, lon, user.actor)
        return await q.get_unit(db, unit_id)

    @post("/{unit_id:str}/position", status_code=204, opt=RESPONDER)
    async def report_position(
        self,
        unit_id: FromPath[str],
        data: JSONBody[PositionIn],
        db: Db,
        user: Me,
        settings: Conf,
        idempotency_key: IdempotencyKey = None,
    ) -> None:
        ident = parse_id(unit_id, "unit")
        own_unit(user, ident)
        await q.get_unit(db, ident)
        if idempotency_key and await claim(db, user.id, idempotency_key, f"position:{ident}"):
            return
        await check_service_area(db, data.lat, data.lon, settings.service_area_buffer_m, "position")
        await q.set_position(db, ident, data.lat, data.lon, data.at)
        if idempotency_key:
            await complete(db, user.id, idempotency_key, 204, None)

    @post("/{unit_id:str}/status", status_code=200, opt=CREW)
    async def set_status(
        self,
        unit_id: FromPath[str],
        data: JSONBody[UnitStatusIn],
        db: Db,
        user: Me,
        idempotency_key: IdempotencyKey = None,
    ) -> UnitOut:
        ident = parse_id(unit_id, "unit")
        own_unit(user, ident)
        return await once(
            db, user.id, idempotency_key, f"status:{ident}:{data.status}", UnitOut,
            lambda: q.set_availability(db, ident, data.status, user.actor, data.reason),
        )  # fmt: skip


class AssignmentController(Controller):
    path = "/api/assignments"
    tags = ["assignments"]

    @get("/mine", opt=RESPONDER)
    async def mine(self, db: Db, user: Me) -> MyAssignmentPage:
        if user.unit_id is None:
            raise Forbidden("only a responder bound to a unit has assignments")
        return MyAssignmentPage(items=await my_assignments(db, user.unit_id))

    @post("/{assignment_id:str}/transition", status_code=200, opt=CREW)
    async def transition(
        self,
        assignment_id: FromPath[str],
        data: JSONBody[TransitionIn],
        db: Db,
        user: Me,
        idempotency_key: IdempotencyKey = None,
    ) -> AssignmentOut:
        """With an Idempotency-Key (the PWA sends one per queued action), a retry gets the first
        answer back instead of applying the transition twice."""
        ident = parse_id(assignment_id, "assignment")
        position = (data.lat, data.lon) if data.lat is not None and data.lon is not None else None
        return await once(
            db, user.id, idempotency_key, f"transition:{ident}:{data.to}", AssignmentOut,
            lambda: transition_and_follow_up(db, ident, data.to, user, data.at, position, data.reason),
        )  # fmt: skip


class StationController(Controller):
    path = "/api/stations"
    tags = ["units"]

    @get("/", opt=READERS)
    async def list_stations(self, db: Db) -> StationPage:
        return StationPage(items=await q.list_stations(db))

    @patch("/{station_id:str}", opt=ADMIN)
    async def move_station(
        self, station_id: FromPath[str], data: JSONBody[StationPatch], db: Db, settings: Conf
    ) -> StationOut:
        ident = parse_id(station_id, "station")
        loc = data.location
        await check_service_area(db, loc.lat, loc.lon, settings.service_area_buffer_m, "location")
        return await q.move_station(db, ident, loc.lat, loc.lon)

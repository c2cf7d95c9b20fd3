"""ORM tables, one module per concept. Every location is geography(Point, 4326) unless a comment
says why not. The schema itself is written by the Alembic migrations; a test checks these agree."""

from api.models.access import AuthSession, IdempotencyKey, PushSubscription, User
from api.models.base import Base
from api.models.city import AdminArea, MapFeature, Place, Station
from api.models.dispatching import (
    Assignment,
    Call,
    Caller,
    Incident,
    IncidentEvent,
    ResponsePlan,
    Unit,
    UnitStatusEvent,
)
from api.models.feeds import EventLog, PublicAtom, PublicCount, PublicResponse

__all__ = [
    "AdminArea",
    "Assignment",
    "AuthSession",
    "Base",
    "Call",
    "Caller",
    "EventLog",
    "IdempotencyKey",
    "Incident",
    "IncidentEvent",
    "MapFeature",
    "Place",
    "PublicAtom",
    "PublicCount",
    "PublicResponse",
    "PushSubscription",
    "ResponsePlan",
    "Station",
    "Unit",
    "UnitStatusEvent",
    "User",
]

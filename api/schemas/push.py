"""Web push subscriptions."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from api.schemas.common import clean_text


class PushKeys(Struct):
    p256dh: Annotated[str, Meta(min_length=1, max_length=200)]
    auth: Annotated[str, Meta(min_length=1, max_length=100)]


class PushSubscriptionIn(Struct, rename={"expiration_time": "expirationTime"}):
    """A browser's PushSubscription.toJSON(); unknown fields are ignored, as browsers add some."""

    endpoint: Annotated[str, Meta(min_length=1, max_length=2048)]
    keys: PushKeys
    expiration_time: int | float | None = None

    def __post_init__(self) -> None:
        clean_text(self.endpoint, "endpoint", 2048)


class PushSubscriptionOut(Struct):
    id: str
    endpoint: str
    unit_id: str


class EndpointIn(Struct, forbid_unknown_fields=True):
    endpoint: Annotated[str, Meta(min_length=1, max_length=2048)]

    def __post_init__(self) -> None:
        clean_text(self.endpoint, "endpoint", 2048)


class VapidKeyOut(Struct):
    key: str

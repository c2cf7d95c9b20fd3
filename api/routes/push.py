"""Web push: the server's VAPID key and the responders' browser subscriptions."""

from __future__ import annotations

import binascii
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from litestar import Controller, Request, delete, get, post
from litestar.params import JSONBody

from api.deps import Conf, Db, Me
from api.errors import Forbidden, Invalid, NotFound
from api.notify import b64url_decode, origin_allowed
from api.queries.push import delete_subscription, save_subscription
from api.schemas import EndpointIn, PushSubscriptionIn, PushSubscriptionOut, VapidKeyOut

RESPONDER: dict[str, Any] = {"roles": ("responder",)}


def _key(raw: str, field: str, size: int) -> None:
    try:
        decoded = b64url_decode(raw)
    except (binascii.Error, ValueError):
        raise Invalid(f"{field} must be base64url", field) from None
    if len(decoded) != size or (size == 65 and decoded[0] != 4):
        raise Invalid(f"{field} must be a {size}-byte key", field)
    if size == 65:
        try:  # a point off the curve could never encrypt a push
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), decoded)
        except ValueError:
            raise Invalid(f"{field} is not a point on the P-256 curve", field) from None


class PushController(Controller):
    path = "/api/push"
    tags = ["push"]

    @get("/vapid-public-key")
    async def vapid_public_key(self, request: Request[Any, Any, Any]) -> VapidKeyOut:
        return VapidKeyOut(key=request.app.state.vapid_public_key)

    @post("/subscriptions", opt=RESPONDER)
    async def subscribe(
        self, data: JSONBody[PushSubscriptionIn], db: Db, user: Me, settings: Conf
    ) -> PushSubscriptionOut:
        if user.unit_id is None:
            raise Forbidden("only a responder bound to a unit receives assignments")
        if not origin_allowed(data.endpoint, settings.push_allowed_origins):
            raise Invalid(
                "endpoint is not on an allowed push service "
                "(Chrome, Firefox, Apple, Microsoft or SIAGA_PUSH_ALLOWED_ORIGINS)",
                "endpoint",
            )
        _key(data.keys.p256dh, "keys.p256dh", 65)
        _key(data.keys.auth, "keys.auth", 16)
        return await save_subscription(
            db, data.endpoint, data.keys.p256dh, data.keys.auth, user.unit_id, user.id
        )

    @delete("/subscriptions", status_code=204, opt=RESPONDER)
    async def unsubscribe(self, data: JSONBody[EndpointIn], db: Db, user: Me) -> None:
        if user.unit_id is None or not await delete_subscription(db, data.endpoint, user.unit_id):
            raise NotFound("no such subscription for your unit", "endpoint")

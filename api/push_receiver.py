"""A local stand-in for a push service, for tests and demos (`siaga push-receiver`).

It is the one honest fake: it hands out real subscriptions (a P-256 key pair and an auth
secret per subscription), verifies each request's VAPID JWT signature against the key in the
request (and, when given, against the server's published key), decrypts the aes128gcm body
(RFC 8291) with the subscription's private key, records the message, and answers 201, or the
statuses it was told to answer next (404, 410, 429, 503, ...).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushRejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass
class Subscription:
    id: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    answers: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Message:
    subscription_id: str
    status: int
    payload: dict[str, Any] | None
    headers: dict[str, str]
    claims: dict[str, Any]
    at: float


def verify_vapid(header: str, audience: str, expected_key: str | None) -> dict[str, Any]:
    """Check `vapid t=<JWT>, k=<key>` (RFC 8292): ES256 signature, audience, expiry, subject."""
    if not header.lower().startswith("vapid "):
        raise PushRejected(401, "Authorization is not a vapid header")
    params = dict(p.strip().split("=", 1) for p in header[6:].split(",") if "=" in p)
    token, key = params.get("t", ""), params.get("k", "")
    if expected_key is not None and key != expected_key:
        raise PushRejected(403, "VAPID key is not the application server key subscribed with")
    try:
        head, body, signature = token.split(".")
        raw = _unb64(signature)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(key))
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
        claims: dict[str, Any] = json.loads(_unb64(body))
        header_fields = json.loads(_unb64(head))
    except (ValueError, InvalidSignature) as exc:
        raise PushRejected(401, f"bad VAPID token: {exc!r}") from exc
    if header_fields.get("alg") != "ES256":
        raise PushRejected(401, "VAPID token is not ES256")
    if claims.get("aud") != audience:
        raise PushRejected(403, f"aud {claims.get('aud')!r} is not {audience!r}")
    if not time.time() < float(claims.get("exp", 0)) <= time.time() + 24 * 3600:
        raise PushRejected(403, "exp is missing, past, or more than 24 h ahead")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
        raise PushRejected(403, "sub must be a mailto: or https: contact")
    return claims


class PushReceiver:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, expected_key: str | None = None):
        self.expected_key = expected_key
        self.subscriptions: dict[str, Subscription] = {}
        self.messages: list[Message] = []
        self._lock = threading.Condition()
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self.port = self._server.server_address[1]
        self.origin = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> PushReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def new_subscription(self) -> dict[str, Any]:
        """What a browser's PushSubscription.toJSON() would give for this push service."""
        key = ec.generate_private_key(ec.SECP256R1())
        sub = Subscription(uuid.uuid4().hex, key, os.urandom(16))
        self.subscriptions[sub.id] = sub
        point = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": f"{self.origin}/push/{sub.id}", "expirationTime": None,
                "keys": {"p256dh": _b64(point), "auth": _b64(sub.auth)}}  # fmt: skip

    def answer(self, endpoint: str, *statuses: int) -> None:
        """The next requests to this subscription get these statuses, in order; then 201."""
        self.subscriptions[endpoint.rsplit("/", 1)[-1]].answers.extend(statuses)

    def received(self, endpoint: str | None = None) -> list[Message]:
        sub_id = endpoint.rsplit("/", 1)[-1] if endpoint else None
        with self._lock:
            return [m for m in self.messages if sub_id is None or m.subscription_id == sub_id]

    def wait_for(
        self, count: int, endpoint: str | None = None, timeout: float = 20
    ) -> list[Message]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.received(endpoint)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(left)
        return self.received(endpoint)

    def _accept(self, sub_id: str, headers: dict[str, str], body: bytes) -> Message:
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            raise PushRejected(404, "no such subscription")
        claims = verify_vapid(headers.get("authorization", ""), self.origin, self.expected_key)
        if headers.get("content-encoding") != "aes128gcm":
            raise PushRejected(415, "Content-Encoding must be aes128gcm")
        if int(headers.get("ttl", "0") or 0) <= 0:
            raise PushRejected(400, "TTL must be given and positive")
        status = sub.answers.pop(0) if sub.answers else 201
        payload = None
        if status == 201:
            plain = http_ece.decrypt(body, private_key=sub.private_key, auth_secret=sub.auth,
                                     version="aes128gcm")  # fmt: skip
            payload = json.loads(plain)
        keep: dict[str, str] = {
            k: headers[k] for k in ("ttl", "urgency", "topic", "content-encoding") if k in headers
        }
        return Message(sub_id, status, payload, keep, claims, time.time())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                return

            def _reply(self, status: int, body: Any = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/messages":
                    self._reply(200, [m.__dict__ for m in receiver.received()])
                else:
                    self._reply(404, {"error": "not found"})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
                if self.path == "/subscriptions":
                    self._reply(201, receiver.new_subscription())
                    return
                if not self.path.startswith("/push/"):
                    self._reply(404, {"error": "not found"})
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    message = receiver._accept(self.path.split("/")[2], headers, body)
                except PushRejected as exc:
                    self._reply(exc.status, {"error": str(exc)})
                    return
                with receiver._lock:
                    receiver.messages.append(message)
                    receiver._lock.notify_all()
                self._reply(message.status)

        return Handler


def serve_forever(port: int, settings: Any) -> None:
    """`siaga push-receiver`: print each decrypted push as it arrives."""
    from api.notify import load_vapid, public_key

    receiver = PushReceiver(port=port, expected_key=public_key(load_vapid(settings))).start()
    print(f"push receiver on {receiver.origin}; POST /subscriptions for a subscription, "
          "GET /messages for what arrived")  # fmt: skip
    seen = 0
    try:
        while True:
            messages = receiver.wait_for(seen + 1, timeout=3600)
            for message in messages[seen:]:
                print(json.dumps({"status": message.status, "headers": message.headers,
                                  "payload": message.payload}, ensure_ascii=False), flush=True)  # fmt: skip
            seen = len(messages)
    except KeyboardInterrupt:
        receiver.stop()

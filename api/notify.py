"""Web push: VAPID keys, the allowed push services, assignment payloads, and one send."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid02
from pywebpush import WebPusher

from api.settings import Settings

MAX_PAYLOAD = 3000


class PushConfigError(RuntimeError):
    """No VAPID key: run `siaga vapid` or set SIAGA_VAPID_PRIVATE_KEY."""


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def ensure_vapid_file(path: Path) -> bool:
    """Create the deployment's key pair once; True when it was created now."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    vapid = Vapid02()
    vapid.generate_keys()
    vapid.save_key(str(path))
    path.chmod(0o600)
    return True


def load_vapid(settings: Settings) -> Vapid02:
    if settings.vapid_private_key:
        key = settings.vapid_private_key.strip()
        if key.startswith("-----BEGIN"):
            return Vapid02.from_pem(key.encode())
        return Vapid02.from_string(key)
    if settings.vapid_key_file.exists():
        return Vapid02.from_file(str(settings.vapid_key_file))
    raise PushConfigError(
        f"no VAPID key at {settings.vapid_key_file}: run `siaga vapid` "
        "or set SIAGA_VAPID_PRIVATE_KEY"
    )


def public_key(vapid: Vapid02) -> str:
    """The application server key browsers subscribe with: the uncompressed P-256 point."""
    return b64url(vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def origin_allowed(endpoint: str, allowed: tuple[str, ...]) -> bool:
    """Exact scheme and host; `*.host` matches subdomains; an entry without a port (for
    http://127.0.0.1 in tests) matches any port of that host."""
    parts = urlsplit(endpoint)
    if parts.scheme not in {"https", "http"} or not parts.hostname or parts.username:
        return False
    for origin in allowed:
        want = urlsplit(origin)
        host = want.hostname or ""
        if want.scheme != parts.scheme:
            continue
        if want.port is not None and want.port != (parts.port or _default_port(parts.scheme)):
            continue
        if host.startswith("*."):
            if parts.hostname.endswith(host[1:]):
                return True
        elif parts.hostname == host:
            return True
    return False


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def topic(assignment_id: str) -> str:
    """At most 32 URL-safe characters: a re-send replaces the alert rather than stacking it."""
    return assignment_id.replace("-", "")[:32]


def assignment_payload(assignment: dict[str, Any], incident: dict[str, Any]) -> bytes:
    geocode = incident.get("geocode") or {}
    label = geocode.get("label") or incident.get("address") or "lokasi belum pasti"
    body = {
        "type": "assignment",
        "assignment_id": assignment["id"],
        "incident_id": incident["id"],
        "number": incident["number"],
        "category": incident["category"],
        "label": label[:120],
        "kelurahan": geocode.get("kelurahan"),
        "distance_m": assignment.get("distance_m"),
        "url": f"/#/assignments/{assignment['id']}",
    }
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    if len(data) > MAX_PAYLOAD:  # never expected: every field is bounded above
        raise ValueError(f"push payload of {len(data)} bytes is over {MAX_PAYLOAD}")
    return data


@dataclass(frozen=True)
class Outcome:
    status: int
    retry_after_s: float | None = None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        return self.status in {404, 410}

    @property
    def retryable(self) -> bool:
        return self.status == 429 or self.status >= 500 or self.status == 0


async def send(
    http: aiohttp.ClientSession,
    vapid: Vapid02,
    subject: str,
    subscription: dict[str, Any],
    payload: bytes,
    topic_id: str,
    ttl_s: int,
) -> Outcome:
    """One signed, aes128gcm-encrypted push. Network failures come back as status 0."""
    parts = urlsplit(subscription["endpoint"])
    claims = {"sub": subject, "aud": f"{parts.scheme}://{parts.netloc}"}
    headers = {**vapid.sign(claims), "Urgency": "high", "Topic": topic_id}
    try:
        response = await WebPusher(subscription, aiohttp_session=http).send_async(
            payload, headers, ttl=ttl_s, content_encoding="aes128gcm", timeout=10
        )
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Outcome(status=0, error=str(exc) or type(exc).__name__)
    except (
        Exception
    ) as exc:  # keys that cannot encrypt (ValueError, bad base64, ...): no retry helps
        return Outcome(status=400, error=f"cannot encrypt for this subscription: {exc!r}")
    status = int(response.status)
    retry_after = response.headers.get("Retry-After")
    return Outcome(status=status, retry_after_s=_seconds(retry_after))


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None

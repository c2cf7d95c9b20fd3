"""Typed settings, read once from SIAGA_* environment variables.

This is the only module that reads ``os.environ``; everything else receives a ``Settings``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "postgresql+asyncpg://siaga:siaga@127.0.0.1:5432/siaga"
ROOT = Path(__file__).resolve().parent.parent

# The push services of Chrome (FCM), Firefox (Mozilla autopush), Safari (Apple) and Edge (WNS).
# A subscription endpoint comes from a user, so only these (and what a deployment adds) are
# ever sent to: the server must not be made to POST to arbitrary hosts.
DEFAULT_PUSH_ORIGINS = (
    "https://fcm.googleapis.com",
    "https://android.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://web.push.apple.com",
    "https://*.notify.windows.com",
)


class SettingsError(ValueError):
    """A SIAGA_* variable has a value the service cannot run with."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if not 0 < value < 86400:
        raise SettingsError(f"{name} must be between 0 and 86400, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    extra = [o.strip().rstrip("/") for o in env.get("SIAGA_PUSH_ALLOWED_ORIGINS", "").split(",")]
    for origin in extra:
        if origin and not origin.startswith(("https://", "http://")):
            raise SettingsError(f"SIAGA_PUSH_ALLOWED_ORIGINS: {origin!r} is not an http(s) origin")
    return DEFAULT_PUSH_ORIGINS + tuple(o for o in extra if o)


def _subject(env: Mapping[str, str]) -> str:
    """Apple refuses a VAPID subject that is not mailto: or https:, or that names localhost."""
    subject = env.get("SIAGA_VAPID_SUBJECT") or "mailto:siaga112@example.org"
    if not subject.startswith(("mailto:", "https://")) or "localhost" in subject:
        raise SettingsError(
            f"SIAGA_VAPID_SUBJECT must be a mailto: or https: contact (not localhost), got {subject!r}"
        )
    return subject


def asyncpg_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs from operators and use the asyncpg driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8112
    # A unit's own reported position is trusted for dispatch while it is this fresh;
    # older than this, the unit is ranked from its station.
    position_fresh_s: int = 600
    # Calls count towards a caller's flag over this window.
    caller_window_days: int = 30
    repeat_threshold: int = 3
    suspect_threshold: int = 3
    # A new call lists open incidents this near and this recent as likely duplicates.
    duplicate_radius_m: int = 500
    duplicate_window_s: int = 3600
    # Locations farther than this from the city boundary are refused as outside the service area.
    service_area_buffer_m: int = 20000
    session_ttl_s: int = 12 * 3600
    max_body_bytes: int = 64 * 1024
    timezone: str = "Asia/Jakarta"
    demo_password: str | None = None
    cookie_secure: bool = False
    data_dir: Path = field(default_factory=lambda: ROOT / "data")
    # VAPID: the private key itself (PEM or base64url), or a file that holds it; `siaga vapid`
    # creates the file once per deployment. It is never in the repository.
    vapid_private_key: str | None = None
    vapid_key_file: Path = field(default_factory=lambda: ROOT / "var" / "vapid-private.pem")
    vapid_subject: str = "mailto:siaga112@example.org"
    push_allowed_origins: tuple[str, ...] = DEFAULT_PUSH_ORIGINS
    push_ttl_s: int = 600
    push_max_attempts: int = 5
    push_backoff_s: float = 2.0
    # An assignment not accepted in this time is pushed again; after a second window it times out.
    ack_timeout_s: float = 60
    auto_redispatch: bool = True
    # Run the job queue's worker inside the API process (one process serves and delivers).
    run_worker: bool = True
    # How long the live feed keeps events for a reconnecting client (Last-Event-ID).
    events_keep_s: int = 3600
    # The public page: no published count below k; incidents count only once this old;
    # fixed hexagons of this edge (metres); requests per client per minute.
    public_min_count: int = 5
    public_delay_h: int = 24
    public_cell_m: int = 400
    public_rate_per_min: int = 120

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            database_url=asyncpg_url(env.get("SIAGA_DATABASE_URL") or DEFAULT_DATABASE_URL),
            host=env.get("SIAGA_HOST") or "127.0.0.1",
            port=_int(env, "SIAGA_PORT", 8112, minimum=1),
            position_fresh_s=_int(env, "SIAGA_POSITION_FRESH_S", 600, minimum=1),
            caller_window_days=_int(env, "SIAGA_CALLER_WINDOW_DAYS", 30, minimum=1),
            repeat_threshold=_int(env, "SIAGA_REPEAT_THRESHOLD", 3, minimum=1),
            suspect_threshold=_int(env, "SIAGA_SUSPECT_THRESHOLD", 3, minimum=1),
            duplicate_radius_m=_int(env, "SIAGA_DUPLICATE_RADIUS_M", 500, minimum=1),
            duplicate_window_s=_int(env, "SIAGA_DUPLICATE_WINDOW_S", 3600, minimum=1),
            service_area_buffer_m=_int(env, "SIAGA_SERVICE_AREA_BUFFER_M", 20000),
            session_ttl_s=_int(env, "SIAGA_SESSION_TTL_S", 12 * 3600, minimum=60),
            max_body_bytes=_int(env, "SIAGA_MAX_BODY_BYTES", 64 * 1024, minimum=1024),
            timezone=env.get("SIAGA_TIMEZONE") or "Asia/Jakarta",
            demo_password=env.get("SIAGA_DEMO_PASSWORD") or None,
            cookie_secure=_bool(env, "SIAGA_COOKIE_SECURE", False),
            vapid_private_key=env.get("SIAGA_VAPID_PRIVATE_KEY") or None,
            vapid_key_file=Path(env["SIAGA_VAPID_KEY_FILE"])
            if env.get("SIAGA_VAPID_KEY_FILE")
            else ROOT / "var" / "vapid-private.pem",
            vapid_subject=_subject(env),
            push_allowed_origins=_origins(env),
            push_ttl_s=_int(env, "SIAGA_PUSH_TTL_S", 600, minimum=1),
            push_max_attempts=_int(env, "SIAGA_PUSH_MAX_ATTEMPTS", 5, minimum=1),
            push_backoff_s=_float(env, "SIAGA_PUSH_BACKOFF_S", 2.0),
            ack_timeout_s=_float(env, "SIAGA_ACK_TIMEOUT_S", 60),
            auto_redispatch=_bool(env, "SIAGA_AUTO_REDISPATCH", True),
            run_worker=_bool(env, "SIAGA_RUN_WORKER", True),
            events_keep_s=_int(env, "SIAGA_EVENTS_KEEP_S", 3600, minimum=60),
            public_min_count=_int(env, "SIAGA_PUBLIC_MIN_COUNT", 5, minimum=2),
            public_delay_h=_int(env, "SIAGA_PUBLIC_DELAY_H", 24, minimum=0),
            public_cell_m=_int(env, "SIAGA_PUBLIC_CELL_M", 400, minimum=100),
            public_rate_per_min=_int(env, "SIAGA_PUBLIC_RATE_PER_MIN", 120, minimum=1),
        )

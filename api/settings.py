"""Typed settings, read once from SIAGA_* environment variables.

This is the only module that reads ``os.environ``; everything else receives a ``Settings``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "postgresql+asyncpg://siaga:siaga@127.0.0.1:5432/siaga"


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


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


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
    data_dir: Path = field(default_factory=lambda: Path(__file__).resolve().parent.parent / "data")

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
        )

"""Strict JSON bodies.

Litestar converts a decoded body to the handler's type with msgspec in lax mode, which turns the
string "3.3" into the float 3.3. A coordinate typed as a string is a client mistake, so every
JSON body is first decoded strictly against the handler's declared type; any mismatch is a 422
that names the field, before the handler runs.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException

_PATH = re.compile(r" - at `\$\.?([^`]*)`")


def _key(message: str) -> str | None:
    found = _PATH.search(message)
    return found.group(1) if found and found.group(1) else None


async def strict_json_body(request: Request[Any, Any, Any]) -> None:
    field = request.route_handler.parsed_fn_signature.parameters.get("data")
    if field is None or request.method not in {"POST", "PUT", "PATCH"}:
        return
    body = await request.body()
    if not body:
        return
    try:
        msgspec.json.decode(body, type=field.annotation, strict=True)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        message = str(exc)
        # ValidationError subclasses DecodeError: a plain DecodeError is malformed JSON.
        malformed = not isinstance(exc, msgspec.ValidationError)
        if malformed and "out of range" not in message:
            return  # Litestar answers malformed JSON with a 400 as usual
        key = _key(message)
        if "Number out of range" in message:  # 1e999: JSON allows it, a float cannot hold it
            message = f"must be a finite number ({message})"
        detail = f"{key}: {message}" if key else message
        raise ValidationException(detail=detail, extra=[{"key": key, "message": message}]) from exc

"""Domain errors and the one table that maps them to HTTP answers."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class Invalid(DomainError):
    status_code = 422


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Unauthorized(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


def _body(status: int, detail: str, extra: list[dict[str, Any]]) -> Response[dict[str, Any]]:
    return Response({"status_code": status, "detail": detail, "extra": extra}, status_code=status)


def domain_error_handler(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    extra = [{"key": exc.field, "message": exc.detail}] if exc.field else []
    return _body(exc.status_code, exc.detail, extra)


def validation_handler(
    _: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    """An invalid body or query is a 422 (API.md), with msgspec's message naming the field."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    messages = [_named(item) for item in extra if isinstance(item, dict)]
    detail = "; ".join(m for m in messages if m) or str(exc.detail)
    return _body(HTTP_422_UNPROCESSABLE_ENTITY, detail, extra)


def _named(item: dict[str, Any]) -> str:
    """A message that names its field, so `detail` alone tells the client what to fix."""
    key, message = item.get("key"), str(item.get("message", ""))
    return f"{key}: {message}" if key and not message.startswith(f"{key}:") else message


def auth_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    return _body(exc.status_code, str(exc.detail), [])


EXCEPTION_HANDLERS: dict[type[Exception], Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_handler,
    NotAuthorizedException: auth_handler,
    PermissionDeniedException: auth_handler,
}

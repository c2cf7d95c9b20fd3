"""Who is calling: bearer token or session cookie, and the role guard every route declares."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.errors import Forbidden, Unauthorized
from api.queries.users import CurrentUser, user_for_token

COOKIE = "siaga_session"
STAFF = ("dispatcher", "supervisor", "admin")


def token_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return connection.cookies.get(COOKIE) or None


async def role_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Routes name their roles in `opt={"roles": (...)}`; admin may do what a dispatcher may."""
    roles: tuple[str, ...] | None = handler.opt.get("roles")
    if roles is None:
        return
    token = token_of(connection)
    if token is None:
        raise Unauthorized("log in first: no bearer token or session cookie")
    sessionmaker: async_sessionmaker[AsyncSession] = connection.app.state.sessionmaker
    async with sessionmaker() as session:
        user = await user_for_token(session, token)
    if user is None:
        raise Unauthorized("the session has expired or the token is not valid")
    if roles and user.role not in roles and user.role != "admin":
        raise Forbidden(f"this needs the role {' or '.join(roles)}; you are {user.role}")
    connection.state.user = user


def provide_user(request: Request[Any, Any, Any]) -> CurrentUser:
    user: CurrentUser = request.state.user
    return user

"""Log-in, log-out, who am I."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import JSONBody

from api.auth import COOKIE, token_of
from api.deps import Conf, Db, Me
from api.errors import Unauthorized
from api.queries.users import check_password, close_session, open_session
from api.schemas import LoginIn, LoginOut, UserOut

ANY_ROLE: dict[str, Any] = {"roles": ()}


def user_out(user: Me) -> UserOut:
    return UserOut(
        id=str(user.id),
        username=user.username,
        role=user.role,
        unit_id=str(user.unit_id) if user.unit_id else None,
    )


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", status_code=200)
    async def login(self, data: JSONBody[LoginIn], db: Db, settings: Conf) -> Response[LoginOut]:
        user = await check_password(db, data.username, data.password)
        if user is None:
            raise Unauthorized("wrong username or password")
        token = await open_session(db, user.id, settings.session_ttl_s)
        cookie = Cookie(
            key=COOKIE,
            value=token,
            httponly=True,
            samesite="lax",
            secure=settings.cookie_secure,
            max_age=settings.session_ttl_s,
            path="/",
        )
        return Response(LoginOut(token=token, user=user_out(user)), cookies=[cookie])

    @post("/logout", status_code=204, opt=ANY_ROLE)
    async def logout(self, request: Request[Any, Any, Any], db: Db) -> Response[None]:
        token = token_of(request)
        if token:
            await close_session(db, token)
        response: Response[None] = Response(None, status_code=204)
        response.delete_cookie(COOKIE, path="/")
        return response

    @get("/me", opt=ANY_ROLE)
    async def me(self, user: Me) -> UserOut:
        return user_out(user)

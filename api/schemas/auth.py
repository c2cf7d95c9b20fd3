"""Log-in."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from api.schemas.common import clean_text


class LoginIn(Struct, forbid_unknown_fields=True):
    username: Annotated[str, Meta(min_length=1, max_length=60)]
    password: Annotated[str, Meta(min_length=1, max_length=200)]

    def __post_init__(self) -> None:
        clean_text(self.username, "username", 60)


class UserOut(Struct):
    id: str
    username: str
    role: str
    unit_id: str | None


class LoginOut(Struct):
    token: str
    user: UserOut

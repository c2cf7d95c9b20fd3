"""The names route handlers take their dependencies by (see create_app)."""

from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from api.queries.users import CurrentUser
from api.settings import Settings

Db: TypeAlias = NamedDependency[AsyncSession]
Conf: TypeAlias = NamedDependency[Settings]
Me: TypeAlias = NamedDependency[CurrentUser]

"""Geocoding and reverse geocoding, the same machinery incidents use."""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, get
from litestar.params import FromQuery

from api.deps import Conf, Db
from api.errors import Invalid
from api.queries.areas import check_service_area, reverse_area
from api.queries.geocode import geocode
from api.schemas import GeocodePage, ReverseOut, clean_text
from geo.coords import CoordinateError, validate_lat_lon

DISPATCHER: dict[str, Any] = {"roles": ("dispatcher", "supervisor")}


class PlaceController(Controller):
    path = "/api"
    tags = ["places"]

    @get("/geocode", opt=DISPATCHER)
    async def geocode(self, db: Db, settings: Conf, q: FromQuery[str]) -> GeocodePage:
        try:
            clean_text(q, "q", 500)
        except ValueError as exc:
            raise Invalid(str(exc), "q") from exc
        if not q.strip():
            raise Invalid("q must not be empty", "q")
        try:
            items = await geocode(db, q)
        except CoordinateError as exc:
            raise Invalid(f"q: {exc}", "q") from exc
        if len(items) == 1 and items[0].kind == "coordinates":
            point = items[0]
            buffer = settings.service_area_buffer_m
            await check_service_area(db, point.lat, point.lon, buffer, "q")
        return GeocodePage(items=items)

    @get("/reverse", opt=DISPATCHER)
    async def reverse(self, db: Db, lat: FromQuery[str], lon: FromQuery[str]) -> ReverseOut:
        try:
            flat, flon = validate_lat_lon(_number(lat, "lat"), _number(lon, "lon"), "lat/lon")
        except CoordinateError as exc:
            raise Invalid(str(exc), exc.field) from exc
        names = await reverse_area(db, flat, flon)
        parts = [f"{prefix}{name}" for prefix, name in (("Kel. ", names.kelurahan),
                 ("Kec. ", names.kecamatan), ("", names.kota)) if name]  # fmt: skip
        label = ", ".join(parts) if parts else f"{flat:.6f}, {flon:.6f} (outside the known areas)"
        return ReverseOut(
            kelurahan=names.kelurahan, kecamatan=names.kecamatan, kota=names.kota, label=label
        )


# Plain decimal only: Python's float() would also take "3_3", full-width digits and "nan".
_DECIMAL = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")


def _number(raw: str, field: str) -> float:
    if not _DECIMAL.fullmatch(raw.strip()):
        raise Invalid(f"{field} must be a finite decimal number, got {raw!r}", field)
    return float(raw)

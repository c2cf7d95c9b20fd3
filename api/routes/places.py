"""Geocoding and reverse geocoding, the same machinery incidents use."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.params import FromQuery

from api.deps import Db
from api.errors import Invalid
from api.queries.areas import reverse_area
from api.queries.geocode import geocode
from api.schemas import GeocodePage, ReverseOut, clean_text
from geo.coords import CoordinateError, validate_lat_lon

DISPATCHER: dict[str, Any] = {"roles": ("dispatcher", "supervisor")}


class PlaceController(Controller):
    path = "/api"
    tags = ["places"]

    @get("/geocode", opt=DISPATCHER)
    async def geocode(self, db: Db, q: FromQuery[str]) -> GeocodePage:
        try:
            clean_text(q, "q", 500)
        except ValueError as exc:
            raise Invalid(str(exc), "q") from exc
        if not q.strip():
            raise Invalid("q must not be empty", "q")
        try:
            return GeocodePage(items=await geocode(db, q))
        except CoordinateError as exc:
            raise Invalid(str(exc), "q") from exc

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


def _number(raw: str, field: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise Invalid(f"{field} must be a number, got {raw!r}", field) from None

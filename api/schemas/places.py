"""Geocoding answers."""

from __future__ import annotations

from msgspec import Struct


class GeocodeCandidate(Struct):
    label: str
    lat: float
    lon: float
    kind: str
    source: str
    confidence: float
    kelurahan: str | None
    kecamatan: str | None


class GeocodePage(Struct):
    items: list[GeocodeCandidate]


class ReverseOut(Struct):
    kelurahan: str | None
    kecamatan: str | None
    kota: str | None
    label: str

"""Readers for the city's boundary and facility files. They return plain records (WKT in
EPSG:4326, lon/lat) and know nothing of the database."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import MultiLineString, MultiPolygon, Point, shape
from shapely.validation import make_valid


@dataclass(frozen=True)
class AreaRecord:
    code: str
    name: str
    level: str
    parent_code: str | None
    wkt: str


@dataclass(frozen=True)
class FacilityRecord:
    name: str
    kind: str
    lat: float
    lon: float
    source: str


@dataclass(frozen=True)
class SeedRecord:
    name: str
    type: str
    address: str
    note: str
    source_url: str


def _multipolygon(geometry: dict[str, object]) -> MultiPolygon:
    geom = shape(geometry)
    if not geom.is_valid:
        geom = make_valid(geom)
    if geom.geom_type == "Polygon":
        geom = MultiPolygon([geom])
    if geom.geom_type == "GeometryCollection":
        geom = MultiPolygon([g for g in geom.geoms if g.geom_type == "Polygon"])
    if not isinstance(geom, MultiPolygon):
        raise ValueError(f"expected polygons, got {geom.geom_type}")
    return geom


def read_areas(path: Path) -> list[AreaRecord]:
    data = json.loads(path.read_text(encoding="utf-8"))
    records = []
    for feature in data["features"]:
        props = feature["properties"]
        level = props["level"]
        parent = {"kota": None, "kecamatan": props.get("kode_kota"),
                  "kelurahan": props.get("kode_kecamatan")}[level]  # fmt: skip
        records.append(
            AreaRecord(
                code=props["kode"],
                name=props["nama"],
                level=level,
                parent_code=parent,
                wkt=_multipolygon(feature["geometry"]).wkt,
            )
        )
    return records


# RBI REMARK values to place kinds.
FACILITY_KIND = {"Rumah Sakit Umum": "hospital", "Puskesmas/Puskesmas Pembantu": "puskesmas"}


def read_facilities(path: Path, source: str) -> list[FacilityRecord]:
    data = json.loads(path.read_text(encoding="utf-8"))
    records = []
    for feature in data["features"]:
        props = feature["properties"]
        point = shape(feature["geometry"])
        if not isinstance(point, Point):
            raise ValueError(f"{props.get('NAMOBJ')}: expected a point")
        name = str(props["NAMOBJ"]).strip()
        kind = FACILITY_KIND.get(str(props.get("REMARK")), "facility")
        if name.lower().startswith("posyandu"):
            kind = "posyandu"
        # GeoJSON is [lon, lat]: x is the longitude.
        records.append(FacilityRecord(name, kind, lat=point.y, lon=point.x, source=source))
    return records


def read_seed(path: Path) -> list[SeedRecord]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            SeedRecord(
                name=row["name"],
                type=row["type"],
                address=row["address_as_published"],
                note=row["note"],
                source_url=row["source_url"],
            )
            for row in csv.DictReader(handle)
        ]


@dataclass(frozen=True)
class LineRecord:
    name: str | None
    klass: str | None
    wkt: str


def read_lines(path: Path) -> list[LineRecord]:
    """RBI line layers (roads: REMARK is the function class; rivers: NAMOBJ the name)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    records = []
    for feature in data["features"]:
        props = feature.get("properties") or {}
        geom = shape(feature["geometry"])
        if geom.geom_type == "LineString":
            geom = MultiLineString([geom])
        if not isinstance(geom, MultiLineString) or geom.is_empty:
            continue
        records.append(
            LineRecord(props.get("NAMOBJ") or None, props.get("REMARK") or None, geom.wkt)
        )
    return records

"""Loading the demo city: Tebing Tinggi's areas and facilities, and optionally demo units and
users. Idempotent: running it again updates what is there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.queries.units import add_status_event
from api.queries.users import upsert_user
from geo import sql
from geo.importers import read_areas, read_facilities, read_lines, read_seed
from geo.text import normalize_place_text

CITY_DIR = "tebing-tinggi"
RBI = "BIG RBI 1:50.000"


@dataclass(frozen=True)
class Fallback:
    """Where a station with no published coordinate is put until an admin moves it."""

    seed_name: str
    station: str
    kind: str
    area_code: str
    why: str


FALLBACKS = (
    Fallback("Dinas Pemadam Kebakaran dan Penyelamatan Kota Tebing Tinggi (kantor)",
             "Damkar Kota Tebing Tinggi", "fire", "12.76",
             "no published coordinate; point on the surface of the kota, which it serves"),
    Fallback("Polres Tebing Tinggi", "Polres Tebing Tinggi", "police", "12.76.05",
             "no published coordinate; point on the surface of Kec. Tebing Tinggi Kota"),
    Fallback("Polsek Padang Hulu", "Polsek Padang Hulu", "police", "12.76.01",
             "no published coordinate; point on the surface of the kecamatan it serves"),
    Fallback("Polsek Rambutan", "Polsek Rambutan", "police", "12.76.02",
             "no published coordinate; point on the surface of the kecamatan it serves"),
    Fallback("Polsek Padang Hilir", "Polsek Padang Hilir", "police", "12.76.03",
             "no published coordinate; point on the surface of the kecamatan it serves"),
)  # fmt: skip

# Demo fleet: (callsign, kind, station name).
DEMO_UNITS = (
    ("DAMKAR-1", "fire", "Damkar Kota Tebing Tinggi"),
    ("DAMKAR-2", "fire", "Damkar Kota Tebing Tinggi"),
    ("DAMKAR-3", "fire", "Damkar Kota Tebing Tinggi"),
    ("POLRES-1", "police", "Polres Tebing Tinggi"),
    ("POLRES-2", "police", "Polres Tebing Tinggi"),
    ("POLRES-3", "police", "Polres Tebing Tinggi"),
    ("POLSEK-PHU-1", "police", "Polsek Padang Hulu"),
    ("POLSEK-RBT-1", "police", "Polsek Rambutan"),
    ("POLSEK-PHI-1", "police", "Polsek Padang Hilir"),
    ("AMB-RSUD-1", "ambulance", "RSUD DR. H. Kumpulan Pane Pasarbaru"),
    ("AMB-RSUD-2", "ambulance", "RSUD DR. H. Kumpulan Pane Pasarbaru"),
    ("AMB-SRIPAMELA-1", "ambulance", "Rumah Sakit Sri Pamela Sripadang"),
    ("AMB-PRIMA-1", "ambulance", "RSU Prima Indonesia Tebingtinggilama"),
    ("AMB-BEROHOL-1", "ambulance", "Puskesmas Berohol"),
)
DEMO_STAFF = (("admin", "admin"), ("supervisor", "supervisor"), ("dispatcher", "dispatcher"))


async def load_areas(session: AsyncSession, city: Path) -> int:
    files = ("kota_tebing_tinggi_dissolved", "kecamatan_tebing_tinggi_dissolved",
             "kelurahan_tebing_tinggi")  # fmt: skip
    count = 0
    for name in files:  # parents first, for the foreign key
        for area in read_areas(city / f"{name}.geojson"):
            await session.execute(
                text(
                    """INSERT INTO admin_areas (code, name, name_norm, level, parent_code, geom, centre)
                    VALUES (:code, :name, :norm, :level, :parent,
                            ST_GeomFromText(:wkt, 4326),
                            ST_PointOnSurface(ST_GeomFromText(:wkt, 4326))::geography)
                    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
                        name_norm = EXCLUDED.name_norm, level = EXCLUDED.level,
                        parent_code = EXCLUDED.parent_code, geom = EXCLUDED.geom,
                        centre = EXCLUDED.centre"""
                ),
                {"code": area.code, "name": area.name, "norm": normalize_place_text(area.name),
                 "level": area.level, "parent": area.parent_code, "wkt": area.wkt},
            )  # fmt: skip
            count += 1
    return count


async def _upsert_place(
    session: AsyncSession,
    name: str,
    kind: str,
    location_sql: str,
    params: dict[str, object],
    approximate: bool,
    source: str,
) -> uuid.UUID:
    row = await session.execute(
        text(
            f"""INSERT INTO places (name, name_norm, kind, location, approximate, source)
            VALUES (:name, :norm, :kind, {location_sql}, :approx, :source)
            ON CONFLICT (name, kind) DO UPDATE SET name_norm = EXCLUDED.name_norm,
                location = CASE WHEN places.approximate THEN EXCLUDED.location
                                ELSE places.location END,
                source = EXCLUDED.source
            RETURNING id"""
        ),
        {"name": name, "norm": normalize_place_text(name), "kind": kind, "approx": approximate,
         "source": source, **params},
    )  # fmt: skip
    return uuid.UUID(str(row.scalar_one()))


async def _upsert_station(
    session: AsyncSession,
    name: str,
    kind: str,
    place_id: uuid.UUID,
    approximate: bool,
    note: str | None,
) -> None:
    # An admin's correction (approximate = false) survives a re-import.
    await session.execute(
        text(
            """INSERT INTO stations (name, kind, location, approximate, note, place_id)
            SELECT :name, :kind, p.location, :approx, :note, p.id FROM places p WHERE p.id = :place
            ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note,
                place_id = EXCLUDED.place_id,
                location = CASE WHEN stations.approximate OR NOT EXCLUDED.approximate
                                THEN EXCLUDED.location ELSE stations.location END"""
        ),
        {"name": name, "kind": kind, "approx": approximate, "note": note, "place": place_id},
    )


async def load_lines(session: AsyncSession, city: Path) -> int:
    """Roads and rivers of the base map, replaced whole on each import."""
    await session.execute(text("DELETE FROM map_features"))
    count = 0
    for layer, file in (("roads", "jalan_ln_50k"), ("rivers", "sungai_ln_50k")):
        for line in read_lines(city / f"{file}.geojson"):
            await session.execute(
                text(
                    "INSERT INTO map_features (layer, name, class, geom) "
                    "VALUES (:layer, :name, :klass, ST_GeomFromText(:wkt, 4326))"
                ),
                {"layer": layer, "name": line.name, "klass": line.klass, "wkt": line.wkt},
            )
            count += 1
    return count


async def load_facilities(session: AsyncSession, city: Path) -> int:
    count = 0
    for file in ("rumahsakit_pt_50k", "puskesmas_pt_50k"):
        for fac in read_facilities(city / f"{file}.geojson", RBI):
            place = await _upsert_place(
                session,
                fac.name,
                fac.kind,
                sql.point(),
                {"lat": fac.lat, "lon": fac.lon},
                False,
                fac.source,
            )
            await _upsert_station(session, fac.name, "ambulance", place, False, f"{RBI} point")
            count += 1
    seeds = {s.name: s for s in read_seed(city / "tebingtinggi_facilities_seed.csv")}
    for fb in FALLBACKS:
        seed = seeds[fb.seed_name]
        kind = "fire_station" if fb.kind == "fire" else "police"
        location = "(SELECT ST_PointOnSurface(geom)::geography FROM admin_areas WHERE code = :code)"
        place = await _upsert_place(
            session,
            fb.station,
            kind,
            location,
            {"code": fb.area_code},
            True,
            f"{seed.source_url} (location approximate: {fb.why})",
        )
        await _upsert_station(session, fb.station, fb.kind, place, True, fb.why)
        count += 1
    return count


async def load_demo_fleet(session: AsyncSession, password: str) -> int:
    for callsign, kind, station in DEMO_UNITS:
        row = await session.execute(
            text(
                """INSERT INTO units (callsign, kind, station_id)
                SELECT :callsign, :kind, s.id FROM stations s WHERE s.name = :station
                ON CONFLICT (callsign) DO UPDATE SET station_id = EXCLUDED.station_id
                RETURNING id, (xmax = 0) AS inserted"""
            ),
            {"callsign": callsign, "kind": kind, "station": station},
        )
        unit = row.one()
        if unit.inserted:
            await add_status_event(session, unit.id, "available", "import", "demo unit")
        await upsert_user(session, callsign.lower(), password, "responder", unit.id, demo=True)
    for username, role in DEMO_STAFF:
        await upsert_user(session, username, password, role, demo=True)
    return len(DEMO_UNITS)

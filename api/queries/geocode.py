"""Geocoding in PostGIS: coordinates, plus codes, then fuzzy names with pg_trgm."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.queries.areas import reverse_area
from api.schemas import GeocodeCandidate
from geo import sql
from geo.coords import parse_coordinates, parse_plus_code
from geo.text import normalize_place_text, strip_admin_words

# An area's point stands for a whole kelurahan or kecamatan, so a perfect name match there is
# still a coarse place; these weights keep a named landmark ahead of the area it lies in.
AREA_WEIGHT = {"kelurahan": 0.7, "kecamatan": 0.5}
MIN_SCORE = 0.35

# word_similarity scores how well the query matches a run of words inside a longer name, which
# suits "rsud kumpulan pane" against "rsud dr h kumpulan pane pasarbaru"; the % and <% operators
# let the trigram GIN indexes narrow the rows first.
PLACES = text(
    f"""
    SELECT p.name AS label, p.kind, {sql.lat_lon("p.location")},
           greatest(similarity(p.name_norm, :q), word_similarity(:q, p.name_norm)) AS score,
           kel.name AS kelurahan, kec.name AS kecamatan
    FROM places p
    LEFT JOIN admin_areas kel ON kel.level = 'kelurahan' AND ST_Covers(kel.geom, p.location::geometry)
    LEFT JOIN admin_areas kec ON kec.level = 'kecamatan' AND ST_Covers(kec.geom, p.location::geometry)
    -- A station placed at a documented fallback is not a landmark: its point is a guess.
    WHERE NOT p.approximate AND (p.name_norm % :q OR :q <% p.name_norm)
    ORDER BY score DESC, p.name
    LIMIT :limit
    """
)
AREAS = text(
    f"""
    SELECT a.name AS label, a.level AS kind, {sql.lat_lon("a.centre")},
           greatest(similarity(a.name_norm, :q), word_similarity(:q, a.name_norm)) AS score,
           CASE WHEN a.level = 'kelurahan' THEN a.name END AS kelurahan,
           coalesce(parent.name, CASE WHEN a.level = 'kecamatan' THEN a.name END) AS kecamatan
    FROM admin_areas a
    LEFT JOIN admin_areas parent ON parent.code = a.parent_code AND parent.level = 'kecamatan'
    WHERE a.level IN ('kelurahan', 'kecamatan') AND (a.name_norm % :q OR :q <% a.name_norm)
    ORDER BY score DESC
    LIMIT :limit
    """
)
CITY_CENTRE = text(f"SELECT {sql.lat_lon('centre')} FROM admin_areas WHERE level = 'kota' LIMIT 1")


async def _point_candidate(
    session: AsyncSession, lat: float, lon: float, source: str, label: str
) -> GeocodeCandidate:
    names = await reverse_area(session, lat, lon)
    return GeocodeCandidate(
        label=label,
        lat=lat,
        lon=lon,
        kind="coordinates",
        source=source,
        confidence=1.0,
        kelurahan=names.kelurahan,
        kecamatan=names.kecamatan,
    )


async def geocode(session: AsyncSession, q: str, limit: int = 8) -> list[GeocodeCandidate]:
    """Candidates for free text, best first. Raises CoordinateError for coordinates that are
    recognisably coordinates but impossible (latitude 91)."""
    position = parse_coordinates(q)
    if position is not None:
        label = f"{position.lat:.6f}, {position.lon:.6f}"
        return [
            await _point_candidate(
                session, position.lat, position.lon, position.source or "", label
            )
        ]
    centre = (await session.execute(CITY_CENTRE)).first()
    code = parse_plus_code(q, centre.lat if centre else None, centre.lon if centre else None)
    if code is not None:
        return [await _point_candidate(session, code.lat, code.lon, "plus_code", q.strip())]
    return await _fuzzy(session, q, limit)


async def _fuzzy(session: AsyncSession, q: str, limit: int) -> list[GeocodeCandidate]:
    """Match the whole text and, for "dekat Masjid Raya, Kel. Bandar Utama", each comma-separated
    part, keeping each place's best score."""
    parts = [q, *(p for p in q.split(",") if p.strip())] if "," in q else [q]
    best: dict[tuple[str, str], GeocodeCandidate] = {}
    for part in parts:
        for candidate in await _fuzzy_part(session, part, limit):
            key = (candidate.kind, candidate.label)
            if key not in best or best[key].confidence < candidate.confidence:
                best[key] = candidate
    found = sorted(best.values(), key=lambda c: (-c.confidence, c.label))
    return found[:limit]


async def _fuzzy_part(session: AsyncSession, q: str, limit: int) -> list[GeocodeCandidate]:
    norm = normalize_place_text(q)
    if len(norm) < 3:
        return []
    found: list[GeocodeCandidate] = []
    for row in (await session.execute(PLACES, {"q": norm, "limit": limit})).all():
        found.append(_candidate(row, row.kind, "place", float(row.score)))
    area_q = strip_admin_words(norm)
    # "Kel. X" / "Kec. X" says which kind of area is meant: take it at its word.
    hinted = norm.split()[0] if norm.split()[0] in AREA_WEIGHT else None
    for row in (await session.execute(AREAS, {"q": area_q, "limit": limit})).all():
        weight = 1.0 if row.kind == hinted else AREA_WEIGHT[row.kind]
        found.append(_candidate(row, row.kind, row.kind, float(row.score) * weight))
    found = [c for c in found if c.confidence >= MIN_SCORE]
    found.sort(key=lambda c: (-c.confidence, c.label))
    return found[:limit]


def _candidate(row: object, kind: str, source: str, score: float) -> GeocodeCandidate:
    return GeocodeCandidate(
        label=row.label,  # type: ignore[attr-defined]
        lat=row.lat,  # type: ignore[attr-defined]
        lon=row.lon,  # type: ignore[attr-defined]
        kind=kind,
        source=source,
        confidence=round(min(score, 1.0), 3),
        kelurahan=row.kelurahan,  # type: ignore[attr-defined]
        kecamatan=row.kecamatan,  # type: ignore[attr-defined]
    )

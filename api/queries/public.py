"""What the public may see: counts that cannot single out a victim.

Privacy rules, all enforced here:
1. Only closed incidents that were not cancelled, and only once they are SIAGA_PUBLIC_DELAY_H
   old, enter the summary; the summary is rebuilt by a job, never read from raw rows on request.
2. The finest unit that is ever published is an *atom*: the count of incidents in one fixed
   hexagon (ST_HexagonGrid in EPSG:3857, anchored at the projection's origin, so nobody can shift
   a cell to isolate a point) x one category x one WIB calendar month. An atom is published only
   if it holds at least k (SIAGA_PUBLIC_MIN_COUNT) incidents.
3. Every coarser answer (all categories, several months, a lower zoom) is a *sum of published
   atoms*, never recounted from incidents. A lower zoom groups atoms by integer division of
   their hexagon indices, so coarse cells are exact unions of fine ones.
So the difference between any two answers is a signed sum of published atoms: for nested
queries (a longer period, more categories) each cell differs by 0 or by at least k, and no
subtraction reaches a single incident. Points, addresses, descriptions, names and numbers are
never selected into anything public.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Zoom bands to how many atoms per side make one published cell.
ZOOM_FACTORS = ((15, 1), (13, 2), (0, 4))

ELIGIBLE = """
    SELECT i.id, i.category, i.kecamatan_code, i.created_at, i.location,
           to_char(i.created_at AT TIME ZONE :tz, 'YYYY-MM') AS month
    FROM incidents i
    WHERE i.status = 'closed' AND i.created_at < now() - make_interval(hours => :delay)
"""

REFRESH = [
    "DELETE FROM public_atoms",
    "DELETE FROM public_counts",
    "DELETE FROM public_response",
    f"""INSERT INTO public_atoms (cell_i, cell_j, category, month, count)
    SELECT cell_i, cell_j, category, month, count(*) FROM (
        SELECT DISTINCT ON (e.id) e.id, e.category, e.month, h.i AS cell_i, h.j AS cell_j
        FROM ({ELIGIBLE}) e,
             LATERAL ST_HexagonGrid(:size, ST_Expand(ST_Transform(e.location::geometry, 3857), :size)) h
        WHERE e.location IS NOT NULL
          AND ST_Intersects(h.geom, ST_Transform(e.location::geometry, 3857))
        ORDER BY e.id, h.i, h.j) placed
    GROUP BY 1, 2, 3, 4""",
    f"""INSERT INTO public_counts (kind, key, month, count)
    SELECT 'category', category, month, count(*) FROM ({ELIGIBLE}) e GROUP BY 2, 3
    UNION ALL
    SELECT 'kecamatan', coalesce(k.name, '-'), e.month, count(*) FROM ({ELIGIBLE}) e
        LEFT JOIN admin_areas k ON k.code = e.kecamatan_code GROUP BY 2, 3
    UNION ALL
    SELECT 'verdict', coalesce(verdict, 'untriaged'),
           to_char(received_at AT TIME ZONE :tz, 'YYYY-MM'), count(*)
        FROM calls WHERE received_at < now() - make_interval(hours => :delay) GROUP BY 2, 3""",
    f"""INSERT INTO public_response (month, answer_to_dispatch_s, dispatch_to_scene_s)
    SELECT e.month, extract(epoch FROM min(a.sent_at) - min(c.received_at)),
           extract(epoch FROM min(a.on_scene_at) - min(a.sent_at))
    FROM ({ELIGIBLE}) e JOIN assignments a ON a.incident_id = e.id
    LEFT JOIN incidents i ON i.id = e.id LEFT JOIN calls c ON c.id = i.call_id
    GROUP BY e.id, e.month""",
]


async def refresh_public(session: AsyncSession, tz: str, delay_h: int, cell_m: int) -> int:
    params = {"tz": tz, "delay": delay_h, "size": cell_m}
    for statement in REFRESH:
        await session.execute(text(statement), params)
    atoms = await session.execute(text("SELECT coalesce(sum(count), 0) FROM public_atoms"))
    return int(atoms.scalar_one())


def factor(zoom: int) -> int:
    return next(f for z, f in ZOOM_FACTORS if zoom >= z)


async def heatmap(
    session: AsyncSession, m1: str, m2: str, category: str | None, zoom: int, k: int, cell_m: int
) -> dict[str, Any]:
    f = factor(zoom)
    rows = await session.execute(
        text(
            """WITH published AS (
                SELECT cell_i, cell_j, count FROM public_atoms
                WHERE count >= :k AND month >= :m1 AND month <= :m2
                  AND (CAST(:category AS text) IS NULL OR category = :category)
            )
            SELECT floor(p.cell_i::numeric / :f)::int AS gi, floor(p.cell_j::numeric / :f)::int AS gj,
                   sum(p.count)::int AS count,
                   ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_Union(DISTINCT
                                   ST_Hexagon(:size, p.cell_i, p.cell_j)), 3857),
                                             4326), 6)::json AS geometry
            FROM published p GROUP BY 1, 2 ORDER BY 1, 2"""
        ),
        {"k": k, "m1": m1, "m2": m2, "category": category, "f": f, "size": cell_m},
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": r.geometry,
             "properties": {"cell": f"z{f}:{r.gi}:{r.gj}", "count": r.count}}
            for r in rows
        ],
        "k": k,
    }  # fmt: skip


async def public_stats(session: AsyncSession, m1: str, m2: str, k: int) -> dict[str, Any]:
    counts = await session.execute(
        text(
            """SELECT kind, key, sum(count)::int AS n FROM public_counts
            WHERE month >= :m1 AND month <= :m2 GROUP BY 1, 2 ORDER BY 1, 2"""
        ),
        {"m1": m1, "m2": m2},
    )
    by: dict[str, dict[str, int]] = {"verdict": {}, "category": {}, "kecamatan": {}}
    for row in counts:
        by[row.kind][row.key] = row.n
    triaged = sum(n for v, n in by["verdict"].items() if v != "untriaged")
    valid = by["verdict"].get("emergency", 0) + by["verdict"].get("duplicate", 0)
    medians = (
        await session.execute(
            text(
                """SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY answer_to_dispatch_s) AS a,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY dispatch_to_scene_s) AS d,
                       count(*) AS n
                FROM public_response WHERE month >= :m1 AND month <= :m2"""
            ),
            {"m1": m1, "m2": m2},
        )
    ).one()
    enough = medians.n >= k  # a median of fewer than k incidents could describe one of them
    return {
        "calls_total": sum(by["verdict"].values()),
        "by_verdict": by["verdict"],
        "valid_share": round(valid / triaged, 4) if triaged else None,
        # Small groups are left out, as on the map: a category or kecamatan of 1 could be a person.
        "incidents_by_category": {c: n for c, n in by["category"].items() if n >= k},
        "incidents_by_kecamatan": {c: n for c, n in by["kecamatan"].items() if n >= k},
        "median_response_s": {
            "answer_to_dispatch": round(medians.a, 1) if enough and medians.a is not None else None,
            "dispatch_to_scene": round(medians.d, 1) if enough and medians.d is not None else None,
        },
    }


def month_of(value: datetime, tz: str) -> str:
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m")

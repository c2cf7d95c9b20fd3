"""The supervisor's figures: calls by day and verdict, the valid share, repeat callers, response
times overall and per kecamatan; and CSV exports. Days are WIB days."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# A call is valid when it reported a real emergency, first-hand or about one already open.
VALID = ("emergency", "duplicate")

WINDOW = "received_at >= :since AND received_at < :until"


def mask(number: str) -> str:
    """+6281234567890 -> +62812****7890: enough to spot a pattern, not to call back."""
    return number[:6] + "*" * max(0, len(number) - 10) + number[-4:] if len(number) > 10 else "****"


async def call_stats(
    session: AsyncSession, since: datetime, until: datetime, tz: str, reveal: bool
) -> dict[str, Any]:
    params = {"since": since, "until": until, "tz": tz}
    days = await session.execute(
        text(
            f"""SELECT to_char(received_at AT TIME ZONE :tz, 'YYYY-MM-DD') AS day,
                   coalesce(verdict, 'untriaged') AS verdict, count(*) AS n
            FROM calls WHERE {WINDOW} GROUP BY 1, 2 ORDER BY 1, 2"""
        ),
        params,
    )
    per_day: dict[str, dict[str, int]] = {}
    by_verdict: dict[str, int] = {}
    for row in days:
        per_day.setdefault(row.day, {})[row.verdict] = int(row.n)
        by_verdict[row.verdict] = by_verdict.get(row.verdict, 0) + int(row.n)
    triaged = sum(n for v, n in by_verdict.items() if v != "untriaged")
    valid = sum(by_verdict.get(v, 0) for v in VALID)
    repeaters = await session.execute(
        text(
            f"""SELECT caller_number AS number, count(*) AS calls,
                   count(*) FILTER (WHERE verdict = 'prank') AS pranks
            FROM calls WHERE {WINDOW} AND caller_number IS NOT NULL
            GROUP BY 1 HAVING count(*) >= 2 ORDER BY 2 DESC, 1 LIMIT 10"""
        ),
        params,
    )
    return {
        "calls_total": sum(by_verdict.values()),
        "by_verdict": by_verdict,
        "per_day": [{"day": d, "by_verdict": v} for d, v in per_day.items()],
        "valid_share": round(valid / triaged, 4) if triaged else None,
        "top_repeat_numbers": [
            {
                "number": r.number if reveal else mask(r.number),
                "calls": int(r.calls),
                "pranks": int(r.pranks),
            }
            for r in repeaters
        ],
    }


RESPONSE_TIMES = text(
    """WITH first_dispatch AS (
        SELECT i.id, i.kecamatan_code, min(a.sent_at) AS sent_at,
               min(a.on_scene_at) AS on_scene_at, c.received_at
        FROM incidents i JOIN assignments a ON a.incident_id = i.id
        LEFT JOIN calls c ON c.id = i.call_id
        WHERE i.created_at >= :since AND i.created_at < :until
        GROUP BY i.id, i.kecamatan_code, c.received_at)
    SELECT coalesce(k.name, '-') AS kecamatan, count(*) AS incidents,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.sent_at - f.received_at))
            FILTER (WHERE f.received_at IS NOT NULL) AS answer_to_dispatch_s,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.on_scene_at - f.sent_at))
            FILTER (WHERE f.on_scene_at IS NOT NULL) AS dispatch_to_scene_s
    FROM first_dispatch f LEFT JOIN admin_areas k ON k.code = f.kecamatan_code
    GROUP BY ROLLUP (coalesce(k.name, '-')) ORDER BY 1 NULLS FIRST"""
)


async def response_stats(session: AsyncSession, since: datetime, until: datetime) -> dict[str, Any]:
    rows = list(await session.execute(RESPONSE_TIMES, {"since": since, "until": until}))

    def fig(row: Any) -> dict[str, Any]:
        def secs(v: Any) -> float | None:
            return round(float(v), 1) if v is not None else None

        return {"incidents": int(row.incidents), "answer_to_dispatch_s": secs(row.answer_to_dispatch_s),
                "dispatch_to_scene_s": secs(row.dispatch_to_scene_s)}  # fmt: skip

    overall = next((fig(r) for r in rows if r.kecamatan is None), None)
    return {
        "median_response": overall
        or {"incidents": 0, "answer_to_dispatch_s": None, "dispatch_to_scene_s": None},
        "per_kecamatan": [{"kecamatan": r.kecamatan, **fig(r)} for r in rows if r.kecamatan],
    }


CSV_CALLS = text(
    f"""SELECT c.id, to_char(c.received_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI:SS') AS received_wib,
        c.caller_number, c.caller_imei, c.verdict, ST_Y(c.location::geometry) AS lat,
        ST_X(c.location::geometry) AS lon, i.number AS incident
    FROM calls c LEFT JOIN incidents i ON i.id = c.incident_id
    WHERE c.{WINDOW} ORDER BY c.received_at"""
)
CSV_INCIDENTS = text(
    """SELECT i.number, to_char(i.created_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI:SS') AS created_wib,
        i.category, i.status, kel.name AS kelurahan, kec.name AS kecamatan,
        ST_Y(i.location::geometry) AS lat, ST_X(i.location::geometry) AS lon,
        to_char(i.closed_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI:SS') AS closed_wib, i.outcome
    FROM incidents i
    LEFT JOIN admin_areas kel ON kel.code = i.kelurahan_code
    LEFT JOIN admin_areas kec ON kec.code = i.kecamatan_code
    WHERE i.created_at >= :since AND i.created_at < :until ORDER BY i.created_at"""
)


async def export_rows(
    session: AsyncSession, what: str, since: datetime, until: datetime, tz: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    query = CSV_CALLS if what == "calls" else CSV_INCIDENTS
    result = await session.execute(query, {"since": since, "until": until, "tz": tz})
    return list(result.keys()), [tuple(r) for r in result]

"""Calls: every one stored, whatever its verdict; caller history; likely duplicates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api import dispatch
from api.errors import Conflict, Invalid, NotFound
from api.events import touch
from api.queries.timeline import add_event
from api.schemas import (
    CallerHistoryOut,
    CallerHistoryPage,
    CallOut,
    DuplicateCandidateOut,
    LocationOut,
)
from api.settings import Settings
from geo import sql


@dataclass(frozen=True)
class CallRules:
    window_days: int
    repeat_at: int
    suspect_at: int
    duplicate_radius_m: int
    duplicate_window_s: int

    @classmethod
    def from_settings(cls, settings: Settings) -> CallRules:
        return cls(
            window_days=settings.caller_window_days,
            repeat_at=settings.repeat_threshold,
            suspect_at=settings.suspect_threshold,
            duplicate_radius_m=settings.duplicate_radius_m,
            duplicate_window_s=settings.duplicate_window_s,
        )


@dataclass(frozen=True)
class NewCall:
    received_at: datetime | None
    number: str | None
    imei: str | None
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    location_source: str | None
    aml: str | None
    notes: str | None


async def upsert_caller(
    session: AsyncSession, number: str | None, imei: str | None, at: datetime | None
) -> uuid.UUID | None:
    """A caller is known by number, or by IMEI when the phone has no SIM."""
    if number is None and imei is None:
        return None
    key = "number" if number is not None else "imei"
    row = await session.execute(
        text(
            f"""INSERT INTO callers ({key}, first_call_at, last_call_at)
            VALUES (:v, coalesce(CAST(:at AS timestamptz), now()),
                    coalesce(CAST(:at AS timestamptz), now()))
            ON CONFLICT ({key}) DO UPDATE
                SET last_call_at = greatest(callers.last_call_at, EXCLUDED.last_call_at)
            RETURNING id"""
        ),
        {"v": number if number is not None else imei, "at": at},
    )
    return uuid.UUID(str(row.scalar_one()))


async def insert_call(session: AsyncSession, call: NewCall, user_id: uuid.UUID) -> uuid.UUID:
    caller_id = await upsert_caller(session, call.number, call.imei, call.received_at)
    location = sql.point() if call.lat is not None else "NULL"
    row = await session.execute(
        text(
            f"""INSERT INTO calls (received_at, caller_id, caller_number, caller_imei, location,
                accuracy_m, location_source, aml, notes, created_by)
            VALUES (coalesce(CAST(:received_at AS timestamptz), now()), :caller_id, :number,
                :imei, {location}, :accuracy_m, :source, :aml, :notes, :user_id)
            RETURNING id"""
        ),
        {
            "received_at": call.received_at,
            "caller_id": caller_id,
            "number": call.number,
            "imei": call.imei,
            "lat": call.lat,
            "lon": call.lon,
            "accuracy_m": call.accuracy_m,
            "source": call.location_source,
            "aml": call.aml,
            "notes": call.notes,
            "user_id": user_id,
        },
    )
    call_id = uuid.UUID(str(row.scalar_one()))
    touch(session, "call", call_id)
    return call_id


HISTORY = text(
    """SELECT coalesce(verdict, 'untriaged') AS verdict, count(*) AS n, max(received_at) AS last
    FROM calls WHERE caller_id = :caller
      AND received_at > now() - make_interval(days => :days)
    GROUP BY 1"""
)


async def caller_history(
    session: AsyncSession, caller_id: uuid.UUID | None, rules: CallRules
) -> tuple[CallerHistoryOut, datetime | None]:
    if caller_id is None:
        return CallerHistoryOut(calls=1, by_verdict={}, flag="none"), None
    rows = (await session.execute(HISTORY, {"caller": caller_id, "days": rules.window_days})).all()
    by_verdict = {r.verdict: int(r.n) for r in rows}
    last = max((r.last for r in rows), default=None)
    flag = dispatch.caller_flag(by_verdict, repeat_at=rules.repeat_at, suspect_at=rules.suspect_at)
    return CallerHistoryOut(calls=sum(by_verdict.values()), by_verdict=by_verdict, flag=flag), last


async def number_history(session: AsyncSession, number: str, rules: CallRules) -> CallerHistoryPage:
    row = (
        await session.execute(text("SELECT id FROM callers WHERE number = :n"), {"n": number})
    ).first()
    history, last = await caller_history(session, row.id if row else None, rules)
    if row is None:
        history = CallerHistoryOut(calls=0, by_verdict={}, flag="none")
    return CallerHistoryPage(
        number=number,
        calls=history.calls,
        by_verdict=history.by_verdict,
        last_call_at=last,
        flag=history.flag,
    )


# Open incidents near the call and recent: the caller may be the tenth person reporting the
# same fire. KNN-friendly ST_DWithin on geography uses the GiST index.
DUPLICATES = text(
    f"""SELECT i.id, i.number, i.category,
           {sql.distance_m("i.location", "c.location")} AS distance_m,
           extract(epoch FROM c.received_at - i.created_at)::int AS age_s
    FROM calls c JOIN incidents i
      ON ST_DWithin(i.location, c.location, :radius)
     AND i.status NOT IN ('closed', 'cancelled')
     AND i.created_at > c.received_at - make_interval(secs => :window)
    WHERE c.id = :call ORDER BY distance_m LIMIT 5"""
)


async def duplicate_candidates(
    session: AsyncSession, call_id: uuid.UUID, rules: CallRules
) -> list[DuplicateCandidateOut]:
    rows = await session.execute(
        DUPLICATES,
        {"call": call_id, "radius": rules.duplicate_radius_m, "window": rules.duplicate_window_s},
    )
    return [
        DuplicateCandidateOut(
            incident_id=str(r.id),
            number=r.number,
            category=r.category,
            distance_m=round(float(r.distance_m), 1),
            age_s=max(0, int(r.age_s)),
        )
        for r in rows
    ]


CALL_COLUMNS = f"c.*, {sql.lat_lon('c.location')}"


async def call_out(session: AsyncSession, row: Any, rules: CallRules) -> CallOut:
    history, _ = await caller_history(session, row.caller_id, rules)
    open_call = row.verdict is None and row.lat is not None
    return CallOut(
        id=str(row.id),
        received_at=row.received_at,
        caller_number=row.caller_number,
        caller_imei=row.caller_imei,
        location=LocationOut(row.lat, row.lon, row.accuracy_m, row.location_source)
        if row.lat is not None
        else None,
        verdict=row.verdict,
        incident_id=str(row.incident_id) if row.incident_id else None,
        notes=row.notes,
        triaged_at=row.triaged_at,
        caller_history=history,
        duplicate_candidates=await duplicate_candidates(session, row.id, rules)
        if open_call
        else [],
    )


async def get_call_row(session: AsyncSession, call_id: uuid.UUID, lock: bool = False) -> Any:
    row = (
        await session.execute(
            text(
                f"SELECT {CALL_COLUMNS} FROM calls c WHERE c.id = :id"
                + (" FOR UPDATE" if lock else "")
            ),
            {"id": call_id},
        )
    ).first()
    if row is None:
        raise NotFound(f"call {call_id} not found", "call_id")
    return row


NOT_AN_EMERGENCY = frozenset({"prank", "silent", "non_emergency", "wrong_number", "test"})


async def check_call_for_incident(session: AsyncSession, call_id: uuid.UUID) -> Any:
    """A call becomes at most one incident, and only if it was not triaged as a non-emergency."""
    call = await get_call_row(session, call_id, lock=True)
    if call.incident_id is not None:
        raise Conflict(f"call {call_id} already belongs to incident {call.incident_id}", "call_id")
    if call.verdict in NOT_AN_EMERGENCY:
        raise Conflict(
            f"call {call_id} was triaged {call.verdict}; triage it emergency first", "call_id"
        )
    return call


async def link_call(
    session: AsyncSession, call_id: uuid.UUID, incident_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """An untriaged call that becomes an incident is, by that act, triaged an emergency."""
    await session.execute(
        text(
            """UPDATE calls SET incident_id = :incident,
                verdict = coalesce(verdict, 'emergency'),
                triaged_at = coalesce(triaged_at, now()),
                triaged_by = coalesce(triaged_by, :user)
            WHERE id = :call"""
        ),
        {"incident": incident_id, "call": call_id, "user": user_id},
    )
    touch(session, "call", call_id)


async def triage_call(
    session: AsyncSession,
    call_id: uuid.UUID,
    verdict: str,
    incident_id: uuid.UUID | None,
    notes: str | None,
    user_id: uuid.UUID,
    actor: str,
) -> None:
    """A verdict may be corrected later (a 'silent' call that rings back as a fire); each
    triage of a call linked to an incident is written to that incident's timeline."""
    await get_call_row(session, call_id, lock=True)
    if incident_id is not None:
        found = (
            await session.execute(
                text("SELECT status FROM incidents WHERE id = :id"), {"id": incident_id}
            )
        ).first()
        if found is None:
            raise Invalid(f"incident {incident_id} does not exist", "incident_id")
        if found.status in {"closed", "cancelled"}:
            raise Conflict(f"incident {incident_id} is {found.status}, not open", "incident_id")
    await session.execute(
        text(
            """UPDATE calls SET verdict = :v, triaged_at = now(), triaged_by = :u,
                incident_id = coalesce(CAST(:i AS uuid), incident_id),
                notes = coalesce(:n, notes)
            WHERE id = :id"""
        ),
        {"v": verdict, "u": user_id, "i": incident_id, "n": notes, "id": call_id},
    )
    touch(session, "call", call_id)
    if incident_id is not None:
        await add_event(session, incident_id, f"call_{verdict}", actor, {"call_id": str(call_id)})


async def list_calls(
    session: AsyncSession,
    verdict: str | None,
    since: datetime | None,
    until: datetime | None,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Any]:
    """Newest first, keyset-paginated on (received_at, id). verdict 'untriaged' lists the queue."""
    rows = await session.execute(
        text(
            f"""SELECT {CALL_COLUMNS} FROM calls c
            WHERE (CAST(:verdict AS text) IS NULL
                   OR (:verdict = 'untriaged' AND c.verdict IS NULL) OR c.verdict = :verdict)
              AND (CAST(:since AS timestamptz) IS NULL OR c.received_at >= :since)
              AND (CAST(:until AS timestamptz) IS NULL OR c.received_at < :until)
              AND (CAST(:b_at AS timestamptz) IS NULL OR (c.received_at, c.id) < (:b_at, :b_id))
            ORDER BY c.received_at DESC, c.id DESC LIMIT :limit"""
        ),
        {
            "verdict": verdict,
            "since": since,
            "until": until,
            "b_at": before[0] if before else None,
            "b_id": before[1] if before else None,
            "limit": limit,
        },
    )
    return list(rows)

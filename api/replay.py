"""`siaga replay FILE`: a real call log through the HTTP API, every pick checked by an oracle.

Each row becomes a call (at the row's real coordinates), triaged `emergency`, and an incident
whose category is mapped from the row's type. Before each incident the available units are read
back from the API; an independent oracle (pyproj.Geod on the WGS 84 ellipsoid, brute force over
those units) names the nearest unit of each kind in the plan, and the server's pick must match
within 1 m. Incidents stay open for a few rows, so units are busy and availability matters.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import random
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pyproj import Geod

from api.settings import Settings

GEOD = Geod(ellps="WGS84")
TIE_M = 1.0
OPEN_WINDOW = 4
PLAN = {"fire": ["fire"], "medical": ["ambulance"], "security": ["police"],
        "accident": ["police", "ambulance"], "disaster": ["fire", "police", "ambulance"],
        "other": ["police"]}  # fmt: skip
FLEET = {"fire": 5, "police": 7, "ambulance": 7}

# Sumenep's incident types (its own routing table names the lead agency) to our categories.
SUMENEP_CATEGORY = {
    "KEBAKARAN": "fire",
    "EVAKUASI HEWAN LIAR/BUAS": "fire",  # routed to PEMADAM KEBAKARAN in the source table
    "POHON TUMBANG": "fire",  # routed to PEMADAM KEBAKARAN
    "PERMINTAAN AMBULAN": "medical",
    "KECELAKAAN LALU LINTAS": "accident",
    "KECELAKAAN KERJA": "accident",
    "KECELAKAAN LAUT": "accident",
    "ODGJ": "security",
    "KEAMANAN DAN KETERTIBAN": "security",
    "KRIMINALITAS": "security",
    "BANJIR": "disaster",
    "BENCANA ALAM": "disaster",
    "GIAT EVAKUASI": "disaster",
    "TIANG LISTRIK RUBUH": "other",
}
# Montgomery County titles are "<Category>: <type>".
MONTGOMERY_CATEGORY = {"EMS": "medical", "Fire": "fire", "Traffic": "accident"}


@dataclass(frozen=True)
class Row:
    lat: float
    lon: float
    category: str
    kind_label: str


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = set(reader.fieldnames or [])
        rows = []
        for raw in reader:
            if "kejadian" in fields:
                label = raw["kejadian"].strip()
                category = next((c for k, c in SUMENEP_CATEGORY.items() if label.startswith(k)),
                                "other")  # fmt: skip
            elif "title" in fields:
                label = raw["title"].strip()
                category = MONTGOMERY_CATEGORY.get(label.split(":")[0].strip(), "other")
            else:
                raise ValueError(f"{path}: neither a Sumenep nor a Montgomery call log")
            rows.append(Row(float(raw["lat"]), float(raw["lng"]), category, label))
    return rows


def place_fleet(rows: list[Row], seed: int = 112) -> list[dict[str, Any]]:
    """Units spread deterministically over the data's own extent."""
    rng = random.Random(seed)
    lats = sorted(r.lat for r in rows)
    lons = sorted(r.lon for r in rows)
    # The 5th..95th percentile box keeps a few far islands from stretching the fleet thin.
    lo, hi = len(rows) // 20, len(rows) - 1 - len(rows) // 20
    fleet = []
    for kind, count in FLEET.items():
        for n in range(count):
            lat = rng.uniform(lats[lo], lats[hi])
            lon = rng.uniform(lons[lo], lons[hi])
            fleet.append({"callsign": f"R-{kind.upper()}-{n + 1}", "kind": kind,
                          "location": {"lat": lat, "lon": lon}})  # fmt: skip
    return fleet


def oracle(row: Row, units: list[dict[str, Any]]) -> dict[str, list[tuple[float, str]]]:
    """For each kind of the plan, every available unit with its ellipsoidal distance, nearest
    first. Units report positions freshly in a replay, so a unit's position is its location."""
    out: dict[str, list[tuple[float, str]]] = {}
    for kind in PLAN[row.category]:
        ranked = []
        for unit in units:
            if unit["kind"] == kind and unit["location"] is not None:
                _, _, dist = GEOD.inv(
                    unit["location"]["lon"], unit["location"]["lat"], row.lon, row.lat
                )
                ranked.append((dist, unit["id"]))
        out[kind] = sorted(ranked)
    return out


def check_picks(row: Row, expected: dict[str, list[tuple[float, str]]], assignments: list[dict[str, Any]],
                units: dict[str, dict[str, Any]]) -> list[str]:  # fmt: skip
    problems = []
    picked_by_kind: dict[str, list[str]] = {}
    for a in assignments:
        picked_by_kind.setdefault(units[a["unit_id"]]["kind"], []).append(a["unit_id"])
    for kind, ranked in expected.items():
        picked = picked_by_kind.get(kind, [])
        if not ranked:
            if picked:
                problems.append(f"{kind}: server picked {picked} but none was available")
            continue
        if len(picked) != 1:
            problems.append(f"{kind}: server picked {len(picked)} units, expected 1")
            continue
        best = ranked[0][0]
        mine = next((d for d, uid in ranked if uid == picked[0]), None)
        if mine is None or mine > best + TIE_M:
            problems.append(f"{kind}: picked {units[picked[0]]['callsign']} at {mine} m, "
                            f"nearest is {best:.1f} m")  # fmt: skip
    return problems


class Replayer:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json() if response.content else None

    def run(self, rows: list[Row]) -> dict[str, float]:
        for unit in place_fleet(rows):
            self.call("POST", "/api/units", json=unit)
        picks = mismatches = 0
        open_incidents: list[str] = []
        started = time.perf_counter()
        for n, row in enumerate(rows):
            call = self.call("POST", "/api/calls", json={"location": {"lat": row.lat, "lon": row.lon},
                                                          "notes": row.kind_label})  # fmt: skip
            self.call("POST", f"/api/calls/{call['id']}/triage", json={"verdict": "emergency"})
            available = self.call("GET", "/api/units", params={"status": "available"})["items"]
            expected = oracle(row, available)
            incident = self.call("POST", "/api/incidents", json={
                "call_id": call["id"], "category": row.category, "description": row.kind_label})  # fmt: skip
            all_units = {u["id"]: u for u in self.call("GET", "/api/units")["items"]}
            problems = check_picks(row, expected, incident["assignments"], all_units)
            picks += len(incident["assignments"])
            if problems:
                mismatches += len(problems)
                print(f"row {n + 1} ({row.lat}, {row.lon}) {row.category}: " + "; ".join(problems))
            open_incidents.append(incident["id"])
            if len(open_incidents) > OPEN_WINDOW:
                self.close(open_incidents.pop(0))
        for incident_id in open_incidents:
            self.close(incident_id)
        elapsed = time.perf_counter() - started
        return {"rows": len(rows), "picks": picks, "mismatches": mismatches,
                "calls_per_s": len(rows) / elapsed if elapsed else 0.0}  # fmt: skip

    def close(self, incident_id: str) -> None:
        self.call("POST", f"/api/incidents/{incident_id}/close", json={"outcome": "replayed"})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class ScratchServer:
    url: str
    password: str


@contextlib.contextmanager
def _scratch(settings: Settings) -> Iterator[ScratchServer]:
    """A fresh database with no city loaded (so any coordinates are in the service area) and an
    API server of its own on a free loopback port."""
    import uvicorn
    from sqlalchemy.engine import make_url

    from api.app import create_app
    from api.db import make_engine, make_sessionmaker, migrate, recreate_database, with_database
    from api.notify import ensure_vapid_file
    from api.queries.users import upsert_user

    url = with_database(settings.database_url, f"{make_url(settings.database_url).database}_replay")
    asyncio.run(recreate_database(url))
    migrate(url)
    password = secrets.token_urlsafe(12)

    async def add_admin() -> None:
        engine = make_engine(url)
        async with make_sessionmaker(engine)() as session, session.begin():
            await upsert_user(session, "admin", password, "admin")
        await engine.dispose()

    asyncio.run(add_admin())
    port = _free_port()
    # Pushes are not part of a replay: no worker, and a throw-away VAPID key.
    key_file = Path(tempfile.mkdtemp(prefix="siaga-replay-")) / "vapid.pem"
    ensure_vapid_file(key_file)
    scratch = Settings(database_url=url, run_worker=False, vapid_key_file=key_file)
    config = uvicorn.Config(create_app(scratch), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the scratch API server did not start; see the log above")
        time.sleep(0.05)
    try:
        yield ScratchServer(f"http://127.0.0.1:{port}", password)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def run_replay(settings: Settings, file: Path, url: str | None, username: str,
               password: str | None, limit: int | None) -> int:  # fmt: skip
    rows = read_rows(file)[:limit]
    with contextlib.ExitStack() as stack:
        if url is None:
            server = stack.enter_context(_scratch(settings))
            url, password = server.url, server.password
        if not password:
            print("replay: --password (or SIAGA_REPLAY_PASSWORD) is needed with --url")
            return 2
        client = stack.enter_context(httpx.Client(base_url=url, timeout=30))
        token = client.post("/api/auth/login", json={"username": username, "password": password})
        token.raise_for_status()
        client.headers["authorization"] = f"Bearer {token.json()['token']}"
        result = Replayer(client).run(rows)
    print(f"file: {file.name}")
    print(f"rows: {result['rows']:.0f}")
    print(f"picks: {result['picks']:.0f}")
    print(f"mismatches: {result['mismatches']:.0f}")
    print(f"calls per second: {result['calls_per_s']:.1f}")
    return 0 if result["mismatches"] == 0 else 1

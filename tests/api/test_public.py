"""The public heatmap and figures: nothing that can single out a victim."""

import dataclasses
import itertools
import random
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from points import RSUD
from pyproj import Geod
from sqlalchemy import text

from api.app import create_app
from api.queries.public import refresh_public

GEOD = Geod(ellps="WGS84")
FAR = (3.2950, 99.1350)  # Padang Hulu, kilometres from RSUD
PRIVATE_KEYS = {"location", "address", "description", "caller_number", "caller_imei", "lat", "lon",
                "name", "label", "notes", "outcome", "id", "incident_id"}  # fmt: skip


async def closed_incident(
    api, at, category="fire", days_ago=2, description="rumah pak budi"
) -> str:
    lon, lat, _ = GEOD.fwd(at[1], at[0], random.uniform(0, 360), random.uniform(0, 20))
    made = await api.ok("POST", "/api/incidents", json={
        "category": category, "description": description, "address": "Jl. Sutomo No. 12",
        "location": {"lat": lat, "lon": lon}, "auto_dispatch": False})  # fmt: skip
    await api.ok("POST", f"/api/incidents/{made['id']}/close", json={"outcome": "selesai"})
    async with api.maker() as session, session.begin():
        await session.execute(
            text(
                "UPDATE incidents SET created_at = now() - make_interval(days => :d) WHERE id = :i"
            ),
            {"d": days_ago, "i": made["id"]},
        )
    return str(made["id"])


async def refresh(api, settings) -> None:
    async with api.maker() as session, session.begin():
        await refresh_public(
            session, settings.timezone, settings.public_delay_h, settings.public_cell_m
        )


async def heatmap(api, **params: Any) -> dict[str, Any]:
    response = await api.request("GET", "/api/public/heatmap", who="", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def cells(answer: dict[str, Any]) -> dict[str, int]:
    return {f["properties"]["cell"]: f["properties"]["count"] for f in answer["features"]}


async def test_k_minus_one_is_hidden_k_is_shown_and_an_isolated_incident_never(
    api, settings
) -> None:
    random.seed(112)
    k = settings.public_min_count
    await closed_incident(api, FAR)
    for _ in range(k - 1):
        await closed_incident(api, RSUD)
    await refresh(api, settings)
    for zoom in (10, 13, 16):
        assert (await heatmap(api, zoom=zoom))["features"] == []
    await closed_incident(api, RSUD)
    await refresh(api, settings)
    shown = await heatmap(api, zoom=16)
    assert [f["properties"]["count"] for f in shown["features"]] == [k]
    for zoom in (10, 13):  # coarser cells are sums of published atoms: the lone one stays out
        assert sum(cells(await heatmap(api, zoom=zoom)).values()) == k


async def test_a_fresh_incident_waits_for_the_delay(api, settings) -> None:
    random.seed(7)
    for _ in range(settings.public_min_count):
        await closed_incident(api, RSUD, days_ago=0)
    await refresh(api, settings)
    assert (await heatmap(api, zoom=16))["features"] == []


async def test_no_public_answer_carries_a_private_field(api, settings) -> None:
    random.seed(3)
    for _ in range(6):
        await closed_incident(api, RSUD, description="korban: Siti, 0812-3456-7890")
    call = await api.ok("POST", "/api/calls", json={"caller_number": "081234567890"})
    await api.ok("POST", f"/api/calls/{call['id']}/triage", json={"verdict": "prank"})
    await refresh(api, settings)
    answers = [await heatmap(api, zoom=z) for z in (10, 13, 16)]
    answers.append((await api.request("GET", "/api/public/stats", who="")).json())
    secrets = ("Siti", "0812", "+62812", "Sutomo", "pak budi", "selesai")

    def walk(node: Any, path: str = "") -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                assert key not in PRIVATE_KEYS, f"{path}.{key}"
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{path}[{n}]")
        elif isinstance(node, str):
            assert not any(s in node for s in secrets), f"{path}: {node}"

    for answer in answers:
        walk(answer)
    assert answers[2]["features"] and answers[2]["features"][0]["geometry"]["type"] in {
        "Polygon",
        "MultiPolygon",
    }


async def test_overlapping_answers_differ_by_zero_or_at_least_k(api, settings) -> None:
    random.seed(42)
    k = settings.public_min_count
    spots = [RSUD, FAR, (3.3500, 99.1700)]
    for spot, category, days in itertools.product(spots, ("fire", "medical"), (2, 40, 75)):
        for _ in range(random.choice([k - 1, k, k + 2])):
            await closed_incident(api, spot, category=category, days_ago=days)
    await refresh(api, settings)
    months = sorted({m for (m,) in (await _months(api))})
    periods = [(a, b) for a in months for b in months if a <= b]
    queries = [dict(since=a, until=b, **({"category": c} if c else {}))
               for (a, b) in periods for c in (None, "fire", "medical")]  # fmt: skip
    nested = [(q1, q2) for q1 in queries for q2 in queries if q1 != q2 and _within(q2, q1)]
    for big, small in random.sample(nested, min(40, len(nested))):
        for zoom in (10, 16):
            wide, narrow = (
                cells(await heatmap(api, zoom=zoom, **big)),
                cells(await heatmap(api, zoom=zoom, **small)),
            )
            for cell in set(wide) | set(narrow):
                diff = wide.get(cell, 0) - narrow.get(cell, 0)
                assert diff == 0 or diff >= k, (big, small, zoom, cell, diff)


def _within(inner: dict[str, str], outer: dict[str, str]) -> bool:
    same_or_all = "category" not in outer or outer.get("category") == inner.get("category")
    return outer["since"] <= inner["since"] and inner["until"] <= outer["until"] and same_or_all


async def _months(api) -> list[tuple[str]]:
    async with api.maker() as session:
        return list(await session.execute(text("SELECT DISTINCT month FROM public_atoms")))


async def test_answers_revalidate_with_304_and_clients_are_rate_limited(api, settings) -> None:
    first = await api.request("GET", "/api/public/stats", who="")
    assert first.status_code == 200 and "public" in first.headers["cache-control"]
    again = await api.request(
        "GET", "/api/public/stats", who="", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    app = create_app(dataclasses.replace(settings, public_rate_per_min=3))
    async with AsyncTestClient(app=app) as client:
        codes = [(await client.get("/api/public/heatmap")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"category": "flood"}, "category"), ({"since": "kemarin"}, "since"),
     ({"since": "2026-06", "until": "2026-01"}, "since"), ({"zoom": "99"}, "zoom")],
)  # fmt: skip
async def test_bad_public_queries_are_refused(api, params, field) -> None:
    response = await api.request("GET", "/api/public/heatmap", who="", params=params)
    assert response.status_code in (400, 422) and field in response.text


@pytest.mark.parametrize("since", ["2026-02-30", "0000-01", "1999-12"])
async def test_impossible_or_ancient_periods_are_refused(api, since) -> None:
    response = await api.request("GET", "/api/public/stats", who="", params={"since": since})
    assert response.status_code == 422 and "since" in response.text

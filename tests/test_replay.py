"""`siaga replay` on both real call logs: every pick agrees with the geodesic oracle."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
LOGS = {
    "sumenep": SHARED / "sumenep-112-calls" / "sumenep_112_incidents.csv",
    "montgomery": SHARED / "montgomery-pa-911" / "montgomery_911_subset.csv",
}


def summary(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)


@pytest.mark.parametrize("name", sorted(LOGS))
def test_replay_has_no_mismatch(name: str, settings) -> None:
    path = LOGS[name]
    assert path.exists(), f"{path} is missing: the shared data folder must sit beside the repo"
    env = {**os.environ, "SIAGA_DATABASE_URL": settings.database_url}
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "replay", str(path)],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    result = summary(done.stdout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = sum(1 for _ in path.open()) - 1
    assert int(result["rows"]) == rows
    assert int(result["mismatches"]) == 0
    assert int(result["picks"]) >= rows  # every row got at least one unit
    assert float(result["calls per second"]) > 0


def test_replay_oracle_catches_a_wrong_pick() -> None:
    from api.replay import Row, check_picks, oracle

    row = Row(lat=-7.0, lon=113.8, category="fire", kind_label="KEBAKARAN")
    units = [{"id": "near", "kind": "fire", "callsign": "N", "location": {"lat": -7.0, "lon": 113.801}},
             {"id": "far", "kind": "fire", "callsign": "F", "location": {"lat": -7.0, "lon": 113.81}}]  # fmt: skip
    expected = oracle(row, units)
    by_id = {u["id"]: u for u in units}
    assert check_picks(row, expected, [{"unit_id": "near"}], by_id) == []
    assert check_picks(row, expected, [{"unit_id": "far"}], by_id)
    assert check_picks(row, expected, [], by_id)

"""The README walk-through (`siaga demo`) against a real server with the demo loaded."""

import asyncio
import dataclasses
import socket
import threading

import uvicorn

from api.app import create_app
from api.demo import load_demo_fleet
from api.walkthrough import run_walkthrough


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_walkthrough_from_call_to_closed_incident(api, settings, capsys) -> None:
    async with api.maker() as session, session.begin():
        await load_demo_fleet(session, "demo-uji")
    port = free_port()
    app = create_app(dataclasses.replace(settings, run_worker=True))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        code = await asyncio.to_thread(run_walkthrough, f"http://127.0.0.1:{port}", "demo-uji")
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, 10)
    out = capsys.readouterr().out
    assert code == 0
    assert "RSUD DR. H. Kumpulan Pane Pasarbaru (resolved" in out
    assert "nearest available fire unit: DAMKAR-" in out
    assert "push received and decrypted on DAMKAR-" in out and "'category': 'fire'" in out
    assert "incident closed; DAMKAR-" in out and "available again" in out
    assert await api.scalar("SELECT count(*) FROM units WHERE status <> 'available'") == 0
    assert await api.scalar("SELECT count(*) FROM push_subscriptions") == 0  # cleaned up after

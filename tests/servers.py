"""Real API processes for tests that need more than one, or need to kill one."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from api.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """kill -9: no shutdown hook runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(settings: Settings, **env: str) -> Server:
    port = free_port()
    environ = {
        **os.environ,
        "SIAGA_DATABASE_URL": settings.database_url,
        "SIAGA_PORT": str(port),
        "SIAGA_VAPID_KEY_FILE": str(settings.vapid_key_file),
        "SIAGA_PUSH_ALLOWED_ORIGINS": "http://127.0.0.1",
        "SIAGA_PUSH_BACKOFF_S": "0.2",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve"], env=environ,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return Server(url, process)
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


@dataclass
class SSE:
    """Collects the events of one /api/events connection in the background."""

    events: list[dict[str, Any]] = field(default_factory=list)
    task: asyncio.Task[None] | None = None

    async def wait_for(self, check: Any, timeout: float = 10) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for event in self.events:
                if check(event):
                    return event
            await asyncio.sleep(0.05)
        raise AssertionError(f"no matching event among {len(self.events)}")


async def _read(url: str, token: str, last_id: str | None, sink: SSE) -> None:
    headers = {"authorization": f"Bearer {token}"}
    if last_id:
        headers["last-event-id"] = last_id
    async with (
        httpx.AsyncClient(timeout=None) as client,
        client.stream("GET", f"{url}/api/events", headers=headers) as response,
    ):
        response.raise_for_status()
        event: dict[str, Any] = {}
        async for line in response.aiter_lines():
            if line == "":
                if event.get("data"):
                    event["data"] = json.loads(event["data"])
                    sink.events.append(event)
                event = {}
            elif not line.startswith(":") and ":" in line:
                name, _, value = line.partition(":")
                event[name] = value.removeprefix(" ")


@contextlib.asynccontextmanager
async def listen(url: str, token: str, last_id: str | None = None) -> AsyncIterator[SSE]:
    sink = SSE()
    sink.task = asyncio.create_task(_read(url, token, last_id, sink))
    await asyncio.sleep(0.3)  # let the subscription open before the test makes changes
    try:
        yield sink
    finally:
        sink.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
            await sink.task

"""kill -9 between the assignment's commit and its push: the push still goes out, once."""

import asyncio

import httpx
from servers import start_server

from api.notify import load_vapid, public_key
from api.push_receiver import PushReceiver


async def test_a_killed_server_delivers_after_restart(api, settings) -> None:
    receiver = PushReceiver(expected_key=public_key(load_vapid(settings))).start()
    await api.unit("DAMKAR-1", "fire", station="Damkar Kota Tebing Tinggi")
    device = receiver.new_subscription()
    await api.ok("POST", "/api/push/subscriptions", "damkar-1", json=device)
    headers = await api.as_("dispatcher")
    # No worker in this process: the job is committed with the assignment and nobody sends it.
    first = start_server(settings, SIAGA_RUN_WORKER="false")
    try:
        async with httpx.AsyncClient() as http:
            made = await http.post(f"{first.url}/api/incidents", headers=headers, json={
                "category": "fire", "description": "kebakaran", "address": "RSUD Kumpulan Pane"})  # fmt: skip
        assert made.status_code == 201, made.text
        assignment_id = made.json()["assignments"][0]["id"]
    finally:
        first.kill()
    assert receiver.received() == []
    assert (
        await api.scalar("SELECT count(*) FROM pgqueuer WHERE entrypoint = 'push_assignment'") == 1
    )
    second = start_server(settings, SIAGA_RUN_WORKER="true", SIAGA_ACK_TIMEOUT_S="3600")
    try:
        (message,) = receiver.wait_for(1, device["endpoint"])
        assert message.payload["assignment_id"] == assignment_id
        await asyncio.sleep(2)  # room for a duplicate to show up, if there were one
        assert len(receiver.received(device["endpoint"])) == 1
    finally:
        second.stop()
        receiver.stop()

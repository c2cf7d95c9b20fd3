"""Headless Debian Chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, async_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: make test installs it"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


def fake_push_subscribe(subscription: dict[str, Any]) -> str:
    """Chromium cannot reach a real push service here, so this init script replaces only
    PushManager.subscribe (and getSubscription) with one that returns a subscription at the local
    push receiver. Everything else, the server's encryption included, is real."""
    return f"""
    (() => {{
      if (typeof PushManager === 'undefined') return;
      const sub = {json.dumps(subscription)};
      const fake = {{
        endpoint: sub.endpoint, expirationTime: null, options: {{ userVisibleOnly: true }},
        getKey: () => null, toJSON: () => sub, unsubscribe: async () => true,
      }};
      PushManager.prototype.subscribe = async function () {{
        localStorage.setItem('siaga-test-subscribed', '1');
        return fake;
      }};
      PushManager.prototype.getSubscription = async function () {{
        return localStorage.getItem('siaga-test-subscribed') === '1' ? fake : null;
      }};
    }})();
    """

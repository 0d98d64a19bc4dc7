"""Headless Chromium (Debian's package), started by pid and driven over the DevTools protocol.

Just what the browser tier needs: open a page, evaluate JavaScript in it,
wait for a condition. The flags are the ones this machine's Chromium needs
(no sandbox as root, no GPU, no background traffic to hosts it cannot reach).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from tests.web._servers import stop_process

CHROMIUM = os.environ.get("OAI_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
]
START_TIMEOUT = 30.0


class BrowserError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium; :meth:`new_page` opens a tab; ``close()`` stops it by pid and removes its profile."""

    def __init__(self, binary: str = CHROMIUM) -> None:
        if not Path(binary).exists():
            raise BrowserError(f"no Chromium at {binary}: run scripts/e2e/setup.sh chromium (Debian's package)")
        self.profile = Path(tempfile.mkdtemp(prefix="oai-chromium-"))
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self.endpoint = f"http://127.0.0.1:{self._devtools_port()}"
        except BaseException:
            self.close()
            raise

    def _devtools_port(self) -> int:
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrowserError(f"Chromium exited at start (status {self.process.returncode})")
            if marker.exists():
                first = marker.read_text().splitlines()[:1]
                if first and first[0].isdigit():
                    return int(first[0])
            time.sleep(0.05)
        raise BrowserError(f"Chromium opened no DevTools port within {START_TIMEOUT} s")

    def new_page(self) -> Page:
        """A new tab (the DevTools HTTP endpoint ``/json/new``)."""
        target = httpx.put(f"{self.endpoint}/json/new?about:blank", timeout=10).json()
        return Page(self, target["id"], target["webSocketDebuggerUrl"])

    def close(self) -> None:
        stop_process(self.process)
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """One tab: evaluate JavaScript in it, wait for a condition, close it."""

    def __init__(self, browser: Chromium, target: str, url: str) -> None:
        self.browser = browser
        self.target = target
        self._connection = connect(url, max_size=None, open_timeout=10)
        self.socket: ClientConnection = self._connection.__enter__()
        self._next_id = 0
        self.closed = False

    def call(self, method: str, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and return its result (events in between are skipped)."""
        self._next_id += 1
        ident = self._next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"{method} got no answer within {timeout} s")
            message = json.loads(self.socket.recv(timeout=left))
            if message.get("id") == ident:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait_for(f"document.readyState === 'complete' && location.href === {json.dumps(url)}")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        """Poll ``expression`` in the page until it is truthy (a bounded wait); returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"{expression!r} still false after {timeout} s")
            time.sleep(0.05)

    def close(self) -> None:
        """Close the tab, as a person closing it would (the page's connections end with it)."""
        if self.closed:
            return
        self.closed = True
        self._connection.__exit__(None, None, None)
        httpx.get(f"{self.browser.endpoint}/json/close/{self.target}", timeout=10)

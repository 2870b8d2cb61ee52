"""Wait-then-assert helpers for the Voila + Chromium tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@contextmanager
def chromium_browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (``playwright install`` cannot download browsers here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); `make test` does.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_kernel_text(tab: object, text: str, timeout_ms: int = 60_000) -> None:
    """Wait until ``text`` (written by the kernel into a widget) is visible on the page."""
    tab.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout_ms)  # type: ignore[attr-defined]


def assert_no_traceback(tab: object) -> None:
    """No error output or traceback is visible in the page."""
    body = tab.inner_text("body")  # type: ignore[attr-defined]
    assert "Traceback" not in body, body[-2000:]
    assert tab.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0  # type: ignore[attr-defined]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class VoilaServer:
    """A running ``nnteach serve`` (Voila) on 127.0.0.1."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def render_url(self, notebook: str, query: str = "") -> str:
        return f"{self.url}/voila/render/{notebook}{query}"


def start_voila(
    folder: Path, log: Path, extra_env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> VoilaServer:
    """Start ``nnteach serve`` on ``folder`` and wait until it answers HTTP."""
    port = free_port()
    env = {**os.environ, "NNTEACH_QUICK": "1", **(extra_env or {})}
    env.pop("DISPLAY", None)
    command = [sys.executable, "-m", "nnteach.cli", "serve", "--no-browser", f"--port={port}", *args, str(folder)]
    stream = log.open("wb")
    process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    wait_until_answers(process, url + "/", log, "Voila", seconds=60)
    return VoilaServer(url=url, process=process, log=log)


def wait_until_answers(process: subprocess.Popen[bytes], url: str, log: Path, name: str, seconds: float) -> None:
    """Poll ``url`` until the server ``process`` answers; fail with its log if it exits or stays silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited early:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)  # polling a port that is not open yet; no page is involved
    process.terminate()
    raise RuntimeError(f"{name} did not answer within {seconds:g} s:\n{log.read_text(errors='replace')[-2000:]}")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Stop a server process: terminate, then kill if it has not ended after 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def stop_voila(server: VoilaServer) -> None:
    stop_process(server.process)


def draw_a_one(tab: object, *, top: float = 0.2, steps: int = 10) -> None:
    """Draw a vertical stroke (a "1") down the middle of the page's first DigitCanvas with the mouse."""
    canvas = tab.locator(".nnteach-digit-canvas").first  # type: ignore[attr-defined]
    canvas.wait_for(state="visible")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    x = box["x"] + box["width"] / 2
    tab.mouse.move(x, box["y"] + box["height"] * top)  # type: ignore[attr-defined]
    tab.mouse.down()  # type: ignore[attr-defined]
    for step in range(1, steps + 1):
        tab.mouse.move(x, box["y"] + box["height"] * (top + 0.06 * step))  # type: ignore[attr-defined]
    tab.mouse.up()  # type: ignore[attr-defined]

"""A real Voila server and headless Debian Chromium, with every non-localhost request blocked.

Use ``voila_server(folder)`` to serve a folder (its ``voila.json`` applies, as with
``nnteach serve``) and the ``page`` fixture for a fresh Chromium tab. Tests wait on text or
selectors, never on sleeps, and save a screenshot into ``tests/ui/artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}



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


def start_voila(folder: Path, log: Path, extra_env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> VoilaServer:
    """Start ``nnteach serve`` on ``folder`` and wait until it answers HTTP."""
    port = free_port()
    env = {**os.environ, "NNTEACH_QUICK": "1", **(extra_env or {})}
    env.pop("DISPLAY", None)
    command = [sys.executable, "-m", "nnteach.cli", "serve", "--no-browser", f"--port={port}", *args, str(folder)]
    stream = log.open("wb")
    process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Voila exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return VoilaServer(url=url, process=process, log=log)
        except OSError:
            time.sleep(0.2)  # polling a port that is not open yet; no page is involved
    process.terminate()
    raise RuntimeError(f"Voila did not answer within 60 s:\n{log.read_text(errors='replace')}")


def stop_voila(server: VoilaServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], VoilaServer]]:
    """Factory: ``voila_server(folder)`` serves a folder once per session and reuses it."""
    servers: dict[Path, VoilaServer] = {}
    work = tmp_path_factory.mktemp("voila-work")

    def serve(folder: Path) -> VoilaServer:
        folder = folder.resolve()
        if folder not in servers:
            servers[folder] = start_voila(folder, work / f"{folder.name}.log", {"NNTEACH_WORKDIR": str(work)})
        return servers[folder]

    yield serve
    for server in servers.values():
        stop_voila(server)


@pytest.fixture(scope="session")
def gallery(voila_server: Callable[[Path], VoilaServer]) -> VoilaServer:
    """Voila serving the widget gallery (``widgets/``)."""
    return voila_server(ROOT / "widgets")


@pytest.fixture(scope="session")
def lessons(voila_server: Callable[[Path], VoilaServer]) -> VoilaServer:
    """Voila serving ``lessons/`` with its ``voila.json``."""
    return voila_server(ROOT / "lessons")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); `make test` does.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class PageProblems:
    """What went wrong in a page: blocked outside requests, page errors, console errors."""

    blocked: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh tab that blocks every non-localhost request; screenshot saved after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems = PageProblems()

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()  # type: ignore[attr-defined]
        else:
            problems.blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    tab.on("console", lambda message: message.type == "error" and problems.console_errors.append(message.text))
    tab.problems = problems
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.ui)

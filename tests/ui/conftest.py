"""A real Voila server and headless Debian Chromium, with every non-localhost request blocked.

Use ``voila_server(folder)`` to serve a folder (its ``voila.json`` applies, as with
``nnteach serve``) and the ``page`` fixture for a fresh Chromium tab. Tests wait on text or
selectors, never on sleeps, and save a screenshot into ``tests/ui/artifacts/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from ui_helpers import VoilaServer, chromium_browser, start_voila, stop_voila

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


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
    with chromium_browser() as chromium:
        yield chromium


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

"""Idle culling with the lessons' settings: a closed tab's kernel goes away, an open tab's stays.

Each test serves a folder through the real ``nnteach serve`` with a copy of
``lessons/voila.json`` whose timeouts are shrunk to seconds (the other settings are kept).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_serving_ui import HELLO, kernel_id_of, kernel_pids, wait_for_stopped_banner, write_served_folder
from ui_helpers import ROOT, VoilaServer, start_voila, stop_voila, wait_for_kernel_text

IDLE_S = 6


def kernel_exists(page: object, server: VoilaServer, kernel_id: str) -> bool:
    """Whether the server still has ``kernel_id``, asked with the cookies of the browser that owns it."""
    response = page.request.get(f"{server.url}/api/kernels/{kernel_id}", timeout=10_000)  # type: ignore[attr-defined]
    if response.status == 404:
        return False
    assert response.status == 200, (response.status, response.text())
    return bool(response.json()["id"] == kernel_id)


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    """Poll server-side state (no page involved) until ``condition()`` holds or time runs out."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True


def _serve(tmp_path: Path, **culling: object) -> Iterator[VoilaServer]:
    folder = write_served_folder(
        tmp_path / "site", {"MappingKernelManager": {"cull_idle_timeout": IDLE_S, "cull_interval": 1, **culling}}
    )
    server = start_voila(folder, tmp_path / "voila.log")
    yield server
    stop_voila(server)


@pytest.fixture
def quick_culling(tmp_path: Path) -> Iterator[VoilaServer]:
    yield from _serve(tmp_path)


@pytest.fixture
def culling_connected(tmp_path: Path) -> Iterator[VoilaServer]:
    yield from _serve(tmp_path, cull_connected=True)


def test_lessons_never_cull_a_learner_whose_tab_is_open() -> None:
    settings = json.loads((ROOT / "lessons" / "voila.json").read_text())["MappingKernelManager"]
    assert settings["cull_connected"] is False
    assert settings["cull_busy"] is False
    assert settings["cull_idle_timeout"] >= 300
    assert 0 < settings["cull_interval"] <= settings["cull_idle_timeout"]


def test_an_open_tab_keeps_its_kernel_and_a_closed_tab_is_culled(quick_culling: VoilaServer, page: object) -> None:
    page.goto(quick_culling.render_url("index.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)
    kernel_id = kernel_id_of(page)
    pids = kernel_pids(kernel_id)
    assert pids and kernel_exists(page, quick_culling, kernel_id)

    # Well past the idle timeout, with the tab open: the kernel stays and still answers.
    page.wait_for_timeout(IDLE_S * 1000 * 2)  # type: ignore[attr-defined]  # the wait is what is tested
    assert kernel_exists(page, quick_culling, kernel_id)
    page.get_by_role("button", name="Check").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "the button reached the kernel")

    page.goto("about:blank")  # type: ignore[attr-defined]  # leaving the page closes its websocket, as closing the tab does
    assert wait_until(lambda: not kernel_exists(page, quick_culling, kernel_id), timeout_s=60)
    assert not kernel_exists(page, quick_culling, kernel_id)
    assert "Culling 'idle' kernel" in quick_culling.log.read_text(errors="replace")
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids), "the culled kernel's process must be gone"


def test_a_culled_kernel_is_announced_with_a_reload_button(culling_connected: VoilaServer, page: object) -> None:
    page.goto(culling_connected.render_url("index.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)
    kernel_id = kernel_id_of(page)
    wait_for_stopped_banner(page)
    assert not kernel_exists(page, culling_connected, kernel_id)
    assert page.evaluate("document.documentElement.dataset.nnteachKernel") == "gone"  # type: ignore[attr-defined]
    page.get_by_role("button", name="Reload the page").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)


def wait_for_log(server: VoilaServer, page: object, text: str, timeout_ms: int = 60_000) -> str:
    """Poll the server's log (not the page) until it contains ``text``; returns the log."""
    waited = 0
    while text not in (log := server.log.read_text(errors="replace")):
        assert waited < timeout_ms, f"{text!r} not in the server log within {timeout_ms} ms:\n{log[-3000:]}"
        page.wait_for_timeout(250)  # type: ignore[attr-defined]
        waited += 250
    return log


@pytest.fixture
def short_connect_grace(tmp_path: Path) -> Iterator[VoilaServer]:
    folder = write_served_folder(
        tmp_path / "site",
        {"ClassKernelManager": {"connect_grace": 15, "reconnect_grace": 3, "seat_check_interval": 0.5}},
    )
    server = start_voila(folder, tmp_path / "voila.log")
    yield server
    stop_voila(server)


def test_a_page_that_connects_too_late_shows_the_reload_banner(short_connect_grace: VoilaServer, page: object) -> None:
    held: list[object] = []

    def hold(route: object) -> None:
        held.append(route)

    page.route("**/voila/static/voila.js", hold)  # type: ignore[attr-defined]  # a very slow page
    page.goto(short_connect_grace.render_url("index.ipynb"), wait_until="commit")  # type: ignore[attr-defined]
    page.wait_for_selector("#jupyter-config-data", state="attached")  # type: ignore[attr-defined]
    kernel_id = kernel_id_of(page)
    wait_for_log(short_connect_grace, page, f"freeing the seat of kernel {kernel_id}: its page never connected")
    page.wait_for_function("() => true")  # type: ignore[attr-defined]  # let Playwright deliver the held request
    assert held, "the page asked for voila.js"
    page.unroute("**/voila/static/voila.js")  # type: ignore[attr-defined]  # the held request goes on now
    wait_for_stopped_banner(page)
    page.get_by_role("button", name="Reload the page").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)


def test_a_closed_tab_frees_its_seat(short_connect_grace: VoilaServer, page: object) -> None:
    tab = page.context.new_page()  # type: ignore[attr-defined]
    tab.goto(short_connect_grace.render_url("index.ipynb"))
    wait_for_kernel_text(tab, HELLO)
    kernel_id = kernel_id_of(tab)
    tab.close(run_before_unload=True)
    log = wait_for_log(short_connect_grace, page, f"Kernel shutdown: {kernel_id}")
    # Voila's shutdown beacon freed the seat at once: it was not refused, and the reconnect grace did not have to.
    assert f"POST /voila/api/shutdown/{kernel_id}" not in log, log[-2000:]
    assert f"freeing the seat of kernel {kernel_id}" not in log

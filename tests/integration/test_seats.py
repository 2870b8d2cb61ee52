"""Faults 3 and 4 of issue 14: seats follow learners, not page views; no culling before a page connects.

A small class (3 seats) with graces of a few seconds, driven by clients without a browser:
a page's websocket is what a browser tab keeps open. Waits poll the server's log, bounded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from class_client import Client, serve_site, stop_hard
from ui_helpers import VoilaServer

CAP = 3
SEATS = {
    "ClassKernelManager": {
        "max_kernels": CAP, "connect_grace": 8, "reconnect_grace": 2, "seat_check_interval": 0.5,
        "max_starts_per_minute": 0,
    },
}  # fmt: skip


def wait_until(condition: Callable[[], bool], timeout_s: float = 60) -> None:
    """Poll server-side state (no page involved) until ``condition()`` holds; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the server did not get there in time"
        time.sleep(0.25)


def log_count(server: VoilaServer, text: str) -> int:
    return server.log.read_text(errors="replace").count(text)


@pytest.fixture
def small_class(tmp_path: Path) -> Iterator[VoilaServer]:
    served = serve_site(tmp_path, SEATS)
    yield served
    stop_hard(served)


@pytest.mark.timeout(300)
def test_a_learner_walking_through_pages_holds_only_the_seat_of_the_open_page(small_class: VoilaServer) -> None:
    learner = Client(small_class)
    walked = []
    for _ in range(3):  # index -> lesson -> index: each page's socket closes when the next opens
        kernel_id = learner.render()
        socket = learner.channels(kernel_id)
        if walked:
            walked[-1][1].close(timeout=1)
        walked.append((kernel_id, socket))
    wait_until(lambda: log_count(small_class, "did not come back within 2 s") == 2)

    teacher = Client(small_class)  # a teacher with two tabs: both kept
    tabs = []
    for _ in range(2):
        kernel_id = teacher.render()
        tabs.append((kernel_id, teacher.channels(kernel_id)))
    status, body = Client(small_class).request("/voila/render/index.ipynb")
    assert status == 503, body[-500:]
    assert "A seat frees 2 seconds after a classmate closes a lesson tab" in body
    assert "The class is full" in body

    tabs[1][1].close(timeout=1)  # the teacher closes one tab: its seat frees, the other tab keeps its kernel
    wait_until(lambda: log_count(small_class, "did not come back within 2 s") == 3)
    newcomer = Client(small_class)
    newcomer.channels(newcomer.render()).close(timeout=1)
    for owner, kernel_id in ((learner, walked[-1][0]), (teacher, tabs[0][0])):
        assert owner.request(f"/api/kernels/{kernel_id}", timeout=10)[0] == 200
    for _, socket in (walked[-1], tabs[0]):
        socket.close(timeout=1)


@pytest.mark.timeout(300)
def test_pages_fetched_without_a_browser_free_their_seats_a_grace_after_loading(small_class: VoilaServer) -> None:
    crawler = Client(small_class)
    for _ in range(CAP):
        crawler.render()
    status, _ = Client(small_class).request("/voila/render/index.ipynb")
    assert status == 503
    wait_until(lambda: log_count(small_class, "its page never connected within 8 s of loading") == CAP)
    learner = Client(small_class)
    learner.channels(learner.render()).close(timeout=1)


@pytest.mark.timeout(300)
def test_one_client_starts_only_a_few_kernels_a_minute(tmp_path: Path) -> None:
    served = serve_site(
        tmp_path, {"ClassKernelManager": {"max_kernels": 0, "max_starts_per_minute": 2, "limit_loopback": True}}
    )
    try:
        hasty = Client(served)
        hasty.render()
        hasty.render()
        status, body = hasty.request("/voila/render/index.ipynb")
        assert status == 429, body[-500:]
        assert "opened more than 2 lesson pages in a minute" in body
        assert "Too many pages at once" in body
    finally:
        stop_hard(served)


@pytest.mark.timeout(300)
def test_idle_culling_waits_until_a_page_has_connected(tmp_path: Path) -> None:
    served = serve_site(
        tmp_path,
        {
            "ClassKernelManager": {"connect_grace": 60, "reconnect_grace": 60, "max_starts_per_minute": 0},
            "MappingKernelManager": {"cull_idle_timeout": 2, "cull_interval": 1},
        },
    )
    try:
        slow = Client(served)
        late_kernel = slow.render()  # its browser is slow to connect (a busy machine, a slow laptop)
        other = Client(served)
        other_kernel = other.render()
        other.channels(other_kernel).close(timeout=1)  # connected once, then idle: the culler takes it
        wait_until(lambda: f"({other_kernel}) with 0 connections" in served.log.read_text(errors="replace"))
        # Idle longer than the culled one, but its page has not connected yet: still there.
        socket = slow.channels(late_kernel)
        assert socket.subprotocol
        socket.close(timeout=1)
        assert f"({late_kernel}) with 0 connections" not in served.log.read_text(errors="replace")
    finally:
        stop_hard(served)

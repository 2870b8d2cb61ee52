"""Issue 19, part 1: warm kernel pools (``nnteach serve --warm``) on a real class server.

A pool fills before anyone asks; a page is served from it at once; its kernel belongs to the
browser that rendered it; the page's query string and the learner's identity reach the
preheated kernel (through ``nnteach.request.page_request``); warm kernels do not take
learners' seats, and a full class stays full even with warm kernels waiting.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import psutil
import pytest
import websocket
from class_client import KERNEL_ID, Client, receive, request_every_state, stop_hard, write_site
from ui_helpers import ROOT, VoilaServer, start_voila

from helpers import modules_after

POOL = 2
# A page that reads the request the way lessons do: through nnteach.request (teacher links, identity).
WHO = """\
from nnteach.classroom.session import page_identity
from nnteach.request import page_query

print("QUERY=" + page_query())
print("WHO=" + page_identity())
"""
# A page that builds widgets (their language) and lists the learner's saved models, as lessons 5 and 7
# do, then reads the request in its last cell: everything before that runs before any page asks.
AHEAD = """\
import os
from pathlib import Path

from nnteach.widgets import ModelPicker

picker = ModelPicker()
display(picker)
Path(os.environ["NNTEACH_WORKDIR"]).mkdir(parents=True, exist_ok=True)
Path(os.environ["NNTEACH_WORKDIR"], "ran-ahead").write_text(os.environ["VOILA_KERNEL_ID"])
"""
SEATS = {"ClassKernelManager": {"max_kernels": 1, "warm_interval": 0.5, "warm_quiet": 0.5, "max_starts_per_minute": 0}}


def wait_for_log(server: VoilaServer, text: str, count: int = 1, timeout_s: float = 180) -> None:
    """Poll the server's log (no page involved) until ``text`` appears ``count`` times."""
    deadline = time.monotonic() + timeout_s
    while server.log.read_text(errors="replace").count(text) < count:
        assert server.process.poll() is None, server.log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, f"not in the log within {timeout_s:g} s: {text}"
        time.sleep(0.25)


def kernel_processes(server: VoilaServer) -> int:
    children = psutil.Process(server.process.pid).children(recursive=True)
    return sum("ipykernel" in " ".join(child.cmdline()) for child in children)


def query_socket_status(server: VoilaServer, kernel_id: str, cookie: str = "") -> int:
    url = server.url.replace("http", "ws", 1) + f"/voila/query/{kernel_id}"
    try:
        websocket.create_connection(url, timeout=10, cookie=cookie).close()
    except websocket.WebSocketBadStatusException as refused:
        return int(refused.status_code)
    return 101


@pytest.fixture(scope="module")
def warm_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    tmp = tmp_path_factory.mktemp("preheat")
    folder = write_site(tmp / "site", SEATS)
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells = [nbformat.v4.new_code_cell(WHO)]
    nbformat.write(notebook, folder / "who.ipynb")
    notebook.cells = [nbformat.v4.new_code_cell(AHEAD), nbformat.v4.new_code_cell(WHO)]
    nbformat.write(notebook, folder / "ahead.ipynb")
    server = start_voila(
        folder, tmp / "voila.log", {"NNTEACH_WORKDIR": str(tmp / "work")}, ("--warm", f"who={POOL},ahead=1")
    )
    yield server
    stop_hard(server)


@pytest.mark.timeout(400)
def test_a_page_from_the_pool_is_the_browsers_own_and_reads_its_request(warm_site: VoilaServer) -> None:
    wait_for_log(warm_site, f"Kernel pool of who.ipynb is filled with {POOL} kernel(s)")
    assert kernel_processes(warm_site) == POOL  # warm before anyone asked; index.ipynb has no pool

    learner = Client(warm_site)
    status, page = learner.request("/voila/render/who.ipynb?lesson=seven")
    assert status == 200, page[-2000:]
    found = KERNEL_ID.search(page)
    assert found, page[-2000:]
    kernel_id = found.group(1)
    assert f"Using pre-heated kernel: {kernel_id}" in warm_site.log.read_text(errors="replace")
    assert "QUERY=lesson=seven" in page, page[-3000:]  # the query string reached the preheated kernel
    secret = next(cookie.value for cookie in learner.jar if cookie.name == "nnteach_learner")
    assert secret  # ... and so did the learner's identity, from the browser's cookie
    assert "WHO=browser:" + hashlib.sha256(secret.encode()).hexdigest()[:40] in page

    assert learner.request(f"/api/kernels/{kernel_id}", timeout=10)[0] == 200
    stranger = Client(warm_site)
    assert stranger.request(f"/api/kernels/{kernel_id}", timeout=10)[0] == 403
    try:
        stranger.channels(kernel_id).close()
        status = 101
    except websocket.WebSocketBadStatusException as refused:
        status = refused.status_code
    assert status == 403
    assert query_socket_status(warm_site, kernel_id) == 403  # the request (and the learner's secret) stays private
    assert learner.request(f"/voila/api/shutdown/{kernel_id}", "POST", 30, b"")[0] == 204  # the class's one seat


def button_label(learner: Client, kernel_id: str) -> str:
    """The label of the page's button, as its kernel sends the widget's state (not the page's HTML)."""
    ws = learner.channels(kernel_id)
    try:
        request_every_state(ws)
        for message in receive(ws, time.monotonic() + 120):
            state = message["content"].get("data", {}).get("state", {})
            if message["header"]["msg_type"] == "comm_msg" and state.get("_model_name") == "ButtonModel":
                return str(state["description"])
    finally:
        ws.close()
    raise AssertionError("the kernel sent no button's state")


@pytest.mark.timeout(400)
def test_a_warm_lesson_runs_ahead_and_another_language_gets_a_fresh_kernel(warm_site: VoilaServer) -> None:
    marker = warm_site.log.parent / "work" / "ran-ahead"
    deadline = time.monotonic() + 180
    while not marker.exists():  # the first cell (widgets, their language, saved models) runs with no page
        assert time.monotonic() < deadline, warm_site.log.read_text(errors="replace")[-3000:]
        time.sleep(0.25)
    learner = Client(warm_site)
    status, page = learner.request("/voila/render/ahead.ipynb?lesson=seven")
    assert status == 200, page[-2000:]
    kernel_id = KERNEL_ID.search(page).group(1)  # type: ignore[union-attr]
    assert marker.read_text() == kernel_id  # the kernel that ran ahead is the page's
    assert f"Using pre-heated kernel: {kernel_id}" in warm_site.log.read_text(errors="replace")
    assert "QUERY=lesson=seven" in page  # ... and the last cell still read this page's request
    assert button_label(learner, kernel_id) == "Refresh list"
    assert learner.request(f"/voila/api/shutdown/{kernel_id}", "POST", 30, b"")[0] == 204  # the class's one seat

    wait_for_log(warm_site, "Kernel pool of ahead.ipynb is filled with 1 kernel(s)", count=2)
    german = Client(warm_site)
    status, page = german.request("/voila/render/ahead.ipynb?lang=de")
    assert status == 200, page[-2000:]
    kernel_id = KERNEL_ID.search(page).group(1)  # type: ignore[union-attr]
    assert f"Using pre-heated kernel: {kernel_id}" not in warm_site.log.read_text(errors="replace")
    assert button_label(german, kernel_id) == "Liste aktualisieren"  # a fresh kernel, in German
    assert "QUERY=lang=de" in page


@pytest.mark.timeout(400)
def test_warm_kernels_are_not_seats_and_a_full_class_stays_full(tmp_path: Path) -> None:
    folder = write_site(tmp_path / "site", SEATS)
    nbformat.write(nbformat.read(folder / "index.ipynb", 4), folder / "lesson.ipynb")
    server = start_voila(
        folder, tmp_path / "voila.log", {"NNTEACH_WORKDIR": str(tmp_path / "work")}, ("--warm", "lesson=1")
    )
    try:
        wait_for_log(server, "Kernel pool of lesson.ipynb is filled with 1 kernel(s)")
        assert kernel_processes(server) == 1
        first = Client(server)
        kernel_id = first.render("lesson.ipynb")  # max_kernels is 1: the warm kernel did not hold the seat
        assert f"Using pre-heated kernel: {kernel_id}" in server.log.read_text(errors="replace")
        wait_for_log(server, "Kernel pool of lesson.ipynb is filled with 1 kernel(s)", count=2)
        assert kernel_processes(server) == 2  # one learner + the refilled warm kernel, over a cap of 1

        second = Client(server)
        for notebook in ("lesson.ipynb", "index.ipynb"):  # full: neither the pool nor a cold start lets them in
            status, page = second.request(f"/voila/render/{notebook}")
            assert status == 503 and "The class is full" in page, (notebook, status)
        assert kernel_processes(server) == 2

        assert first.request(f"/voila/api/shutdown/{kernel_id}", "POST", 30, b"")[0] == 204
        taken = second.render("lesson.ipynb")  # the seat is free: the waiting warm kernel serves the page
        assert f"Using pre-heated kernel: {taken}" in server.log.read_text(errors="replace")
    finally:
        stop_hard(server)


@pytest.mark.timeout(400)
def test_refills_wait_until_the_class_has_arrived(tmp_path: Path) -> None:
    quiet = 6.0
    folder = write_site(tmp_path / "site", {"ClassKernelManager": {**SEATS["ClassKernelManager"], "warm_quiet": quiet}})
    nbformat.write(nbformat.read(folder / "index.ipynb", 4), folder / "lesson.ipynb")
    server = start_voila(
        folder, tmp_path / "voila.log", {"NNTEACH_WORKDIR": str(tmp_path / "work")}, ("--warm", "lesson=1")
    )
    try:
        wait_for_log(server, "Kernel pool of lesson.ipynb is filled with 1 kernel(s)")
        taken_at = time.monotonic()
        kernel_id = Client(server).render("lesson.ipynb")
        assert f"Using pre-heated kernel: {kernel_id}" in server.log.read_text(errors="replace")
        wait_for_log(server, "Kernel pool of lesson.ipynb is filled with 1 kernel(s)", count=2)
        assert time.monotonic() - taken_at >= quiet  # no refill while the class may still be arriving
    finally:
        stop_hard(server)


@pytest.mark.timeout(400)
def test_a_teacher_link_applies_in_a_preheated_lesson(tmp_path: Path) -> None:
    server = start_voila(
        ROOT / "lessons",
        tmp_path / "voila.log",
        {"NNTEACH_WORKDIR": str(tmp_path / "work")},
        ("--warm", "07_draw_your_digit=1"),
    )
    try:
        wait_for_log(server, "Kernel pool of 07_draw_your_digit.ipynb is filled with 1 kernel(s)")
        learner = Client(server)
        kernel_id = learner.render("07_draw_your_digit.ipynb?canvas.brush_width=30")
        assert f"Using pre-heated kernel: {kernel_id}" in server.log.read_text(errors="replace")
        ws = learner.channels(kernel_id)
        widths = []
        try:
            request_every_state(ws)
            for message in receive(ws, time.monotonic() + 120):
                state = message["content"].get("data", {}).get("state", {})
                if message["header"]["msg_type"] == "comm_msg" and "brush_width" in state:
                    widths.append(state["brush_width"])
                    break
        finally:
            ws.close()
        assert widths == [30.0]  # the link's value, applied by the kernel that ran the lesson before the request
    finally:
        stop_hard(server)


def test_a_wrong_warm_setting_is_refused_in_a_sentence(tmp_path: Path) -> None:
    folder = write_site(tmp_path / "site")
    command = [sys.executable, "-m", "nnteach.cli", "serve", "--no-browser", "--port=1", "--warm"]
    for spec, expected in (
        ("nope=2", "Received 'nope', which is not there. Choose among: index."),
        ("index=many", "Expected a whole number of warm kernels from 1 to 100"),
    ):
        done = subprocess.run([*command, spec, str(folder)], capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 2 and expected in done.stderr, done.stderr


@pytest.mark.timeout(120)
def test_voila_settings_that_exclude_preheating_are_named(tmp_path: Path) -> None:
    folder = write_site(tmp_path / "site", {"VoilaConfiguration": {"progressive_rendering": True}})
    settings = json.loads((folder / "voila.json").read_text())
    assert settings["VoilaConfiguration"]["progressive_rendering"] is True
    log = tmp_path / "voila.log"
    with pytest.raises(RuntimeError, match="Remove progressive_rendering, or serve without --warm"):
        start_voila(folder, log, {"NNTEACH_WORKDIR": str(tmp_path / "work")}, ("--warm", "index=1"))


def test_asking_who_the_learner_is_does_not_load_the_class_store() -> None:
    """Lesson 7's ModelPicker asks at load (its learner's saved models); SQLAlchemy waits until a page shares."""
    who = (
        "from nnteach.classroom.session import page_identity\nprint(page_identity({'SERVER_SOFTWARE': 'voila/0.5.13'}))"
    )
    assert "sqlalchemy" not in modules_after(who)
    assert "sqlalchemy" in modules_after("from nnteach.classroom import ClassStore\nprint(ClassStore)")

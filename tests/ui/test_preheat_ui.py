"""Lesson 7 from a warm kernel (``nnteach serve --warm``) in real Chromium: the canvas draws, the link applies.

The kernel ran the whole lesson before this browser asked for it. The DigitCanvas must still
draw its frame (it draws only once the browser reports ``client_ready``), take a stroke and
answer with a prediction, and the page's teacher link must reach the kernel.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from test_digit_canvas_ui import CANVAS, PREDICTION, _stroke, _wait_for_pixel
from ui_helpers import ROOT, VoilaServer, assert_no_traceback, start_voila, stop_voila, wait_for_kernel_text

LESSON = "07_draw_your_digit.ipynb"
FILLED = "Kernel pool of 07_draw_your_digit.ipynb is filled with 1 kernel(s)"


@pytest.fixture(scope="module")
def warm_lessons(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    tmp = tmp_path_factory.mktemp("warm-lessons")
    server = start_voila(
        ROOT / "lessons", tmp / "voila.log", {"NNTEACH_WORKDIR": str(tmp / "work")}, ("--warm", "07_draw_your_digit=1")
    )
    yield server
    stop_voila(server)


def _log(server: VoilaServer) -> str:
    return server.log.read_text(errors="replace")


def _wait_for_pool(server: VoilaServer, timeout_s: float = 240) -> None:
    """Poll the server's log (no page involved) until the warm kernel has been started."""
    deadline = time.monotonic() + timeout_s
    while FILLED not in _log(server):
        assert time.monotonic() < deadline, _log(server)[-3000:]
        time.sleep(0.25)


def test_drawing_on_lesson_7_served_by_a_warm_kernel(warm_lessons: VoilaServer, page: object) -> None:
    _wait_for_pool(warm_lessons)
    page.goto(warm_lessons.render_url(LESSON, "?canvas.brush_width=30"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Draw a digit")
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content())  # type: ignore[attr-defined]
    assert kernel_id and f"Using pre-heated kernel: {kernel_id.group(1)}" in _log(warm_lessons)

    page.locator(CANVAS).first.wait_for(state="visible")  # type: ignore[attr-defined]
    # The frame arrives only after the browser said it is ready: black field, grey border.
    assert _wait_for_pixel(page, 140, 140, "p[3] === 255 && p[0] < 20")[:3] == [0, 0, 0]
    assert 60 < _wait_for_pixel(page, 1, 140, "p[3] === 255 && p[0] > 60")[0] < 160

    _stroke(page, [(140, 45 + 10 * i) for i in range(20)])
    wait_for_kernel_text(page, "Prediction: 1")
    assert page.locator(PREDICTION).inner_text().startswith("Prediction: 1")  # type: ignore[attr-defined]
    # The link's brush (30 px, not the default 18) reached the kernel: the stroke is drawn 30 px wide.
    assert _wait_for_pixel(page, 140 + 12, 140, "p[0] > 200")[:3] == [255, 255, 255]
    assert _wait_for_pixel(page, 140 + 20, 140, "p[0] < 20")[:3] == [0, 0, 0]

    assert_no_traceback(page)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]


def test_the_next_learner_gets_a_warm_kernel_again(warm_lessons: VoilaServer, page: object) -> None:
    _wait_for_pool(warm_lessons)
    deadline = time.monotonic() + 240
    while _log(warm_lessons).count(FILLED) < 2:  # refilled after the first test's page took one
        assert time.monotonic() < deadline, _log(warm_lessons)[-3000:]
        time.sleep(0.25)
    page.goto(warm_lessons.render_url(LESSON))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Draw a digit")
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content())  # type: ignore[attr-defined]
    assert kernel_id and f"Using pre-heated kernel: {kernel_id.group(1)}" in _log(warm_lessons)
    page.locator(CANVAS).first.wait_for(state="visible")  # type: ignore[attr-defined]
    _stroke(page, [(140, 45 + 10 * i) for i in range(20)])
    wait_for_kernel_text(page, "Prediction: 1")
    assert_no_traceback(page)

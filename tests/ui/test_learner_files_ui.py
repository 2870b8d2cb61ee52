"""Issue 15 item 2 in the page: two learners on one server save examples under the same name, and keep both."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import numpy as np
import pytest
from test_digit_canvas_ui import _stroke
from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text

from conftest import ARTIFACTS, LOCAL_HOSTS

SUMMARY = ".nnteach-examples-status"


@pytest.fixture
def classmate(browser: object) -> Iterator[object]:
    """A second learner: their own browser (own cookies), every non-localhost request blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        local = url.startswith(("data:", "blob:")) or (urlparse(url).hostname or "") in LOCAL_HOSTS
        if local:
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    tab = context.new_page()
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        tab.screenshot(path=str(ARTIFACTS / "classmate_saving_the_same_name.png"), full_page=True)
    finally:
        context.close()


def _open_canvas(tab: object, server: VoilaServer) -> None:
    tab.goto(server.render_url("digit_canvas.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(tab, "Draw a digit")
    tab.locator(SUMMARY).get_by_text("0 examples").wait_for(state="visible", timeout=60_000)  # type: ignore[attr-defined]


def _save_as(tab: object, name: str) -> None:
    tab.locator(".nnteach-file input").fill(name)  # type: ignore[attr-defined]
    tab.locator(".nnteach-save").click()  # type: ignore[attr-defined]


def test_a_classmates_empty_set_does_not_replace_my_examples(
    gallery: VoilaServer, page: object, classmate: object
) -> None:
    work = gallery.log.parent  # the server's NNTEACH_WORKDIR (conftest keeps its log there)
    _open_canvas(page, gallery)
    _stroke(page, [(140, 45 + 10 * i) for i in range(20)])
    wait_for_kernel_text(page, "Prediction: 1")
    page.locator(".nnteach-label select").select_option("1")  # type: ignore[attr-defined]
    page.locator(".nnteach-save-example").click()  # type: ignore[attr-defined]
    page.locator(SUMMARY).get_by_text("1 example (1: 1)").wait_for(state="visible")  # type: ignore[attr-defined]
    _save_as(page, "class 3b")
    page.locator(SUMMARY).get_by_text("Saved to class 3b.npz. 1 example").wait_for(state="visible")  # type: ignore[attr-defined]

    _open_canvas(classmate, gallery)  # another learner, nothing drawn, the same name
    _save_as(classmate, "class 3b")
    classmate.locator(SUMMARY).get_by_text("Saved to class 3b.npz. 0 examples").wait_for(state="visible")  # type: ignore[attr-defined]

    page.locator(".nnteach-load").click()  # type: ignore[attr-defined]
    page.locator(SUMMARY).get_by_text("Loaded class 3b.npz.").wait_for(state="visible")  # type: ignore[attr-defined]
    assert page.locator(SUMMARY).inner_text().strip() == "Loaded class 3b.npz. 1 example (1: 1)"  # type: ignore[attr-defined]

    saved = sorted(work.glob("**/class 3b.npz"))
    assert len(saved) == 2 and not (work / "class 3b.npz").exists(), saved
    assert {path.parent.parent for path in saved} == {work / "learners"}
    counts = sorted(len(np.load(path)["labels"]) for path in saved)
    assert counts == [0, 1]
    for tab in (page, classmate):
        assert_no_traceback(tab)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]

"""`nnteach serve` really serves the lessons through Voila, seen in headless Chromium."""

from __future__ import annotations

from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text


def test_index_renders_text_written_by_the_kernel(lessons: VoilaServer, page: object) -> None:
    page.goto(lessons.render_url("index.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "is ready")
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "101,770 parameters" in body
    assert "recognizes 97" in body or "recognizes 98" in body
    assert_no_traceback(page)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]

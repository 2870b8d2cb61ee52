"""Issue 15 item 13: ``/voila/tree`` lists the lessons by name and leads to them, not Voila's bare file list."""

from __future__ import annotations

from ui_helpers import VoilaServer, assert_no_traceback

from nnteach.paths import lessons_dir


def _lesson_files() -> list[str]:
    return sorted(path.name for path in lessons_dir().glob("*.ipynb") if path.name != "index.ipynb")


def test_the_folder_page_lists_every_lesson_and_opens_one(lessons: VoilaServer, page: object) -> None:
    page.goto(lessons.url + "/voila/tree")  # type: ignore[attr-defined]
    index_link = page.locator("a.nnteach-tree-index")  # type: ignore[attr-defined]
    index_link.wait_for(state="visible", timeout=30_000)
    assert page.url.endswith("/voila/tree")  # type: ignore[attr-defined]
    shown = page.locator("a.nnteach-tree-lesson").all_inner_texts()  # type: ignore[attr-defined]
    assert shown == [name.removesuffix(".ipynb").replace("_", " ") for name in _lesson_files()]
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "voila.json" not in body and "thumbnails" not in body  # files a learner has no use for
    assert page.locator("a.nnteach-tree-index").get_attribute("href").endswith("/voila/render/index.ipynb")  # type: ignore[attr-defined]

    page.get_by_role("link", name="07 draw your digit").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/voila/render/07_draw_your_digit.ipynb")  # type: ignore[attr-defined]
    # the lesson's own canvas, which only the kernel puts on the page
    page.locator(".nnteach-digit-canvas").first.wait_for(state="visible", timeout=120_000)  # type: ignore[attr-defined]
    assert_no_traceback(page)

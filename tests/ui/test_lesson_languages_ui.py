"""The Japanese lessons served from ``lessons/ja/`` by the same ``nnteach serve``: index, a lesson, the language links."""

from __future__ import annotations

import re

from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text


def test_japanese_index_leads_to_japanese_lessons_and_back_to_english(lessons: VoilaServer, page: object) -> None:
    page.goto(lessons.render_url("ja/index.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "7 · 数字を描いてみよう")  # a card the kernel wrote, in the folder's language
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "nnteach レッスン" in body and "先生方へ" in body, body[:500]
    # The thumbnails of the English folder are inlined in the Japanese cards.
    assert page.locator("a.nnteach-card img.nnteach-card-thumb").count() == 9  # type: ignore[attr-defined]

    page.get_by_role("link", name="7 · 数字を描いてみよう").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/voila/render/ja/07_draw_your_digit\.ipynb$"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "次へ：8 · パターンを学ぶネットワークを、ライブで")
    assert "7 · 数字を描いてみよう" in page.inner_text("body")  # type: ignore[attr-defined]
    assert_no_traceback(page)

    page.get_by_role("link", name="English", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/voila/render/07_draw_your_digit\.ipynb$"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Next: 8 · A network learning a pattern, live")
    page.get_by_role("link", name="日本語", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/voila/render/ja/07_draw_your_digit\.ipynb$"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "← レッスン一覧")
    assert page.problems.page_errors == []  # type: ignore[attr-defined]

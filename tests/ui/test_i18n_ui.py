"""Lessons 4 and 7 in Japanese and German: real Voila, real Chromium, offline.

``?lang=ja`` / ``?lang=de`` on the page (and, without it, the browser's Accept-Language) choose
the language the kernel's widgets and the page's own words speak; the drawn digit is still read.
Every wait is for text the kernel (or nnteach.js) wrote; screenshots go to tests/ui/artifacts/
(they need a CJK font: `make test` installs Debian's fonts-noto-cjk).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from ui_helpers import VoilaServer, assert_no_traceback, draw_a_one

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LOAD = 120_000  # ms: a lesson page's kernel runs every cell before its widgets render

# What each language shows; the sentences are the catalogs' (src/nnteach/locale), typed here by hand.
WORDS = {
    "ja": {
        "empty": "数字を書いてください",
        "prediction": "予測: 1",
        "clear": "消す",
        "ready": "構築できます: パラメータ数 101,770",
        "dropout": "3 層目 (Dropout) の rate が 1.0 です。すべてのユニットが捨てられるので",
        "cannot": "モデルを構築できません",
        "projector": "プロジェクター",
    },
    "de": {
        "empty": "Zeichne eine Ziffer",
        "prediction": "Vorhersage: 1",
        "clear": "Löschen",
        "ready": "Bereit zum Bauen: 101.770 Parameter.",
        "dropout": "Schicht 3 (Dropout) hat rate 1.0: Damit fällt jede Einheit weg",
        "cannot": "Das Modell lässt sich nicht bauen",
        "projector": "Beamer",
    },
}


def open_page(page: Page, url: str, selector: str, text: str) -> None:
    page.goto(url)
    page.locator(selector).filter(has_text=text).first.wait_for(state="visible", timeout=LOAD)
    assert_no_traceback(page)


def assert_clean(page: Page) -> None:
    problems = page.problems  # type: ignore[attr-defined]
    assert problems.page_errors == [], problems.page_errors
    assert problems.blocked == [], problems.blocked


@pytest.mark.parametrize("lang", ["ja", "de"])
def test_lesson_7_in_the_language_of_the_address_still_reads_the_drawn_digit(
    lessons: VoilaServer, page: Page, lang: str
) -> None:
    words = WORDS[lang]
    open_page(
        page, lessons.render_url("07_draw_your_digit.ipynb", f"?lang={lang}"), ".nnteach-prediction", words["empty"]
    )
    widget = page.locator(".nnteach-digit-canvas-widget").first
    expect(widget.get_by_role("button", name=words["clear"])).to_be_visible()
    assert "Draw a digit" not in widget.inner_text()
    draw_a_one(page)
    expect(page.locator(".nnteach-prediction").first).to_contain_text(words["prediction"], timeout=30_000)
    expect(page.locator(".nnteach-projector-toggle")).to_have_text(words["projector"])  # nnteach.js' own words
    assert page.evaluate("document.documentElement.lang") == lang
    page.screenshot(path=str(ARTIFACTS / f"lesson_7_{lang}.png"), full_page=True)
    assert_clean(page)


@pytest.mark.parametrize("lang", ["ja", "de"])
def test_lesson_4_builder_explains_dropout_1_in_the_language_of_the_address(
    lessons: VoilaServer, page: Page, lang: str
) -> None:
    words = WORDS[lang]
    url = lessons.render_url("04_multilayer_perceptron.ipynb", f"?lang={lang}")
    open_page(page, url, ".nnteach-builder .nnteach-status", words["ready"])
    rate = page.locator(".nnteach-layer-dropout .nnteach-rate input").first
    rate.fill("1.0")
    rate.press("Enter")
    status = page.locator(".nnteach-builder .nnteach-status").first
    expect(status).to_contain_text(words["cannot"])
    expect(status).to_contain_text(words["dropout"])
    expect(page.locator(".nnteach-builder .nnteach-summary").first).to_contain_text("Total params")  # Keras' words
    page.screenshot(path=str(ARTIFACTS / f"lesson_4_{lang}.png"), full_page=True)
    assert_clean(page)


@pytest.fixture
def german_browser(browser: object) -> Iterator[Page]:
    """A tab of a browser set to German (it sends Accept-Language: de-DE), blocking non-local requests."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    tab = context.new_page()
    yield tab
    context.close()


def test_without_lang_the_page_speaks_the_browsers_language(lessons: VoilaServer, german_browser: Page) -> None:
    open_page(
        german_browser, lessons.render_url("07_draw_your_digit.ipynb"), ".nnteach-prediction", "Zeichne eine Ziffer"
    )
    expect(german_browser.locator(".nnteach-projector-toggle")).to_have_text("Beamer")


def test_an_unknown_lang_falls_back_to_english(lessons: VoilaServer, page: Page) -> None:
    url = lessons.render_url("07_draw_your_digit.ipynb", "?lang=%3Cscript%3Ealert(1)%3C/script%3E")
    open_page(page, url, ".nnteach-prediction", "Draw a digit")
    expect(page.locator(".nnteach-projector-toggle")).to_have_text("Projector")
    assert_clean(page)


@pytest.mark.parametrize("lang", ["ja", "de"])
def test_a_translated_lesson_speaks_its_folders_language(lessons: VoilaServer, page: Page, lang: str) -> None:
    words = WORDS[lang]
    open_page(page, lessons.render_url(f"{lang}/07_draw_your_digit.ipynb"), ".nnteach-prediction", words["empty"])
    expect(page.locator(".nnteach-projector-toggle")).to_have_text(words["projector"])
    assert_clean(page)

"""Every lesson served by Voila (``lessons`` fixture) in headless Chromium, offline.

Each test loads one lesson and waits until a widget shows text the kernel wrote into it: widget
views exist only once the browser's widget manager has rendered them from kernel state, so the
wait can neither match the lesson's markdown nor end before the kernel is connected. It then
checks that no traceback or error output is visible and nothing was fetched from outside,
performs the lesson's main interaction (click a card, press Learn, move a slider, add a layer,
evaluate, run and load the dropout experiment, draw a digit) and checks the DOM changed as expected. Screenshots go to
``tests/ui/artifacts/`` (the index's and lesson 7's are the README's).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from ui_helpers import VoilaServer, assert_no_traceback, draw_a_one

from nnteach.lessons import LESSONS

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SLOW = 180_000  # ms: the lessons that load TensorFlow or train, on 2 shared cores


LOAD = 120_000  # ms: a lesson page's kernel runs every cell before its widgets render


def widget_text(page: Page, text: str, within: str = ".jupyter-widgets") -> Locator:
    """The rendered widget views (``within``: a CSS selector of widgets) that show ``text``."""
    return page.locator(within).filter(has_text=text).first


def open_lesson(lessons: VoilaServer, page: Page, notebook: str, widget: str, text: str = "") -> Locator:
    """Load a lesson, wait until the widget ``widget`` (a CSS selector) is rendered and shows ``text``; return it."""
    page.goto(lessons.render_url(notebook))
    widget_text(page, text, within=widget).wait_for(state="visible", timeout=LOAD)
    assert_no_traceback(page)
    return page.locator(widget).first


def assert_clean(page: Page) -> None:
    """No traceback, no error output, no page error, nothing requested from the internet."""
    assert_no_traceback(page)
    problems = page.problems  # type: ignore[attr-defined]
    assert problems.page_errors == [], problems.page_errors
    assert problems.blocked == [], problems.blocked


def set_slider(page: Page, description: str, value: str) -> None:
    """Type ``value`` into the editable readout of the slider labelled ``description``."""
    slider = page.locator(".widget-slider", has=page.locator("label", has_text=description)).first
    readout = slider.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def test_index_links_every_lesson(lessons: VoilaServer, page: Page) -> None:
    open_lesson(lessons, page, "index.ipynb", ".nnteach-index", LESSONS[0].title)  # the cards the kernel wrote
    cards = page.locator(".nnteach-card")
    expect(cards).to_have_count(len(LESSONS))
    assert "101,770 parameters" in page.inner_text("body")
    expect(page.locator(".nnteach-card img")).to_have_count(len(LESSONS))  # thumbnails inlined by the kernel
    page.screenshot(path=str(ARTIFACTS / "lessons_index.png"), full_page=True)  # the README's
    page.get_by_text("7 · Draw your digit").click()
    page.wait_for_url("**/voila/render/07_draw_your_digit.ipynb")
    page.locator(".nnteach-digit-canvas").first.wait_for(state="visible", timeout=120_000)
    assert_clean(page)


def test_lesson_1_perceptron_learns(lessons: VoilaServer, page: Page) -> None:
    view = open_lesson(lessons, page, "01_perceptron.ipynb", ".nnteach-perceptron-view")
    status = view.locator(".nnteach-learn-status")
    before = status.inner_text()
    view.locator(".nnteach-learn-button").click()
    expect(status).not_to_have_text(before)
    assert_clean(page)


def test_lesson_2_slider_shows_another_digit(lessons: VoilaServer, page: Page) -> None:
    caption = open_lesson(lessons, page, "02_mnist_data.ipynb", ".nnteach-digit-caption", "label 5")
    set_slider(page, "image #", "1")
    expect(caption).to_contain_text("label 0")
    assert_clean(page)


def test_lesson_3_accuracy_two_ways(lessons: VoilaServer, page: Page) -> None:
    open_lesson(lessons, page, "03_softmax_regression.ipynb", ".nnteach-templates")
    page.get_by_role("button", name="Check with accuracy_score and model.evaluate").click()
    result = widget_text(page, "model.evaluate: 0.92")
    result.wait_for(state="visible", timeout=SLOW)
    expect(result).to_contain_text("accuracy_score: 0.92")
    assert_clean(page)


def test_lesson_4_adding_a_layer_changes_the_total(lessons: VoilaServer, page: Page) -> None:
    status = open_lesson(
        lessons,
        page,
        "04_multilayer_perceptron.ipynb",
        ".nnteach-builder .nnteach-status",
        "Ready to build: 101,770 parameters",
    )
    page.locator(".nnteach-builder .nnteach-add").first.click()
    expect(status).not_to_contain_text("101,770")
    assert_clean(page)


def test_lesson_5_one_neuron_follows_the_slider(lessons: VoilaServer, page: Page) -> None:
    output = open_lesson(lessons, page, "05_activation_functions.ipynb", ".nnteach-neuron-output", "relu(z) = 0.300")
    set_slider(page, "input x", "-2")
    expect(output).to_contain_text("relu(z) = 0.000")
    assert_clean(page)


def test_lesson_6_run_save_and_load_the_experiment(lessons: VoilaServer, page: Page) -> None:
    open_lesson(lessons, page, "06_dropout_and_overfitting.ipynb", ".nnteach-run-comparison")
    mine = page.locator(".nnteach-run-comparison").nth(1)
    mine.locator(".nnteach-compare-start").click()
    expect(mine.locator(".nnteach-compare-progress")).to_contain_text("Done: 5 runs", timeout=SLOW)
    status = page.locator(".nnteach-log-status")
    page.get_by_role("button", name="Save run log").click()
    expect(status).to_contain_text("Saved to dropout homework.json")
    page.get_by_role("button", name="Load run log").click()
    expect(status).to_contain_text("Loaded 5 runs")
    assert_clean(page)


def test_lesson_7_draw_a_digit_and_compare(lessons: VoilaServer, page: Page) -> None:
    prediction = open_lesson(lessons, page, "07_draw_your_digit.ipynb", ".nnteach-prediction", "Draw a digit")
    draw_a_one(page)
    expect(prediction).to_contain_text("Prediction: 1", timeout=30_000)

    # "Why your digits are harder": the toggle shows the drawing just shrunk, with both answers.
    summary = page.locator(".nnteach-pipeline-summary")
    expect(summary).to_contain_text("MNIST-style: 1 (", timeout=30_000)
    expect(summary).to_contain_text("just shrunk: ")
    preview = page.locator(".nnteach-pipeline-preview")
    before = preview.get_attribute("src")
    page.locator(".nnteach-pipeline-mode").get_by_role("button", name="just shrunk").click()
    page.wait_for_function(
        "old => document.querySelector('.nnteach-pipeline-preview').getAttribute('src') !== old", arg=before
    )
    expect(summary.locator("b")).to_contain_text("just shrunk: ")

    widget = page.locator(".nnteach-digit-canvas-widget")
    widget.locator("select").first.select_option(label="1")
    widget.get_by_role("button", name="Save as example").click()
    page.get_by_role("button", name="Compare with MNIST").click()
    expect(page.locator(".nnteach-handwriting-comparison")).to_contain_text("Your digits: 100%")
    assert_clean(page)

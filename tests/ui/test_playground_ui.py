"""Lessons 8 and 9 served by Voila in headless Chromium: the playground trains and stops, a drawing is explained.

Waits are on text the kernel wrote into widgets (the playground's summary line and state, the
saliency and fooling sentences), never on sleeps; the lesson's markdown never contains them.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from test_lessons_ui import LOAD, SLOW, assert_clean, open_lesson, set_slider
from ui_helpers import VoilaServer, draw_a_one


def test_lesson_8_start_and_stop_and_the_boundary_changes(lessons: VoilaServer, page: Page) -> None:
    page.set_default_navigation_timeout(LOAD)  # Voila runs every cell before the page loads
    playground = open_lesson(lessons, page, "08_playground.ipynb", ".nnteach-playground", "Epoch 0 ·")
    region = playground.locator(".nnteach-playground-region img, img.nnteach-playground-region").first
    region.wait_for(state="visible")
    before = region.get_attribute("src")
    playground.get_by_role("button", name="Start").click()
    summary = playground.locator(".nnteach-playground-summary").first
    expect(summary).to_contain_text(re.compile(r"Epoch [1-9]"), timeout=SLOW)  # Keras loaded and trained an epoch
    playground.get_by_role("button", name="Stop").click()
    expect(playground.locator(".nnteach-playground-state").first).to_contain_text("stopped", timeout=SLOW)
    assert region.get_attribute("src") != before, "the decision regions were redrawn while training"
    expect(playground.locator(".nnteach-playground-progress").first).to_contain_text("Stopped after")
    assert_clean(page)


def test_lesson_9_draw_see_where_it_looks_and_fool_it(lessons: VoilaServer, page: Page) -> None:
    page.set_default_navigation_timeout(LOAD)
    open_lesson(lessons, page, "09_what_the_network_learned.ipynb", ".nnteach-saliency-summary", "Draw a digit")
    draw_a_one(page, top=0.15, steps=11)  # the canvas sits below the neuron pictures: scrolled into view
    expect(page.locator(".nnteach-saliency-summary")).to_contain_text("Explaining the score of 1", timeout=60_000)
    fooling = page.locator(".nnteach-fooling-summary")
    expect(fooling).to_contain_text("It first changes its answer at ε = ", timeout=60_000)
    flip = re.search(r"at ε = (0\.\d\d)", fooling.inner_text())
    assert flip is not None, fooling.inner_text()
    set_slider(page, "ε", flip.group(1))
    expect(fooling).to_contain_text("instead of 1: fooled", timeout=60_000)
    assert_clean(page)

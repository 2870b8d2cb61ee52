"""Teacher links in Voila + Chromium: a lesson's address sets its widgets, hides and locks controls; copied links round-trip."""

from __future__ import annotations

import math
import re

from playwright.sync_api import Page, expect
from ui_helpers import VoilaServer, assert_no_traceback

LOAD = 120_000  # ms: a lesson page's kernel runs every cell before its widgets render


def _softmax(logits: list[float], temperature: float = 1.0) -> list[float]:
    scaled = [value / temperature for value in logits]
    top = max(scaled)
    exps = [math.exp(value - top) for value in scaled]
    return [value / sum(exps) for value in exps]


def test_lesson_4_opens_with_the_linked_preset(lessons: VoilaServer, page: Page) -> None:
    page.goto(
        lessons.render_url("04_multilayer_perceptron.ipynb", "?builder.preset=mlp_sigmoid_relu&lock=builder.preset")
    )
    builder = page.locator(".nnteach-builder").first
    expect(builder).to_contain_text("235,146", timeout=LOAD)  # the summary the kernel wrote for the linked model
    expect(builder.locator("select").first).to_be_disabled()
    assert_no_traceback(page)


def test_lesson_5_softmax_from_the_link_and_a_copied_link_round_trips(lessons: VoilaServer, page: Page) -> None:
    query = "?softmax.logits=3,1,0.2&hide=softmax.temperature&lock=explorer.show_derivative&softmax.oops=1"
    page.goto(lessons.render_url("05_activation_functions.ipynb", query))
    view = page.locator(".nnteach-onehot-softmax").first
    expected = _softmax([3.0, 1.0, 0.2])
    expect(view.locator(".nnteach-probability-bars").first).to_contain_text(f"{expected[0]:.3f}", timeout=LOAD)
    expect(view).to_contain_text(f"{expected[2]:.3f}")
    notes = page.locator(".nnteach-link-notes").first
    expect(notes).to_contain_text("softmax.oops was ignored: OneHotSoftmaxView has no setting oops")
    expect(view.locator(".widget-slider", has=page.locator("label", has_text="Temperature"))).to_be_hidden()
    explorer = page.locator(".nnteach-activation-explorer").first
    expect(explorer.locator("input[type=checkbox]").first).to_be_disabled()

    page.get_by_role("button", name="Link to this view").click()
    address = page.locator(".nnteach-link-address input").first
    expect(address).to_have_value(re.compile(r"^/voila/render/05_activation_functions\.ipynb\?"), timeout=30_000)
    link = address.input_value()
    assert link.startswith("/voila/render/05_activation_functions.ipynb?"), link
    assert "softmax.logits=3,1,0.2" in link and "hide=softmax.temperature" in link and "oops" not in link

    second = page.context.new_page()
    second.goto(lessons.url + link)
    copied = second.locator(".nnteach-onehot-softmax").first
    expect(copied.locator(".nnteach-probability-bars").first).to_contain_text(f"{expected[0]:.3f}", timeout=LOAD)
    expect(copied.locator(".widget-slider", has=second.locator("label", has_text="Temperature"))).to_be_hidden()
    second.close()

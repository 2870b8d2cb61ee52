"""In Voila + Chromium: typed logits become probabilities the kernel writes into the page."""

from __future__ import annotations

import numpy as np
from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text

MAIN_BARS = ".nnteach-probability-bars:not(.nnteach-twice-bars)"


def _softmax(z: list[float]) -> np.ndarray:
    e = np.exp(np.asarray(z) - max(z))
    return e / e.sum()


def _shown_values(page: object) -> list[str]:
    return page.locator(f"{MAIN_BARS} .nnteach-bar-value").all_inner_texts()  # type: ignore[attr-defined]


def test_editing_the_logits_updates_the_probabilities(gallery: VoilaServer, page: object) -> None:
    page.goto(gallery.render_url("onehot_softmax.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Probabilities: softmax(logits / temperature)")
    seed = [f"{p:.3f}" for p in _softmax([2, -1, 1, 1])]
    assert _shown_values(page) == seed

    box = page.locator(".nnteach-logits-text input")  # type: ignore[attr-defined]
    box.fill("1, 2, 3")
    box.press("Enter")
    expected = [f"{p:.3f}" for p in _softmax([1, 2, 3])]
    page.locator(f"{MAIN_BARS} .nnteach-bar-value", has_text=expected[2]).wait_for(timeout=30_000)  # type: ignore[attr-defined]
    assert _shown_values(page) == expected
    assert page.locator(f"{MAIN_BARS} .nnteach-bar-top .nnteach-bar-marks").inner_text() == "◀ top"  # type: ignore[attr-defined]
    assert page.locator(".nnteach-logit-slider").count() == 3  # type: ignore[attr-defined]
    assert page.locator(".nnteach-label-picker button").all_inner_texts() == ["0", "1", "2"]  # type: ignore[attr-defined]
    assert page.locator(".nnteach-onehot-cell").count() == 3  # type: ignore[attr-defined]
    loss = -np.log(_softmax([1, 2, 3])[0])
    assert page.locator(".nnteach-loss-value").inner_text() == f"{loss:.3f}"  # type: ignore[attr-defined]

    box.fill("1, x")
    box.press("Enter")
    wait_for_kernel_text(page, "Expected numbers only. Received 'x' at position 2")
    assert _shown_values(page) == expected  # the last good state stays
    assert_no_traceback(page)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]


def test_probability_bars_gallery_marks_top_and_true_class(gallery: VoilaServer, page: object) -> None:
    page.goto(gallery.render_url("probability_bars.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Most likely: 3, true class: 7")
    top = page.locator(".nnteach-bar-top")  # type: ignore[attr-defined]
    assert top.locator(".nnteach-bar-label").inner_text() == "3"
    assert top.locator(".nnteach-bar-marks").inner_text() == "◀ top"
    true_row = page.locator(".nnteach-bar-true")  # type: ignore[attr-defined]
    assert true_row.locator(".nnteach-bar-marks").inner_text() == "✓ true"
    assert page.locator("[role=listitem][aria-label^='3: ']").get_attribute("aria-label").endswith("(most likely)")  # type: ignore[attr-defined]
    assert_no_traceback(page)

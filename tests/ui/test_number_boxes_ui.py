"""Issue 15 item 16 in the page: text typed into a training number box reaches the kernel, which answers it.

A browser's number input reverts "abc" without a word to the kernel; nnteach's boxes are text
boxes, so the learner reads why their value was not used and which value is kept.
"""

from __future__ import annotations

from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text


def test_typed_text_and_too_many_epochs_get_a_sentence_in_the_page(gallery: VoilaServer, page: object) -> None:
    page.goto(gallery.render_url("training_monitor.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "State: idle", timeout_ms=120_000)
    epochs = page.locator(".nnteach-train-epochs input")  # type: ignore[attr-defined]
    kept = epochs.input_value()
    epochs.fill("abc")
    epochs.press("Enter")
    wait_for_kernel_text(page, "Expected a whole number for Epochs. Received 'abc'")
    page.wait_for_function(  # the box shows the kept value again, written back by the kernel
        "kept => document.querySelector('.nnteach-train-epochs input').value === kept", arg=kept
    )
    epochs.fill("99999999")
    epochs.press("Enter")
    wait_for_kernel_text(page, "Changed epochs from 99,999,999 to 1,000")
    page.wait_for_function("() => document.querySelector('.nnteach-train-epochs input').value === '1000'")
    assert_no_traceback(page)

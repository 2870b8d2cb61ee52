"""TrainingMonitor in Voila + Chromium: Start trains, progress and curves update in the page, Stop is handled."""

from __future__ import annotations

import re

from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text

# The lines the browser drew in both panels (bqplot SVG paths): they change when the kernel sends points.
_DRAWN = "() => Array.from(document.querySelectorAll('.nnteach-train-curves path.line')).map(p => p.getAttribute('d') || '').join('|')"


def test_start_shows_progress_and_curves_and_stop_ends_the_run(gallery: VoilaServer, page: object) -> None:
    page.goto(gallery.render_url("training_monitor.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "State: idle", timeout_ms=120_000)
    epochs = page.locator(".nnteach-train-epochs input")  # type: ignore[attr-defined]
    epochs.fill("20")  # long enough that only Stop can end it
    epochs.press("Enter")
    # All 60,000 images: an epoch takes seconds, so "Epoch 2" is on screen long enough to be read
    # (the quick gallery setting of 2,000 images trains 20 epochs in about 6 s on a quiet machine).
    images = page.locator(".nnteach-train-subset input")  # type: ignore[attr-defined]
    images.fill("60000")
    images.press("Enter")
    # The curves are drawn by the browser (bqplot SVG): empty axes with epochs 1…20 and the hint first.
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelectorAll('.nnteach-train-curves svg').length >= 2"
    )
    assert "Press Start" in page.locator(".nnteach-train-curves").inner_text()  # type: ignore[attr-defined]
    first_curves = page.evaluate(_DRAWN)  # type: ignore[attr-defined]

    page.locator("button.nnteach-train-start").click()  # type: ignore[attr-defined]
    # issue 15 item 4: at once, while TensorFlow loads, the page says so and Start is disabled
    wait_for_kernel_text(page, "Loading Keras…")
    assert page.locator("button.nnteach-train-start").is_disabled()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "State: training", timeout_ms=120_000)
    wait_for_kernel_text(page, "Epoch 1 of 20 · batch")  # progress written by the kernel while it trains
    page.wait_for_function(f"old => ({_DRAWN})() !== old", arg=first_curves, timeout=120_000)  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Epoch 2 of 20", timeout_ms=120_000)  # a whole epoch, validation included

    page.locator("button.nnteach-train-stop").click()  # type: ignore[attr-defined]
    # issue 15 item 5: after Stop the page says why it waits
    wait_for_kernel_text(page, "Measuring test accuracy…", timeout_ms=120_000)
    wait_for_kernel_text(page, "State: stopped", timeout_ms=120_000)
    body = page.inner_text("body")  # type: ignore[attr-defined]
    # issue 15 item 3: the epoch it stopped in (2 or later, since "Epoch 2 of 20" was on screen), not "Epoch 3"
    stopped = re.search(
        r"Stopped (in epoch (\d+) at batch [\d,]+ of 1,875 \(a partial epoch\)|after epoch (\d+) of 20)", body
    )
    assert stopped is not None, body[-1500:]
    assert int(stopped.group(2) or stopped.group(3)) >= 2
    assert "Test accuracy on 10,000 images" in body
    assert page.locator("button.nnteach-train-start").is_enabled()  # type: ignore[attr-defined]
    assert_no_traceback(page)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]

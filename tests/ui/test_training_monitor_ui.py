"""TrainingMonitor in Voila + Chromium: Start trains, progress and curves update in the page, Stop is handled."""

from __future__ import annotations

from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text


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
    curves = page.locator("img.nnteach-train-curves")  # type: ignore[attr-defined]
    first_curves = curves.get_attribute("src")

    page.locator("button.nnteach-train-start").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "State: training")
    wait_for_kernel_text(page, "Epoch 1 of 20 · batch")  # progress written by the kernel while it trains
    page.wait_for_function(  # type: ignore[attr-defined]
        "old => document.querySelector('img.nnteach-train-curves').src !== old", arg=first_curves, timeout=120_000
    )
    wait_for_kernel_text(page, "Epoch 2 of 20", timeout_ms=120_000)  # a whole epoch, validation included

    page.locator("button.nnteach-train-stop").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "State: done", timeout_ms=120_000)
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "of 20 epochs" in body and "Stopped after" in body, body[-1500:]
    assert "Test accuracy on 10,000 images" in body
    assert page.locator("button.nnteach-train-start").is_enabled()  # type: ignore[attr-defined]
    assert_no_traceback(page)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]

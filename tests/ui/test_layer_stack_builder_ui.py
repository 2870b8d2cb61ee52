"""In Voila + Chromium: adding a layer changes the parameter total, and Dropout 1.0 is explained next to its layer."""

from __future__ import annotations

from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text


def test_add_a_layer_and_see_dropout_one_explained(gallery: VoilaServer, page: object) -> None:
    page.goto(gallery.render_url("layer_stack_builder.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Ready to build: 101,770 parameters")
    table = page.locator(".nnteach-summary")  # type: ignore[attr-defined]
    assert "784 × 128 + 128 = 100,480" in table.inner_text()
    assert page.locator(".nnteach-layer-row").count() == 4  # type: ignore[attr-defined]

    page.locator(".nnteach-new-kind select").select_option("BatchNormalization")  # type: ignore[attr-defined]
    page.locator(".nnteach-add").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Ready to build: 101,810 parameters")
    page.locator(".nnteach-layer-row").nth(4).wait_for()  # type: ignore[attr-defined]
    assert page.locator(".nnteach-layer-batchnormalization").count() == 1  # type: ignore[attr-defined]
    totals = page.locator(".nnteach-summary .nnteach-total").first.inner_text()  # type: ignore[attr-defined]
    assert "Total params" in totals and "101,810" in totals

    rate = page.locator(".nnteach-layer-dropout .nnteach-rate input")  # type: ignore[attr-defined]
    rate.fill("1.0")
    rate.press("Enter")
    problem = page.locator(".nnteach-layer-dropout .nnteach-row-problem")  # type: ignore[attr-defined]
    problem.get_by_text("drops every unit, so nothing reaches the next layer").wait_for(timeout=30_000)
    assert "Layer 3 (Dropout) has rate 1.0" in problem.inner_text()
    wait_for_kernel_text(page, "The model cannot be built")
    assert_no_traceback(page)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]
    assert page.problems.blocked == []  # type: ignore[attr-defined]

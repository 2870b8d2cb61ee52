"""In Voila + Chromium: moving the explorer's cursor slider and the perceptron's controls changes kernel-written text."""

from __future__ import annotations

from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text

# Every line a bqplot figure drew (its SVG paths), as one string: it changes when the kernel sends new data.
_DRAWN = """selector => Array.from(document.querySelectorAll(selector + ' path.line'))
    .map(path => path.getAttribute('d') || '').join('|')"""


def _drawn(page: object, selector: str) -> str:
    return str(page.evaluate(_DRAWN, selector))  # type: ignore[attr-defined]


def _wait_for_plot(page: object, selector: str, label: str) -> str:
    """Wait until the browser has drawn the plot (bqplot, offline) with its axis label; return its lines."""
    page.wait_for_function(  # type: ignore[attr-defined]
        """([selector, label]) => {
            const svg = document.querySelector(selector + ' svg');
            const drawn = document.querySelectorAll(selector + ' path.line');
            return svg && drawn.length > 0 && Array.from(drawn).some(p => (p.getAttribute('d') || '').length > 20)
                && svg.textContent.includes(label);
        }""",
        arg=[selector, label],
    )
    return _drawn(page, selector)


def _set_slider(page: object, css_class: str, value: str) -> None:
    """Type a value into a slider's editable readout, as a learner can, and confirm with Enter."""
    readout = page.locator(f".{css_class} .widget-readout")  # type: ignore[attr-defined]
    readout.click()
    page.keyboard.press("Control+A")  # type: ignore[attr-defined]
    page.keyboard.type(value)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]


def test_explorer_cursor_slider_changes_the_readout(gallery: VoilaServer, page: object) -> None:
    page.goto(gallery.render_url("activation_explorer.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "x = 1.00")
    readout = page.locator(".nnteach-cursor-readout")  # type: ignore[attr-defined]
    assert "f(x) = 0.7311" in readout.inner_text()  # sigmoid(1)
    first_plot = _wait_for_plot(page, ".nnteach-activation-plot", "z (the weighted sum)")

    handle = page.locator(".nnteach-cursor-slider .noUi-handle")  # type: ignore[attr-defined]
    handle.focus()
    page.keyboard.press("ArrowRight")  # type: ignore[attr-defined]  # one step: (6 − (−6)) / 240 = 0.05
    wait_for_kernel_text(page, "x = 1.05")
    _set_slider(page, "nnteach-cursor-slider", "-0.5")
    wait_for_kernel_text(page, "x = -0.50")
    text = readout.inner_text()
    assert "f(x) = 0.3775" in text  # sigmoid(−0.5), computed by the kernel
    assert "f′(x) = 0.0000" in text  # step's and relu's slope left of 0
    page.wait_for_function(  # type: ignore[attr-defined]
        f"([selector, old]) => ({_DRAWN})(selector) !== old", arg=[".nnteach-activation-plot", first_plot]
    )

    box = page.locator(".nnteach-x-min input")  # type: ignore[attr-defined]
    box.fill("ten")
    box.press("Enter")
    wait_for_kernel_text(page, "Expected a number for 'x from'. Received 'ten'")
    assert "x = -0.50" in readout.inner_text()  # the last good state stays
    assert_no_traceback(page)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]
    assert page.problems.blocked == []  # type: ignore[attr-defined]


def test_perceptron_sliders_and_learn_button(gallery: VoilaServer, page: object) -> None:
    page.goto(gallery.render_url("perceptron_view.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "points on the wrong side")
    first_line = _wait_for_plot(page, ".nnteach-perceptron-plot", "x₁")
    _set_slider(page, "nnteach-w1-slider", "1")
    _set_slider(page, "nnteach-w2-slider", "1")
    _set_slider(page, "nnteach-bias-slider", "-8.5")
    wait_for_kernel_text(page, "every point is right")
    sum_text = page.locator(".nnteach-perceptron-sum").inner_text()  # type: ignore[attr-defined]
    assert "-8.50 + 2·1.00 + 1·1.00 = -5.50" in sum_text.replace("(", "").replace(")", ""), sum_text
    page.wait_for_function(  # type: ignore[attr-defined]  # the browser moved the decision line
        f"([selector, old]) => ({_DRAWN})(selector) !== old", arg=[".nnteach-perceptron-plot", first_line]
    )
    assert page.locator(".nnteach-perceptron-plot .heatmap, .nnteach-perceptron-plot image").count() > 0  # type: ignore[attr-defined]

    page.locator(".nnteach-learn-button").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Done after 0 steps")
    _set_slider(page, "nnteach-bias-slider", "0")
    wait_for_kernel_text(page, "8 of 16 points on the wrong side")
    page.locator(".nnteach-learn-button").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Step 1: point 0")
    assert_no_traceback(page)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]

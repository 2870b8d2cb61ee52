"""DigitCanvas in a real Voila page and headless Chromium: draw with the mouse, read the prediction."""

from __future__ import annotations

import math

from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text

CANVAS = ".nnteach-digit-canvas"
PREDICTION = ".nnteach-prediction"

# JavaScript: the RGBA of one pixel of the visible canvas (ipycanvas draws into it once ready).
PIXEL = """([x, y]) => {
  const canvas = document.querySelector('.nnteach-digit-canvas canvas') || document.querySelector('canvas.nnteach-digit-canvas');
  const scale = canvas.width / canvas.getBoundingClientRect().width;
  return Array.from(canvas.getContext('2d').getImageData(Math.floor(x * scale), Math.floor(y * scale), 1, 1).data);
}"""


def _stroke(page: object, points: list[tuple[float, float]]) -> None:
    box = page.locator(CANVAS).first.bounding_box()  # type: ignore[attr-defined]
    mouse = page.mouse  # type: ignore[attr-defined]
    (x, y), *rest = points
    mouse.move(box["x"] + x, box["y"] + y)
    mouse.down()
    for x, y in rest:
        mouse.move(box["x"] + x, box["y"] + y, steps=2)
    mouse.up()


def _ring(count: int = 36) -> list[tuple[float, float]]:
    return [
        (140 + 60 * math.sin(2 * math.pi * i / count), 140 - 95 * math.cos(2 * math.pi * i / count))
        for i in range(count + 1)
    ]


def _wait_for_pixel(page: object, x: int, y: int, expect: str) -> list[int]:
    page.wait_for_function(  # type: ignore[attr-defined]
        f"([x, y]) => {{ const p = ({PIXEL})([x, y]); return {expect}; }}", arg=[x, y], timeout=30_000
    )
    return list(page.evaluate(PIXEL, [x, y]))  # type: ignore[attr-defined]


def test_drawing_a_one_and_a_zero_with_the_mouse(gallery: VoilaServer, page: object) -> None:
    page.goto(gallery.render_url("digit_canvas.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Draw a digit")
    page.locator(CANVAS).first.wait_for(state="visible")  # type: ignore[attr-defined]
    # The pre-drawn frame arrives once the browser reports ready: black field, grey border.
    assert _wait_for_pixel(page, 140, 140, "p[3] === 255 && p[0] < 20")[:3] == [0, 0, 0]
    border = _wait_for_pixel(page, 1, 140, "p[3] === 255 && p[0] > 60")
    assert 60 < border[0] < 160, border

    _stroke(page, [(140, 45 + 10 * i) for i in range(20)])
    wait_for_kernel_text(page, "Prediction: 1")
    assert page.locator(PREDICTION).inner_text().startswith("Prediction: 1")  # type: ignore[attr-defined]
    ink = _wait_for_pixel(page, 140, 140, "p[0] > 200")  # the stroke is visible on the canvas
    assert ink[:3] == [255, 255, 255]

    page.locator(".nnteach-clear").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Draw a digit")
    _wait_for_pixel(page, 140, 140, "p[0] < 20")  # Clear wiped the stroke, the frame is back
    assert _wait_for_pixel(page, 1, 140, "p[0] > 60")[0] > 60

    _stroke(page, _ring())
    wait_for_kernel_text(page, "Prediction: 0")
    assert "◀ top" in page.locator(".nnteach-bar-top").inner_text()  # type: ignore[attr-defined]
    assert page.locator(".nnteach-bar-top .nnteach-bar-label").inner_text().strip() == "0"  # type: ignore[attr-defined]
    _wait_for_pixel(page, 80, 140, "p[0] > 200")  # the ring's left side is drawn

    assert_no_traceback(page)
    assert page.locator(".nnteach-error").count() == 0  # type: ignore[attr-defined]
    assert page.problems.page_errors == []  # type: ignore[attr-defined]
    assert page.problems.console_errors == []  # type: ignore[attr-defined]


WIDGET_TEXT = "() => document.querySelector('.nnteach-digit-canvas-widget').innerText"
SETTLED = """before => {
  const text = document.querySelector('.nnteach-digit-canvas-widget').innerText;
  const caption = document.querySelector('.nnteach-prediction').innerText;
  const top = document.querySelector('.nnteach-bar-top .nnteach-bar-label');
  return text !== before && top !== null && caption.startsWith('Prediction: ' + top.innerText.trim() + ' ');
}"""


def _set_brush(page: object, width: int) -> None:
    """Type the brush width into the slider's readout, as a learner can; wait until the kernel took it."""
    readout = page.locator(".nnteach-brush-width .widget-readout")  # type: ignore[attr-defined]
    readout.click()
    page.keyboard.press("Control+A")  # type: ignore[attr-defined]
    page.keyboard.type(str(width))  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "w => document.querySelector('.nnteach-brush-width .widget-readout').textContent.trim() === w", arg=str(width)
    )


def test_the_ten_digits_drawn_by_mouse_are_read_right(gallery: VoilaServer, page: object) -> None:
    """Natural shapes (tests/ui/digit_shapes.py): normal ones, small ones in a corner with the default brush,
    large ones with the thinnest brush. Every one is read right."""
    from digit_shapes import digit_strokes, fit

    plans = {  # digit -> (centre, height, brush)
        2: ((45.0, 45.0), 50.0, 18),  # small in the top-left corner, default brush (read as 8 before)
        3: ((235.0, 235.0), 50.0, 18),  # small in the bottom-right corner, default brush
        5: ((140.0, 140.0), 255.0, 4),  # large, the thinnest brush
        8: ((140.0, 140.0), 255.0, 4),
    }
    page.goto(gallery.render_url("digit_canvas.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "Draw a digit")
    page.locator(CANVAS).first.wait_for(state="visible")  # type: ignore[attr-defined]
    _wait_for_pixel(page, 140, 140, "p[3] === 255")  # the canvas is ready for strokes
    read, current = {}, 18
    for digit in (0, 1, 2, 3, 4, 6, 7, 9, 5, 8):  # the thin-brush ones last: the brush changes once
        centre, height, brush = plans.get(digit, ((140.0 + 4 * (digit % 3), 140.0 - 3 * (digit % 2)), 180.0, 18))
        if brush != current:
            _set_brush(page, brush)
            current = brush
        page.locator(".nnteach-clear").click()  # type: ignore[attr-defined]
        wait_for_kernel_text(page, "Draw a digit")
        strokes = digit_strokes(digit, fit(280.0, centre, height), seed=7)
        for stroke in strokes[:-1]:
            _stroke(page, stroke)
        if len(strokes) > 1:
            wait_for_kernel_text(page, "Prediction:")
        before = page.evaluate(WIDGET_TEXT)  # type: ignore[attr-defined]
        _stroke(page, strokes[-1])
        # The kernel answered the last stroke: the panel changed, and caption and top bar name the same digit.
        page.wait_for_function(SETTLED, arg=before)  # type: ignore[attr-defined]
        read[digit] = page.locator(PREDICTION).inner_text().split("(")[0].strip()  # type: ignore[attr-defined]
    assert read == {d: f"Prediction: {d}" for d in read}, read
    assert_no_traceback(page)
    assert page.problems.page_errors == []  # type: ignore[attr-defined]

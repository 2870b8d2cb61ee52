"""PipelineToggle: the drawing MNIST-style or just shrunk, with the canvas' model's answer to each."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest

from nnteach.models import reference_mlp
from nnteach.preprocess import strokes_to_image
from nnteach.widgets import DigitCanvas, PipelineToggle

# A small "3" in the top-left corner, drawn with the default brush: two bumps, 50 px high.
SMALL_THREE = [
    (
        20 + 50 * (0.5 + 0.3 * math.cos(-math.pi / 2 + math.pi * i / 12)),
        20 + 50 * (c + 0.25 * math.sin(-math.pi / 2 + math.pi * i / 12)),
    )
    for c in (0.25, 0.75)
    for i in range(13)
]


@pytest.fixture
def canvas() -> Iterator[DigitCanvas]:
    made = DigitCanvas()
    yield made
    made.close()


def test_both_images_and_both_answers(canvas: DigitCanvas) -> None:
    toggle = PipelineToggle(canvas)
    assert toggle.mnist_prediction is None and toggle.image is None and toggle.summary == "Draw a digit above."
    canvas.add_stroke(SMALL_THREE)
    np.testing.assert_array_equal(toggle.image, canvas.image)  # MNIST-style is what the canvas' model sees
    # Just shrunk: each 10×10 block of the 280 px drawing averaged, computed here independently.
    raster = strokes_to_image(canvas.strokes, 280, canvas.brush_width)
    toggle.set_state({"mode": "shrunk"})  # as the browser's toggle does
    assert toggle.mode == "shrunk"
    np.testing.assert_allclose(toggle.image, raster.reshape(28, 10, 28, 10).mean(axis=(1, 3)), atol=1e-6)
    model = reference_mlp()
    assert toggle.mnist_prediction == int(model.predict(canvas.image).argmax())
    assert toggle.shrunk_prediction == int(model.predict(toggle.image).argmax())
    assert toggle.summary.startswith(f"MNIST-style: {toggle.mnist_prediction} (")
    assert f"just shrunk: {toggle.shrunk_prediction} (" in toggle.summary
    canvas.clear()
    assert toggle.mnist_prediction is None and toggle.shrunk_prediction is None and toggle.image is None
    toggle.close()


def test_the_page_may_set_only_the_mode(canvas: DigitCanvas) -> None:
    toggle = PipelineToggle(canvas)
    canvas.add_stroke(SMALL_THREE)
    toggle.set_state({"mnist_prediction": 7, "mode": "shrunk"})
    assert toggle.mode == "shrunk"
    assert toggle.mnist_prediction == canvas.prediction
    toggle.set_state({"mode": "nonsense"})
    assert toggle.mode == "shrunk" and toggle.errors.message
    toggle.close()


def test_a_closed_toggle_stops_following_and_a_wrong_canvas_is_refused(canvas: DigitCanvas) -> None:
    toggle = PipelineToggle(canvas)
    toggle.close()
    canvas.add_stroke(SMALL_THREE)
    assert toggle.mnist_prediction is None
    with pytest.raises(TypeError, match=r"Expected a DigitCanvas\. Received int"):
        PipelineToggle(3)

"""HandwritingCheck: the canvas' model on the learner's examples and on MNIST test digits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import traitlets

from helpers import RecordingComm
from nnteach.examples import compare_handwriting
from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.widgets import DigitCanvas, HandwritingCheck
from nnteach.widgets._base import page_style

ONE = [(140.0, 40.0), (140.0, 240.0)]
RING = [(140 + 60 * np.sin(a), 140 - 90 * np.cos(a)) for a in np.linspace(0, 2 * np.pi, 40)]


@pytest.fixture
def canvas() -> Iterator[DigitCanvas]:
    made = DigitCanvas()
    yield made
    made.close()


def _click(button: Any) -> None:
    button.comm.handle_msg({"content": {"data": {"method": "custom", "content": {"event": "click"}}}, "buffers": []})


def _save(canvas: DigitCanvas, stroke: list[tuple[float, float]], label: int) -> None:
    canvas.clear()
    canvas.add_stroke(stroke)
    canvas.save_example(label)


def test_comparing_without_examples_says_what_to_do(canvas: DigitCanvas) -> None:
    check = HandwritingCheck(canvas, mnist_test=(np.zeros((1, 28, 28)), np.zeros(1)))
    _click(check.controls["compare"])
    assert check.errors.message.startswith("Expected some examples of your own handwriting. Received none")
    assert check.own_accuracy is None and check.summary == "Save a few examples, then press Compare."
    check.close()


@pytest.mark.mnist
def test_own_digits_and_mnist_accuracy_against_the_real_test_set(
    canvas: DigitCanvas, mnist: tuple[tuple[Any, Any], tuple[Any, Any]]
) -> None:
    x_test, y_test = mnist[1]
    _save(canvas, ONE, 1)
    _save(canvas, RING, 0)
    _save(canvas, RING, 6)  # mislabelled on purpose: one of three is wrong
    check = HandwritingCheck(canvas)
    _click(check.controls["compare"])
    expected = float(np.mean(reference_mlp().predict(x_test[:1000]).argmax(axis=1) == y_test[:1000]))
    assert check.errors.message == ""
    assert check.own_accuracy == pytest.approx(2 / 3) and check.compared == 3
    assert check.mnist_accuracy == pytest.approx(expected) and expected > 0.95
    assert check.summary == f"Your digits: 67% of 3 right · MNIST test digits: {expected:.1%} of 1,000 right"
    canvas.model = reference_softmax_regression()  # the check measures the model the canvas uses now
    check.count = 500
    check.compare()
    logits = reference_softmax_regression().predict(x_test[:500])
    assert check.mnist_accuracy == pytest.approx(float(np.mean(logits.argmax(axis=1) == y_test[:500])))
    check.close()


def test_compare_handwriting_counts_right_answers() -> None:
    images = np.zeros((4, 28, 28), np.float32)
    always_three = lambda x: np.eye(10)[np.full(len(x), 3)]  # noqa: E731 - a model in one line
    result = compare_handwriting(always_three, (images, np.array([3, 3, 1, 2])), (images[:2], np.array([3, 3])))
    assert (result.own_accuracy, result.own_count, result.mnist_accuracy, result.mnist_count) == (0.5, 4, 1.0, 2)


def test_a_crafted_update_cannot_set_the_results(canvas: DigitCanvas) -> None:
    check = HandwritingCheck(canvas, mnist_test=(np.zeros((1, 28, 28)), np.zeros(1)))
    state = {"own_accuracy": 1.0, "summary": "Your digits: 100%", "count": 5}
    check.comm.handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})
    assert check.own_accuracy is None and check.summary.startswith("Save a few") and check.count == 1000
    with pytest.raises(traitlets.TraitError, match="read-only"):
        check.own_accuracy = 1.0
    with pytest.raises(ValueError, match=r"Expected 1 to 10,000 MNIST test digits\. Received count=0"):
        check.count = 0
    check.close()


def test_a_canvas_is_required() -> None:
    with pytest.raises(TypeError, match=r"Expected a DigitCanvas .* Received int"):
        HandwritingCheck(3)


def test_close_leaves_no_comm_open_that_the_check_made(canvas: DigitCanvas) -> None:
    before = set(RecordingComm.open_comms)
    check = HandwritingCheck(canvas)
    check.close()
    left = {RecordingComm.open_comms[comm_id] for comm_id in set(RecordingComm.open_comms) - before}
    assert left <= {page_style().comm} and canvas.comm is not None, "the canvas is the learner's, not the check's"

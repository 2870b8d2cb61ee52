"""OneHotSoftmaxView driven like the front end (``set_state`` on its controls), without a browser."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import traitlets

from helpers import heavy_modules_after
from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.widgets import OneHotSoftmaxView


def _softmax(z: Any) -> np.ndarray:
    e = np.exp(np.asarray(z, np.float64) - np.max(z))
    return e / e.sum()


def _type(view: OneHotSoftmaxView, text: str) -> None:
    view._logits_text.set_state({"value": text})


def test_the_seed_example_typed_into_the_box() -> None:
    view = OneHotSoftmaxView()
    _type(view, "2, -1, 1, 1")
    assert view.logits == (2.0, -1.0, 1.0, 1.0)
    assert view.num_classes == 4
    assert [round(p, 2) for p in view.probabilities] == [0.56, 0.03, 0.21, 0.21]
    assert view.loss == pytest.approx(-np.log(_softmax([2, -1, 1, 1])[0]), rel=1e-12)
    # The class count follows the logits: sliders, label buttons, one-hot cells and bars.
    assert len(view._sliders_box.children) == 4
    assert [value for _, value in view._label_picker.options] == [0, 1, 2, 3]
    assert view._one_hot_cells.value.count("nnteach-onehot-cell") == 4
    assert view.bars.shown_labels() == ("0", "1", "2", "3")
    p_true = f"{_softmax([2, -1, 1, 1])[0]:.3f}"
    assert f'<span class="nnteach-bar-value">{p_true}</span>' in view.bars.value
    assert view.bars.highlight == 0
    assert f"−log({p_true}) = " in view._loss_view.value
    assert view.errors.message == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2, x, 1", "Expected numbers only. Received 'x' at position 2"),
        ("", "Expected logits. Received an empty box"),
        ("5", "Expected 2 to 20 logits. Received 1"),
        (", ".join(["1"] * 21), "Expected 2 to 20 logits. Received 21"),
    ],
)
def test_bad_text_gives_a_short_message_and_keeps_the_last_good_state(text: str, message: str) -> None:
    view = OneHotSoftmaxView()
    _type(view, "2, -1, 1, 1")
    before = (view.logits, view.probabilities, view.loss, view.bars.value)
    _type(view, text)
    assert view.errors.message.startswith(message)
    assert (view.logits, view.probabilities, view.loss, view.bars.value) == before
    _type(view, "0, 0")
    assert view.errors.message == ""
    assert view.probabilities == (0.5, 0.5)


def test_sliders_edit_one_logit_and_the_text_follows() -> None:
    view = OneHotSoftmaxView(logits=(2, -1, 1, 1))
    view._sliders_box.children[1].set_state({"value": 3.5})
    assert view.logits == (2.0, 3.5, 1.0, 1.0)
    assert view._logits_text.value == "2, 3.5, 1, 1"
    assert view.bars.highlight == 1
    np.testing.assert_allclose(view.probabilities, _softmax(view.logits), rtol=1e-12)


def test_picking_a_label_moves_the_one_and_changes_the_loss() -> None:
    view = OneHotSoftmaxView(logits=(2, -1, 1, 1))
    view._label_picker.set_state({"index": 1})
    assert view.label == 1
    assert view.one_hot == (0.0, 1.0, 0.0, 0.0)
    assert "label 1 → [0, 1, 0, 0]" in view._one_hot_cells.value
    assert view._one_hot_cells.value.count("nnteach-onehot-on") == 1
    assert view.loss == pytest.approx(-np.log(_softmax([2, -1, 1, 1])[1]))
    assert view.bars.true_class == 1


def test_temperature_divides_the_logits() -> None:
    view = OneHotSoftmaxView(logits=(2, -1, 1, 1))
    view._temperature.set_state({"value": 2.0})
    assert view.temperature == 2.0
    np.testing.assert_allclose(view.probabilities, _softmax(np.array([2, -1, 1, 1]) / 2.0), rtol=1e-12)
    assert view.loss == pytest.approx(-np.log(view.probabilities[0]))


def test_softmax_twice_shows_the_from_logits_mistake() -> None:
    view = OneHotSoftmaxView(logits=(20.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    assert view._twice_box.layout.display == "none"
    view._twice_switch.set_state({"value": True})
    assert view.softmax_twice is True
    assert view._twice_box.layout.display == "flex"
    np.testing.assert_allclose(view.twice_probabilities, _softmax(view.probabilities), rtol=1e-12)
    # A nearly perfect prediction: the right loss is ~0, the doubled softmax cannot go below log(1 + 9/e).
    assert view.loss < 1e-7
    assert view.twice_loss == pytest.approx(np.log1p(9 / np.e), rel=1e-6)
    assert f"{view.twice_loss:.3f}" in view._twice_note.value
    assert f'<span class="nnteach-bar-value">{np.e / (np.e + 9):.3f}</span>' in view.twice_bars.value


@pytest.mark.keras
def test_softmax_twice_is_what_keras_reports_for_the_mistake() -> None:
    from nnteach._tf import import_keras

    keras = import_keras()
    view = OneHotSoftmaxView(logits=(2, -1, 1, 1), label=2)
    probabilities = np.asarray([view.probabilities], dtype=np.float32)
    wrong = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([2]), probabilities)
    right = keras.losses.SparseCategoricalCrossentropy(from_logits=False)(np.array([2]), probabilities)
    assert view.twice_loss == pytest.approx(float(wrong), rel=1e-6)
    assert view.loss == pytest.approx(float(right), rel=1e-6)


def test_fewer_classes_bring_the_label_into_range() -> None:
    view = OneHotSoftmaxView(label=9)
    old_picker = view._label_picker
    _type(view, "1, 2, 3")
    assert view.label == 2
    assert view.num_classes == 3
    # A fresh picker replaces the old one (whose front end would keep a stale fourth button).
    assert view._label_picker is not old_picker
    assert old_picker.comm is None  # closed
    assert [value for _, value in view._label_picker.options] == [0, 1, 2]
    assert view._label_picker.value == 2
    view._label_picker.set_state({"index": 0})
    assert view.label == 0
    view.num_classes = 5
    assert view.logits == (1.0, 2.0, 3.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("name", "value", "match"),
    [
        ("label", 10, r"label from 0 to 9\. Received label=10"),
        ("temperature", 0.0, r"positive temperature\. Received temperature=0\.0"),
        ("logits", (1.0,), r"2 to 20 classes\. Received len\(logits\)=1"),
        ("logits", (1.0, float("nan")), r"finite numbers for `logits`"),
    ],
)
def test_bad_values_set_in_code_are_refused(name: str, value: Any, match: str) -> None:
    view = OneHotSoftmaxView()
    before = view.probabilities
    with pytest.raises(ValueError, match=match):
        setattr(view, name, value)
    assert view.probabilities == before


@pytest.mark.mnist
def test_a_real_digit_from_the_test_set(mnist: Any) -> None:
    _, (x_test, y_test) = mnist
    view = OneHotSoftmaxView(logits=(2, -1, 1, 1))
    view._mode_picker.set_state({"index": 1})  # "From a real digit"
    assert view.mode == "digit"
    assert view.digit_index == 0
    view._digit_index.set_state({"value": 8})
    expected = reference_mlp().predict(x_test[8])[0]
    assert view.label == int(y_test[8])
    assert view.num_classes == 10
    np.testing.assert_allclose(view.probabilities, expected, rtol=1e-5, atol=1e-7)
    assert view.loss == pytest.approx(-np.log(expected[y_test[8]]), rel=1e-4)
    assert view._digit_image.value[:4] == b"\x89PNG"
    assert f"it says <b>{int(expected.argmax())}</b>" in view._digit_note.value
    assert view._digit_box.layout.display == "flex"
    with pytest.raises(ValueError, match=r"image number from 0 to 9999\. Received 10000"):
        view.show_digit(10000)


@pytest.mark.mnist
def test_a_model_returning_logits(mnist: Any) -> None:
    _, (x_test, _) = mnist
    model = reference_softmax_regression()
    view = OneHotSoftmaxView(model=model)
    view.show_digit(3)
    np.testing.assert_allclose(view.probabilities, _softmax(model.predict(x_test[3])[0]), rtol=1e-4, atol=1e-7)
    assert "returned logits (softmaxed here)" in view._digit_note.value


class _FakeCanvas(traitlets.HasTraits):
    """Anything with an ``image`` trait can feed the view, as DigitCanvas does."""

    image = traitlets.Any(None)


@pytest.mark.mnist
def test_following_a_canvas(mnist: Any) -> None:
    _, (x_test, _) = mnist
    canvas = _FakeCanvas()
    view = OneHotSoftmaxView(label=3)
    view.follow_canvas(canvas)
    drawing = (x_test[5] / 255.0).astype(np.float32)
    canvas.image = drawing
    np.testing.assert_allclose(view.probabilities, reference_mlp().predict(drawing)[0], rtol=1e-5, atol=1e-7)
    assert view.label == 3  # a drawing has no known label: the learner picks it
    assert view.digit_index is None
    assert view.mode == "digit"
    assert "this drawing" in view._digit_note.value
    shown = view.probabilities
    canvas.image = None  # a cleared canvas keeps the last picture
    assert view.probabilities == shown
    view.unfollow_canvas()
    canvas.image = np.zeros((28, 28), np.float32)
    assert view.probabilities == shown
    with pytest.raises(TypeError, match=r"widget with an `image` trait, such as DigitCanvas\. Received int"):
        view.follow_canvas(3)


def test_a_model_with_the_wrong_output_shows_a_message_not_a_traceback() -> None:
    view = OneHotSoftmaxView(model=lambda x: np.zeros((len(x), 3)))
    canvas = _FakeCanvas()
    view.follow_canvas(canvas)
    canvas.image = np.zeros((28, 28), np.float32)
    assert "return 10 scores per image" in view.errors.message
    assert view.num_classes == 10


def test_the_view_and_its_digit_mode_do_not_import_tensorflow() -> None:
    code = (
        "import sys, numpy as np\n"
        "from nnteach.widgets import OneHotSoftmaxView\n"
        "v = OneHotSoftmaxView(); v.show_image(np.zeros((28, 28), np.uint8))\n"
    )
    assert heavy_modules_after(code) == []

"""OneHotSoftmaxView driven like the front end (``set_state`` on its controls), without a browser."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import traitlets

from helpers import heavy_modules_after
from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.widgets import DigitCanvas, OneHotSoftmaxView  # imported here: ipycanvas' one manager opens now


@pytest.fixture
def make(closing: Any) -> Any:
    """Build OneHotSoftmaxView widgets that are closed after the test (nothing is left open)."""
    return lambda *args, **kwargs: closing(OneHotSoftmaxView(*args, **kwargs))


def _softmax(z: Any) -> np.ndarray:
    e = np.exp(np.asarray(z, np.float64) - np.max(z))
    return e / e.sum()


def _type(view: OneHotSoftmaxView, text: str) -> None:
    view.controls["logits"].set_state({"value": text})  # what the browser sends when Enter is pressed


def _sliders(view: OneHotSoftmaxView) -> list[Any]:
    return [control for name, control in view.controls.items() if name.startswith("logit_")]


def test_the_seed_example_typed_into_the_box(make: Any) -> None:
    view = make()
    _type(view, "2, -1, 1, 1")
    assert view.logits == (2.0, -1.0, 1.0, 1.0)
    assert view.num_classes == 4
    assert [round(p, 2) for p in view.probabilities] == [0.56, 0.03, 0.21, 0.21]
    assert view.loss == pytest.approx(-np.log(_softmax([2, -1, 1, 1])[0]), rel=1e-12)
    # The class count follows the logits: sliders, label buttons, one-hot vector and bars.
    assert len(_sliders(view)) == 4
    assert [value for _, value in view.controls["label"].options] == [0, 1, 2, 3]
    assert view.one_hot == (1.0, 0.0, 0.0, 0.0)
    assert view.bars.shown_labels() == ("0", "1", "2", "3")
    p_true = f"{_softmax([2, -1, 1, 1])[0]:.3f}"
    assert f'<span class="nnteach-bar-value">{p_true}</span>' in view.bars.value
    assert view.bars.highlight == 0
    assert f"−log({p_true}) = " in view.loss_text
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
def test_bad_text_gives_a_short_message_and_keeps_the_last_good_state(text: str, message: str, make: Any) -> None:
    view = make()
    _type(view, "2, -1, 1, 1")
    before = (view.logits, view.probabilities, view.loss, view.bars.value)
    _type(view, text)
    assert view.errors.message.startswith(message)
    assert (view.logits, view.probabilities, view.loss, view.bars.value) == before
    _type(view, "0, 0")
    assert view.errors.message == ""
    assert view.probabilities == (0.5, 0.5)


def test_sliders_edit_one_logit_and_the_text_follows(make: Any) -> None:
    view = make(logits=(2, -1, 1, 1))
    view.controls["logit_1"].set_state({"value": 3.5})
    assert view.logits == (2.0, 3.5, 1.0, 1.0)
    assert view.controls["logits"].value == "2, 3.5, 1, 1"
    assert view.bars.highlight == 1
    np.testing.assert_allclose(view.probabilities, _softmax(view.logits), rtol=1e-12)


def test_picking_a_label_moves_the_one_and_changes_the_loss(make: Any) -> None:
    view = make(logits=(2, -1, 1, 1))
    view.controls["label"].set_state({"index": 1})
    assert view.label == 1
    assert view.one_hot == (0.0, 1.0, 0.0, 0.0)
    assert view.loss == pytest.approx(-np.log(_softmax([2, -1, 1, 1])[1]))
    assert view.bars.true_class == 1


def test_temperature_divides_the_logits(make: Any) -> None:
    view = make(logits=(2, -1, 1, 1))
    view.controls["temperature"].set_state({"value": 2.0})
    assert view.temperature == 2.0
    np.testing.assert_allclose(view.probabilities, _softmax(np.array([2, -1, 1, 1]) / 2.0), rtol=1e-12)
    assert view.loss == pytest.approx(-np.log(view.probabilities[0]))


def test_softmax_twice_shows_the_from_logits_mistake(make: Any) -> None:
    view = make(logits=(20.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    assert view.twice_text == ""
    view.controls["twice"].set_state({"value": True})
    assert view.softmax_twice is True
    np.testing.assert_allclose(view.twice_probabilities, _softmax(view.probabilities), rtol=1e-12)
    # A nearly perfect prediction: the right loss is ~0, the doubled softmax cannot go below log(1 + 9/e).
    assert view.loss < 1e-7
    assert view.twice_loss == pytest.approx(np.log1p(9 / np.e), rel=1e-6)
    assert f"reports {view.twice_loss:.3f} instead of" in view.twice_text
    assert f'<span class="nnteach-bar-value">{np.e / (np.e + 9):.3f}</span>' in view.twice_bars.value


@pytest.mark.keras
def test_softmax_twice_is_what_keras_reports_for_the_mistake(make: Any) -> None:
    from nnteach._tf import import_keras

    keras = import_keras()
    view = make(logits=(2, -1, 1, 1), label=2)
    probabilities = np.asarray([view.probabilities], dtype=np.float32)
    wrong = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([2]), probabilities)
    right = keras.losses.SparseCategoricalCrossentropy(from_logits=False)(np.array([2]), probabilities)
    assert view.twice_loss == pytest.approx(float(wrong), rel=1e-6)
    assert view.loss == pytest.approx(float(right), rel=1e-6)


def test_fewer_classes_bring_the_label_into_range(make: Any) -> None:
    view = make(label=9)
    old_picker = view.controls["label"]
    _type(view, "1, 2, 3")
    assert view.label == 2
    assert view.num_classes == 3
    # A fresh picker replaces the old one (whose front end would keep a stale fourth button).
    assert view.controls["label"] is not old_picker
    assert old_picker.comm is None  # closed
    assert [value for _, value in view.controls["label"].options] == [0, 1, 2]
    assert view.controls["label"].value == 2
    view.controls["label"].set_state({"index": 0})
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
def test_bad_values_set_in_code_are_refused(name: str, value: Any, match: str, make: Any) -> None:
    view = make()
    before = view.probabilities
    with pytest.raises(ValueError, match=match):
        setattr(view, name, value)
    assert view.probabilities == before


@pytest.mark.mnist
def test_a_real_digit_from_the_test_set(mnist: Any, make: Any) -> None:
    _, (x_test, y_test) = mnist
    view = make(logits=(2, -1, 1, 1))
    view.controls["mode"].set_state({"index": 1})  # "From a real digit"
    assert view.mode == "digit"
    assert view.digit_index == 0
    view.controls["digit_index"].set_state({"value": 8})
    expected = reference_mlp().predict(x_test[8])[0]
    assert view.label == int(y_test[8])
    assert view.num_classes == 10
    np.testing.assert_allclose(view.probabilities, expected, rtol=1e-5, atol=1e-7)
    assert view.loss == pytest.approx(-np.log(expected[y_test[8]]), rel=1e-4)
    np.testing.assert_array_equal(view.digit_image, x_test[8])
    assert f"it says {int(expected.argmax())} " in view.digit_text
    assert f"The true label is {int(y_test[8])}." in view.digit_text
    with pytest.raises(ValueError, match=r"image number from 0 to 9999\. Received 10000"):
        view.show_digit(10000)


@pytest.mark.mnist
def test_a_model_returning_logits(mnist: Any, make: Any) -> None:
    _, (x_test, _) = mnist
    model = reference_softmax_regression()
    view = make(model=model)
    view.show_digit(3)
    np.testing.assert_allclose(view.probabilities, _softmax(model.predict(x_test[3])[0]), rtol=1e-4, atol=1e-7)
    assert "returned logits (softmaxed here)" in view.digit_text


class _FakeCanvas(traitlets.HasTraits):
    """Anything with an ``image`` trait can feed the view, as DigitCanvas does."""

    image = traitlets.Any(None)


@pytest.mark.mnist
def test_following_a_canvas(mnist: Any, make: Any) -> None:
    _, (x_test, _) = mnist
    canvas = _FakeCanvas()
    view = make(label=3)
    view.follow_canvas(canvas)
    drawing = (x_test[5] / 255.0).astype(np.float32)
    canvas.image = drawing
    np.testing.assert_allclose(view.probabilities, reference_mlp().predict(drawing)[0], rtol=1e-5, atol=1e-7)
    assert view.label is None  # this canvas has no label picker: the true label is unknown
    assert view.loss is None  # no loss against a guessed class 0
    assert view.digit_index is None
    assert view.mode == "digit"
    assert "this drawing" in view.digit_text
    shown = view.probabilities
    canvas.image = None  # a cleared canvas keeps the last picture
    assert view.probabilities == shown
    view.unfollow_canvas()
    canvas.image = np.zeros((28, 28), np.float32)
    assert view.probabilities == shown
    with pytest.raises(TypeError, match=r"widget with an `image` trait, such as DigitCanvas\. Received int"):
        view.follow_canvas(3)


def test_a_model_with_the_wrong_output_shows_a_message_not_a_traceback(make: Any) -> None:
    view = make(model=lambda x: np.zeros((len(x), 3)))
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


# -- the public contract (issue 13) --------------------------------------------------------------
def test_a_crafted_browser_update_cannot_set_outputs(make: Any) -> None:
    view = make(logits=(2, -1, 1, 1))
    before = (view.probabilities, view.loss, view.label)
    view.set_state({"probabilities": [1.0, 0.0, 0.0, 0.0], "loss": 0.0, "label": 3, "render_count": 99})
    assert (view.probabilities, view.loss, view.label) == before
    assert view.render_count < 99


def test_close_releases_every_widget_it_made() -> None:
    from ipywidgets.widgets.widget import _instances as open_widgets

    from nnteach.widgets._base import page_style

    page_style()  # the page's one stylesheet is shared and stays
    before = set(open_widgets)
    view = OneHotSoftmaxView(logits=(2, -1, 1, 1), softmax_twice=True)
    _type(view, "1, 2, 3, 4, 5")  # new sliders and label buttons replace the old ones
    canvas = _LabelledCanvas()
    view.follow_canvas(canvas)
    view.close()
    assert set(open_widgets) == before
    canvas.label = 2  # no longer followed: nothing happens to the closed view
    assert view.label is None


def test_model_is_a_trait_that_dlink_connects_and_a_new_model_answers_again(make: Any) -> None:
    source = _ModelSource(model=lambda x: np.tile(np.eye(10)[3], (len(x), 1)))
    view = make()
    traitlets.dlink((source, "model"), (view, "model"))
    view.show_image(np.zeros((28, 28), np.float32), label=3)
    assert int(np.argmax(view.probabilities)) == 3
    source.model = lambda x: np.tile(np.eye(10)[5], (len(x), 1))
    assert int(np.argmax(view.probabilities)) == 5  # the same picture, asked again
    assert view.label == 3


class _LabelledCanvas(traitlets.HasTraits):
    """DigitCanvas' public traits: the drawing and the 'It is a' label (None until picked)."""

    image = traitlets.Any(None)
    label = traitlets.Int(None, allow_none=True)


class _ModelSource(traitlets.HasTraits):
    model = traitlets.Any(None)


def test_following_a_canvas_returns_the_view_and_the_label_follows_its_picker(make: Any) -> None:
    canvas = _LabelledCanvas()
    view = make(label=3, model=lambda x: np.tile(np.linspace(1, 2, 10), (len(x), 1)))
    assert view.follow_canvas(canvas) is view
    assert view.label is None  # nothing picked on the canvas: unknown, not class 0 or 3
    canvas.image = np.zeros((28, 28), np.float32)
    assert (view.label, view.loss, view.twice_loss, view.one_hot) == (None, None, None, ())
    assert view.loss_text.startswith("The true label is unknown")
    assert view.bars.true_class is None
    assert "The true label is unknown" in view.digit_text
    canvas.label = 7
    assert view.label == 7
    assert view.loss == pytest.approx(-np.log(view.probabilities[7]), rel=1e-12)
    canvas.image = np.ones((28, 28), np.float32)
    assert view.label == 7
    canvas.label = None
    assert view.loss is None


# -- bad input answered plainly (issue 16) ---------------------------------------------------------
@pytest.mark.parametrize("text", ["1e39, 1e39", "1e308, 1e308"])
def test_huge_equal_logits_give_a_loss_of_log_2_not_nan(text: str, make: Any) -> None:
    """Issue 16, item 2: these logits showed loss nan."""
    view = make()
    _type(view, text)
    assert view.errors.message == ""
    assert view.probabilities == (0.5, 0.5)
    assert view.loss == pytest.approx(np.log(2), rel=1e-15)
    assert "= 0.693" in view.loss_text
    view.softmax_twice = True
    assert view.twice_loss == pytest.approx(np.log(2), rel=1e-15)


@pytest.mark.parametrize(("control", "state"), [("mode", {"index": None}), ("label", {"index": None})])
def test_a_crafted_none_in_a_picker_is_one_plain_sentence(control: str, state: dict[str, Any], make: Any) -> None:
    """Issue 16, item 4: this showed 'Could not use that value. (TraitError…)' with a traceback."""
    view = make(logits=(2, -1, 1, 1))
    before = (view.mode, view.label, view.probabilities)
    view.controls[control].set_state(state)
    assert view.errors.message.startswith("Expected ")
    assert "Received None" in view.errors.message
    assert "TraitError" not in view.errors.value
    assert "<details>" not in view.errors.value  # no traceback under "Details"
    assert (view.mode, view.label, view.probabilities) == before
    assert view.controls[control].value == {"mode": view.mode, "label": view.label}[control]


def test_a_nan_slider_value_is_refused_plainly_and_the_slider_shows_the_logit_again(make: Any) -> None:
    view = make(logits=(2, -1, 1, 1))
    view.controls["logit_2"].set_state({"value": float("nan")})
    assert view.errors.message == "Expected a finite number for logit 2. Received nan; drag the slider."
    assert view.logits == (2.0, -1.0, 1.0, 1.0)
    assert view.controls["logit_2"].value == 1.0
    view.controls["logit_2"].set_state({"value": 0.5})
    assert view.errors.message == ""


def test_following_a_real_digit_canvas_through_its_public_traits(make: Any) -> None:
    canvas = DigitCanvas(model=lambda x: np.tile(np.eye(10)[1] * 5, (len(x), 1)))
    view = make().follow_canvas(canvas)
    canvas.add_stroke([(140, 40), (140, 240)])
    assert int(np.argmax(view.probabilities)) == 1
    assert view.label is None
    canvas.controls["label"].set_state({"index": 5})  # the learner picks "It is a 4"
    assert canvas.label == 4
    assert view.label == 4
    view.close()
    canvas.close()


def test_the_typed_logits_refusal_and_the_one_hot_note_speak_the_language() -> None:
    from nnteach import set_language
    from nnteach.widgets._onehot_parts import one_hot_html

    set_language("de")
    try:
        view = OneHotSoftmaxView(logits=(2.0, -1.0, 1.0), label=1)
        _type(view, "2, x, 1")
        assert view.errors.message.startswith("Erwartet werden nur Zahlen. Erhalten: 'x' an Stelle 2;")
        view.close()
        assert '<div class="nnteach-note">Label 1 → [0, 1, 0]</div>' in one_hot_html(1, 3)
        set_language("ja")
        assert 'aria-label="ラベル 2 の one-hot ベクトル"' in one_hot_html(2, 3)
    finally:
        set_language(None)

"""PerceptronView driven through its traits, sliders and buttons, without a kernel or browser."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from plotted import MODES, is_browser, picture, use_mode

from helpers import heavy_modules_after
from nnteach import perceptron
from nnteach.widgets import PerceptronView


@pytest.fixture(params=MODES)
def make(closing: Any, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Build PerceptronView widgets, drawn in the browser or as PNG, closed after the test."""
    use_mode(monkeypatch, request.param)
    return lambda *args, **kwargs: closing(PerceptronView(*args, **kwargs))


def marks(view: PerceptronView) -> dict[str, Any]:
    """The browser plot's marks by label."""
    return {mark.labels[0]: mark for mark in view.plot.marks}


def line_points(view: PerceptronView) -> np.ndarray:
    """The decision line as drawn: the line mark's data, or the figure's one matplotlib line."""
    if is_browser(view.plot):
        line = marks(view)["decision line"]
        return np.column_stack([line.x, line.y])
    (line,) = view.figure.axes[0].get_lines()
    return np.column_stack(line.get_data())


def shading(view: PerceptronView) -> np.ndarray:
    """The background as drawn: the neuron's output at every point of the plot."""
    if is_browser(view.plot):
        return np.asarray(marks(view)["neuron output"].color, dtype=float)
    (image,) = view.figure.axes[0].get_images()
    return np.asarray(image.get_array())


def marked_points(view: PerceptronView) -> list[np.ndarray]:
    """The (x₁, x₂) of every group of marked points (the wrong ones among them)."""
    if is_browser(view.plot):
        return [np.column_stack([m.x, m.y]) for m in view.plot.marks if type(m).__name__ == "Scatter"]
    return [np.asarray(c.get_offsets()) for c in view.figure.axes[0].collections if len(c.get_offsets()) > 1]


def test_sliders_move_the_line_and_the_traits(make: Any) -> None:
    view = make()
    before = picture(view.plot)
    view.controls["w1"].set_state({"value": 1.0})  # what the browser sends when the slider moves
    view.controls["w2"].set_state({"value": 1.0})
    view.controls["bias"].set_state({"value": -8.5})
    assert view.weights == (1.0, 1.0)
    assert view.bias == -8.5
    assert picture(view.plot) != before
    ends = line_points(view)
    np.testing.assert_allclose(perceptron.weighted_sum(ends, view.weights, view.bias), 0.0, atol=1e-9)
    assert view.misclassified_count == 0
    assert view.wrong_sentence == "0 of 16 points on the wrong side — every point is right!"
    assert view.wrong_points == ()


def test_misclassified_points_are_marked(make: Any) -> None:
    data = perceptron.toy_dataset()
    view = make(weights=(0.5, -0.5), bias=0.0)
    wrong = perceptron.misclassified_points(data.x, data.y, (0.5, -0.5), 0.0)
    assert wrong.sum() > 0
    assert view.wrong_points == tuple(np.flatnonzero(wrong))
    marked = marked_points(view)
    assert any(m.shape == data.x[wrong].shape and np.array_equal(m, data.x[wrong]) for m in marked)
    assert view.wrong_sentence == f"{int(wrong.sum())} of 16 points on the wrong side."


def test_the_weighted_sum_is_spelled_out_for_the_chosen_point(make: Any) -> None:
    view = make(weights=(1.0, 2.0), bias=-11.0)
    view.controls["point"].set_state({"index": 9})  # a dog at (7.5, 4)
    assert view.point == 9
    x1, x2 = view.data.x[9]
    total = -11.0 + x1 * 1.0 + x2 * 2.0
    assert f"= {total:.2f};" in view.sum_sentence
    assert "step(4.50) = 1 → ▲ dog (right)" in view.sum_sentence
    assert "+ 7.5·1.00 + 4·2.00" in view.sum_sentence
    view.controls["activation"].set_state({"index": 1})
    assert view.activation == "sigmoid"
    assert f"= {1 / (1 + np.exp(-total)):.3f} = P(dog)" in view.sum_sentence


def test_the_sum_shown_and_the_answer_agree_on_float_noise(make: Any) -> None:
    """Issue 15 item 18: on XOR, 0.1 + 0.2 - 0.3 is 5.5e-17 in floats; shown as 0.00 it must answer 0."""
    assert 1.0 * 0.1 + 1.0 * 0.2 - 0.3 > 0, "the float noise this test is about"
    view = make(dataset="XOR", weights=(0.1, 0.2), bias=-0.3)
    view.point = 3  # (1, 1), class 0
    assert "= 0.00; step(0.00) = 0 → ● 0 (right)" in view.sum_sentence, view.sum_sentence
    assert 3 not in view.wrong_points, "the plot and the count agree with the sentence"
    view.bias = -0.296  # a sum of 0.004 is not 0: shown so that step's answer 1 makes sense
    assert "step(4.0e-03) = 1" in view.sum_sentence, view.sum_sentence


def test_no_minus_zero_in_the_readouts(make: Any) -> None:
    view = make(weights=(-0.0, 0.0), bias=-0.0)
    assert "= 0.00 + 2·0.00 + 1·0.00 = 0.00;" in view.sum_sentence, view.sum_sentence
    assert all(str(view.controls[name].value) == "0.0" for name in ("w1", "w2", "bias"))


def test_the_legend_uses_the_plots_markers(make: Any) -> None:
    from nnteach.widgets._perceptron_plot import _CLASS_MARKERS, legend_html

    view = make(dataset="XOR")
    html = legend_html(view.data)
    assert "● 0 (0)" in html and "▲ 1 (1)" in html and "○" not in html, html
    assert _CLASS_MARKERS == ("o", "^"), "matplotlib's circle and triangle: what the legend's ● and ▲ stand for"
    if is_browser(view.plot):
        shapes = (marks(view)["class 0"].marker, marks(view)["class 1"].marker)
        assert shapes == ("circle", "triangle-up"), "bqplot's circle and triangle: the legend's ● and ▲"


def test_sigmoid_shading_is_a_probability_step_shading_is_zero_or_one(make: Any) -> None:
    view = make(weights=(1.0, 1.0), bias=-8.5)
    assert set(np.unique(shading(view))) == {0.0, 1.0}
    view.activation = "sigmoid"
    sigmoid = shading(view)
    assert 0.0 < sigmoid.min() < 0.01
    assert 0.99 < sigmoid.max() < 1.0
    assert len(np.unique(sigmoid)) > 100


def test_learn_button_runs_the_rule_step_by_step_until_every_point_is_right(make: Any) -> None:
    view = make(weights=(0.5, -0.5), bias=0.0)
    data = view.data
    expected = perceptron.train(data.x, data.y, (0.5, -0.5), 0.0, learning_rate=0.1)
    assert expected.converged
    first = view.weights
    view.controls["learn"].click()
    assert view.steps == 1
    assert view.weights != first
    assert view.learn_status.startswith("Step 1: point ")
    for _ in range(expected.steps - 1):
        view.controls["learn"].click()
    assert view.steps == expected.steps
    assert view.weights == pytest.approx(expected.weights)
    assert view.bias == pytest.approx(expected.bias)
    assert view.misclassified_count == 0
    view.controls["learn"].click()
    assert view.steps == expected.steps
    assert view.learn_status.startswith(f"Done after {expected.steps} steps")
    view.controls["reset"].click()
    assert (view.weights, view.bias, view.steps, view.learn_status) == ((0.5, -0.5), 0.0, 0, "")


def test_learning_on_xor_never_stops_and_says_so(make: Any) -> None:
    view = make()
    view.controls["dataset"].set_state({"index": 1})
    assert view.dataset == "XOR"
    assert len(view.controls["point"].options) == 4
    for _ in range(60):
        view.learn_step()
        if "going round in circles" in view.learn_status:
            break
    assert "No straight line separates these points" in view.learn_status
    assert view.misclassified_count > 0
    assert view.steps < 60


def test_learning_beyond_the_slider_range_widens_the_slider(make: Any) -> None:
    view = make(weights=(0.0, 0.0), bias=0.0)
    view.controls["rate"].set_state({"index": 3})  # η = 1
    assert view.learning_rate == 1.0
    for _ in range(40):
        view.learn_step()
    assert view.bias < -10
    w1, _ = view.weights
    assert view.controls["w1"].value == pytest.approx(w1)
    assert view.controls["bias"].value == pytest.approx(view.bias)
    assert view.controls["bias"].min <= view.bias


def test_bad_values_raise_plain_errors_from_code(make: Any) -> None:
    view = make()
    with pytest.raises(ValueError, match=r"Expected two weights \(w₁, w₂\)\. Received 3"):
        view.weights = (1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match=r"Expected a finite number for w₂"):
        view.weights = (1.0, float("nan"))
    with pytest.raises(ValueError, match=r"Expected activation 'step' or 'sigmoid'\. Received 'relu'"):
        view.activation = "relu"
    with pytest.raises(ValueError, match=r"Expected dataset 'dogs and cats' or 'XOR'\. Received 'iris'"):
        view.dataset = "iris"
    with pytest.raises(ValueError, match=r"Expected a point between 0 and 15\. Received point=16"):
        view.point = 16
    with pytest.raises(ValueError, match="Expected a positive learning rate"):
        view.learning_rate = 0.0
    assert (view.weights, view.activation, view.dataset) == ((0.5, -0.5), "step", "dogs and cats")


def test_the_perceptron_view_never_imports_tensorflow() -> None:
    code = (
        "import sys\nfrom nnteach.widgets import PerceptronView\n"
        "v = PerceptronView(); v.learn_step(); v.activation = 'sigmoid'\n"
    )
    assert heavy_modules_after(code) == []


# -- the public contract (issue 13) --------------------------------------------------------------
def test_a_crafted_browser_update_cannot_set_outputs_or_the_weights(make: Any) -> None:
    view = make()
    before = (view.steps, view.misclassified_count, view.learn_status, view.weights)
    view.set_state({"steps": 99, "misclassified_count": 0, "learn_status": "forged", "weights": [9.0, 9.0]})
    assert (view.steps, view.misclassified_count, view.learn_status, view.weights) == before


def test_close_releases_every_widget_it_made() -> None:
    from ipywidgets.widgets.widget import _instances as open_widgets

    from nnteach.widgets._base import page_style

    page_style()  # the page's one stylesheet is shared and stays
    before = set(open_widgets)
    view = PerceptronView()
    view.controls["dataset"].set_state({"index": 1})
    view.learn_step()
    view.close()
    assert set(open_widgets) == before


def test_old_child_names_still_work_with_a_warning(make: Any) -> None:
    view = make()
    with pytest.deprecated_call(match=r"PerceptronView\.w1_slider is deprecated; use PerceptronView\.controls\['w1'\]"):
        assert view.w1_slider is view.controls["w1"]
    with pytest.deprecated_call(match="sum_sentence"):
        assert "Point 0" in view.sum_text.value


def test_activation_and_dataset_are_enums() -> None:
    traits = PerceptronView.class_traits()
    assert tuple(traits["activation"].values) == perceptron.ACTIVATIONS
    assert tuple(traits["dataset"].values) == perceptron.DATASETS
    assert all(traits[name].read_only for name in ("steps", "learn_status", "misclassified_count", "sum_sentence"))


# -- bad input answered plainly (issue 16) ---------------------------------------------------------
def test_a_nan_left_in_the_w2_slider_does_not_block_w1(make: Any) -> None:
    """Issue 16, item 6: a NaN in the w₂ slider blocked every w₁ move until w₂ was moved."""
    view = make(weights=(0.5, -0.5))
    view.controls["w2"].set_state({"value": float("nan")})
    assert view.errors.message == "Expected a finite number for w₂. Received nan; use e.g. 0.5."
    assert view.controls["w2"].value == -0.5  # the slider shows the weight that holds
    view.controls["w1"].set_state({"value": 1.25})
    assert view.weights == (1.25, -0.5)
    assert view.errors.message == ""


@pytest.mark.parametrize(
    ("control", "message"),
    [
        ("activation", r"Expected activation 'step' or 'sigmoid'\. Received None; pick one of those\."),
        ("dataset", r"Expected dataset 'dogs and cats' or 'XOR'\. Received None; pick one of those\."),
        ("point", r"Expected a whole number for the point\. Received None; pick one in the list\."),
    ],
)
def test_a_crafted_none_in_a_picker_is_one_plain_sentence(control: str, message: str, make: Any) -> None:
    """Issue 16, item 4: this showed 'Could not use that value. (TraitError…)' with a traceback."""
    view = make()
    before = (view.activation, view.dataset, view.point, picture(view.plot))
    view.controls[control].set_state({"index": None})
    assert re.fullmatch(message, view.errors.message), view.errors.message
    assert "<details>" not in view.errors.value
    assert (view.activation, view.dataset, view.point, picture(view.plot)) == before
    view.controls["w1"].set_state({"value": 1.0})  # still usable, and the sentence goes
    assert view.errors.message == ""


OLD_NAMES = ("w1_slider", "w2_slider", "bias_slider", "activation_picker", "dataset_picker", "point_picker",
             "rate_picker", "learn_button", "reset_button", "sum_text", "wrong_text", "learn_text", "legend")  # fmt: skip


@pytest.mark.parametrize("name", OLD_NAMES)
def test_every_old_child_name_still_gives_a_widget_with_a_warning(make: Any, name: str) -> None:
    view = make()
    with pytest.deprecated_call(match=rf"PerceptronView\.{name} is deprecated; use PerceptronView\."):
        part = getattr(view, name)
    assert part.comm is not None  # a live widget of the view


def test_the_dataset_and_its_classes_are_shown_in_the_language_and_the_value_stays_the_key() -> None:
    from nnteach import set_language

    set_language("de")
    try:
        view = PerceptronView()
        picker = view.controls["dataset"]
        assert picker.options == (("Hunde und Katzen", "dogs and cats"), ("XOR", "XOR"))
        assert view.dataset == picker.value == "dogs and cats"
        assert view.data.class_names == ("Katze", "Hund") and view.data.feature_names == ("Größe", "Lautstärke")
        assert "Katze" in view.sum_sentence and "Hund" in view.sum_sentence
        assert "(richtig)" in view.sum_sentence or "(falsch: Es ist ein(e)" in view.sum_sentence
        view.close()
    finally:
        set_language(None)

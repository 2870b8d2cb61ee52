"""PerceptronView driven through its traits, sliders and buttons, without a kernel or browser."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import heavy_modules_after
from nnteach import perceptron
from nnteach.widgets import PerceptronView


def line_points(view: PerceptronView) -> np.ndarray:
    return np.column_stack(view._line.get_data())


def test_sliders_move_the_line_and_the_traits() -> None:
    view = PerceptronView()
    before = view.plot.value
    view.w1_slider.set_state({"value": 1.0})  # what the browser sends when the slider moves
    view.w2_slider.set_state({"value": 1.0})
    view.bias_slider.set_state({"value": -8.5})
    assert view.weights == (1.0, 1.0)
    assert view.bias == -8.5
    assert view.plot.value != before
    ends = line_points(view)
    np.testing.assert_allclose(perceptron.weighted_sum(ends, view.weights, view.bias), 0.0, atol=1e-9)
    assert view.misclassified_count == 0
    assert "<b>0</b> of 16 points on the wrong side" in view.wrong_text.value
    assert len(view._wrong_marks.get_offsets()) == 0


def test_misclassified_points_are_marked() -> None:
    data = perceptron.toy_dataset()
    view = PerceptronView(weights=(0.5, -0.5), bias=0.0)
    wrong = perceptron.misclassified_points(data.x, data.y, (0.5, -0.5), 0.0)
    assert wrong.sum() > 0
    np.testing.assert_array_equal(np.asarray(view._wrong_marks.get_offsets()), data.x[wrong])
    assert f"<b>{int(wrong.sum())}</b> of 16" in view.wrong_text.value


def test_the_weighted_sum_is_spelled_out_for_the_chosen_point() -> None:
    view = PerceptronView(weights=(1.0, 2.0), bias=-11.0)
    view.point_picker.set_state({"index": 9})  # a dog at (7.5, 4)
    assert view.point == 9
    x1, x2 = view.data.x[9]
    total = -11.0 + x1 * 1.0 + x2 * 2.0
    assert f"<b>{total:.2f}</b>" in view.sum_text.value
    assert "step(4.50) = <b>1</b> → 🐶 dog (right)" in view.sum_text.value
    assert "+ 7.5·1.00 + 4·2.00" in view.sum_text.value
    view.activation_picker.set_state({"index": 1})
    assert view.activation == "sigmoid"
    assert f"<b>{1 / (1 + np.exp(-total)):.3f}</b> = P(dog)" in view.sum_text.value


def test_sigmoid_shading_is_a_probability_step_shading_is_zero_or_one() -> None:
    view = PerceptronView(weights=(1.0, 1.0), bias=-8.5)
    step_shading = np.asarray(view._background.get_array())
    assert set(np.unique(step_shading)) == {0.0, 1.0}
    view.activation = "sigmoid"
    shading = np.asarray(view._background.get_array())
    assert 0.0 < shading.min() < 0.01
    assert 0.99 < shading.max() < 1.0
    assert len(np.unique(shading)) > 100


def test_learn_button_runs_the_rule_step_by_step_until_every_point_is_right() -> None:
    view = PerceptronView(weights=(0.5, -0.5), bias=0.0)
    data = view.data
    expected = perceptron.train(data.x, data.y, (0.5, -0.5), 0.0, learning_rate=0.1)
    assert expected.converged
    first = view.weights
    view.learn_button.click()
    assert view.steps == 1
    assert view.weights != first
    assert view.learn_status.startswith("Step 1: point ")
    assert "Step 1" in view.learn_text.value
    for _ in range(expected.steps - 1):
        view.learn_button.click()
    assert view.steps == expected.steps
    assert view.weights == pytest.approx(expected.weights)
    assert view.bias == pytest.approx(expected.bias)
    assert view.misclassified_count == 0
    view.learn_button.click()
    assert view.steps == expected.steps
    assert view.learn_status.startswith(f"Done after {expected.steps} steps")
    view.reset_button.click()
    assert (view.weights, view.bias, view.steps, view.learn_status) == ((0.5, -0.5), 0.0, 0, "")


def test_learning_on_xor_never_stops_and_says_so() -> None:
    view = PerceptronView()
    view.dataset_picker.set_state({"index": 1})
    assert view.dataset == "XOR"
    assert len(view.point_picker.options) == 4
    for _ in range(60):
        view.learn_step()
        if "going round in circles" in view.learn_status:
            break
    assert "No straight line separates these points" in view.learn_status
    assert view.misclassified_count > 0
    assert view.steps < 60


def test_learning_beyond_the_slider_range_widens_the_slider() -> None:
    view = PerceptronView(weights=(0.0, 0.0), bias=0.0)
    view.rate_picker.set_state({"index": 3})  # η = 1
    assert view.learning_rate == 1.0
    for _ in range(40):
        view.learn_step()
    assert view.bias < -10
    w1, _ = view.weights
    assert view.w1_slider.value == pytest.approx(w1)
    assert view.bias_slider.value == pytest.approx(view.bias)
    assert view.bias_slider.min <= view.bias


def test_bad_values_raise_plain_errors_from_code() -> None:
    view = PerceptronView()
    with pytest.raises(ValueError, match=r"Expected two weights \(w₁, w₂\)\. Received 3"):
        view.weights = (1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match=r"Expected a finite number for w₂"):
        view.weights = (1.0, float("nan"))
    with pytest.raises(ValueError, match=r"Expected activation 'step' or 'sigmoid'\. Received 'relu'"):
        view.activation = "relu"
    with pytest.raises(ValueError, match=r"Unknown dataset 'iris'"):
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

"""ActivationExplorer driven through its traits and controls, without a kernel or browser."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import heavy_modules_after
from nnteach import activations
from nnteach.widgets import ActivationExplorer


def drawn_lines(explorer: ActivationExplorer) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The curves in the figure, by label, as (x, y) arrays."""
    return {
        line.get_label(): (np.asarray(line.get_xdata()), np.asarray(line.get_ydata()))
        for line in explorer._axes.get_lines()
        if not line.get_label().startswith("_")
    }


def test_draws_the_selected_functions_from_the_registry() -> None:
    explorer = ActivationExplorer(selected=("sigmoid", "relu", "tanh", "elu"), x_range=(-4, 4), show_derivative=True)
    lines = drawn_lines(explorer)
    assert set(lines) == {"sigmoid", "relu", "tanh", "elu", "sigmoid′", "relu′", "tanh′", "elu′"}
    x, y = lines["tanh"]
    assert len(x) == 1000
    assert (x[0], x[-1]) == (-4.0, 4.0)
    np.testing.assert_allclose(y, np.tanh(x))
    np.testing.assert_allclose(lines["sigmoid′"][1], activations.get("sigmoid").derivative(x))
    assert explorer.plot.value[:4] == b"\x89PNG"
    assert explorer.function_picker.value == ("sigmoid", "relu", "tanh", "elu")


def test_picking_in_the_control_changes_the_trait_and_the_plot() -> None:
    explorer = ActivationExplorer()
    before = explorer.plot.value
    explorer.function_picker.set_state({"index": [activations.NAMES.index("gelu")]})  # what the browser sends
    assert explorer.selected == ("gelu",)
    assert set(drawn_lines(explorer)) == {"gelu"}
    assert explorer.plot.value != before
    assert "keras.activations.gelu" in explorer.formulas.value
    assert "data:image/png;base64," in explorer.formulas.value  # formula rendered offline, no MathJax
    explorer.derivative_box.set_state({"value": True})
    assert explorer.show_derivative
    assert set(drawn_lines(explorer)) == {"gelu", "gelu′"}


def test_step_formula_says_it_is_not_in_keras() -> None:
    explorer = ActivationExplorer(selected=("step",))
    assert "not in Keras" in explorer.formulas.value
    assert "gradients cannot train it" in explorer.formulas.value


def test_cursor_slider_drives_the_readout() -> None:
    explorer = ActivationExplorer(selected=("sigmoid", "relu"), show_derivative=True)
    explorer.cursor_slider.set_state({"value": 0.5})
    assert explorer.cursor == 0.5
    s = 1 / (1 + np.exp(-0.5))
    assert f"{s:.4f}" in explorer.readout.value
    assert f"{s * (1 - s):.4f}" in explorer.readout.value
    assert "x = 0.50" in explorer.readout.value
    rows = {name: (value, slope) for name, value, slope in explorer.cursor_values()}
    assert rows["relu"] == (0.5, 1.0)
    explorer.cursor = -2.0  # from code: the slider follows
    assert explorer.cursor_slider.value == -2.0
    assert "f(x) = 0.0000" in explorer.readout.value


def test_parameter_sliders_change_the_curves() -> None:
    explorer = ActivationExplorer(selected=("leaky_relu", "elu"), x_range=(-3, 3))
    explorer.slope_slider.set_state({"value": 0.5})
    explorer.alpha_slider.set_state({"value": 2.0})
    assert (explorer.negative_slope, explorer.alpha) == (0.5, 2.0)
    lines = drawn_lines(explorer)
    x = lines["elu"][0]
    np.testing.assert_allclose(lines["leaky_relu"][1], np.where(x > 0, x, 0.5 * x))
    np.testing.assert_allclose(lines["elu"][1], np.where(x > 0, x, 2.0 * np.expm1(np.minimum(x, 0))))
    assert "alpha = 2" in explorer.formulas.value
    assert explorer._axes.get_ylim()[0] < -1.9  # the axis follows ELU down towards -α


def test_x_range_boxes_and_cursor_clamping() -> None:
    explorer = ActivationExplorer(cursor=5.0)
    explorer.x_min_box.set_state({"value": "-2"})
    explorer.x_max_box.set_state({"value": "3"})
    assert explorer.x_range == (-2.0, 3.0)
    assert (explorer.cursor_slider.min, explorer.cursor_slider.max) == (-2.0, 3.0)
    assert explorer.cursor == 3.0  # kept inside the range
    assert drawn_lines(explorer)["relu"][0][-1] == 3.0
    explorer.x_range = (10, 20)  # a range entirely to the right of the old one
    assert explorer.cursor == 10.0
    assert (explorer.cursor_slider.min, explorer.cursor_slider.max, explorer.cursor_slider.value) == (10, 20, 10)
    assert explorer.x_min_box.value == "10"


@pytest.mark.parametrize(
    ("control", "value", "message"),
    [
        ("x_min_box", "abc", r"Expected a number for 'x from'\. Received 'abc'"),
        ("x_max_box", "", r"Expected a number for 'x to'\. Received ''"),
        ("x_min_box", "9", r"Expected the x range's start below its end\. Received from 9 to 6"),
        ("x_max_box", "1e9", r"Expected an x range within ±1e\+06"),
        ("function_picker", [], r"Expected at least one function to draw\. Received an empty selection"),
    ],
)
def test_bad_entries_show_a_message_and_keep_the_last_good_plot(control: str, value: object, message: str) -> None:
    explorer = ActivationExplorer(selected=("tanh",))
    good_plot, good_range, good_selection = explorer.plot.value, explorer.x_range, explorer.selected
    key = "index" if control == "function_picker" else "value"
    getattr(explorer, control).set_state({key: value})
    assert re.search(message, explorer.errors.message), explorer.errors.message
    assert (explorer.plot.value, explorer.x_range, explorer.selected) == (good_plot, good_range, good_selection)
    explorer.x_min_box.set_state({"value": "-1"})  # a good entry clears the message
    explorer.x_max_box.set_state({"value": "1"})
    explorer.function_picker.set_state({"index": [3]})
    assert explorer.errors.message == ""
    assert explorer.x_range == (-1.0, 1.0)


def test_traits_validate_when_set_from_code() -> None:
    explorer = ActivationExplorer()
    with pytest.raises(ValueError, match=r"Unknown activation 'sigmod'"):
        explorer.selected = ("sigmod",)
    with pytest.raises(ValueError, match="start below its end"):
        explorer.x_range = (2.0, 2.0)
    with pytest.raises(ValueError, match="Expected between 1 and 200 layers"):
        explorer.depth = 0
    with pytest.raises(ValueError, match="Expected at least 2 points per curve"):
        ActivationExplorer(points=1)
    assert explorer.selected == ("sigmoid", "relu")


def test_vanishing_gradient_view_follows_the_depth_slider() -> None:
    explorer = ActivationExplorer()
    before = explorer.gradient_plot.value
    explorer.depth_slider.set_state({"value": 20})
    assert explorer.depth == 20
    sigmoid = activations.vanishing_gradient("sigmoid", 20)
    assert f"{sigmoid[-1]:.3g}" in explorer.gradient_text.value
    assert "<b>20</b> layers" in explorer.gradient_text.value
    assert explorer.gradient_plot.value != before
    (sigmoid_line, relu_line) = explorer._gradient_axes.get_lines()
    np.testing.assert_allclose(sigmoid_line.get_ydata(), sigmoid)
    np.testing.assert_allclose(relu_line.get_ydata(), np.ones(20))


def test_links_to_the_softmax_view_instead_of_drawing_softmax() -> None:
    explorer = ActivationExplorer()
    assert "OneHotSoftmaxView" in explorer.softmax_note.value
    assert "softmax" not in [label for label, _ in explorer.function_picker.options]


def test_the_explorer_never_imports_tensorflow() -> None:
    code = (
        "import sys\nfrom nnteach.widgets import ActivationExplorer\n"
        "e = ActivationExplorer(selected=('gelu', 'swish'), show_derivative=True); e.cursor = 0.3; e.depth = 5\n"
    )
    assert heavy_modules_after(code) == []


@pytest.mark.parametrize("bad", [(1.0, 2.0, 3.0), ("a", 1.0), (float("nan"), 1.0), (True, 3.0)])
def test_malformed_x_ranges_are_plain_value_errors(bad: tuple[object, ...]) -> None:
    explorer = ActivationExplorer()
    with pytest.raises(ValueError, match=r"Expected (two numbers \(min, max\)|finite numbers) for the x range"):
        explorer.x_range = bad
    assert explorer.x_range == (-6.0, 6.0)

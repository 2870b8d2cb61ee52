"""ActivationExplorer driven through its traits and controls, without a kernel or browser."""

from __future__ import annotations

import re
from typing import Any

import ipywidgets as widgets
import numpy as np
import pytest
from plotted import MODES, is_browser, lines, picture, use_mode, ylim

from helpers import heavy_modules_after
from nnteach import activations
from nnteach.widgets import ActivationExplorer


@pytest.fixture(params=MODES)
def make(closing: Any, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Build ActivationExplorer widgets, drawn in the browser or as PNG, closed after the test."""
    use_mode(monkeypatch, request.param)
    return lambda *args, **kwargs: closing(ActivationExplorer(*args, **kwargs))


def shown(widget: widgets.Widget, css_class: str) -> str:
    """The HTML of the part with ``css_class``, found as the browser tests find it (public API only)."""
    stack = [widget]
    while stack:
        part = stack.pop()
        if css_class in part.get_state().get("_dom_classes", ()):
            return str(part.value)
        stack.extend(getattr(part, "children", ()))
    raise AssertionError(f"no part with class {css_class}")


def drawn_lines(explorer: ActivationExplorer) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The curves in the plot, by label, as (x, y) arrays."""
    return lines(explorer.plot)


def test_draws_the_selected_functions_from_the_registry(make: Any) -> None:
    explorer = make(selected=("sigmoid", "relu", "tanh", "elu"), x_range=(-4, 4), show_derivative=True)
    lines = drawn_lines(explorer)
    assert set(lines) == {"sigmoid", "relu", "tanh", "elu", "sigmoid′", "relu′", "tanh′", "elu′"}
    x, y = lines["tanh"]
    assert len(x) == 1000
    assert (x[0], x[-1]) == (-4.0, 4.0)
    np.testing.assert_allclose(y, np.tanh(x))
    np.testing.assert_allclose(lines["sigmoid′"][1], activations.get("sigmoid").derivative(x))
    assert is_browser(explorer.plot) or explorer.plot.value[:4] == b"\x89PNG"
    assert explorer.controls["functions"].value == ("sigmoid", "relu", "tanh", "elu")


def test_picking_in_the_control_changes_the_trait_and_the_plot(make: Any) -> None:
    explorer = make()
    before = picture(explorer.plot)
    explorer.controls["functions"].set_state({"index": [activations.NAMES.index("gelu")]})  # what the browser sends
    assert explorer.selected == ("gelu",)
    assert set(drawn_lines(explorer)) == {"gelu"}
    assert picture(explorer.plot) != before
    assert "keras.activations.gelu" in explorer.formulas_text
    assert "data:image/png;base64," in shown(explorer, "nnteach-activation-formulas")  # rendered offline, no MathJax
    explorer.controls["derivative"].set_state({"value": True})
    assert explorer.show_derivative
    assert set(drawn_lines(explorer)) == {"gelu", "gelu′"}


def test_step_formula_says_it_is_not_in_keras(make: Any) -> None:
    explorer = make(selected=("step",))
    assert "not in Keras" in explorer.formulas_text
    assert "gradients cannot train it" in explorer.formulas_text


def test_cursor_slider_drives_the_readout(make: Any) -> None:
    explorer = make(selected=("sigmoid", "relu"), show_derivative=True)
    explorer.controls["cursor"].set_state({"value": 0.5})
    assert explorer.cursor == 0.5
    s = 1 / (1 + np.exp(-0.5))
    assert f"sigmoid: f(x) = {s:.4f}, f′(x) = {s * (1 - s):.4f}" in explorer.readout_text
    assert explorer.readout_text.startswith("x = 0.50; ")
    rows = {name: (value, slope) for name, value, slope in explorer.cursor_values()}
    assert rows["relu"] == (0.5, 1.0)
    explorer.cursor = -2.0  # from code: the slider follows
    assert explorer.controls["cursor"].value == -2.0
    assert "relu: f(x) = 0.0000" in explorer.readout_text


def test_parameter_sliders_change_the_curves(make: Any) -> None:
    explorer = make(selected=("leaky_relu", "elu"), x_range=(-3, 3))
    explorer.controls["negative_slope"].set_state({"value": 0.5})
    explorer.controls["alpha"].set_state({"value": 2.0})
    assert (explorer.negative_slope, explorer.alpha) == (0.5, 2.0)
    lines = drawn_lines(explorer)
    x = lines["elu"][0]
    np.testing.assert_allclose(lines["leaky_relu"][1], np.where(x > 0, x, 0.5 * x))
    np.testing.assert_allclose(lines["elu"][1], np.where(x > 0, x, 2.0 * np.expm1(np.minimum(x, 0))))
    assert "alpha = 2" in explorer.formulas_text
    assert ylim(explorer.plot)[0] < -1.9  # the axis follows ELU down towards -α


def test_x_range_boxes_and_cursor_clamping(make: Any) -> None:
    explorer = make(cursor=5.0)
    explorer.controls["x_min"].set_state({"value": "-2"})
    explorer.controls["x_max"].set_state({"value": "3"})
    assert explorer.x_range == (-2.0, 3.0)
    assert (explorer.controls["cursor"].min, explorer.controls["cursor"].max) == (-2.0, 3.0)
    assert explorer.cursor == 3.0  # kept inside the range
    assert drawn_lines(explorer)["relu"][0][-1] == 3.0
    explorer.x_range = (10, 20)  # a range entirely to the right of the old one
    assert explorer.cursor == 10.0
    cursor = explorer.controls["cursor"]
    assert (cursor.min, cursor.max, cursor.value) == (10, 20, 10)
    assert explorer.controls["x_min"].value == "10"


@pytest.mark.parametrize(
    ("control", "value", "message"),
    [
        ("x_min", "abc", r"Expected a number for 'x from'\. Received 'abc'"),
        ("x_max", "", r"Expected a number for 'x to'\. Received ''"),
        ("x_min", "9", r"Expected the x range's start below its end\. Received from 9 to 6"),
        ("x_max", "1e9", r"Expected an x range within ±1e\+06"),
        ("functions", [], r"Expected at least one function to draw\. Received an empty selection"),
    ],
)
def test_bad_entries_show_a_message_and_keep_the_last_good_plot(
    control: str, value: object, message: str, make: Any
) -> None:
    explorer = make(selected=("tanh",))
    good_plot, good_range, good_selection = picture(explorer.plot), explorer.x_range, explorer.selected
    key = "index" if control == "functions" else "value"
    explorer.controls[control].set_state({key: value})
    assert re.search(message, explorer.errors.message), explorer.errors.message
    assert (picture(explorer.plot), explorer.x_range, explorer.selected) == (good_plot, good_range, good_selection)
    explorer.controls["x_min"].set_state({"value": "-1"})  # a good entry clears the message
    explorer.controls["x_max"].set_state({"value": "1"})
    explorer.controls["functions"].set_state({"index": [3]})
    assert explorer.errors.message == ""
    assert explorer.x_range == (-1.0, 1.0)


def test_traits_validate_when_set_from_code(make: Any) -> None:
    explorer = make()
    with pytest.raises(ValueError, match=r"Expected selected from 'step', .*\. Received 'sigmod'; pick from those"):
        explorer.selected = ("sigmod",)
    with pytest.raises(ValueError, match="start below its end"):
        explorer.x_range = (2.0, 2.0)
    with pytest.raises(ValueError, match="Expected between 1 and 200 layers"):
        explorer.depth = 0
    with pytest.raises(ValueError, match="Expected at least 2 points per curve"):
        make(points=1)
    assert explorer.selected == ("sigmoid", "relu")


def test_vanishing_gradient_view_follows_the_depth_slider(make: Any) -> None:
    explorer = make()
    before = picture(explorer.gradient_plot)
    explorer.controls["depth"].set_state({"value": 20})
    assert explorer.depth == 20
    sigmoid = activations.vanishing_gradient("sigmoid", 20)
    assert f"keeps {sigmoid[-1]:.3g} of its size with sigmoid" in explorer.vanishing_text
    assert explorer.vanishing_text.startswith("Through 20 layers")
    assert picture(explorer.gradient_plot) != before
    drawn = lines(explorer.gradient_plot)
    np.testing.assert_allclose(drawn["sigmoid"][1], sigmoid)
    np.testing.assert_allclose(drawn["relu"][1], np.ones(20))
    np.testing.assert_array_equal(drawn["relu"][0], np.arange(1, 21))


def test_links_to_the_softmax_view_instead_of_drawing_softmax(make: Any) -> None:
    explorer = make()
    assert "OneHotSoftmaxView" in shown(explorer, "nnteach-softmax-link")
    assert "softmax" not in [label for label, _ in explorer.controls["functions"].options]


def test_the_explorer_never_imports_tensorflow() -> None:
    code = (
        "import sys\nfrom nnteach.widgets import ActivationExplorer\n"
        "e = ActivationExplorer(selected=('gelu', 'swish'), show_derivative=True); e.cursor = 0.3; e.depth = 5\n"
    )
    assert heavy_modules_after(code) == []


@pytest.mark.parametrize("bad", [(1.0, 2.0, 3.0), ("a", 1.0), (float("nan"), 1.0), (True, 3.0)])
def test_malformed_x_ranges_are_plain_value_errors(bad: tuple[object, ...], make: Any) -> None:
    explorer = make()
    with pytest.raises(ValueError, match=r"Expected (two numbers \(min, max\)|finite numbers) for the x range"):
        explorer.x_range = bad
    assert explorer.x_range == (-6.0, 6.0)


# -- the public contract (issue 13) --------------------------------------------------------------
def test_a_crafted_browser_update_cannot_set_outputs_or_inputs(make: Any) -> None:
    explorer = make()
    before = (explorer.readout_text, explorer.selected, explorer.render_count)
    explorer.set_state({"readout_text": "forged", "selected": ["gelu"], "render_count": 99})
    assert (explorer.readout_text, explorer.selected, explorer.render_count) == before


def test_close_releases_every_widget_it_made() -> None:
    from ipywidgets.widgets.widget import _instances as open_widgets

    from nnteach.widgets._base import page_style

    page_style()  # the page's one stylesheet is shared and stays
    before = set(open_widgets)
    explorer = ActivationExplorer(selected=("elu",), show_derivative=True)
    explorer.controls["depth"].set_state({"value": 3})
    explorer.close()
    assert set(open_widgets) == before
    with pytest.raises(ValueError, match="Expected at least 2 points per curve"):
        ActivationExplorer(points=1)
    assert set(open_widgets) == before  # a refused explorer leaves nothing open either


def test_selected_is_a_choice_of_the_registry_and_outputs_are_read_only() -> None:
    traits = ActivationExplorer.class_traits()
    assert traits["selected"].values == activations.NAMES
    assert all(traits[name].read_only for name in ("readout_text", "formulas_text", "vanishing_text"))


def test_old_child_names_and_formula_png_still_work(make: Any) -> None:
    from nnteach.formulas import formula_png
    from nnteach.widgets.activation_explorer import formula_png as old_formula_png

    assert old_formula_png is formula_png
    explorer = make()
    with pytest.deprecated_call(match=r"ActivationExplorer\.cursor_slider is deprecated; use .*controls\['cursor'\]"):
        assert explorer.cursor_slider is explorer.controls["cursor"]
    with pytest.deprecated_call(match="readout_text"):
        assert "x = 1.00" in explorer.readout.value


def test_params_for_takes_the_sliders_the_function_uses(make: Any) -> None:
    explorer = make(selected=("leaky_relu", "elu", "relu"))
    explorer.negative_slope, explorer.alpha = 0.3, 1.5
    assert explorer.params_for("leaky_relu") == {"negative_slope": 0.3}
    assert explorer.params_for("elu") == {"alpha": 1.5}
    assert explorer.params_for("relu") == {}


@pytest.mark.parametrize("value", [float("nan")])  # a FloatSlider refuses None and clamps ±inf itself
def test_a_crafted_cursor_value_is_one_plain_sentence(value: object, make: Any) -> None:
    explorer = make()
    explorer.controls["cursor"].set_state({"value": value})
    assert explorer.errors.message.startswith("Expected a ")
    assert "Received" in explorer.errors.message
    assert "<details>" not in explorer.errors.value
    assert explorer.cursor == 1.0


OLD_NAMES = ("function_picker", "derivative_box", "x_min_box", "x_max_box", "slope_slider", "alpha_slider",
             "cursor_slider", "depth_slider", "readout", "formulas", "gradient_text", "softmax_note")  # fmt: skip


@pytest.mark.parametrize("name", OLD_NAMES)
def test_every_old_child_name_still_gives_a_widget_with_a_warning(make: Any, name: str) -> None:
    explorer = make()
    with pytest.deprecated_call(match=rf"ActivationExplorer\.{name} is deprecated; use ActivationExplorer\."):
        part = getattr(explorer, name)
    assert part.comm is not None  # a live widget of the explorer

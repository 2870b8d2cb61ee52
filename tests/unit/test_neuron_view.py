"""NeuronView: y = f(w·x + b) from the sliders, checked against the textbook formulas."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets
import pytest
import traitlets

from nnteach.widgets import NeuronView


def _browser_update(widget: Any, state: dict[str, Any]) -> None:
    message = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    widget._handle_msg(message)  # noqa: SLF001, RUF100 - the entry point a comm message from the browser takes


def _controls(view: NeuronView) -> tuple[dict[str, widgets.FloatSlider], widgets.Dropdown]:
    sliders = {
        child.description.split()[-1]: child for child in view.children if isinstance(child, widgets.FloatSlider)
    }
    picker = next(child for child in view.children if isinstance(child, widgets.Dropdown))
    return sliders, picker


def test_relu_neuron_of_the_lesson() -> None:
    view = NeuronView(x=1.0, w=0.5, b=-0.2, activation="relu")
    assert view.z == pytest.approx(0.3) and view.y == pytest.approx(0.3) and view.slope == 1.0
    assert "= <b>0.300</b>; relu(z) = <b>0.300</b>" in view.readout
    view.close()


def test_sliders_move_the_neuron_and_the_readout_follows() -> None:
    view = NeuronView()
    sliders, picker = _controls(view)
    assert sorted(sliders) == ["b", "w", "x"]
    sliders["x"].value = -2.0  # the learner drags the input slider
    assert view.x == -2.0 and view.y == 0.0 and view.slope == 0.0
    assert "relu(z) = <b>0.000</b>" in view.readout and "−0.000" not in view.readout
    picker.value = "sigmoid"
    z = 0.5 * -2.0 - 0.2
    sigmoid = 1 / (1 + math.exp(-z))
    assert view.y == pytest.approx(sigmoid) and view.slope == pytest.approx(sigmoid * (1 - sigmoid))
    picker.value = "tanh"
    assert view.y == pytest.approx(math.tanh(z)) and view.slope == pytest.approx(1 - math.tanh(z) ** 2)
    view.close()


def test_setting_traits_moves_the_sliders() -> None:
    view = NeuronView()
    sliders, picker = _controls(view)
    view.w, view.activation = -1.5, "step"
    assert sliders["w"].value == -1.5 and picker.value == "step"
    assert view.y == 0.0  # -1.5·1 - 0.2 < 0
    view.close()


def test_out_of_range_values_are_refused_with_a_sentence() -> None:
    view = NeuronView()
    with pytest.raises(traitlets.TraitError, match=r"The weight w goes from -3 to 3 here\. Received: w=7"):
        view.w = 7
    with pytest.raises(traitlets.TraitError, match="activation"):
        view.activation = "softmax"
    assert view.w == 0.5 and view.activation == "relu"
    view.close()


def test_a_crafted_slider_value_is_a_sentence() -> None:
    view = NeuronView()
    sliders, _picker = _controls(view)
    _browser_update(sliders["w"], {"value": math.nan})  # a crafted message to the learner's slider
    assert view.w == 0.5 and view.errors.message.startswith("Expected a finite number for weight w. Received nan")
    sliders["w"].value = 1.0
    assert view.w == 1.0 and view.errors.message == ""
    view.close()


def test_the_browser_cannot_write_outputs() -> None:
    view = NeuronView()
    _browser_update(view, {"y": 42.0, "readout": "forged", "x": 3.0})
    assert view.y == pytest.approx(0.3) and view.x == 1.0 and "forged" not in view.readout
    view.close()


def test_close_releases_every_child(recording_comm: Any) -> None:
    from nnteach.widgets._base import page_style

    page_style()
    before = set(recording_comm.open_comms)
    NeuronView().close()
    assert set(recording_comm.open_comms) - before == set()

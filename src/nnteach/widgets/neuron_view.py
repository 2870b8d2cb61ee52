"""NeuronView: one neuron with one input, y = f(w·x + b), with sliders for x, w, b and f.

It shows the weighted sum z, the activation's output f(z) and its slope f′(z), so a learner
sees what each activation does with the same sum (and where its slope vanishes).

Example:
    >>> view = NeuronView(x=1.0, w=0.5, b=-0.2, activation="relu")
    >>> round(view.z, 3), round(view.y, 3), view.slope
    (0.3, 0.3, 1.0)
    >>> view.x = -2.0
    >>> view.y, view.slope
    (0.0, 0.0)
    >>> view.close()
"""

from __future__ import annotations

import functools
import html
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach.activations import NAMES, get
from nnteach.i18n import N_, _
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget
from nnteach.widgets._parse import finite_number

__all__ = ["NeuronView"]

#: The sliders' ranges: (low, high) of x, w and b.
RANGES = {"x": (-5.0, 5.0), "w": (-3.0, 3.0), "b": (-3.0, 3.0)}
_WORDS = {"x": N_("input x"), "w": N_("weight w"), "b": N_("bias b")}  # shown translated


def _slider_number(value: Any, what: str) -> float:
    """A slider's value as a finite number, or a sentence (a crafted message can send NaN)."""
    return finite_number(value, what, _("drag the slider"))


def _number(value: float) -> str:
    """``value`` with three decimals, never ``-0.000``."""
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text.replace("-", "−")


class NeuronView(NNTeachWidget):
    """One neuron: sliders for ``x``, ``w``, ``b``, a picker for ``activation``; read-only ``z``, ``y``, ``slope``."""

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("x", "w", "b", "activation")

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    x = traitlets.Float(1.0, help="The neuron's one input (−5 to 5).")
    w = traitlets.Float(0.5, help="The input's weight (−3 to 3).")
    b = traitlets.Float(-0.2, help="The bias (−3 to 3).")
    activation = traitlets.Enum(NAMES, default_value="relu", help="The activation function f.")
    z = traitlets.Float(0.0, read_only=True, help="The weighted sum w·x + b (computed).")
    y = traitlets.Float(0.0, read_only=True, help="The neuron's output f(z) (computed).")
    slope = traitlets.Float(0.0, read_only=True, help="The activation's slope f′(z) at z (computed).")
    readout = traitlets.Unicode("", read_only=True, help="The sentence shown under the sliders (computed).")

    def __init__(
        self, *, x: float = 1.0, w: float = 0.5, b: float = -0.2, activation: str = "relu", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-neuron")
        style = {"description_width": "6em"}
        sliders = {
            name: widgets.FloatSlider(
                min=low, max=high, step=0.1, description=_(_WORDS[name]), style=style, readout_format=".1f"
            )
            for name, (low, high) in RANGES.items()
        }
        picker = widgets.Dropdown(options=NAMES, description=_("activation"), style=style)
        self._readout = widgets.HTML()
        self._readout.add_class("nnteach-neuron-output")
        with self.render_once():
            self.x, self.w, self.b, self.activation = x, w, b, activation
        for name, slider in sliders.items():
            self.bind(slider, name, parse=functools.partial(_slider_number, what=_(_WORDS[name])))
        self.bind(picker, "activation")
        self.compose(*sliders.values(), picker, self._readout, self.errors)

    @traitlets.validate("x", "w", "b")
    def _check_range(self, proposal: Any) -> float:
        name = proposal["trait"].name
        low, high = RANGES[name]
        value = float(proposal["value"])
        if not low <= value <= high:
            raise NNTeachValueError(
                _(
                    "The {WORDS} goes from {low} to {high} here. Received: {name}={value}. Pick a value in that range."
                ).format(WORDS=_(_WORDS[name]), low=f"{low:g}", high=f"{high:g}", name=name, value=f"{value:g}")
            )
        return value

    @traitlets.observe("x", "w", "b", "activation")
    def _on_change(self, _change: dict[str, Any]) -> None:
        if not self.rendering:
            with self.render_once():
                pass

    def _render(self) -> None:
        function = get(self.activation)
        z = self.w * self.x + self.b
        y, slope = float(function.value(z)), float(function.derivative(z))
        name = html.escape(self.activation)
        text = (
            f"z = w·x + b = {_number(self.w)}·{_number(self.x)} + {_number(self.b)} = <b>{_number(z)}</b>; "
            f"{name}(z) = <b>{_number(y)}</b>; slope {name}′(z) = {_number(slope)}"
        )
        self.set_trait("z", z)
        self.set_trait("y", y)
        self.set_trait("slope", slope)
        self.set_trait("readout", text)
        self._readout.value = text

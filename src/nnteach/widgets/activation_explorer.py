"""``ActivationExplorer``: overlay activation functions and their slopes, read values at a cursor, see gradients fade.

The math is :mod:`nnteach.activations` (NumPy only, no TensorFlow) and the formula images
:mod:`nnteach.formulas`; this widget wires controls to them. Its two plots are drawn in the
browser (bqplot: a slider move sends arrays, not pictures) or, without ``nnteach[plots]``, as
reused matplotlib figures re-rendered into images; either way they never flicker.

Example:
    >>> from nnteach.widgets import ActivationExplorer
    >>> explorer = ActivationExplorer(selected=("sigmoid", "relu"), show_derivative=True)
    >>> explorer.cursor = 0.5
    >>> "sigmoid: f(x) = 0.6225" in explorer.readout_text  # sigmoid(0.5)
    True
    >>> explorer.close()
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach import activations
from nnteach.formulas import formula_png  # noqa: F401 - re-exported: it lived here before nnteach.formulas
from nnteach.i18n import N_, _
from nnteach.widgets import _live_plot
from nnteach.widgets._activation_plot import (
    CurvePlot,
    LiveCurvePlot,
    LiveVanishingPlot,
    VanishingPlot,
    formulas_html,
    readout,
    vanishing_sentence,
)
from nnteach.widgets._base import Choices, NNTeachValueError, NNTeachWidget, hold
from nnteach.widgets._canvas_compat import deprecated_alias
from nnteach.widgets._parse import finite_number, typed_number, whole_number

__all__ = ["ActivationExplorer", "ActivationExplorerError"]

_LARGEST_X = 1e6  # beyond this the curves are straight lines or flat: nothing to see, and floats get coarse
_SOFTMAX_NOTE = N_(  # shown translated
    '<div class="nnteach-note">Softmax is not drawn here: it turns a whole list of scores into '
    "probabilities, so it has no single curve. Explore it with <b>OneHotSoftmaxView</b> "
    "(<code>from nnteach.widgets import OneHotSoftmaxView</code>; in the widget gallery: "
    "<i>onehot_softmax.ipynb</i>).</div>"
)


class ActivationExplorerError(NNTeachValueError):
    """A value the explorer cannot show; a ``ValueError``, so the widget shows it as one plain sentence."""


def _part(name: str) -> Any:
    return lambda explorer: explorer.controls[name]


def _view(name: str) -> Any:
    return lambda explorer: explorer._views[name]


class ActivationExplorer(NNTeachWidget):
    """Pick activation functions, overlay them (and their derivatives), read them at a cursor.

    Traits (drive them from code or ``link`` them to other widgets): ``selected`` the functions
    drawn (choices from ``nnteach.activations.NAMES``); ``x_range`` ``(min, max)`` of the x-axis;
    ``show_derivative`` also draw f′ (dashed); ``cursor`` the x where values are read out;
    ``negative_slope`` (leaky ReLU) and ``alpha`` (ELU) parameters; ``depth`` the number of
    layers in the vanishing-gradient view. Read-only outputs: ``readout_text``,
    ``formulas_text`` and ``vanishing_text``, the text shown. A bad value (empty selection,
    min ≥ max, text in a number box) shows a message and keeps the last good plot.

    Stable parts: ``plot`` and ``gradient_plot`` (the two plots: bqplot ``Figure`` widgets
    whose ``marks`` carry the curves' arrays, or, without ``nnteach[plots]``, images with a
    matplotlib ``figure``), ``errors``, and ``controls``, the learner's controls by name: ``"functions"``,
    ``"derivative"``, ``"x_min"``, ``"x_max"``, ``"negative_slope"``, ``"alpha"``,
    ``"cursor"``, ``"depth"``.

    Example:
        >>> explorer = ActivationExplorer()
        >>> explorer.x_range = (-3, 3)
        >>> explorer.controls["cursor"].min, explorer.controls["cursor"].max
        (-3.0, 3.0)
        >>> explorer.close()
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = (
        "selected",
        "x_range",
        "show_derivative",
        "cursor",
        "negative_slope",
        "alpha",
        "depth",
    )

    selected = Choices(activations.NAMES, ("sigmoid", "relu"), help="The activation functions drawn, in order.")
    x_range = traitlets.Tuple(default_value=(-6.0, 6.0), help="(min, max) of the x-axis, finite numbers, min < max.")
    show_derivative = traitlets.Bool(False, help="Whether each function's derivative f′ is drawn too (dashed).")
    cursor = traitlets.Float(1.0, help="The x at which f(x) and f′(x) are read out; kept inside x_range.")
    negative_slope = traitlets.Float(0.2, help="Leaky ReLU's slope for negative inputs (Keras' default 0.2).")
    alpha = traitlets.Float(1.0, help="ELU's α: how far below 0 it goes for negative inputs (Keras' default 1).")
    depth = traitlets.Int(10, help="Number of stacked layers in the vanishing-gradient view.")
    readout_text = traitlets.Unicode(read_only=True, help="f(x) and f′(x) of each function at the cursor, as shown.")
    formulas_text = traitlets.Unicode(read_only=True, help="Each function's formula, Keras name and description.")
    vanishing_text = traitlets.Unicode(read_only=True, help="How much gradient survives `depth` layers, in words.")

    # The children's old attribute names (before they became private), kept with a warning.
    function_picker = deprecated_alias("controls['functions']", _part("functions"))
    derivative_box = deprecated_alias("controls['derivative']", _part("derivative"))
    x_min_box = deprecated_alias("controls['x_min']", _part("x_min"))
    x_max_box = deprecated_alias("controls['x_max']", _part("x_max"))
    slope_slider = deprecated_alias("controls['negative_slope']", _part("negative_slope"))
    alpha_slider = deprecated_alias("controls['alpha']", _part("alpha"))
    cursor_slider = deprecated_alias("controls['cursor']", _part("cursor"))
    depth_slider = deprecated_alias("controls['depth']", _part("depth"))
    readout = deprecated_alias("readout_text trait", _view("readout"))
    formulas = deprecated_alias("formulas_text trait", _view("formulas"))
    gradient_text = deprecated_alias("vanishing_text trait", _view("vanishing"))
    softmax_note = deprecated_alias("children (the note is static text)", _view("softmax"))

    def __init__(
        self,
        selected: tuple[str, ...] | list[str] = ("sigmoid", "relu"),
        x_range: tuple[float, float] = (-6.0, 6.0),
        show_derivative: bool = False,
        cursor: float = 1.0,
        *,
        points: int = 1000,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(points, bool) or not isinstance(points, int) or points < 2:
            self.close()
            raise ValueError(
                _("Expected at least 2 points per curve. Received points={points}: use e.g. 1000.").format(
                    points=f"{points!r}"
                )
            )
        self.add_class("nnteach-activation-explorer")
        self._points = points
        self._dirty = {"curves", "cursor", "vanishing"}
        live = _live_plot.enabled()
        self._curves: CurvePlot | LiveCurvePlot = LiveCurvePlot() if live else CurvePlot()
        self._vanishing: VanishingPlot | LiveVanishingPlot = LiveVanishingPlot() if live else VanishingPlot()
        self.on_close(self._curves.close)
        self.on_close(self._vanishing.close)
        self.plot: widgets.DOMWidget = self._curves.view  # stable parts (documented above)
        self.gradient_plot: widgets.DOMWidget = self._vanishing.view
        self._build_controls()
        try:
            with self.render_once():
                self.selected = tuple(selected)
                self.x_range = x_range
                self.show_derivative = show_derivative
                self.cursor = cursor
        except Exception:
            self.close()  # a refused construction leaves nothing open
            raise

    def _build_controls(self) -> None:
        wide = {"description_width": "7em"}
        self._controls: dict[str, widgets.Widget] = {
            "functions": widgets.SelectMultiple(
                options=[(name, name) for name in activations.NAMES], rows=len(activations.NAMES), description=_('functions'),
                layout=widgets.Layout(width="15em"),
            ),
            "derivative": widgets.Checkbox(description=_('show the derivative f′ (dashed)'), indent=False),
            "x_min": widgets.Text(description=_('x from'), continuous_update=False, layout=widgets.Layout(width="11em")),
            "x_max": widgets.Text(description=_('x to'), continuous_update=False, layout=widgets.Layout(width="11em")),
            "negative_slope": widgets.FloatSlider(min=0.0, max=1.0, step=0.01, description=_('leaky slope a'), style=wide),
            "alpha": widgets.FloatSlider(min=0.0, max=3.0, step=0.05, description=_('ELU α'), style=wide),
            "cursor": widgets.FloatSlider(description=_('cursor x'), readout_format=".2f", continuous_update=True),
            "depth": widgets.IntSlider(min=1, max=30, description=_('layers')),
        }  # fmt: skip
        c = self._controls
        for name, css in (("functions", "activation-picker"), ("derivative", "derivative-toggle"), ("x_min", "x-min"),
                          ("x_max", "x-max"), ("negative_slope", "slope-slider"), ("alpha", "alpha-slider"),
                          ("cursor", "cursor-slider"), ("depth", "depth-slider")):  # fmt: skip
            c[name].add_class(f"nnteach-{css}")
        self._views = {name: widgets.HTML() for name in ("readout", "formulas", "vanishing")}
        self._views["softmax"] = widgets.HTML(_(_SOFTMAX_NOTE))
        for name, css in (("readout", "cursor-readout"), ("formulas", "activation-formulas"),
                          ("vanishing", "vanishing-readout"), ("softmax", "softmax-link")):  # fmt: skip
            self._views[name].add_class(f"nnteach-{css}")
        self._show_cursor_range()
        self.bind(c["functions"], "selected", parse=tuple)
        self.bind(c["derivative"], "show_derivative", parse=bool)
        self.bind(c["x_min"], "x_range", parse=lambda t: (typed_number(t, "'x from'"), self.x_range[1]), show=_low)
        self.bind(c["x_max"], "x_range", parse=lambda t: (self.x_range[0], typed_number(t, "'x to'")), show=_high)
        for name, what in (
            ("negative_slope", _("the leaky slope")),
            ("alpha", _("ELU's α")),
            ("cursor", _("the cursor")),
        ):
            self.bind(c[name], name, parse=_slider_value(what))
        self.bind(c["depth"], "depth", parse=lambda v: whole_number(v, _("the number of layers"), _("drag the slider")))
        v = self._views
        self.compose(
            widgets.HBox([c["functions"], widgets.VBox(
                [c["derivative"], widgets.HBox([c["x_min"], c["x_max"]]), c["negative_slope"], c["alpha"]]
            )]),
            self.errors, self.plot, c["cursor"], v["readout"], v["formulas"], v["softmax"],
            widgets.HTML(_('<b>Vanishing gradient</b>: how much of the gradient survives through stacked layers.')),
            c["depth"], self.gradient_plot, v["vanishing"],
        )  # fmt: skip

    # -- public API ---------------------------------------------------------------------------
    @property
    def controls(self) -> Mapping[str, widgets.Widget]:
        """The learner's controls by stable name (see the class docstring); read-only."""
        return MappingProxyType(self._controls)

    def params_for(self, name: str) -> dict[str, float]:
        """The parameters the explorer passes to activation ``name`` (from its sliders)."""
        return activations.params_for(name, negative_slope=self.negative_slope, alpha=self.alpha)

    def cursor_values(self) -> list[tuple[str, float, float]]:
        """``(name, f(cursor), f′(cursor))`` for each selected function."""
        rows = []
        for name in self.selected:
            function, params = activations.get(name), self.params_for(name)
            value, slope = function.value(self.cursor, **params), function.derivative(self.cursor, **params)
            rows.append((name, float(value), float(slope)))
        return rows

    # -- validation -------------------------------------------------------------------------
    @traitlets.validate("selected")
    def _check_selected(self, proposal: Any) -> tuple[str, ...]:
        names: tuple[str, ...] = proposal["value"]
        if not names:
            raise ActivationExplorerError(
                _("Expected at least one function to draw. Received an empty selection: pick one, e.g. relu.")
            )
        return names

    @traitlets.validate("x_range")
    def _check_x_range(self, proposal: Any) -> tuple[float, float]:
        values = tuple(proposal["value"])
        numbers = [
            v for v in values if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
        ]
        if len(values) != 2 or len(numbers) != 2:
            raise ActivationExplorerError(
                _("Expected two numbers (min, max) for the x range. Received {values}: use e.g. (-6, 6).").format(
                    values=f"{values!r}"
                )
            )
        low, high = float(numbers[0]), float(numbers[1])
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ActivationExplorerError(
                _("Expected finite numbers for the x range. Received ({low}, {high}).").format(low=low, high=high)
            )
        if low >= high:
            raise ActivationExplorerError(
                _(
                    "Expected the x range's start below its end. Received from {low} to {high}: make 'x from' smaller."
                ).format(low=f"{low:g}", high=f"{high:g}")
            )
        if max(abs(low), abs(high)) > _LARGEST_X:
            raise ActivationExplorerError(
                _("Expected an x range within ±{LARGEST_X}. Received from {low} to {high}: try -10 to 10.").format(
                    LARGEST_X=f"{_LARGEST_X:g}", low=f"{low:g}", high=f"{high:g}"
                )
            )
        return low, high

    @traitlets.validate("cursor")
    def _check_cursor(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if not math.isfinite(value):
            raise ActivationExplorerError(
                _("Expected a finite number for the cursor. Received {value}.").format(value=value)
            )
        low, high = self.x_range
        return min(max(value, float(low)), float(high))

    @traitlets.validate("negative_slope", "alpha")
    def _check_parameter(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if not math.isfinite(value):
            raise ActivationExplorerError(
                _("Expected a finite number for {name}. Received {value}.").format(
                    name=proposal["trait"].name, value=value
                )
            )
        return value

    @traitlets.validate("depth")
    def _check_depth(self, proposal: Any) -> int:
        value = int(proposal["value"])
        if not 1 <= value <= 200:
            raise ActivationExplorerError(
                _("Expected between 1 and 200 layers. Received depth={value}: use e.g. 10.").format(value=value)
            )
        return value

    # -- traits → drawings ------------------------------------------------------------------------
    @traitlets.observe("selected", "x_range", "show_derivative", "negative_slope", "alpha", "cursor", "depth")
    def _on_change(self, change: Any) -> None:
        part = {"cursor": "cursor", "depth": "vanishing"}.get(change["name"], "curves")
        self._dirty.add(part)
        with self.render_once():
            if change["name"] == "x_range":
                self._show_cursor_range()
                self.cursor = self.cursor  # re-clamp into the new range

    def _show_cursor_range(self) -> None:
        low, high = self.x_range
        slider = self._controls["cursor"]
        with slider.hold_trait_notifications():  # min, max and value change together (min ≤ value ≤ max)
            slider.min, slider.max, slider.step = low, high, (high - low) / 240
            slider.value = self.cursor

    def _render(self) -> None:
        dirty, self._dirty = self._dirty, set()
        with hold(self.plot, self.gradient_plot, *self._views.values()):
            if "curves" in dirty:
                low, high = self.x_range
                x = np.linspace(float(low), float(high), self._points)
                curves = {}
                for name in self.selected:
                    function, params = activations.get(name), self.params_for(name)
                    curves[name] = (function.value(x, **params), function.derivative(x, **params))
                self._curves.draw(self.selected, x, curves, show_derivative=self.show_derivative)
                text, markup = formulas_html(self.selected, {name: self.params_for(name) for name in self.selected})
                self.set_trait("formulas_text", text)
                self._views["formulas"].value = markup
            if dirty & {"curves", "cursor"}:
                rows = self.cursor_values()
                ys = [value for _, value, _ in rows] + ([s for _, _, s in rows] if self.show_derivative else [])
                self._curves.move_cursor(self.cursor, ys)
                text, markup = readout(self.cursor, rows, show_derivative=self.show_derivative)
                self.set_trait("readout_text", text)
                self._views["readout"].value = markup
            if "vanishing" in dirty:
                sigmoid = activations.vanishing_gradient("sigmoid", self.depth)
                relu = activations.vanishing_gradient("relu", self.depth)
                self._vanishing.draw(sigmoid, relu)
                text, markup = vanishing_sentence(self.depth, float(sigmoid[-1]), float(relu[-1]))
                self.set_trait("vanishing_text", text)
                self._views["vanishing"].value = markup


def _low(x_range: tuple[float, float]) -> str:
    return f"{x_range[0]:g}"


def _high(x_range: tuple[float, float]) -> str:
    return f"{x_range[1]:g}"


def _slider_value(what: str) -> Any:
    return lambda value: finite_number(value, what, _("drag the slider"))

"""``ActivationExplorer``: overlay activation functions and their slopes, read values at a cursor, see gradients fade.

The math is :mod:`nnteach.activations` (NumPy only, no TensorFlow); this widget wires controls
to it and re-renders one reused matplotlib figure into an image, so plots never flicker.

Example:
    >>> from nnteach.widgets import ActivationExplorer
    >>> explorer = ActivationExplorer(selected=("sigmoid", "relu"), show_derivative=True)
    >>> explorer.cursor = 0.5
    >>> "0.6225" in explorer.readout.value  # sigmoid(0.5)
    True
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import importlib.metadata
import io
import math
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach import activations
from nnteach._atomic import atomic_write_bytes
from nnteach.data import cache_dir
from nnteach.widgets._parts import STYLE_CSS, ErrorArea, PlotImage

__all__ = ["ActivationExplorer", "ActivationExplorerError"]

# One colour per function, fixed, so a curve keeps its colour when others are added or removed.
_COLOURS = dict(
    zip(
        activations.NAMES,
        ("#6d4c41", "#757575", "#1565c0", "#2e7d32", "#c62828", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#283593"),
        strict=True,
    )
)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_LARGEST_X = 1e6  # beyond this the curves are straight lines or flat: nothing to see, and floats get coarse


class ActivationExplorerError(traitlets.TraitError, ValueError):
    """A value the explorer cannot show; a ``ValueError``, so the widget shows it as one plain sentence."""


@functools.cache
def formula_png(name: str) -> bytes:
    """The formula of activation ``name`` rendered by matplotlib's mathtext (no MathJax, works offline).

    Kept in nnteach's cache folder: setting up mathtext's parser costs every new kernel (each
    Voila page) about 0.2 s of CPU, a tenth of a lesson page's load time.
    """
    latex = activations.get(name).latex
    key = hashlib.sha256(f"{latex}|110|{importlib.metadata.version('matplotlib')}".encode()).hexdigest()[:20]
    cached = cache_dir() / "formulas" / f"{key}.png"
    with contextlib.suppress(OSError):
        data = cached.read_bytes()
        if data.startswith(_PNG_SIGNATURE):
            return data
    from matplotlib import mathtext

    buffer = io.BytesIO()
    mathtext.math_to_image(f"${latex}$", buffer, dpi=110, format="png")
    with contextlib.suppress(OSError):  # a read-only cache folder only costs the time again
        atomic_write_bytes(cached, buffer.getvalue())
    return buffer.getvalue()


def _swatch(name: str, style: str) -> str:
    """A short line in the curve's colour and style: the plot's legend, written as HTML."""
    return (
        f'<span aria-hidden="true" style="display:inline-block; width:2.2em; margin-right:0.4em; '
        f'vertical-align:middle; border-top:3px {style} {_COLOURS[name]}"></span>'
    )


def _number(text: str, what: str) -> float:
    """A number typed into a box, or a plain sentence saying what is wrong."""
    cleaned = text.strip().replace("−", "-").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ActivationExplorerError(
            f"Expected a number for {what}. Received {text!r}: type a number such as -6 or 2.5."
        ) from None
    if not math.isfinite(value):
        raise ActivationExplorerError(f"Expected a finite number for {what}. Received {text!r}: type e.g. 6.")
    return value


class ActivationExplorer(widgets.VBox):
    """Pick activation functions, overlay them (and their derivatives), read them at a cursor.

    Traits (Python side, drive them from code or ``link`` them to other widgets):
    ``selected`` the functions drawn (names from ``nnteach.activations.NAMES``); ``x_range``
    ``(min, max)`` of the x-axis; ``show_derivative`` also draw f′ (dashed); ``cursor`` the x
    where values are read out; ``negative_slope`` (leaky ReLU) and ``alpha`` (ELU) parameters;
    ``depth`` the number of layers in the vanishing-gradient view.
    A bad value (empty selection, min ≥ max, text in a number box) shows a message and keeps
    the last good plot.

    Example:
        >>> explorer = ActivationExplorer()
        >>> explorer.x_range = (-3, 3)
        >>> explorer.cursor_slider.min, explorer.cursor_slider.max
        (-3.0, 3.0)
    """

    selected = traitlets.Tuple(
        default_value=("sigmoid", "relu"), help="Names of the activation functions drawn, in nnteach.activations.NAMES."
    )
    x_range = traitlets.Tuple(default_value=(-6.0, 6.0), help="(min, max) of the x-axis, finite numbers, min < max.")
    show_derivative = traitlets.Bool(False, help="Whether each function's derivative f′ is drawn too (dashed).")
    cursor = traitlets.Float(1.0, help="The x at which f(x) and f′(x) are read out; kept inside x_range.")
    negative_slope = traitlets.Float(0.2, help="Leaky ReLU's slope for negative inputs (Keras' default 0.2).")
    alpha = traitlets.Float(1.0, help="ELU's α: how far below 0 it goes for negative inputs (Keras' default 1).")
    depth = traitlets.Int(10, help="Number of stacked layers in the vanishing-gradient view.")

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
        if isinstance(points, bool) or not isinstance(points, int) or points < 2:
            raise ValueError(f"Expected at least 2 points per curve. Received points={points!r}: use e.g. 1000.")
        self._points = points
        self._ready = False
        self._syncing = False
        self._build_controls()
        super().__init__(
            children=[
                widgets.HTML(STYLE_CSS),
                widgets.HBox(
                    [
                        self.function_picker,
                        widgets.VBox(
                            [
                                self.derivative_box,
                                widgets.HBox([self.x_min_box, self.x_max_box]),
                                self.slope_slider,
                                self.alpha_slider,
                            ]
                        ),
                    ]
                ),
                self.errors,
                self.plot,
                self.cursor_slider,
                self.readout,
                self.formulas,
                self.softmax_note,
                widgets.HTML("<b>Vanishing gradient</b>: how much of the gradient survives through stacked layers."),
                self.depth_slider,
                self.gradient_plot,
                self.gradient_text,
            ],
            **kwargs,
        )
        self.add_class("nnteach-activation-explorer")
        with self.hold_trait_notifications():
            self.selected = tuple(selected)
            self.x_range = x_range
            self.show_derivative = show_derivative
            self.cursor = cursor
        self._sync_controls()
        for control, handler in (
            (self.function_picker, self._on_picker),
            (self.derivative_box, self._on_derivative_box),
            (self.x_min_box, self._on_range_boxes),
            (self.x_max_box, self._on_range_boxes),
            (self.slope_slider, self._on_slope_slider),
            (self.alpha_slider, self._on_alpha_slider),
            (self.cursor_slider, self._on_cursor_slider),
            (self.depth_slider, self._on_depth_slider),
        ):
            control.observe(handler, names="value")
        self._ready = True
        self._draw_curves()
        self._draw_vanishing()

    def _build_controls(self) -> None:
        self.errors = ErrorArea()
        self.function_picker = widgets.SelectMultiple(
            options=[(f"{name}", name) for name in activations.NAMES],
            rows=len(activations.NAMES),
            description="functions",
            layout=widgets.Layout(width="15em"),
        )
        self.function_picker.add_class("nnteach-activation-picker")
        self.derivative_box = widgets.Checkbox(description="show the derivative f′ (dashed)", indent=False)
        self.derivative_box.add_class("nnteach-derivative-toggle")
        self.x_min_box = widgets.Text(
            description="x from", continuous_update=False, layout=widgets.Layout(width="11em")
        )
        self.x_max_box = widgets.Text(description="x to", continuous_update=False, layout=widgets.Layout(width="11em"))
        self.x_min_box.add_class("nnteach-x-min")
        self.x_max_box.add_class("nnteach-x-max")
        self.slope_slider = widgets.FloatSlider(
            min=0.0, max=1.0, step=0.01, description="leaky slope a", style={"description_width": "7em"}
        )
        self.alpha_slider = widgets.FloatSlider(
            min=0.0, max=3.0, step=0.05, description="ELU α", style={"description_width": "7em"}
        )
        self.slope_slider.add_class("nnteach-slope-slider")
        self.alpha_slider.add_class("nnteach-alpha-slider")
        self.cursor_slider = widgets.FloatSlider(description="cursor x", readout_format=".2f", continuous_update=True)
        self.cursor_slider.add_class("nnteach-cursor-slider")
        self.readout = widgets.HTML()
        self.readout.add_class("nnteach-cursor-readout")
        self.plot = PlotImage(width_inches=6.4, height_inches=3.6)
        self.plot.add_class("nnteach-activation-plot")
        self.plot.layout.max_width = "760px"  # about 1.2× its pixels: readable on a projector, controls stay in view
        self.formulas = widgets.HTML()
        self.formulas.add_class("nnteach-activation-formulas")
        self.depth_slider = widgets.IntSlider(min=1, max=30, description="layers")
        self.depth_slider.add_class("nnteach-depth-slider")
        self.gradient_plot = PlotImage(width_inches=6.4, height_inches=2.4)
        self.gradient_plot.add_class("nnteach-vanishing-plot")
        self.gradient_plot.layout.max_width = "760px"
        self.gradient_text = widgets.HTML()
        self.gradient_text.add_class("nnteach-vanishing-readout")
        self.softmax_note = widgets.HTML(
            '<div class="nnteach-note">Softmax is not drawn here: it turns a whole list of scores into '
            "probabilities, so it has no single curve. Explore it with <b>OneHotSoftmaxView</b> "
            "(<code>from nnteach.widgets import OneHotSoftmaxView</code>; in the widget gallery: "
            "<i>onehot_softmax.ipynb</i>).</div>"
        )
        self.softmax_note.add_class("nnteach-softmax-link")
        # Fixed margins instead of constrained layout: laying out again on every slider move costs half the time.
        self.plot.figure.set_layout_engine(None)
        self._axes = self.plot.figure.add_axes((0.1, 0.14, 0.88, 0.83))
        self._gradient_axes = self.gradient_plot.figure.add_subplot()
        self._lines: dict[str, Any] = {}
        self._layout: tuple[tuple[str, ...], bool] | None = None
        self._cursor_line: Any = None
        self._cursor_dots: Any = None

    # -- validation -------------------------------------------------------------------------
    @traitlets.validate("selected")
    def _check_selected(self, proposal: Any) -> tuple[str, ...]:
        names = proposal["value"]
        if isinstance(names, str):
            names = (names,)
        names = tuple(names)
        if not names:
            raise ActivationExplorerError(
                "Expected at least one function to draw. Received an empty selection: pick one, e.g. relu."
            )
        for name in names:
            activations.get(name)  # raises ValueError naming the known functions
        return tuple(dict.fromkeys(names))

    @traitlets.validate("x_range")
    def _check_x_range(self, proposal: Any) -> tuple[float, float]:
        values = tuple(proposal["value"])
        numbers = [
            v for v in values if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
        ]
        if len(values) != 2 or len(numbers) != 2:
            raise ActivationExplorerError(
                f"Expected two numbers (min, max) for the x range. Received {values!r}: use e.g. (-6, 6)."
            )
        low, high = float(numbers[0]), float(numbers[1])
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ActivationExplorerError(f"Expected finite numbers for the x range. Received ({low}, {high}).")
        if low >= high:
            raise ActivationExplorerError(
                f"Expected the x range's start below its end. Received from {low:g} to {high:g}: make 'x from' smaller."
            )
        if max(abs(low), abs(high)) > _LARGEST_X:
            raise ActivationExplorerError(
                f"Expected an x range within ±{_LARGEST_X:g}. Received from {low:g} to {high:g}: try -10 to 10."
            )
        return low, high

    @traitlets.validate("cursor")
    def _check_cursor(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if not math.isfinite(value):
            raise ActivationExplorerError(f"Expected a finite number for the cursor. Received {value}.")
        low, high = self.x_range
        return min(max(value, float(low)), float(high))

    @traitlets.validate("negative_slope", "alpha")
    def _check_parameter(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if not math.isfinite(value):
            raise ActivationExplorerError(f"Expected a finite number for {proposal['trait'].name}. Received {value}.")
        return value

    @traitlets.validate("depth")
    def _check_depth(self, proposal: Any) -> int:
        value = int(proposal["value"])
        if not 1 <= value <= 200:
            raise ActivationExplorerError(f"Expected between 1 and 200 layers. Received depth={value}: use e.g. 10.")
        return value

    # -- traits → controls and drawings ----------------------------------------------------------
    @traitlets.observe("x_range")
    def _on_x_range(self, _change: Any) -> None:
        self.cursor = self.cursor  # re-clamp into the new range

    @traitlets.observe("selected", "x_range", "show_derivative", "negative_slope", "alpha")
    def _on_curves_change(self, _change: Any) -> None:
        if self._ready:
            self._sync_controls()
            with self.errors.guard("Could not draw the functions."):
                self._draw_curves()
                self.errors.clear()

    @traitlets.observe("cursor")
    def _on_cursor_change(self, _change: Any) -> None:
        if self._ready:
            self._sync_controls()
            with self.errors.guard("Could not read the functions at the cursor."):
                self._move_cursor()

    @traitlets.observe("depth")
    def _on_depth_change(self, _change: Any) -> None:
        if self._ready:
            self._sync_controls()
            with self.errors.guard("Could not draw the vanishing gradient."):
                self._draw_vanishing()

    def _sync_controls(self) -> None:
        """Show the traits in the controls (without the controls writing back)."""
        if self._syncing:
            return
        self._syncing = True
        try:
            low, high = self.x_range
            self.function_picker.value = self.selected
            self.derivative_box.value = self.show_derivative
            self.x_min_box.value = f"{low:g}"
            self.x_max_box.value = f"{high:g}"
            self.slope_slider.value = self.negative_slope
            self.alpha_slider.value = self.alpha
            with self.cursor_slider.hold_trait_notifications():
                self.cursor_slider.min = low
                self.cursor_slider.max = high
                self.cursor_slider.step = (high - low) / 240
                self.cursor_slider.value = self.cursor
            self.depth_slider.value = self.depth
        finally:
            self._syncing = False

    # -- controls → traits (callback boundaries: errors are shown, never raised) -------------------
    def _from_control(self, name: str, value: Any) -> None:
        if self._syncing:
            return
        with self.errors.guard(f"Could not use that value for {name}."):
            setattr(self, name, value)
            self.errors.clear()

    def _on_picker(self, change: Any) -> None:
        self._from_control("selected", tuple(change["new"]))

    def _on_derivative_box(self, change: Any) -> None:
        self._from_control("show_derivative", bool(change["new"]))

    def _on_slope_slider(self, change: Any) -> None:
        self._from_control("negative_slope", change["new"])

    def _on_alpha_slider(self, change: Any) -> None:
        self._from_control("alpha", change["new"])

    def _on_cursor_slider(self, change: Any) -> None:
        self._from_control("cursor", change["new"])

    def _on_depth_slider(self, change: Any) -> None:
        self._from_control("depth", change["new"])

    def _on_range_boxes(self, _change: Any) -> None:
        if self._syncing:
            return
        with self.errors.guard("Could not use that x range."):
            self.x_range = (_number(self.x_min_box.value, "'x from'"), _number(self.x_max_box.value, "'x to'"))
            self.errors.clear()

    # -- drawing ------------------------------------------------------------------------------
    def params_for(self, name: str) -> dict[str, float]:
        """The parameters the explorer passes to activation ``name`` (from its sliders)."""
        if name == "leaky_relu":
            return {"negative_slope": self.negative_slope}
        if name == "elu":
            return {"alpha": self.alpha}
        return {}

    def _draw_curves(self) -> None:
        """Draw the curves: new lines when the selection changes, otherwise move the existing ones' data."""
        low, high = self.x_range
        x = np.linspace(float(low), float(high), self._points)
        curves = []
        for name in self.selected:
            function = activations.get(name)
            params = self.params_for(name)
            curves.append((name, function.value(x, **params), function.derivative(x, **params)))
        layout = (self.selected, self.show_derivative)
        if layout != self._layout:
            self._new_lines()
            self._layout = layout
        for name, value, derivative in curves:
            self._lines[name].set_data(x, value)
            if self.show_derivative:
                self._lines[f"{name}′"].set_data(x, derivative)
        axes = self._axes
        axes.set_xlim(*self.x_range)
        axes.relim(visible_only=True)
        axes.autoscale_view(scalex=False)
        self._update_formulas()
        self._move_cursor()

    def _new_lines(self) -> None:
        axes = self._axes
        axes.clear()
        axes.axhline(0.0, color="#9e9e9e", linewidth=0.8)
        axes.axvline(0.0, color="#9e9e9e", linewidth=0.8)
        self._lines = {}
        for name in self.selected:
            (self._lines[name],) = axes.plot([], [], color=_COLOURS[name], linewidth=2.0, label=name)
            if self.show_derivative:
                (self._lines[f"{name}′"],) = axes.plot(
                    [], [], color=_COLOURS[name], linewidth=1.5, linestyle="--", label=f"{name}′"
                )
        axes.set_xlabel("z (the weighted sum)")
        axes.set_ylabel("f(z)" + (" and f′(z)" if self.show_derivative else ""))
        axes.grid(alpha=0.3)
        # No matplotlib legend: it costs a third of each render. The readout below is the legend, as text.
        self._cursor_line = axes.axvline(self.cursor, color="#212121", linewidth=1.0, linestyle=":")
        self._cursor_dots = axes.scatter([], [], color="#212121", s=25, zorder=5)

    def cursor_values(self) -> list[tuple[str, float, float]]:
        """``(name, f(cursor), f′(cursor))`` for each selected function."""
        rows = []
        for name in self.selected:
            function = activations.get(name)
            params = self.params_for(name)
            rows.append(
                (name, float(function.value(self.cursor, **params)), float(function.derivative(self.cursor, **params)))
            )
        return rows

    def _move_cursor(self) -> None:
        rows = self.cursor_values()
        self._cursor_line.set_xdata([self.cursor, self.cursor])
        ys = [value for _, value, _ in rows] + ([slope for _, _, slope in rows] if self.show_derivative else [])
        self._cursor_dots.set_offsets(np.column_stack([np.full(len(ys), self.cursor), ys]))
        cells = "".join(
            f'<tr data-name="{name}"><td>{_swatch(name, "solid")}<b style="color:{_COLOURS[name]}">{name}</b></td>'
            f"<td>f(x) = {value:.4f}</td>"
            f"<td>{_swatch(name, 'dashed') if self.show_derivative else ''}f′(x) = {slope:.4f}</td></tr>"
            for name, value, slope in rows
        )
        self.readout.value = (
            f'<div class="nnteach-readout"><b>x = {self.cursor:.2f}</b>'
            f'<table style="border-spacing: 12px 0">{cells}</table></div>'
        )
        self.plot.refresh()

    def _update_formulas(self) -> None:
        parts = []
        for name in self.selected:
            function = activations.get(name)
            image = base64.b64encode(formula_png(name)).decode("ascii")
            keras = (
                f"<code>{function.keras_name}</code>"
                if function.keras_name
                else "<i>not in Keras: its slope is 0 everywhere</i>"
            )
            params = ", ".join(f"{key} = {value:g}" for key, value in self.params_for(name).items())
            parts.append(
                f'<div class="nnteach-formula" data-name="{name}"><b style="color:{_COLOURS[name]}">{name}</b> '
                f'<img alt="{html.escape(function.latex, quote=True)}" src="data:image/png;base64,{image}" '
                f'style="vertical-align: middle"> {keras}{f" ({params})" if params else ""}<br>'
                f"<span class='nnteach-note'>{html.escape(function.description)}</span></div>"
            )
        self.formulas.value = "".join(parts)

    def _draw_vanishing(self) -> None:
        layers = np.arange(1, self.depth + 1)
        sigmoid = activations.vanishing_gradient("sigmoid", self.depth)
        relu = activations.vanishing_gradient("relu", self.depth)
        axes = self._gradient_axes
        axes.clear()
        axes.semilogy(layers, sigmoid, "o-", color=_COLOURS["sigmoid"], label="sigmoid", markersize=3)
        axes.semilogy(layers, relu, "s-", color=_COLOURS["relu"], label="relu", markersize=3)
        axes.set_xlabel("layers the gradient passes through")
        axes.set_ylabel("gradient kept")
        axes.set_ylim(min(sigmoid.min(), 1.0) / 3, 3.0)
        axes.grid(alpha=0.3, which="both")
        axes.legend(loc="lower left", fontsize=9)
        self.gradient_plot.refresh()
        self.gradient_text.value = (
            f"Through <b>{self.depth}</b> layers (each at a typical weighted sum z = 0.5) the gradient keeps "
            f"<b>{sigmoid[-1]:.3g}</b> of its size with sigmoid (its slope is at most 0.25) and "
            f"<b>{relu[-1]:g}</b> with ReLU (its slope is 1 when active): deep sigmoid networks barely learn."
        )

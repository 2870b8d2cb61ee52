"""What ActivationExplorer draws and writes: the curves and cursor, the vanishing gradient, and their text.

The maths is :mod:`nnteach.activations`, the formula images :mod:`nnteach.formulas`; this
module turns their numbers into two reused plots and into sentences (plain text for
lessons and tests, HTML for the page). In the browser (:mod:`nnteach.widgets._live_plot`,
bqplot) a slider move sends the changed arrays only; the PNG versions (:class:`CurvePlot`,
:class:`VanishingPlot`) change the lines' data and render one PNG. New lines are made only
when the set of curves changes.

Example:
    >>> plot = CurvePlot()
    >>> plot.draw(("relu",), np.linspace(-1, 1, 5), {"relu": (np.zeros(5), np.zeros(5))}, show_derivative=False)
    >>> plot.move_cursor(0.5, [0.5])
    >>> bytes(plot.image.value[:4])
    b'\\x89PNG'
    >>> plot.close()
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach import activations
from nnteach.formulas import formula_img
from nnteach.i18n import _
from nnteach.numbers import fixed
from nnteach.widgets._base import hold
from nnteach.widgets._live_plot import LivePlot
from nnteach.widgets._parts import PlotImage

__all__ = [
    "COLOURS",
    "CurvePlot",
    "LiveCurvePlot",
    "LiveVanishingPlot",
    "VanishingPlot",
    "formulas_html",
    "readout",
    "vanishing_sentence",
]

# One colour per function, fixed, so a curve keeps its colour when others are added or removed.
COLOURS = dict(
    zip(
        activations.NAMES,
        ("#6d4c41", "#757575", "#1565c0", "#2e7d32", "#c62828", "#bf360c", "#6a1b9a", "#006064", "#ad1457", "#283593"),
        strict=True,
    )
)
Curves = dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]]


def _close(plot: PlotImage) -> None:
    layout = plot.layout
    plot.close()
    layout.close()


class CurvePlot:
    """The functions (and their dashed derivatives) with a dotted cursor line, in one reused figure."""

    def __init__(self) -> None:
        self.image = PlotImage(width_inches=6.4, height_inches=3.6)
        self.view = self.image
        self.image.add_class("nnteach-activation-plot")
        self.image.layout.max_width = "760px"  # about 1.2× its pixels: readable on a projector, controls in view
        # Fixed margins instead of constrained layout: laying out again on every slider move costs half the time.
        self.image.figure.set_layout_engine(None)
        self.axes = self.image.figure.add_axes((0.1, 0.14, 0.88, 0.83))
        self._lines: dict[str, Any] = {}
        self._layout: tuple[tuple[str, ...], bool] | None = None
        self._cursor_line: Any = None
        self._cursor_dots: Any = None

    def draw(self, names: tuple[str, ...], x: NDArray[np.float64], curves: Curves, *, show_derivative: bool) -> None:
        """Set the curves (new lines only when the set of curves changes); :meth:`move_cursor` renders."""
        if (names, show_derivative) != self._layout:
            self._new_lines(names, show_derivative)
            self._layout = (names, show_derivative)
        for name, (value, derivative) in curves.items():
            self._lines[name].set_data(x, value)
            if show_derivative:
                self._lines[f"{name}′"].set_data(x, derivative)
        self.axes.set_xlim(float(x[0]), float(x[-1]))
        self.axes.relim(visible_only=True)
        self.axes.autoscale_view(scalex=False)

    def _new_lines(self, names: tuple[str, ...], show_derivative: bool) -> None:
        axes = self.axes
        axes.clear()
        axes.axhline(0.0, color="#9e9e9e", linewidth=0.8)
        axes.axvline(0.0, color="#9e9e9e", linewidth=0.8)
        self._lines = {}
        for name in names:
            (self._lines[name],) = axes.plot([], [], color=COLOURS[name], linewidth=2.0, label=name)
            if show_derivative:
                (self._lines[f"{name}′"],) = axes.plot(
                    [], [], color=COLOURS[name], linewidth=1.5, linestyle="--", label=f"{name}′"
                )
        axes.set_xlabel(_("z (the weighted sum)"))
        axes.set_ylabel("f(z)" + (_(" and f′(z)") if show_derivative else ""))
        axes.grid(alpha=0.3)
        # No matplotlib legend: it costs a third of each render. The readout is the legend, as text.
        self._cursor_line = axes.axvline(0.0, color="#212121", linewidth=1.0, linestyle=":")
        self._cursor_dots = axes.scatter([], [], color="#212121", s=25, zorder=5)

    def move_cursor(self, cursor: float, ys: list[float]) -> None:
        """Move the cursor line and its dots to ``cursor``, then render the figure once."""
        self._cursor_line.set_xdata([cursor, cursor])
        self._cursor_dots.set_offsets(np.column_stack([np.full(len(ys), cursor), ys]))
        self.image.refresh()

    def close(self) -> None:
        """Close the image widget and its layout."""
        _close(self.image)


class VanishingPlot:
    """How much gradient survives through stacked sigmoid and ReLU layers, on a log scale."""

    def __init__(self) -> None:
        self.image = PlotImage(width_inches=6.4, height_inches=2.4)
        self.view = self.image
        self.image.add_class("nnteach-vanishing-plot")
        self.image.layout.max_width = "760px"
        self.axes = self.image.figure.add_subplot()

    def draw(self, sigmoid: NDArray[np.float64], relu: NDArray[np.float64]) -> None:
        """Plot both series against the number of layers and render once."""
        layers = np.arange(1, len(sigmoid) + 1)
        axes = self.axes
        axes.clear()
        for name, values, style in (("sigmoid", sigmoid, "o-"), ("relu", relu, "s-")):  # Keras' names
            axes.semilogy(layers, values, style, color=COLOURS[name], label=name, markersize=3)
        axes.set_xlabel(_("layers the gradient passes through"))
        axes.set_ylabel(_("gradient kept"))
        axes.set_ylim(min(sigmoid.min(), 1.0) / 3, 3.0)
        axes.grid(alpha=0.3, which="both")
        axes.legend(loc="lower left", fontsize=9)
        self.image.refresh()

    def close(self) -> None:
        """Close the image widget and its layout."""
        _close(self.image)


def _limits(*arrays: NDArray[np.float64]) -> tuple[float, float]:
    """The y range that shows every finite value with matplotlib's 5 % margins (±1 around a flat line)."""
    finite = np.concatenate([a[np.isfinite(a)] for a in arrays]) if arrays else np.zeros(0)
    if not len(finite):
        return -1.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if high - low < 1e-12:
        return low - 1.0, high + 1.0
    pad = 0.05 * (high - low)
    return low - pad, high + pad


class LiveCurvePlot:
    """:class:`CurvePlot` drawn in the browser: ``curves`` and ``derivatives`` hold one row per function.

    Example:
        >>> plot = LiveCurvePlot()
        >>> plot.draw(("relu",), np.linspace(-1, 1, 5), {"relu": (np.zeros(5), np.zeros(5))}, show_derivative=False)
        >>> plot.move_cursor(0.5, [0.5])
        >>> plot.cursor_line.x.tolist(), list(plot.curves.labels)
        ([0.5, 0.5], ['relu'])
        >>> plot.close()
    """

    def __init__(self) -> None:
        self._plot = plot = LivePlot(
            x_label=_("z (the weighted sum)"), y_label="f(z)", css_class="nnteach-activation-plot"
        )
        self.view = plot.figure
        self.zero_lines = plot.add(plot.lines(x=[[0.0, 0.0], [0.0, 0.0]], y=[[0.0, 0.0], [0.0, 0.0]],
                                              colors=["#9e9e9e"], stroke_width=0.8))  # fmt: skip
        self.curves = plot.add(plot.lines(x=[], y=[], stroke_width=2.0))
        self.derivatives = plot.add(plot.lines(x=[], y=[], stroke_width=1.5, line_style="dashed"))
        self.cursor_line = plot.add(plot.lines(x=[0.0, 0.0], y=[0.0, 0.0], colors=["#212121"], line_style="dotted",
                                               stroke_width=1.0))  # fmt: skip
        self.cursor_dots = plot.add(plot.scatter(x=[], y=[], colors=["#212121"], default_size=30))
        self._layout: tuple[tuple[str, ...], bool] | None = None

    def draw(self, names: tuple[str, ...], x: NDArray[np.float64], curves: Curves, *, show_derivative: bool) -> None:
        """Send the curves' arrays (and the derivatives' when shown) with the axes' new ranges."""
        values = np.vstack([curves[name][0] for name in names])
        slopes = np.vstack([curves[name][1] for name in names])
        low, high = _limits(values, *([slopes] if show_derivative else []))
        colours = [COLOURS[name] for name in names]
        plot = self._plot
        with hold(self.curves, self.derivatives, self.zero_lines, plot.y_axis, plot.x_scale, plot.y_scale):
            if (names, show_derivative) != self._layout:  # colours and labels only when the curves change
                self._layout = (names, show_derivative)
                self.curves.colors, self.curves.labels = colours, list(names)
                self.derivatives.visible = show_derivative
                self.derivatives.colors, self.derivatives.labels = colours, [f"{name}′" for name in names]
                plot.y_axis.label = "f(z)" + (_(" and f′(z)") if show_derivative else "")
            self.curves.x, self.curves.y = x, values
            if show_derivative:
                self.derivatives.x, self.derivatives.y = x, slopes
            self.zero_lines.x = np.array([[x[0], x[-1]], [0.0, 0.0]])
            self.zero_lines.y = np.array([[0.0, 0.0], [low, high]])
            plot.set_limits(x=(float(x[0]), float(x[-1])), y=(low, high))

    def move_cursor(self, cursor: float, ys: list[float]) -> None:
        """Move the cursor line (across the whole y range) and its dots to ``cursor``."""
        scale = self._plot.y_scale
        with hold(self.cursor_line, self.cursor_dots):
            self.cursor_line.x, self.cursor_line.y = [cursor, cursor], [scale.min, scale.max]
            self.cursor_dots.x, self.cursor_dots.y = np.full(len(ys), cursor), np.asarray(ys, dtype=np.float64)

    def close(self) -> None:
        """Close the figure, its marks, axes and scales."""
        self._plot.close()


class LiveVanishingPlot:
    """:class:`VanishingPlot` drawn in the browser, on a log scale."""

    def __init__(self) -> None:
        self._plot = plot = LivePlot(x_label=_("layers the gradient passes through"), y_label=_("gradient kept"),
                                     y_log=True,
                                     css_class="nnteach-vanishing-plot", height="240px")  # fmt: skip
        self.view = plot.figure
        self.sigmoid = plot.add(plot.lines(x=[1.0], y=[1.0], colors=[COLOURS["sigmoid"]], marker="circle",
                                           marker_size=16, labels=["sigmoid"]))  # fmt: skip
        self.relu = plot.add(plot.lines(x=[1.0], y=[1.0], colors=[COLOURS["relu"]], marker="square",
                                        marker_size=16, labels=["relu"]))  # fmt: skip

    def draw(self, sigmoid: NDArray[np.float64], relu: NDArray[np.float64]) -> None:
        """Send both series against the number of layers."""
        layers = np.arange(1, len(sigmoid) + 1, dtype=np.float64)
        with hold(self.sigmoid, self.relu, self._plot.x_scale, self._plot.y_scale):
            self.sigmoid.x, self.sigmoid.y = layers, np.asarray(sigmoid, dtype=np.float64)
            self.relu.x, self.relu.y = layers, np.asarray(relu, dtype=np.float64)
            self._plot.set_limits(x=(0.5, len(layers) + 0.5), y=(min(float(sigmoid.min()), 1.0) / 3, 3.0))

    def close(self) -> None:
        """Close the figure, its marks, axes and scales."""
        self._plot.close()


def _swatch(name: str, style: str) -> str:
    """A short line in the curve's colour and style: the plot's legend, written as HTML."""
    return (
        f'<span aria-hidden="true" style="display:inline-block; width:2.2em; margin-right:0.4em; '
        f'vertical-align:middle; border-top:3px {style} {COLOURS[name]}"></span>'
    )


def readout(cursor: float, rows: list[tuple[str, float, float]], *, show_derivative: bool) -> tuple[str, str]:
    """f(x) and f′(x) of each function at the cursor, as (text, html); the HTML is also the plot's legend."""
    text = f"x = {fixed(cursor, 2)}; " + "; ".join(
        f"{name}: f(x) = {fixed(value, 4)}, f′(x) = {fixed(slope, 4)}" for name, value, slope in rows
    )
    cells = "".join(
        f'<tr data-name="{name}"><td>{_swatch(name, "solid")}<b class="nnteach-key" style="color:{COLOURS[name]}">{name}</b></td>'
        f"<td>f(x) = {fixed(value, 4)}</td>"
        f"<td>{_swatch(name, 'dashed') if show_derivative else ''}f′(x) = {fixed(slope, 4)}</td></tr>"
        for name, value, slope in rows
    )
    markup = (
        f'<div class="nnteach-readout"><b>x = {cursor:.2f}</b>'
        f'<table style="border-spacing: 12px 0">{cells}</table></div>'
    )
    return text, markup


def formulas_html(names: tuple[str, ...], params: dict[str, dict[str, float]]) -> tuple[str, str]:
    """Each function's formula (an offline PNG), Keras name, parameters and description, as (text, html)."""
    texts, parts = [], []
    for name in names:
        function = activations.get(name)
        keras = function.keras_name or _("not in Keras: its slope is 0 everywhere")
        shown = ", ".join(f"{key} = {value:g}" for key, value in params[name].items())
        texts.append(f"{name}: {function.latex}; {keras}{f' ({shown})' if shown else ''}. {function.explanation}")
        keras_html = f"<code>{keras}</code>" if function.keras_name else f"<i>{keras}</i>"
        parts.append(
            f'<div class="nnteach-formula" data-name="{name}"><b class="nnteach-key" style="color:{COLOURS[name]}">{name}</b> '
            f"{formula_img(name)} {keras_html}{f' ({shown})' if shown else ''}<br>"
            f"<span class='nnteach-note'>{html.escape(function.explanation)}</span></div>"
        )
    return "\n".join(texts), "".join(parts)


def vanishing_sentence(depth: int, sigmoid_kept: float, relu_kept: float) -> tuple[str, str]:
    """The vanishing-gradient comparison in words, as (text, html)."""
    legend = (
        f'<span class="nnteach-note">{_swatch("sigmoid", "solid")}<b class="nnteach-key" style="color:{COLOURS["sigmoid"]}">'
        f'sigmoid</b> ● &nbsp; {_swatch("relu", "solid")}<b class="nnteach-key" style="color:{COLOURS["relu"]}">relu</b>'
        " ■</span><br>"
    )
    markup = _(
        "Through <b>{depth}</b> layers (each at a typical weighted sum z = 0.5) the gradient keeps <b>{sigmoid_kept}</b> of its size with sigmoid (its slope is at most 0.25) and <b>{relu_kept}</b> with ReLU (its slope is 1 when active): deep sigmoid networks barely learn."
    ).format(depth=depth, sigmoid_kept=f"{sigmoid_kept:.3g}", relu_kept=f"{relu_kept:g}")
    return markup.replace("<b>", "").replace("</b>", ""), legend + markup

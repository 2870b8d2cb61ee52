"""What PerceptronView draws and writes: the plot of the points, the line and the shading, and its sentences.

The maths is :mod:`nnteach.perceptron`; this module only turns numbers into a figure and text.
The figure is made once per dataset (axes and artists); a slider move only changes the
artists' data: :class:`LivePerceptronPlot` sends those arrays to the browser (bqplot),
:class:`PerceptronPlot` renders one PNG. Either way the line moves without flicker.

Example:
    >>> from nnteach import perceptron
    >>> plot = PerceptronPlot()
    >>> plot.new_scene(perceptron.toy_dataset())
    >>> plot.draw((1.0, 1.0), -8.5, "step", point=0, wrong=np.zeros(16, bool))
    >>> bytes(plot.image.value[:4])
    b'\\x89PNG'
    >>> plot.close()
"""

from __future__ import annotations

import html

import numpy as np
from numpy.typing import NDArray

from nnteach import perceptron
from nnteach.i18n import _
from nnteach.numbers import fixed
from nnteach.widgets._base import hold
from nnteach.widgets._live_plot import LivePlot
from nnteach.widgets._parts import PlotImage

__all__ = ["LivePerceptronPlot", "PerceptronPlot", "legend_html", "note_html", "sum_sentence", "wrong_sentence"]

_CLASS_COLOURS = ("#bf360c", "#1565c0")  # each >= 4.5:1 on white  # class 0 (cat), class 1 (dog)
_CLASS_MARKERS = ("o", "^")
_GRID = 120  # background resolution: the output of the neuron at every pixel-ish point
_LIVE_GRID = 60  # in the browser the cells are smoothed; 60² float32 values are 14 kB per slider move
_SHADING = (-0.35, 1.35)  # the neuron's output 0…1 sits inside the colour map, never at its darkest ends


def _limits(data: perceptron.ToyDataset) -> tuple[tuple[float, float], tuple[float, float]]:
    low, high = data.x.min(axis=0), data.x.max(axis=0)
    pad = 0.12 * (high - low)
    return (float(low[0] - pad[0]), float(high[0] + pad[0])), (float(low[1] - pad[1]), float(high[1] + pad[1]))


class PerceptronPlot:
    """One reused figure: the shading (the neuron's output), the points, the line and the marks."""

    def __init__(self) -> None:
        self.image = PlotImage(width_inches=5.0, height_inches=4.2)
        self.view = self.image
        self.image.add_class("nnteach-perceptron-plot")
        self.image.layout.max_width = "600px"  # about 1.2× its pixels: the sliders and the sum stay in view
        self.figure = self.image.figure
        self.figure.set_layout_engine(None)  # fixed margins: no layout pass on every slider move
        self.axes = self.figure.add_axes((0.12, 0.11, 0.85, 0.86))
        self._data = perceptron.toy_dataset()
        self._grid_points = np.zeros((0, 2))

    def new_scene(self, data: perceptron.ToyDataset) -> None:
        """Lay out the axes and the artists for ``data``; :meth:`draw` then only changes their data."""
        self._data = data
        axes = self.axes
        axes.clear()
        (x0, x1), (y0, y1) = _limits(data)
        self._background = axes.imshow(
            np.zeros((_GRID, _GRID)), extent=(x0, x1, y0, y1), origin="lower", cmap="PuOr", vmin=_SHADING[0], vmax=_SHADING[1],
            alpha=0.45, aspect="auto", interpolation="nearest",
        )  # fmt: skip
        grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, _GRID), np.linspace(y0, y1, _GRID))
        self._grid_points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
        for label in (0, 1):
            points = data.x[data.y == label]
            axes.scatter(
                points[:, 0], points[:, 1], s=70, marker=_CLASS_MARKERS[label], color=_CLASS_COLOURS[label],
                edgecolors="black", linewidths=0.6, zorder=3,
            )  # fmt: skip
        (self._line,) = axes.plot([], [], color="black", linewidth=2.2, zorder=4)
        self._wrong_marks = axes.scatter(
            [], [], s=260, facecolors="none", edgecolors="#c62828", linewidths=2.2, zorder=5
        )
        self._chosen_mark = axes.scatter([], [], s=420, facecolors="none", edgecolors="black", linewidths=1.2, zorder=5)
        axes.set_xlim(x0, x1)
        axes.set_ylim(y0, y1)
        axes.set_xlabel(f"x₁: {data.feature_names[0]}")
        axes.set_ylabel(f"x₂: {data.feature_names[1]}")

    def draw(
        self, weights: tuple[float, float], bias: float, activation: str, *, point: int, wrong: NDArray[np.bool_]
    ) -> None:
        """Move the line, shade the neuron's output, mark the wrong points and the chosen one; render once."""
        data = self._data
        (x0, x1), (y0, y1) = _limits(data)
        shading = perceptron.output(self._grid_points, weights, bias, activation)
        self._background.set_data(shading.reshape(_GRID, _GRID))
        line = perceptron.decision_line(weights, bias, (x0, x1), (y0, y1))
        self._line.set_data(*(line if line is not None else ([], [])))
        self._wrong_marks.set_offsets(data.x[wrong].reshape(-1, 2))
        self._chosen_mark.set_offsets(data.x[point].reshape(1, 2))
        self.image.refresh()

    def close(self) -> None:
        """Close the image widget and its layout (the figure goes with the last reference to it)."""
        layout = self.image.layout
        self.image.close()
        layout.close()


def _shading_colours(stops: int = 9) -> list[str]:
    """The PNG's shading (PuOr at 45 % over white) as colour stops for the browser's colour scale."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    rgba = colormaps["PuOr"](np.linspace(0.0, 1.0, stops))
    return [to_hex(0.45 * colour[:3] + 0.55) for colour in rgba]


class LivePerceptronPlot:
    """:class:`PerceptronPlot` drawn in the browser. Its marks are labelled: ``"neuron output"``
    (a heat map), ``"class 0"`` and ``"class 1"``, ``"decision line"``, ``"wrong"`` and ``"chosen point"``.

    Example:
        >>> plot = LivePerceptronPlot()
        >>> plot.new_scene(perceptron.toy_dataset())
        >>> plot.draw((1.0, 1.0), -8.5, "step", point=0, wrong=np.zeros(16, bool))
        >>> len(plot.marks["decision line"].x), len(plot.marks["wrong"].x)
        (2, 0)
        >>> plot.close()
    """

    def __init__(self) -> None:
        self._plot = plot = LivePlot(x_label="x₁", y_label="x₂", css_class="nnteach-perceptron-plot", height="440px",
                                     max_width="560px")  # fmt: skip
        self.view = self.figure = plot.figure
        self.figure.min_aspect_ratio = self.figure.max_aspect_ratio = 1.0  # data units look alike on both axes
        self.figure.layout.height, self.figure.layout.width = "440px", "480px"
        colour = plot.color_scale(colors=_shading_colours(), min=_SHADING[0], max=_SHADING[1])
        self._data = perceptron.toy_dataset()
        self._grid_points = np.zeros((0, 2))
        # The marks' names are keys for code and tests (never shown): each mark's ``labels`` is its key.
        self.marks = {
            "neuron output": plot.add(plot.mark("HeatMap", x=np.arange(2.0), y=np.arange(2.0), color=np.zeros((2, 2)),
                                                scales={**plot.scales, "color": colour})),
            **{f"class {label}": plot.add(plot.scatter(
                x=[], y=[], marker=("circle", "triangle-up")[label], colors=[_CLASS_COLOURS[label]], stroke="black",
                stroke_width=0.6, default_size=70)) for label in (0, 1)},
            "decision line": plot.add(plot.lines(x=[], y=[], colors=["black"], stroke_width=2.2)),
            "wrong": plot.add(plot.scatter(x=[], y=[], colors=["#c62828"], stroke="#c62828", stroke_width=2.2,
                                           fill=False, default_size=260)),
            "chosen point": plot.add(plot.scatter(x=[], y=[], colors=["black"], stroke="black", stroke_width=1.2,
                                                  fill=False, default_size=420)),
        }  # fmt: skip
        for name, mark in self.marks.items():
            mark.labels = [name]

    def new_scene(self, data: perceptron.ToyDataset) -> None:
        """Set the axes, the points and the shading's grid for ``data``; :meth:`draw` then changes the rest."""
        self._data = data
        (x0, x1), (y0, y1) = _limits(data)
        xs, ys = np.linspace(x0, x1, _LIVE_GRID), np.linspace(y0, y1, _LIVE_GRID)
        grid_x, grid_y = np.meshgrid(xs, ys)
        self._grid_points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
        plot, marks = self._plot, self.marks
        with hold(*marks.values(), plot.x_axis, plot.y_axis):
            marks["neuron output"].x, marks["neuron output"].y = xs, ys
            for label in (0, 1):
                points = data.x[data.y == label]
                marks[f"class {label}"].x, marks[f"class {label}"].y = points[:, 0], points[:, 1]
            plot.x_axis.label = f"x₁: {data.feature_names[0]}"
            plot.y_axis.label = f"x₂: {data.feature_names[1]}"
            plot.set_limits(x=(x0, x1), y=(y0, y1))

    def draw(
        self, weights: tuple[float, float], bias: float, activation: str, *, point: int, wrong: NDArray[np.bool_]
    ) -> None:
        """Send the shading, the line and the marks (a few kB; the points themselves do not move)."""
        data, marks = self._data, self.marks
        (x0, x1), (y0, y1) = _limits(data)
        shading = perceptron.output(self._grid_points, weights, bias, activation)
        line = perceptron.decision_line(weights, bias, (x0, x1), (y0, y1))
        with hold(*marks.values()):
            marks["neuron output"].color = shading.reshape(_LIVE_GRID, _LIVE_GRID).astype(np.float32)
            marks["decision line"].x, marks["decision line"].y = line if line is not None else ([], [])
            marks["wrong"].x, marks["wrong"].y = data.x[wrong, 0], data.x[wrong, 1]
            marks["chosen point"].x, marks["chosen point"].y = data.x[point, :1], data.x[point, 1:]

    def close(self) -> None:
        """Close the figure, its marks, axes and scales."""
        self._plot.close()


def legend_html(data: perceptron.ToyDataset) -> str:
    """The plot's legend as text, with shapes as well as colours."""
    return _(
        '<div class="nnteach-note"><span class="nnteach-key" style="color:{CLASS_COLOURS}">{class_symbols} {class_names} (0)</span> &nbsp; <span class="nnteach-key" style="color:{CLASS_COLOURS2}">{class_symbols2} {class_names2} (1)</span> &nbsp; <span class="nnteach-key" style="color:#c62828">◯ on the wrong side</span> &nbsp; ━ the line where the sum is 0 &nbsp; shading: the neuron\'s output</div>'
    ).format(
        CLASS_COLOURS=_CLASS_COLOURS[0],
        class_symbols=data.class_symbols[0],
        class_names=data.class_names[0],
        CLASS_COLOURS2=_CLASS_COLOURS[1],
        class_symbols2=data.class_symbols[1],
        class_names2=data.class_names[1],
    )


def _shown(value: float) -> str:
    """A number as written in the sum: two decimals, never "-0.00", and a nonzero sum never shown as 0.00.

    Example:
        >>> _shown(-1e-9), _shown(0.004), _shown(-0.0), _shown(4.5)
        ('-1.0e-09', '4.0e-03', '0.00', '4.50')
    """
    return f"{value:.1e}" if round(value, 2) == 0 and value != 0 else fixed(value, 2)


def _term(value: float) -> str:
    """A number as a factor in a written-out sum: negative numbers in parentheses."""
    return f"({_shown(value)})" if round(value, 2) < 0 else _shown(value)


def sum_sentence(
    data: perceptron.ToyDataset, point: int, weights: tuple[float, float], bias: float, activation: str
) -> tuple[str, str]:
    """The weighted sum of ``point`` spelled out with the neuron's answer, as (text, html)."""
    x1, x2 = data.x[point]
    w1, w2 = weights
    total = float(perceptron.weighted_sum(data.x[point], weights, bias)[0])
    label = int(data.y[point])
    said = 1 if total > 0 else 0
    verdict = f"{data.class_symbols[said]} {data.class_names[said]}"
    truth = (
        _("right") if said == label else _("wrong: it is a {class_names}").format(class_names=data.class_names[label])
    )
    if activation == "step":
        value = f"{said}"
        result = f"step({_shown(total)}) = {{}} → {verdict} ({truth})"
    else:
        value = f"{float(perceptron.output(data.x[point], weights, bias, 'sigmoid')[0]):.3f}"
        result = f"sigmoid({_shown(total)}) = {{}} = P({data.class_names[1]}) → {verdict} ({truth})"
    start = _("Point {point}: b + x₁·w₁ + x₂·w₂ = {term} + {x1}·{term2} + {x2}·{term3} = ").format(
        point=point, term=_term(bias), x1=f"{x1:g}", term2=_term(w1), x2=f"{x2:g}", term3=_term(w2)
    )
    shown = _shown(total)
    text = f"{start}{shown}; {result.format(value)}"
    markup = f'<div class="nnteach-sum">{start}<b>{shown}</b>; {result.format(f"<b>{value}</b>")}</div>'
    return text, markup


def wrong_sentence(count: int, total: int) -> tuple[str, str]:
    """How many points are on the wrong side, as (text, html)."""
    end = _(" — every point is right!") if count == 0 else "."
    return (
        _("{count} of {total} points on the wrong side{end}").format(count=count, total=total, end=end),
        _("<b>{count}</b> of {total} points on the wrong side{end}").format(count=count, total=total, end=end),
    )


def note_html(text: str) -> str:
    """``text`` as an HTML note (escaped)."""
    return f'<div class="nnteach-note">{html.escape(text)}</div>'

"""``PerceptronView``: one neuron deciding dog or cat, ``y = step(b + Σ xᵢ wᵢ)``, and the rule that trains it.

The math is :mod:`nnteach.perceptron` (NumPy only); this widget wires sliders and buttons to it
and re-renders one reused matplotlib figure, so the decision line moves without flicker.

Example:
    >>> from nnteach.widgets import PerceptronView
    >>> view = PerceptronView(weights=(0.0, 0.0), bias=0.0)
    >>> view.learn_step()
    >>> view.steps, view.weights != (0.0, 0.0)
    (1, True)
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach import perceptron
from nnteach.widgets._parts import STYLE_CSS, ErrorArea, PlotImage

__all__ = ["PerceptronView", "PerceptronViewError"]

_CLASS_COLOURS = ("#ef6c00", "#1565c0")  # class 0 (cat), class 1 (dog)
_CLASS_MARKERS = ("o", "^")
_GRID = 120  # background resolution: the output of the neuron at every pixel-ish point


class PerceptronViewError(traitlets.TraitError, ValueError):
    """A value the perceptron view cannot use; a ``ValueError``, so the widget shows it as one plain sentence."""


def _rounded(weights: tuple[float, ...], bias: float, start: int) -> tuple[tuple[float, ...], float, int]:
    """The learning state with float noise (0.1 + 0.2 ≠ 0.3) rounded away, to notice when the line comes back."""
    return tuple(round(w, 9) for w in weights), round(bias, 9), start


def _term(value: float) -> str:
    """A number as a factor in a written-out sum: negative numbers in parentheses."""
    return f"({value:.2f})" if value < 0 else f"{value:.2f}"


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise PerceptronViewError(f"Expected a number for {what}. Received {value!r}: use e.g. 0.5.")
    number = float(value)
    if not math.isfinite(number):
        raise PerceptronViewError(f"Expected a finite number for {what}. Received {value!r}: use e.g. 0.5.")
    return number


class PerceptronView(widgets.VBox):
    """A perceptron on a 2-D toy dataset: move the weights and bias, or let the learning rule move them.

    Traits: ``weights`` ``(w₁, w₂)``; ``bias`` ``b``; ``activation`` ``"step"`` (the output is
    dog or cat) or ``"sigmoid"`` (the output is the probability of a dog); ``dataset`` one of
    ``nnteach.perceptron.DATASETS``; ``point`` the index of the point whose sum is spelled out;
    ``learning_rate`` η; ``steps`` how many times the learning rule has moved the line.

    Example:
        >>> view = PerceptronView(activation="sigmoid", weights=(1.0, 1.0), bias=-8.5)
        >>> view.misclassified_count
        0
        >>> "P(dog)" in view.sum_text.value
        True
    """

    weights = traitlets.Tuple(default_value=(0.5, -0.5), help="The two input weights (w₁, w₂), finite numbers.")
    bias = traitlets.Float(0.0, help="The bias b (minus the threshold): the neuron says 1 when b + Σ xᵢ wᵢ > 0.")
    activation = traitlets.Unicode("step", help="'step' (dog or cat) or 'sigmoid' (probability of a dog).")
    dataset = traitlets.Unicode("dogs and cats", help="The built-in dataset shown: 'dogs and cats' or 'XOR'.")
    point = traitlets.Int(0, help="Index of the point whose weighted sum and output are spelled out.")
    learning_rate = traitlets.Float(0.1, help="η in the learning rule w ← w + η (y − ŷ) x; positive.")
    steps = traitlets.Int(0, help="How many times the learning rule has moved the line (reset with reset()).")
    learn_status = traitlets.Unicode("", help="What the last 'learn one step' did, in one or two sentences.")

    def __init__(
        self,
        weights: tuple[float, float] = (0.5, -0.5),
        bias: float = 0.0,
        activation: str = "step",
        dataset: str = "dogs and cats",
        **kwargs: Any,
    ) -> None:
        self._ready = False
        self._syncing = False
        self._deferred = 0
        self._dirty = False
        self._start = 0  # where the learning rule looks for the next misclassified point
        self._seen: set[tuple[tuple[float, ...], float, int]] = set()
        self._data = perceptron.dataset(dataset)
        self._build_controls()
        super().__init__(
            children=[
                widgets.HTML(STYLE_CSS),
                widgets.HTML(
                    '<div class="nnteach-note"><b>y = step(b + x₁·w₁ + x₂·w₂)</b>: the neuron adds up its inputs, '
                    "each times its weight, plus the bias, and answers 1 (dog) if the sum is above 0.</div>"
                ),
                widgets.HBox([self.dataset_picker, self.activation_picker]),
                widgets.HBox([widgets.VBox([self.w1_slider, self.w2_slider, self.bias_slider]), self.point_picker]),
                self.errors,
                self.plot,
                self.legend,
                self.sum_text,
                self.wrong_text,
                widgets.HBox([self.learn_button, self.reset_button, self.rate_picker]),
                self.learn_text,
            ],
            **kwargs,
        )
        self.add_class("nnteach-perceptron-view")
        with self.hold_trait_notifications():
            self.dataset = dataset
            self.weights = weights
            self.bias = bias
            self.activation = activation
        self._initial = (self.weights, self.bias)
        self._sync_controls()
        for control, handler in (
            (self.w1_slider, self._on_weight_sliders),
            (self.w2_slider, self._on_weight_sliders),
            (self.bias_slider, self._on_bias_slider),
            (self.activation_picker, self._on_activation_picker),
            (self.dataset_picker, self._on_dataset_picker),
            (self.point_picker, self._on_point_picker),
            (self.rate_picker, self._on_rate_picker),
        ):
            control.observe(handler, names="value")
        self.learn_button.on_click(lambda _button: self.learn_step())
        self.reset_button.on_click(lambda _button: self.reset())
        self._ready = True
        self._new_scene()
        self._sync_controls()
        self._redraw()

    def _build_controls(self) -> None:
        self.errors = ErrorArea()
        slider = {"continuous_update": True, "readout_format": ".2f", "layout": widgets.Layout(width="24em")}
        self.w1_slider = widgets.FloatSlider(min=-2.0, max=2.0, step=0.05, description="weight w₁", **slider)
        self.w2_slider = widgets.FloatSlider(min=-2.0, max=2.0, step=0.05, description="weight w₂", **slider)
        self.bias_slider = widgets.FloatSlider(min=-15.0, max=15.0, step=0.1, description="bias b", **slider)
        self.w1_slider.add_class("nnteach-w1-slider")
        self.w2_slider.add_class("nnteach-w2-slider")
        self.bias_slider.add_class("nnteach-bias-slider")
        self.activation_picker = widgets.ToggleButtons(
            options=[("step: dog or cat", "step"), ("sigmoid: probability", "sigmoid")], description="output"
        )
        self.activation_picker.add_class("nnteach-activation-toggle")
        self.dataset_picker = widgets.Dropdown(options=list(perceptron.DATASETS), description="data")
        self.dataset_picker.add_class("nnteach-dataset-picker")
        self.point_picker = widgets.Dropdown(description="point", layout=widgets.Layout(width="22em"))
        self.point_picker.add_class("nnteach-point-picker")
        self.plot = PlotImage(width_inches=5.0, height_inches=4.2)
        self.plot.add_class("nnteach-perceptron-plot")
        self.plot.layout.max_width = "600px"  # about 1.2× its pixels: the sliders and the sum stay in view
        self.plot.figure.set_layout_engine(None)  # fixed margins: no layout pass on every slider move
        self._axes = self.plot.figure.add_axes((0.12, 0.11, 0.85, 0.86))
        self.legend = widgets.HTML()
        self.sum_text = widgets.HTML()
        self.sum_text.add_class("nnteach-perceptron-sum")
        self.wrong_text = widgets.HTML()
        self.wrong_text.add_class("nnteach-perceptron-wrong")
        self.learn_button = widgets.Button(description="learn one step", icon="", button_style="primary")
        self.learn_button.add_class("nnteach-learn-button")
        self.reset_button = widgets.Button(description="reset")
        self.reset_button.add_class("nnteach-reset-button")
        self.rate_picker = widgets.Dropdown(options=[0.01, 0.1, 0.5, 1.0], value=0.1, description="η (rate)")
        self.learn_text = widgets.HTML()
        self.learn_text.add_class("nnteach-learn-status")

    # -- derived values -------------------------------------------------------------------------
    @property
    def data(self) -> perceptron.ToyDataset:
        """The dataset shown (read-only arrays)."""
        return self._data

    @property
    def misclassified_count(self) -> int:
        """How many points are on the wrong side of the line."""
        return int(self._wrong().sum())

    def _wrong(self) -> np.ndarray:
        return perceptron.misclassified_points(self._data.x, self._data.y, self.weights, self.bias)

    # -- validation ---------------------------------------------------------------------------
    @traitlets.validate("weights")
    def _check_weights(self, proposal: Any) -> tuple[float, float]:
        values = tuple(np.asarray(proposal["value"], dtype=object).reshape(-1).tolist())
        if len(values) != 2:
            raise PerceptronViewError(f"Expected two weights (w₁, w₂). Received {len(values)}: give two numbers.")
        return _finite(values[0], "w₁"), _finite(values[1], "w₂")

    @traitlets.validate("bias")
    def _check_bias(self, proposal: Any) -> float:
        return _finite(proposal["value"], "the bias")

    @traitlets.validate("learning_rate")
    def _check_rate(self, proposal: Any) -> float:
        rate = _finite(proposal["value"], "the learning rate")
        if rate <= 0:
            raise PerceptronViewError(f"Expected a positive learning rate. Received {rate:g}: use e.g. 0.1.")
        return rate

    @traitlets.validate("activation")
    def _check_activation(self, proposal: Any) -> str:
        value = proposal["value"]
        if value not in perceptron.ACTIVATIONS:
            raise PerceptronViewError(f"Expected activation 'step' or 'sigmoid'. Received {value!r}.")
        return str(value)

    @traitlets.validate("dataset")
    def _check_dataset(self, proposal: Any) -> str:
        perceptron.dataset(proposal["value"])  # raises ValueError naming the datasets
        return str(proposal["value"])

    @traitlets.validate("point")
    def _check_point(self, proposal: Any) -> int:
        index = int(proposal["value"])
        if not 0 <= index < len(self._data.x):
            raise PerceptronViewError(
                f"Expected a point between 0 and {len(self._data.x) - 1}. Received point={index}."
            )
        return index

    # -- traits → view ------------------------------------------------------------------------
    @traitlets.observe("dataset")
    def _on_dataset(self, _change: Any) -> None:
        with self._one_redraw():
            self._data = perceptron.dataset(self.dataset)
            self.point = 0
            self._forget_learning()
            if self._ready:
                self._new_scene()
            self._dirty = True

    @traitlets.observe("weights", "bias", "activation", "point")
    def _on_view_change(self, _change: Any) -> None:
        with self._one_redraw():
            self._dirty = True

    @contextmanager
    def _one_redraw(self) -> Iterator[None]:
        """Changes inside this block (even nested) cause one redraw at the end, not one each."""
        self._deferred += 1
        try:
            yield
        finally:
            self._deferred -= 1
        if self._deferred == 0 and self._dirty and self._ready:
            self._dirty = False
            self._sync_controls()
            self._redraw()

    @traitlets.observe("learning_rate")
    def _on_rate(self, _change: Any) -> None:
        self._sync_controls()

    def _sync_controls(self) -> None:
        if self._syncing or not hasattr(self, "w1_slider"):
            return
        self._syncing = True
        try:
            w1, w2 = self.weights
            for control, value in ((self.w1_slider, w1), (self.w2_slider, w2), (self.bias_slider, self.bias)):
                if not control.min <= value <= control.max:  # learning went beyond the slider: widen it
                    reach = math.ceil(abs(value) * 1.5)
                    control.min, control.max = -reach, reach
                control.value = value
            self.activation_picker.value = self.activation
            self.dataset_picker.value = self.dataset
            names, symbols = self._data.class_names, self._data.class_symbols
            options = [
                (f"{i}: {symbols[label]} {names[label]} ({x1:g}, {x2:g})", i)
                for i, ((x1, x2), label) in enumerate(zip(self._data.x, self._data.y, strict=True))
            ]
            if list(self.point_picker.options) != options:
                self.point_picker.options = options
            self.point_picker.value = self.point
            self.rate_picker.value = self.learning_rate
        finally:
            self._syncing = False

    # -- controls → traits (callback boundaries) ---------------------------------------------------
    def _from_control(self, **values: Any) -> None:
        if self._syncing:
            return
        with self.errors.guard("Could not use that value."):
            with self._one_redraw(), self.hold_trait_notifications():
                for name, value in values.items():
                    setattr(self, name, value)
            self.errors.clear()

    def _on_weight_sliders(self, _change: Any) -> None:
        self._from_control(weights=(self.w1_slider.value, self.w2_slider.value))

    def _on_bias_slider(self, change: Any) -> None:
        self._from_control(bias=change["new"])

    def _on_activation_picker(self, change: Any) -> None:
        self._from_control(activation=change["new"])

    def _on_dataset_picker(self, change: Any) -> None:
        self._from_control(dataset=change["new"])

    def _on_point_picker(self, change: Any) -> None:
        if change["new"] is not None:
            self._from_control(point=change["new"])

    def _on_rate_picker(self, change: Any) -> None:
        self._from_control(learning_rate=change["new"])

    # -- learning -----------------------------------------------------------------------------
    def _forget_learning(self) -> None:
        self._start = 0
        self._seen = set()
        self.steps = 0
        self.learn_status = ""
        if hasattr(self, "learn_text"):
            self.learn_text.value = ""

    def learn_step(self) -> None:
        """Apply the perceptron learning rule once: fix the next misclassified point, move the line."""
        with self.errors.guard("Could not apply the learning rule."):
            data = self._data
            state = _rounded(self.weights, self.bias, self._start)
            step = perceptron.learning_step(
                data.x, data.y, self.weights, self.bias, start=self._start, learning_rate=self.learning_rate
            )
            if step.index is None:
                self._say(f"Done after {self.steps} steps: every point is on the right side, so nothing changes.")
                return
            repeated = state in self._seen
            self._seen.add(state)
            x1, x2 = data.x[step.index]
            label = int(data.y[step.index])
            error = label - (1 - label)  # the step said the other class: +1 if it should have said 1, −1 if 0
            name = f"{data.class_symbols[label]} {data.class_names[label]}"
            sign = "+" if error > 0 else "−"
            with self._one_redraw(), self.hold_trait_notifications():
                self.weights = step.weights[:2]
                self.bias = step.bias
                self.point = step.index
                self.steps += 1
            self._start = step.next_start
            text = (
                f"Step {self.steps}: point {step.index} ({name}) was on the wrong side, so "
                f"w ← w {sign} {self.learning_rate:g}·({x1:g}, {x2:g}) and b ← b {sign} {self.learning_rate:g}."
            )
            if repeated:
                text += (
                    " The line has been here before: the rule is going round in circles and will never stop. "
                    "No straight line separates these points."
                )
            self._say(text)
            self.errors.clear()

    def reset(self) -> None:
        """Put the weights and bias back where they started and the step counter to 0."""
        with self._one_redraw(), self.hold_trait_notifications():
            self.weights, self.bias = self._initial
        self._forget_learning()

    def _say(self, text: str) -> None:
        self.learn_status = text
        self.learn_text.value = f'<div class="nnteach-note">{html.escape(text)}</div>'

    # -- drawing ------------------------------------------------------------------------------
    def _limits(self) -> tuple[tuple[float, float], tuple[float, float]]:
        low, high = self._data.x.min(axis=0), self._data.x.max(axis=0)
        pad = 0.12 * (high - low)
        return (float(low[0] - pad[0]), float(high[0] + pad[0])), (float(low[1] - pad[1]), float(high[1] + pad[1]))

    def _new_scene(self) -> None:
        """Lay out the axes and the artists for the current dataset; later updates only change their data."""
        axes = self._axes
        axes.clear()
        (x0, x1), (y0, y1) = self._limits()
        data = self._data
        self._background = axes.imshow(
            np.zeros((_GRID, _GRID)), extent=(x0, x1, y0, y1), origin="lower", cmap="PuOr", vmin=-0.35, vmax=1.35,
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
        self.legend.value = (
            f'<div class="nnteach-note"><span style="color:{_CLASS_COLOURS[0]}">● {data.class_symbols[0]} '
            f'{data.class_names[0]} (0)</span> &nbsp; <span style="color:{_CLASS_COLOURS[1]}">▲ '
            f"{data.class_symbols[1]} {data.class_names[1]} (1)</span> &nbsp; "
            '<span style="color:#c62828">◯ on the wrong side</span> &nbsp; ━ the line where the sum is 0 '
            "&nbsp; shading: the neuron's output</div>"
        )

    def _redraw(self) -> None:
        with self.errors.guard("Could not draw the perceptron."):
            data = self._data
            (x0, x1), (y0, y1) = self._limits()
            shading = perceptron.output(self._grid_points, self.weights, self.bias, self.activation)
            self._background.set_data(shading.reshape(_GRID, _GRID))
            line = perceptron.decision_line(self.weights, self.bias, (x0, x1), (y0, y1))
            self._line.set_data(*(line if line is not None else ([], [])))
            wrong = self._wrong()
            self._wrong_marks.set_offsets(data.x[wrong].reshape(-1, 2))
            self._chosen_mark.set_offsets(data.x[self.point].reshape(1, 2))
            self.plot.refresh()
            self._write_sum()
            count = int(wrong.sum())
            self.wrong_text.value = f"<b>{count}</b> of {len(data.x)} points on the wrong side" + (
                " — every point is right!" if count == 0 else "."
            )

    def _write_sum(self) -> None:
        data = self._data
        x1, x2 = data.x[self.point]
        w1, w2 = self.weights
        total = float(perceptron.weighted_sum(data.x[self.point], self.weights, self.bias)[0])
        label = int(data.y[self.point])
        said = 1 if total > 0 else 0
        verdict = f"{data.class_symbols[said]} {data.class_names[said]}"
        truth = "right" if said == label else f"wrong: it is a {data.class_names[label]}"
        if self.activation == "step":
            result = f"step({total:.2f}) = <b>{said}</b> → {verdict} ({truth})"
        else:
            probability = float(perceptron.output(data.x[self.point], self.weights, self.bias, "sigmoid")[0])
            result = f"sigmoid({total:.2f}) = <b>{probability:.3f}</b> = P({data.class_names[1]}) → {verdict} ({truth})"
        self.sum_text.value = (
            f'<div class="nnteach-sum">Point {self.point}: b + x₁·w₁ + x₂·w₂ = {_term(self.bias)} + {x1:g}·{_term(w1)} '
            f"+ {x2:g}·{_term(w2)} = <b>{total:.2f}</b>; {result}</div>"
        )

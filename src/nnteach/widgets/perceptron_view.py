"""``PerceptronView``: one neuron deciding dog or cat, ``y = step(b + Σ xᵢ wᵢ)``, and the rule that trains it.

The math is :mod:`nnteach.perceptron` (NumPy only); this widget wires sliders and buttons to it
and draws one reused plot (in the browser with bqplot, or as a PNG), so the line moves without flicker.

Example:
    >>> from nnteach.widgets import PerceptronView
    >>> view = PerceptronView(weights=(0.0, 0.0), bias=0.0)
    >>> view.learn_step()
    >>> view.steps, view.weights != (0.0, 0.0)
    (1, True)
    >>> view.close()
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach import perceptron
from nnteach.i18n import N_, _
from nnteach.widgets import _live_plot
from nnteach.widgets._base import Choice, NNTeachValueError, NNTeachWidget, hold
from nnteach.widgets._canvas_compat import deprecated_alias
from nnteach.widgets._parse import finite_number, whole_number
from nnteach.widgets._perceptron_plot import (
    LivePerceptronPlot,
    PerceptronPlot,
    legend_html,
    note_html,
    sum_sentence,
    wrong_sentence,
)

__all__ = ["PerceptronView", "PerceptronViewError"]

_DRAG = N_("drag the slider")
_RATES = (0.01, 0.1, 0.5, 1.0)


class PerceptronViewError(NNTeachValueError):
    """A value the perceptron view cannot use; a ``ValueError``, so the widget shows it as one plain sentence."""


def _finite(value: Any, what: str) -> float:
    try:
        return finite_number(value, what, _("use e.g. 0.5"))
    except NNTeachValueError as error:
        raise PerceptronViewError(str(error)) from None


def _part(name: str) -> Any:
    return lambda view: view.controls[name]


class PerceptronView(NNTeachWidget):
    """A perceptron on a 2-D toy dataset: move the weights and bias, or let the learning rule move them.

    Traits: ``weights`` ``(w₁, w₂)``; ``bias`` ``b``; ``activation`` ``"step"`` (the output is
    dog or cat) or ``"sigmoid"`` (the output is the probability of a dog); ``dataset`` one of
    ``nnteach.perceptron.DATASETS``; ``point`` the index of the point whose sum is spelled out;
    ``learning_rate`` η. Read-only outputs: ``steps`` (how many times the learning rule has
    moved the line), ``learn_status``, ``misclassified_count``, ``wrong_points`` and the
    sentences shown (``sum_sentence``, ``wrong_sentence``).

    Stable parts: ``plot`` (the plot: a bqplot ``Figure`` whose labelled ``marks`` carry the
    data, or, without ``nnteach[plots]``, an image), ``figure`` (the bqplot ``Figure``, or the
    image's matplotlib ``Figure``),
    ``errors``, and ``controls``, the learner's controls by name: ``"w1"``, ``"w2"``, ``"bias"``,
    ``"activation"``, ``"dataset"``, ``"point"``, ``"rate"``, ``"learn"``, ``"reset"``.

    Example:
        >>> view = PerceptronView(activation="sigmoid", weights=(1.0, 1.0), bias=-8.5)
        >>> view.misclassified_count
        0
        >>> "P(dog)" in view.sum_sentence
        True
        >>> view.close()
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("weights", "bias", "activation", "dataset", "learning_rate", "point")

    weights = traitlets.Tuple(default_value=(0.5, -0.5), help="The two input weights (w₁, w₂), finite numbers.")
    bias = traitlets.Float(0.0, help="The bias b (minus the threshold): the neuron says 1 when b + Σ xᵢ wᵢ > 0.")
    activation = Choice(perceptron.ACTIVATIONS, "step", help="'step' (dog or cat) or 'sigmoid' (probability of a dog).")
    dataset = Choice(
        perceptron.DATASETS,
        "dogs and cats",  # not translated: a dataset's name (a value)
        help="The built-in dataset shown: 'dogs and cats' or 'XOR'.",
    )
    point = traitlets.Int(0, help="Index of the point whose weighted sum and output are spelled out.")
    learning_rate = traitlets.Float(0.1, help="η in the learning rule w ← w + η (y − ŷ) x; positive.")
    steps = traitlets.Int(0, read_only=True, help="How many times the learning rule has moved the line (see reset()).")
    learn_status = traitlets.Unicode(
        "", read_only=True, help="What the last 'learn one step' did, in a sentence or two."
    )
    misclassified_count = traitlets.Int(0, read_only=True, help="How many points are on the wrong side of the line.")
    wrong_points = traitlets.Tuple(read_only=True, help="Indices of the points on the wrong side of the line.")
    sum_sentence = traitlets.Unicode(read_only=True, help="The chosen point's weighted sum and output, spelled out.")
    wrong_sentence = traitlets.Unicode(read_only=True, help="How many points are on the wrong side, as shown.")

    # The children's old attribute names (before they became private), kept with a warning.
    w1_slider = deprecated_alias("controls['w1']", _part("w1"))
    w2_slider = deprecated_alias("controls['w2']", _part("w2"))
    bias_slider = deprecated_alias("controls['bias']", _part("bias"))
    activation_picker = deprecated_alias("controls['activation']", _part("activation"))
    dataset_picker = deprecated_alias("controls['dataset']", _part("dataset"))
    point_picker = deprecated_alias("controls['point']", _part("point"))
    rate_picker = deprecated_alias("controls['rate']", _part("rate"))
    learn_button = deprecated_alias("controls['learn']", _part("learn"))
    reset_button = deprecated_alias("controls['reset']", _part("reset"))
    sum_text = deprecated_alias("sum_sentence trait", lambda view: view._sum_view)
    wrong_text = deprecated_alias("wrong_sentence trait", lambda view: view._wrong_view)
    learn_text = deprecated_alias("learn_status trait", lambda view: view._learn_view)
    legend = deprecated_alias("plot (the legend is static text)", lambda view: view._legend)

    def __init__(
        self,
        weights: tuple[float, float] = (0.5, -0.5),
        bias: float = 0.0,
        activation: str = "step",
        dataset: str = "dogs and cats",  # not translated: a dataset's name (a trait value)
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-perceptron-view")
        self._start = 0  # where the learning rule looks for the next misclassified point
        self._seen: set[tuple[tuple[float, ...], float, int]] = set()
        self._data = perceptron.dataset(dataset)
        self._plot: PerceptronPlot | LivePerceptronPlot = (
            LivePerceptronPlot() if _live_plot.enabled() else PerceptronPlot()
        )
        self._plot.new_scene(self._data)
        self.on_close(self._plot.close)
        self.plot: widgets.DOMWidget = self._plot.view  # stable parts (documented above)
        self.figure: Any = self._plot.figure
        self._build_controls()
        try:
            with self.render_once():
                self.dataset = dataset
                self.weights = weights
                self.bias = bias
                self.activation = activation
        except Exception:
            self.close()  # a refused construction leaves nothing open
            raise
        self._initial = (self.weights, self.bias)

    def _build_controls(self) -> None:
        slider = {"continuous_update": True, "readout_format": ".2f", "layout": widgets.Layout(width="24em")}
        self._controls: dict[str, widgets.Widget] = {
            "w1": widgets.FloatSlider(min=-2.0, max=2.0, step=0.05, description=_("weight w₁"), **slider),
            "w2": widgets.FloatSlider(min=-2.0, max=2.0, step=0.05, description=_("weight w₂"), **slider),
            "bias": widgets.FloatSlider(min=-15.0, max=15.0, step=0.1, description=_("bias b"), **slider),
            "activation": widgets.ToggleButtons(
                options=[(_("step: dog or cat"), "step"), (_("sigmoid: probability"), "sigmoid")],
                description=_("output"),
            ),
            "dataset": widgets.Dropdown(
                options=[(_(perceptron.DATASET_LABELS[name]), name) for name in perceptron.DATASETS],
                description=_("data"),
            ),
            "point": widgets.Dropdown(description=_("point"), layout=widgets.Layout(width="22em")),
            "learn": widgets.Button(description=_("learn one step"), icon="", button_style="primary"),
            "reset": widgets.Button(description=_("reset")),
            "rate": widgets.Dropdown(options=list(_RATES), value=0.1, description=_("η (rate)")),
        }
        c = self._controls
        for name, css in (("w1", "w1-slider"), ("w2", "w2-slider"), ("bias", "bias-slider"), ("learn", "learn-button"),
                          ("activation", "activation-toggle"), ("dataset", "dataset-picker"),
                          ("point", "point-picker"), ("reset", "reset-button")):  # fmt: skip
            c[name].add_class(f"nnteach-{css}")
        self._legend, self._sum_view, self._wrong_view, self._learn_view = (widgets.HTML() for _ in range(4))
        self._sum_view.add_class("nnteach-perceptron-sum")
        self._wrong_view.add_class("nnteach-perceptron-wrong")
        self._learn_view.add_class("nnteach-learn-status")
        self._show_controls()  # the point picker's options, before it is bound
        self.bind(c["w1"], "weights", parse=lambda v: (_finite(v, "w₁"), self.weights[1]), show=lambda w: w[0])
        self.bind(c["w2"], "weights", parse=lambda v: (self.weights[0], _finite(v, "w₂")), show=lambda w: w[1])
        self.bind(c["bias"], "bias", parse=lambda v: _finite(v, _("the bias")))
        self.bind(c["activation"], "activation")
        self.bind(c["dataset"], "dataset")
        self.bind(c["point"], "point", parse=lambda v: whole_number(v, _("the point"), _("pick one in the list")))
        self.bind(c["rate"], "learning_rate", show=lambda rate: rate if rate in _RATES else None)
        c["learn"].on_click(lambda _button: self.learn_step())
        c["reset"].on_click(lambda _button: self.reset())
        intro = _(
            '<div class="nnteach-note"><b>y = step(b + x₁·w₁ + x₂·w₂)</b>: the neuron adds up its inputs, each times its weight, plus the bias, and answers 1 (dog) if the sum is above 0.</div>'
        )
        self.compose(
            widgets.HTML(intro),
            widgets.HBox([c["dataset"], c["activation"]]),
            widgets.HBox([widgets.VBox([c["w1"], c["w2"], c["bias"]]), c["point"]]),
            self.errors, self.plot, self._legend, self._sum_view, self._wrong_view,
            widgets.HBox([c["learn"], c["reset"], c["rate"]]), self._learn_view,
        )  # fmt: skip

    # -- public parts ---------------------------------------------------------------------------
    @property
    def controls(self) -> Mapping[str, widgets.Widget]:
        """The learner's controls by stable name (see the class docstring); read-only."""
        return MappingProxyType(self._controls)

    @property
    def data(self) -> perceptron.ToyDataset:
        """The dataset shown (read-only arrays)."""
        return self._data

    # -- validation ---------------------------------------------------------------------------
    @traitlets.validate("weights")
    def _check_weights(self, proposal: Any) -> tuple[float, float]:
        values = tuple(np.asarray(proposal["value"], dtype=object).reshape(-1).tolist())
        if len(values) != 2:
            raise PerceptronViewError(
                _("Expected two weights (w₁, w₂). Received {len}: give two numbers.").format(len=len(values))
            )
        return _finite(values[0], "w₁"), _finite(values[1], "w₂")

    @traitlets.validate("bias")
    def _check_bias(self, proposal: Any) -> float:
        return _finite(proposal["value"], _("the bias"))

    @traitlets.validate("learning_rate")
    def _check_rate(self, proposal: Any) -> float:
        rate = _finite(proposal["value"], _("the learning rate"))
        if rate <= 0:
            raise PerceptronViewError(
                _("Expected a positive learning rate. Received {rate}: use e.g. 0.1.").format(rate=f"{rate:g}")
            )
        return rate

    @traitlets.validate("point")
    def _check_point(self, proposal: Any) -> int:
        index = int(proposal["value"])
        if not 0 <= index < len(self._data.x):
            raise PerceptronViewError(
                _("Expected a point between 0 and {value}. Received point={index}.").format(
                    value=len(self._data.x) - 1, index=index
                )
            )
        return index

    # -- traits → view ------------------------------------------------------------------------
    @traitlets.observe("dataset")
    def _on_dataset(self, _change: Any) -> None:
        with self.render_once():
            self._data = perceptron.dataset(self.dataset)
            self.point = 0
            self._forget_learning()
            self._plot.new_scene(self._data)

    @traitlets.observe("weights", "bias", "activation", "point", "learning_rate")
    def _on_view_change(self, _change: Any) -> None:
        with self.render_once():
            pass

    def _render(self) -> None:
        data = self._data
        wrong = np.asarray(perceptron.output(data.x, self.weights, self.bias) != data.y)
        sum_text, sum_html = sum_sentence(data, self.point, self.weights, self.bias, self.activation)
        wrong_text, wrong_html = wrong_sentence(int(wrong.sum()), len(data.x))
        self.set_trait("misclassified_count", int(wrong.sum()))
        self.set_trait("wrong_points", tuple(int(i) for i in np.flatnonzero(wrong)))
        self.set_trait("sum_sentence", sum_text)
        self.set_trait("wrong_sentence", wrong_text)
        with hold(*self._controls.values(), self._sum_view, self._wrong_view, self._legend):
            self._show_controls()
            self._plot.draw(self.weights, self.bias, self.activation, point=self.point, wrong=wrong)
            self._legend.value = legend_html(data)
            self._sum_view.value = sum_html
            self._wrong_view.value = wrong_html

    def _show_controls(self) -> None:
        c = self._controls
        for name, value in (("w1", self.weights[0]), ("w2", self.weights[1]), ("bias", self.bias)):
            if not c[name].min <= value <= c[name].max:  # learning went beyond the slider: widen it
                reach = math.ceil(abs(value) * 1.5)
                c[name].min, c[name].max = -reach, reach
            c[name].value = value + 0.0  # never a "-0.00" readout
        names, symbols = self._data.class_names, self._data.class_symbols
        options = [
            (f"{i}: {symbols[label]} {names[label]} ({x1:g}, {x2:g})", i)
            for i, ((x1, x2), label) in enumerate(zip(self._data.x, self._data.y, strict=True))
        ]
        if list(c["point"].options) != options:
            c["point"].options = options
        c["point"].value = self.point
        c["activation"].value = self.activation
        c["dataset"].value = self.dataset

    # -- learning -----------------------------------------------------------------------------
    def _forget_learning(self) -> None:
        self._start = 0
        self._seen = set()
        self.set_trait("steps", 0)
        self._say("")

    def learn_step(self) -> None:
        """Apply the perceptron learning rule once: fix the next misclassified point, move the line."""
        with self.errors.guard(_("Could not apply the learning rule.")):
            data = self._data
            state = perceptron.learning_state(self.weights, self.bias, self._start)
            step = perceptron.learning_step(
                data.x, data.y, self.weights, self.bias, start=self._start, learning_rate=self.learning_rate
            )
            if step.index is None:
                self._say(
                    _("Done after {steps} steps: every point is on the right side, so nothing changes.").format(
                        steps=self.steps
                    )
                )
                return
            repeated = state in self._seen
            self._seen.add(state)
            x1, x2 = data.x[step.index]
            label = int(data.y[step.index])
            name = f"{data.class_symbols[label]} {data.class_names[label]}"
            sign = "+" if step.error > 0 else "−"
            with self.render_once(), self.hold_trait_notifications():
                self.weights = step.weights[:2]
                self.bias = step.bias
                self.point = step.index
                self.set_trait("steps", self.steps + 1)
            self._start = step.next_start
            text = _(
                "Step {steps}: point {index} ({name}) was on the wrong side, so w ← w {sign} {learning_rate}·({x1}, {x2}) and b ← b {sign} {learning_rate}."
            ).format(
                steps=self.steps,
                index=step.index,
                name=name,
                sign=sign,
                learning_rate=f"{self.learning_rate:g}",
                x1=f"{x1:g}",
                x2=f"{x2:g}",
            )
            if repeated:
                text += _(
                    " The line has been here before: the rule is going round in circles and will never stop. No straight line separates these points."
                )
            self._say(text)

    def reset(self) -> None:
        """Put the weights and bias back where they started and the step counter to 0."""
        with self.render_once(), self.hold_trait_notifications():
            self.weights, self.bias = self._initial
            self._forget_learning()

    def _say(self, text: str) -> None:
        self.set_trait("learn_status", text)
        self._learn_view.value = note_html(text) if text else ""

"""``OneHotSoftmaxView``: a label as a one-hot vector, logits as probabilities, and the loss between them.

The learner picks a label (drawn as one-hot cells), edits logits with sliders or by typing
``2, -1, 1, 1``, and sees softmax turn them into probabilities (with a temperature), the
cross-entropy as ``−log(p of the true class)``, and — with one switch — what happens when a
softmax output is fed to a loss built with ``from_logits=True`` (softmax applied twice).
In the "from a real digit" mode the logits come from a model looking at an MNIST test image
or at a ``DigitCanvas`` drawing. All maths lives in :mod:`nnteach.softmax`.

Example:
    >>> from nnteach.widgets import OneHotSoftmaxView
    >>> view = OneHotSoftmaxView()
    >>> view.logits = (2, -1, 1, 1)
    >>> view.num_classes, [round(p, 2) for p in view.probabilities]
    (4, [0.56, 0.03, 0.21, 0.21])
    >>> round(view.loss, 3)  # label 0: -log(0.560)
    0.58
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

from nnteach.images import array_to_png
from nnteach.predictors import Predictor, as_predictor
from nnteach.softmax import MAX_CLASSES, MIN_CLASSES, format_logits, parse_logits, per_example_cross_entropy, softmax
from nnteach.widgets._parts import STYLE_CSS, ErrorArea
from nnteach.widgets.probability_bars import FloatTuple, ProbabilityBars, TraitValueError

__all__ = ["OneHotSoftmaxView"]

_SEED_LOGITS = (2.0, -1.0, 1.0, 1.0)
# Probabilities below this become log-probabilities of about -27.6 in the "real digit" mode.
_SMALLEST_P = 1e-12
_SLIDER_RANGE = 10.0

_CSS = """<style>
.nnteach-onehot { display: flex; flex-wrap: wrap; gap: 3px; font: 14px system-ui, sans-serif; }
.nnteach-onehot-cell { display: inline-flex; flex-direction: column; align-items: center; min-width: 2em;
  border: 1px solid #90a4ae; background: #fff; padding: 2px 0; }
.nnteach-onehot-cell .nnteach-onehot-bit { font-size: 18px; font-weight: 600; }
.nnteach-onehot-cell .nnteach-onehot-index { font-size: 11px; color: #546e7a; }
.nnteach-onehot-cell.nnteach-onehot-on { background: #1b5e20; color: #fff; border-color: #1b5e20; }
.nnteach-onehot-cell.nnteach-onehot-on .nnteach-onehot-index { color: #e8f5e9; }
.nnteach-loss { font: 16px system-ui, sans-serif; margin: 6px 0; }
.nnteach-loss-value { font-weight: 700; }
.nnteach-twice-note { font: 14px system-ui, sans-serif; color: #4a148c; max-width: 40em; }
.nnteach-heading { font: 600 15px system-ui, sans-serif; margin-top: 6px; }
</style>"""


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f'<div class="nnteach-heading">{html.escape(text)}</div>')


class OneHotSoftmaxView(widgets.VBox):
    """Label → one-hot, logits → softmax probabilities, and the cross-entropy between them.

    Traits (Python side; the controls inside are the synced widgets):
    ``label`` the true class; ``logits`` 2 to 20 numbers (their count sets ``num_classes``);
    ``temperature`` divides the logits before softmax; ``probabilities`` and ``loss``
    (read them, do not set them) are ``softmax(logits / temperature)`` and its cross-entropy
    against ``label``; ``softmax_twice`` shows the from_logits mistake next to them, with
    ``twice_probabilities`` and ``twice_loss``; ``mode`` is ``"logits"`` or ``"digit"``.

    ``model`` is anything :func:`nnteach.predictors.as_predictor` accepts (None: the packaged
    reference MLP); it is used only in the "from a real digit" mode.

    Example:
        >>> view = OneHotSoftmaxView(num_classes=3, label=2)
        >>> view.one_hot
        (0.0, 0.0, 1.0)
        >>> view.show_digit(0)  # MNIST test image 0, a 7  # doctest: +SKIP
        >>> view.label, view.mode  # doctest: +SKIP
        (7, 'digit')
    """

    num_classes = traitlets.Int(10, help="Number of classes (2 to 20); follows the length of `logits`.")
    label = traitlets.Int(0, help="The true class, 0 .. num_classes - 1.")
    logits = FloatTuple(help="The raw scores, one per class.")
    temperature = traitlets.Float(1.0, help="Softmax temperature: probabilities = softmax(logits / temperature).")
    probabilities = traitlets.Tuple(help="softmax(logits / temperature); computed, do not set.")
    loss = traitlets.Float(0.0, help="Cross-entropy against `label`: -log(p of the true class); computed.")
    softmax_twice = traitlets.Bool(False, help="Whether to show the from_logits=True mistake (softmax applied twice).")
    twice_probabilities = traitlets.Tuple(help="softmax(probabilities): what a from_logits=True loss sees; computed.")
    twice_loss = traitlets.Float(0.0, help="The loss reported when softmax is applied twice; computed.")
    mode = traitlets.Enum(("logits", "digit"), "logits", help="'logits' (type them) or 'digit' (from a model).")
    digit_index = traitlets.Int(None, allow_none=True, help="The MNIST test image shown in digit mode, or None.")

    def __init__(
        self,
        num_classes: int = 10,
        *,
        logits: Any = None,
        label: int = 0,
        temperature: float = 1.0,
        softmax_twice: bool = False,
        model: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-onehot-softmax")
        self._busy = 0
        self._predictor: Predictor | None = None
        self._model = model
        self._canvas: Any = None
        self.errors = ErrorArea()
        self._build_controls()
        if logits is None:
            self._check_count(num_classes, "num_classes")
            logits = (_SEED_LOGITS + (0.0,) * num_classes)[:num_classes]
        with self._refreshing():
            self.logits = logits
            self.label = label
            self.temperature = temperature
            self.softmax_twice = softmax_twice

    # -- public API -------------------------------------------------------------------------
    @property
    def one_hot(self) -> tuple[float, ...]:
        """The label as a one-hot vector of length ``num_classes``."""
        return tuple(1.0 if index == self.label else 0.0 for index in range(self.num_classes))

    def show_digit(self, index: int) -> None:
        """Show MNIST test image ``index``: its true label, and the model's output as logits."""
        from nnteach.data import load_mnist

        _, (x_test, y_test) = load_mnist()
        if isinstance(index, bool) or not isinstance(index, int | np.integer) or not 0 <= index < len(x_test):
            raise ValueError(
                f"Expected an MNIST test image number from 0 to {len(x_test) - 1}. Received {index!r}; pick one in that range."
            )
        self._show(x_test[int(index)], label=int(y_test[int(index)]), index=int(index))

    def show_image(self, image: Any, label: int | None = None) -> None:
        """Show any 28×28 image (uint8 0..255 or float 0..1) with the model's output; ``label`` if known."""
        self._show(image, label=label, index=None)

    def follow_canvas(self, canvas: Any) -> None:
        """Show every drawing of ``canvas`` (any widget with an ``image`` trait, like ``DigitCanvas``)."""
        if not (hasattr(canvas, "has_trait") and canvas.has_trait("image")):
            raise TypeError(
                f"Expected a widget with an `image` trait, such as DigitCanvas. Received {type(canvas).__name__}."
            )
        self.unfollow_canvas()
        self._canvas = canvas
        canvas.observe(self._on_canvas_image, names="image")
        if getattr(canvas, "image", None) is not None:
            with self.errors.guard("Could not read the drawing."):
                self.show_image(canvas.image)

    def unfollow_canvas(self) -> None:
        """Stop following the canvas given to :meth:`follow_canvas`."""
        if self._canvas is not None:
            self._canvas.unobserve(self._on_canvas_image, names="image")
            self._canvas = None

    # -- validation -------------------------------------------------------------------------
    @staticmethod
    def _check_count(count: int, name: str) -> None:
        if not MIN_CLASSES <= count <= MAX_CLASSES:
            raise TraitValueError(
                f"OneHotSoftmaxView expects {MIN_CLASSES} to {MAX_CLASSES} classes. Received {name}={count}; "
                "type between 2 and 20 logits, e.g. 2, -1, 1, 1."
            )

    @traitlets.validate("logits")
    def _valid_logits(self, proposal: Any) -> tuple[float, ...]:
        logits: tuple[float, ...] = proposal["value"]
        self._check_count(len(logits), "len(logits)")
        return logits

    @traitlets.validate("num_classes")
    def _valid_num_classes(self, proposal: Any) -> int:
        count: int = proposal["value"]
        self._check_count(count, "num_classes")
        return count

    @traitlets.validate("label")
    def _valid_label(self, proposal: Any) -> int:
        label: int = proposal["value"]
        if not 0 <= label < self.num_classes:
            raise TraitValueError(
                f"OneHotSoftmaxView expects a label from 0 to {self.num_classes - 1}. Received label={label}; "
                "pick one of the classes shown."
            )
        return label

    @traitlets.validate("temperature")
    def _valid_temperature(self, proposal: Any) -> float:
        temperature: float = proposal["value"]
        if not (math.isfinite(temperature) and temperature > 0):
            raise TraitValueError(
                f"OneHotSoftmaxView expects a positive temperature. Received temperature={temperature}; use e.g. 1.0."
            )
        return temperature

    # -- reacting to state --------------------------------------------------------------------
    @traitlets.observe("logits")
    def _on_logits(self, change: Any) -> None:
        with self._refreshing():
            self.num_classes = len(change["new"])

    @traitlets.observe("num_classes")
    def _on_num_classes(self, change: Any) -> None:
        count: int = change["new"]
        with self._refreshing():
            if len(self.logits) != count:
                self.logits = (tuple(self.logits) + (0.0,) * count)[:count]
            if self.label >= count:
                self.label = count - 1

    @traitlets.observe("label", "temperature", "softmax_twice", "mode")
    def _on_state(self, _change: Any) -> None:
        with self._refreshing():
            pass

    @contextmanager
    def _refreshing(self) -> Iterator[None]:
        """Batch trait changes: recompute and redraw once, when the outermost change is done."""
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
        if self._busy == 0:
            self._busy += 1
            try:
                with self.hold_sync():
                    self._recompute()
                    self._redraw()
            finally:
                self._busy -= 1

    def _recompute(self) -> None:
        scaled = np.asarray(self.logits, dtype=np.float64) / self.temperature
        probabilities = softmax(scaled)
        self.probabilities = tuple(float(p) for p in probabilities)
        self.loss = float(per_example_cross_entropy(self.label, scaled, from_logits=True))
        # The mistake: a softmax output fed to a loss that applies softmax again (from_logits=True).
        self.twice_probabilities = tuple(float(p) for p in softmax(probabilities))
        self.twice_loss = float(per_example_cross_entropy(self.label, probabilities, from_logits=True))

    # -- the view -------------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self._mode_picker = widgets.ToggleButtons(
            options=[("Type logits", "logits"), ("From a real digit", "digit")], value="logits"
        )
        self._mode_picker.add_class("nnteach-mode")
        self._mode_picker.observe(self._from_mode_picker, names="value")

        self._digit_index = widgets.BoundedIntText(
            0, min=0, max=9999, description="Test image #", style={"description_width": "initial"}
        )
        self._digit_index.add_class("nnteach-digit-index")
        self._digit_index.observe(self._from_digit_index, names="value")
        self._digit_image = widgets.Image(format="png", width=140, height=140)
        self._digit_image.add_class("nnteach-digit-image")
        self._digit_note = widgets.HTML()
        self._digit_note.add_class("nnteach-digit-note")
        self._digit_box = widgets.VBox(
            [self._digit_index, widgets.HBox([self._digit_image, self._digit_note])],
            layout=widgets.Layout(display="none"),
        )

        self._label_picker = widgets.ToggleButtons()
        self._label_box = widgets.HBox([self._label_picker])
        self._one_hot_cells = widgets.HTML()
        self._one_hot_cells.add_class("nnteach-onehot-view")

        self._logits_text = widgets.Text(
            description="Logits",
            placeholder="2, -1, 1, 1",
            continuous_update=False,
            layout={"width": "32em"},
            style={"description_width": "initial"},
        )
        self._logits_text.add_class("nnteach-logits-text")
        self._logits_text.observe(self._from_logits_text, names="value")
        self._sliders_box = widgets.HBox()
        self._sliders_box.add_class("nnteach-logit-sliders")

        self._temperature = widgets.FloatLogSlider(
            1.0,
            base=10,
            min=-1,
            max=1,
            step=0.05,
            description="Temperature",
            readout_format=".2f",
            style={"description_width": "initial"},
        )
        self._temperature.add_class("nnteach-temperature")
        self._temperature.observe(self._from_temperature, names="value")

        self.bars = ProbabilityBars(title="Probabilities: softmax(logits / temperature)")
        self._loss_view = widgets.HTML()
        self._loss_view.add_class("nnteach-loss-view")

        self._twice_switch = widgets.Checkbox(
            False,
            description="Show softmax applied twice (a from_logits mistake)",
            indent=False,
            layout={"width": "auto"},
        )
        self._twice_switch.add_class("nnteach-twice-switch")
        self._twice_switch.observe(self._from_twice_switch, names="value")
        self.twice_bars = ProbabilityBars(title="What a loss with from_logits=True sees: softmax(softmax(z))")
        self.twice_bars.add_class("nnteach-twice-bars")
        self._twice_note = widgets.HTML()
        self._twice_note.add_class("nnteach-twice-note-view")
        self._twice_box = widgets.VBox([self.twice_bars, self._twice_note], layout=widgets.Layout(display="none"))

        self.children = (
            widgets.HTML(STYLE_CSS + _CSS),
            self.errors,
            self._mode_picker,
            self._digit_box,
            _heading("1. The true label, as a one-hot vector"),
            self._label_box,
            self._one_hot_cells,
            _heading("2. The logits (raw scores): drag a slider or type them"),
            self._logits_text,
            self._sliders_box,
            self._temperature,
            _heading("3. Softmax turns logits into probabilities"),
            self.bars,
            self._loss_view,
            self._twice_switch,
            self._twice_box,
        )

    def _rebuild_for(self, count: int) -> None:
        """New number of classes: new sliders and label buttons (containers are reassigned).

        A new ToggleButtons rather than new options: its front end keeps stale buttons when the
        option list shrinks to a prefix of the old one (ipywidgets 8.1, ToggleButtonsView.update).
        """
        for old in (self._label_picker, *self._sliders_box.children):
            old.close()
        self._label_picker = widgets.ToggleButtons(
            options=[(str(index), index) for index in range(count)],
            value=min(self.label, count - 1),
            style={"button_width": "2.6em"},
        )
        self._label_picker.add_class("nnteach-label-picker")
        self._label_picker.observe(self._from_label_picker, names="value")
        self._label_box.children = (self._label_picker,)
        sliders = []
        for index in range(count):
            slider = widgets.FloatSlider(
                0.0,
                min=-_SLIDER_RANGE,
                max=_SLIDER_RANGE,
                step=0.1,
                description=str(index),
                orientation="vertical",
                readout_format=".1f",
                layout={"width": "3.4em", "height": "170px"},
            )
            slider.add_class("nnteach-logit-slider")
            slider.observe(self._from_slider, names="value")
            sliders.append(slider)
        self._sliders_box.children = tuple(sliders)

    def _redraw(self) -> None:
        count, label = self.num_classes, self.label
        if len(self._sliders_box.children) != count:
            self._rebuild_for(count)
        for index, slider in enumerate(self._sliders_box.children):
            value = self.logits[index]
            slider.min = min(-_SLIDER_RANGE, math.floor(value))
            slider.max = max(_SLIDER_RANGE, math.ceil(value))
            slider.value = value
        if self._label_picker.value != label:
            self._label_picker.value = label
        if self._mode_picker.value != self.mode:
            self._mode_picker.value = self.mode
        if not math.isclose(self._temperature.value, self.temperature):
            self._temperature.value = self.temperature
        self._twice_switch.value = self.softmax_twice
        try:
            typed = parse_logits(self._logits_text.value)
        except ValueError:
            typed = ()
        if typed != tuple(self.logits):
            self._logits_text.value = format_logits(self.logits)
        self._one_hot_cells.value = _one_hot_html(label, count)
        self.bars.update(self.probabilities, true_class=label)
        p_true = self.probabilities[label]
        self._loss_view.value = (
            f'<div class="nnteach-loss">Cross-entropy against label {label} = −log(p of the true class) '
            f'= −log({p_true:.3f}) = <span class="nnteach-loss-value">{self.loss:.3f}</span></div>'
        )
        self._digit_box.layout.display = "flex" if self.mode == "digit" else "none"
        self._twice_box.layout.display = "flex" if self.softmax_twice else "none"
        if self.softmax_twice:
            self.twice_bars.update(self.twice_probabilities, true_class=label)
            floor = math.log1p((count - 1) / math.e)
            self._twice_note.value = (
                '<div class="nnteach-twice-note">A model whose last layer already applies softmax, trained with '
                "<code>from_logits=True</code>, gets softmax applied twice. The loss then sees "
                f"p = {self.twice_probabilities[label]:.3f} for the true class and reports "
                f'<span class="nnteach-twice-loss">{self.twice_loss:.3f}</span> instead of {self.loss:.3f}. '
                f"Even a perfect prediction cannot score below log(1 + {count - 1}/e) = {floor:.3f}, "
                "so training gets only weak signals. Use from_logits=False with a softmax layer, "
                "or drop the softmax and keep from_logits=True.</div>"
            )

    # -- control callbacks (the boundary: learners see a sentence, never a traceback) -----------
    def _from_logits_text(self, change: Any) -> None:
        if self._busy:
            return
        with self.errors.guard("Could not read the logits."):
            self.logits = parse_logits(change["new"])
            self.errors.clear()

    def _from_slider(self, change: Any) -> None:
        if self._busy:
            return
        with self.errors.guard("Could not use that slider value."):
            index = list(self._sliders_box.children).index(change["owner"])
            self.logits = (*self.logits[:index], float(change["new"]), *self.logits[index + 1 :])
            self.errors.clear()

    def _from_label_picker(self, change: Any) -> None:
        if self._busy or change["new"] is None:
            return
        with self.errors.guard("Could not use that label."):
            self.label = int(change["new"])

    def _from_temperature(self, change: Any) -> None:
        if not self._busy:
            with self.errors.guard("Could not use that temperature."):
                self.temperature = float(change["new"])

    def _from_twice_switch(self, change: Any) -> None:
        if not self._busy:
            self.softmax_twice = bool(change["new"])

    def _from_mode_picker(self, change: Any) -> None:
        if self._busy:
            return
        with self.errors.guard("Could not show a digit."):
            self.mode = change["new"]
            if self.mode == "digit" and self.digit_index is None and self._canvas is None:
                self.show_digit(int(self._digit_index.value))

    def _from_digit_index(self, change: Any) -> None:
        if self._busy:
            return
        with self.errors.guard("Could not show that digit."):
            self.show_digit(int(change["new"]))
            self.errors.clear()

    def _on_canvas_image(self, change: Any) -> None:
        if change["new"] is None:
            return
        with self.errors.guard("Could not read the drawing."):
            self.show_image(change["new"])
            self.errors.clear()

    # -- digit mode -------------------------------------------------------------------------
    def _show(self, image: Any, label: int | None, index: int | None) -> None:
        if self._predictor is None:
            self._predictor = as_predictor(self._model)
        result = self._predictor(image)
        probabilities = result.probabilities[0].astype(np.float64)
        # log p are logits with the same softmax (softmax ignores a constant added to all logits).
        logits = np.log(np.clip(probabilities, _SMALLEST_P, None))
        picture = np.asarray(image)
        pixels = picture if picture.dtype == np.uint8 else np.clip(np.asarray(picture, np.float32), 0, 1)
        with self._refreshing():
            self.logits = logits
            if label is not None:
                self.label = label
            self.digit_index = index
            self.mode = "digit"
            self._digit_image.value = array_to_png(np.asarray(pixels).reshape(28, 28), scale=5)
            if index is not None and self._digit_index.value != index:
                self._digit_index.value = index
            source = f"MNIST test image {index}" if index is not None else "this drawing"
            returned = "logits (softmaxed here)" if result.from_logits else "probabilities"
            top = int(probabilities.argmax())
            model = self._predictor.description
            truth = (
                f" The true label is <b>{label}</b>." if label is not None else " Pick the digit you drew as the label."
            )
            self._digit_note.value = (
                f'<div class="nnteach-note">{html.escape(model[:1].upper() + model[1:])} returned {returned} for '
                f"{source}: it says <b>{top}</b> (p = {probabilities[top]:.3f}).{truth} The logits below are "
                "log p: softmax turns them back into the model's probabilities.</div>"
            )


def _one_hot_html(label: int, count: int) -> str:
    cells = "".join(
        f'<span class="nnteach-onehot-cell{" nnteach-onehot-on" if index == label else ""}" role="listitem">'
        f'<span class="nnteach-onehot-bit">{1 if index == label else 0}</span>'
        f'<span class="nnteach-onehot-index">{index}</span></span>'
        for index in range(count)
    )
    vector = ", ".join("1" if index == label else "0" for index in range(count))
    return (
        f'<div class="nnteach-onehot" role="list" aria-label="one-hot vector for label {label}">{cells}</div>'
        f'<div class="nnteach-note">label {label} → [{vector}]</div>'
    )

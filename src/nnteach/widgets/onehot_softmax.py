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

from nnteach.i18n import N_, _
from nnteach.images import array_to_png
from nnteach.predictors import Predictor, as_predictor
from nnteach.softmax import (
    MAX_CLASSES,
    MIN_CLASSES,
    format_logits,
    parse_logits,
    probabilities_to_logits,
    softmax_twice_floor,
    softmax_with_loss,
)
from nnteach.widgets._base import Choice, NNTeachValueError, NNTeachWidget, hold
from nnteach.widgets._onehot_parts import (
    SLIDER_RANGE,
    Parts,
    digit_sentence,
    label_picker,
    logit_sliders,
    loss_sentence,
    one_hot_html,
    refused,
    twice_sentence,
)
from nnteach.widgets._parse import finite_number, whole_number
from nnteach.widgets.probability_bars import FloatTuple, ProbabilityBars

__all__ = ["OneHotSoftmaxView"]

_SEED_LOGITS = (2.0, -1.0, 1.0, 1.0)


class OneHotSoftmaxView(NNTeachWidget):
    """Label → one-hot, logits → softmax probabilities, and the cross-entropy between them.

    Traits: ``label`` the true class (None: unknown, no loss); ``logits`` 2 to 20 numbers
    (their count sets ``num_classes``); ``temperature`` divides the logits before softmax;
    ``softmax_twice`` shows the from_logits mistake; ``mode`` is ``"logits"`` or ``"digit"``;
    ``model`` is anything :func:`nnteach.predictors.as_predictor` accepts (None: the packaged
    reference MLP), used in the "from a real digit" mode. Read-only outputs: ``probabilities``,
    ``loss``, ``one_hot``, ``twice_probabilities``, ``twice_loss``, ``digit_index``,
    ``digit_image`` and the sentences shown (``loss_text``, ``twice_text``, ``digit_text``).

    Stable parts: ``bars`` and ``twice_bars`` (``ProbabilityBars``), ``errors``, and
    ``controls``, the learner's controls by name: ``"mode"``, ``"digit_index"``, ``"label"``,
    ``"logits"`` (the text box), ``"logit_0"`` … (one slider per class), ``"temperature"``,
    ``"twice"``.

    Example:
        >>> view = OneHotSoftmaxView(num_classes=3, label=2)
        >>> view.one_hot
        (0.0, 0.0, 1.0)
        >>> view.close()
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("logits", "temperature", "label", "softmax_twice", "mode")

    num_classes = traitlets.Int(10, help="Number of classes (2 to 20); follows the length of `logits`.")
    label = traitlets.Int(0, allow_none=True, help="The true class, 0 .. num_classes - 1, or None when unknown.")
    logits = FloatTuple(help="The raw scores, one per class.")
    temperature = traitlets.Float(1.0, help="Softmax temperature: probabilities = softmax(logits / temperature).")
    softmax_twice = traitlets.Bool(False, help="Whether to show the from_logits=True mistake (softmax applied twice).")
    mode = Choice(("logits", "digit"), "logits", help="'logits' (type them) or 'digit' (from a model).")
    model = traitlets.Any(None, allow_none=True, help="The model of the digit mode (None: the reference MLP).")
    probabilities = traitlets.Tuple(read_only=True, help="softmax(logits / temperature); computed.")
    loss = traitlets.Float(None, allow_none=True, read_only=True, help="-log(p of the true class); None: no label.")
    one_hot = traitlets.Tuple(read_only=True, help="The label as a one-hot vector; empty when the label is unknown.")
    twice_probabilities = traitlets.Tuple(read_only=True, help="softmax(probabilities): what from_logits=True sees.")
    twice_loss = traitlets.Float(None, allow_none=True, read_only=True, help="The loss with softmax applied twice.")
    digit_index = traitlets.Int(None, allow_none=True, read_only=True, help="The MNIST test image shown, or None.")
    digit_image = traitlets.Any(None, allow_none=True, read_only=True, help="The 28×28 picture of the digit mode.")
    loss_text = traitlets.Unicode(read_only=True, help="The loss sentence shown under the bars.")
    twice_text = traitlets.Unicode(read_only=True, help="The from_logits mistake explained (when shown).")
    digit_text = traitlets.Unicode(read_only=True, help="What the model said about the digit shown.")

    def __init__(
        self,
        num_classes: int = 10,
        *,
        logits: Any = None,
        label: int | None = 0,
        temperature: float = 1.0,
        softmax_twice: bool = False,
        model: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-onehot-softmax")
        self._predictor: Predictor | None = None
        self._shown: tuple[Any, int | None, int | None] | None = None  # the digit mode's picture, label, index
        self._canvas: Any = None
        self._parts = Parts()
        self.bars: ProbabilityBars = self._parts.bars  # stable parts (documented above)
        self.twice_bars: ProbabilityBars = self._parts.twice_bars
        self._wire()
        self.on_close(self.unfollow_canvas)
        try:
            if logits is None:
                self._check_count(num_classes, "num_classes")
                logits = (_SEED_LOGITS + (0.0,) * num_classes)[:num_classes]
            with self.render_once():
                self.model = model
                self.logits = logits
                self.label = label
                self.temperature = temperature
                self.softmax_twice = softmax_twice
        except Exception:
            self.close()  # a refused construction leaves nothing open
            raise

    # -- public API -------------------------------------------------------------------------
    @property
    def controls(self) -> Mapping[str, widgets.Widget]:
        """The learner's controls by stable name (see the class docstring); read-only."""
        parts = self._parts
        sliders = {f"logit_{index}": slider for index, slider in enumerate(parts.sliders.children)}
        named = {"mode": parts.mode, "digit_index": parts.digit_index, "label": parts.label, "logits": parts.logits}
        return MappingProxyType({**named, **sliders, "temperature": parts.temperature, "twice": parts.twice})

    def show_digit(self, index: int) -> None:
        """Show MNIST test image ``index``: its true label, and the model's output as logits."""
        from nnteach.data import load_mnist

        _train, (x_test, y_test) = load_mnist()
        if isinstance(index, bool) or not isinstance(index, int | np.integer) or not 0 <= index < len(x_test):
            raise ValueError(
                _(
                    "Expected an MNIST test image number from 0 to {value}. Received {index}; pick one in that range."
                ).format(value=len(x_test) - 1, index=f"{index!r}")
            )
        self._show(x_test[int(index)], label=int(y_test[int(index)]), index=int(index))

    def show_image(self, image: Any, label: int | None = None) -> None:
        """Show any 28×28 image (uint8 0..255 or float 0..1) with the model's output; ``label`` if known."""
        self._show(image, label=label, index=None)

    def follow_canvas(self, canvas: Any) -> OneHotSoftmaxView:
        """Show every drawing of ``canvas`` (a widget with an ``image`` trait, like ``DigitCanvas``); return the view.

        While following, the true label is the canvas' ``label`` trait (its "It is a" picker),
        or unknown (None) until the learner picks it: no loss is shown against a guess.
        """
        if not (hasattr(canvas, "has_trait") and canvas.has_trait("image")):
            raise TypeError(
                _("Expected a widget with an `image` trait, such as DigitCanvas. Received {name__}.").format(
                    name__=type(canvas).__name__
                )
            )
        self.unfollow_canvas()
        self._canvas = canvas
        canvas.observe(self._on_canvas_image, names="image")
        if canvas.has_trait("label"):
            canvas.observe(self._on_canvas_label, names="label")
        with self.errors.guard(_("Could not read the drawing.")):
            self.label = self._canvas_label()
            if getattr(canvas, "image", None) is not None:
                self.show_image(canvas.image, label=self.label)
        return self

    def unfollow_canvas(self) -> None:
        """Stop following the canvas given to :meth:`follow_canvas`."""
        canvas, self._canvas = self._canvas, None
        if canvas is not None:
            canvas.unobserve(self._on_canvas_image, names="image")
            if canvas.has_trait("label"):
                canvas.unobserve(self._on_canvas_label, names="label")

    # -- validation -------------------------------------------------------------------------
    @staticmethod
    def _check_count(count: int, name: str) -> None:
        if not MIN_CLASSES <= count <= MAX_CLASSES:
            raise NNTeachValueError(refused("count", name=name, count=count))

    @traitlets.validate("logits", "num_classes")
    def _valid_count(self, proposal: Any) -> Any:
        value = proposal["value"]
        is_logits = proposal["trait"].name == "logits"
        self._check_count(len(value) if is_logits else value, "len(logits)" if is_logits else "num_classes")
        return value

    @traitlets.validate("label")
    def _valid_label(self, proposal: Any) -> int | None:
        label: int | None = proposal["value"]
        if label is not None and not 0 <= label < self.num_classes:
            raise NNTeachValueError(refused("label", last=self.num_classes - 1, label=label))
        return label

    @traitlets.validate("temperature")
    def _valid_temperature(self, proposal: Any) -> float:
        temperature: float = proposal["value"]
        if not (math.isfinite(temperature) and temperature > 0):
            raise NNTeachValueError(refused("temperature", temperature=temperature))
        return temperature

    # -- reacting to state --------------------------------------------------------------------
    @traitlets.observe("logits")
    def _on_logits(self, change: Any) -> None:
        with self.render_once():
            self.num_classes = len(change["new"])

    @traitlets.observe("num_classes")
    def _on_num_classes(self, change: Any) -> None:
        count: int = change["new"]
        with self.render_once():
            if len(self.logits) != count:
                self.logits = (tuple(self.logits) + (0.0,) * count)[:count]
            if self.label is not None and self.label >= count:
                self.label = count - 1

    @traitlets.observe("label", "temperature", "softmax_twice")
    def _resync(self, _change: Any = None) -> None:
        """Render again; after a refused control value, the controls show the state that holds (no callbacks)."""
        with self.render_once():
            pass

    @traitlets.observe("mode")
    def _on_mode(self, change: Any) -> None:
        with self.render_once():
            if change["new"] == "digit" and self._shown is None and self._canvas is None:
                self.show_digit(int(self._parts.digit_index.value))

    @traitlets.observe("model")
    def _on_model(self, _change: Any) -> None:
        self._predictor = None  # the next picture asks the new model
        if self._shown is not None:
            self._show(*self._shown)

    def _render(self) -> None:
        count, label = self.num_classes, self.label
        result = softmax_with_loss(self.logits, label, self.temperature)
        p_true = None if label is None else result.probabilities[label]
        p_twice = None if label is None else result.twice_probabilities[label]
        loss_text, loss_html = loss_sentence(label, p_true, result.loss)
        floor = softmax_twice_floor(count)
        twice_text, twice_html = twice_sentence(count, p_twice, result.twice_loss, result.loss, floor)
        for name in ("probabilities", "twice_probabilities", "loss", "twice_loss"):
            self.set_trait(name, getattr(result, name))
        self.set_trait("one_hot", () if label is None else tuple(float(i == label) for i in range(count)))
        self.set_trait("loss_text", loss_text)
        self.set_trait("twice_text", twice_text if self.softmax_twice else "")
        parts = self._parts
        if len(parts.sliders.children) != count:
            self._rebuild_for(count)
        changing = (*parts.sliders.children, parts.label, parts.mode, parts.temperature, parts.twice, parts.logits)
        with hold(*changing, parts.one_hot, parts.loss, parts.bars, parts.twice_bars, parts.twice_note):
            self._show_controls()
            parts.one_hot.value = one_hot_html(label, count)
            parts.bars.update(self.probabilities, true_class=label)
            parts.loss.value = loss_html
            parts.digit_box.layout.display = "flex" if self.mode == "digit" else "none"
            parts.twice_box.layout.display = "flex" if self.softmax_twice else "none"
            if self.softmax_twice:
                parts.twice_bars.update(self.twice_probabilities, true_class=label)
                parts.twice_note.value = twice_html

    def _show_controls(self) -> None:
        parts = self._parts
        for index, slider in enumerate(parts.sliders.children):
            value = self.logits[index]
            slider.min = min(-SLIDER_RANGE, math.floor(value))
            slider.max = max(SLIDER_RANGE, math.ceil(value))
            slider.value = value
        if parts.label.value != self.label:
            parts.label.value = self.label
        parts.mode.value = self.mode
        if not math.isclose(parts.temperature.value, self.temperature):
            parts.temperature.value = self.temperature
        parts.twice.value = self.softmax_twice
        try:
            typed = parse_logits(parts.logits.value)
        except ValueError:
            typed = ()
        if typed != tuple(self.logits):
            parts.logits.value = format_logits(self.logits)

    def _wire(self) -> None:
        parts = self._parts
        self.bind(parts.mode, "mode", fallback=_("Could not show a digit."))
        parts.digit_index.observe(self._from_digit_index, names="value")
        unread = _("Could not read the logits.")
        self.bind(parts.logits, "logits", parse=parse_logits, show=format_logits, fallback=unread)
        hot = _("the temperature")
        self.bind(parts.temperature, "temperature", parse=lambda value: finite_number(value, hot, _(_DRAG)))
        self.bind(parts.twice, "softmax_twice", parse=bool)
        self.compose(self.errors, *parts.page())

    def _rebuild_for(self, count: int) -> None:
        """New number of classes: new sliders and label buttons (containers are reassigned)."""
        parts = self._parts
        for old in (parts.label, *parts.sliders.children):
            for widget in (old, old.layout, old.style):
                widget.close()
        parts.label = label_picker(count, self.label)
        parts.label.observe(self._from_label_picker, names="value")
        parts.label_box.children = (parts.label,)
        sliders = logit_sliders(count)
        for slider in sliders:
            slider.observe(self._from_slider, names="value")
        parts.sliders.children = sliders

    # -- control callbacks (the boundary: learners see a sentence, never a traceback) -----------
    def _from_slider(self, change: Any) -> None:
        if self.rendering:
            return
        with self.errors.guard(_("Could not use that slider value."), on_error=self._resync):
            index = list(self._parts.sliders.children).index(change["owner"])
            value = finite_number(change["new"], f"logit {index}", _(_DRAG))
            self.logits = (*self.logits[:index], value, *self.logits[index + 1 :])

    def _from_label_picker(self, change: Any) -> None:
        if self.rendering:
            return
        with self.errors.guard(_("Could not use that label."), on_error=self._resync):
            hint = _("click one of the buttons 0 to {value}").format(value=self.num_classes - 1)
            self.label = whole_number(change["new"], _("the true class"), hint)

    def _from_digit_index(self, change: Any) -> None:
        if self.rendering:
            return
        with self.errors.guard(_("Could not show that digit.")):
            self.show_digit(whole_number(change["new"], _("the test image"), _("type e.g. 8")))

    def _canvas_label(self) -> int | None:
        label = getattr(self._canvas, "label", None) if self._canvas is not None else None
        return label if isinstance(label, int) and 0 <= label < self.num_classes else None

    def _on_canvas_label(self, _change: Any) -> None:
        with self.errors.guard(_("Could not use the drawing's label.")):
            self.label = self._canvas_label()

    def _on_canvas_image(self, change: Any) -> None:
        if change["new"] is None:
            return
        with self.errors.guard(_("Could not read the drawing.")):
            self.show_image(change["new"], label=self._canvas_label())

    # -- digit mode -------------------------------------------------------------------------
    def _show(self, image: Any, label: int | None, index: int | None) -> None:
        if self._predictor is None:
            self._predictor = as_predictor(self.model)
        result = self._predictor(image)
        probabilities = result.probabilities[0].astype(np.float64)
        picture = np.asarray(image)
        pixels = picture if picture.dtype == np.uint8 else np.clip(np.asarray(picture, np.float32), 0, 1)
        pixels = np.asarray(pixels).reshape(28, 28)
        top = int(probabilities.argmax())
        with self.render_once():
            # log p are logits with the same softmax (softmax ignores a constant added to all logits).
            self.logits = probabilities_to_logits(probabilities)
            if label is not None or self._canvas is not None:
                self.label = label
            self._shown = (image, label, index)
            self.set_trait("digit_index", index)
            self.set_trait("digit_image", pixels)
            self.mode = "digit"
            self._parts.digit_image.value = array_to_png(pixels, scale=5)
            if index is not None and self._parts.digit_index.value != index:
                self._parts.digit_index.value = index
            text, markup = digit_sentence(
                self._predictor.description, result.from_logits, index,
                top=top, p_top=float(probabilities[top]), label=self.label,
            )  # fmt: skip
            self.set_trait("digit_text", text)
            self._parts.digit_note.value = markup


_DRAG = N_("drag the slider")  # shown translated

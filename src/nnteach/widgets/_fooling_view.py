"""``FoolingView``: fool the network on purpose with the fast gradient sign step, ε on a slider.

Each pixel moves by at most ε in the direction that lowers the network's confidence in its
answer (:func:`nnteach.explain.fgsm`). The view shows the changed drawing next to the
original (to a person it still looks the same), the network's new answer, the smallest ε that
changes the answer, and what the network reads when the changed drawing is shifted 2 pixels
to the right: often its first answer again, because the step was tuned to exact pixels.

Example:
    >>> import numpy as np
    >>> from nnteach.widgets import FoolingView
    >>> view = FoolingView(epsilon=0.0)
    >>> one = np.zeros((28, 28), np.float32); one[6:22, 13:16] = 1.0
    >>> view.image = one
    >>> view.prediction == view.fooled_prediction, view.flip_at is not None
    (True, True)
    >>> view.close()
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets
from numpy.typing import NDArray

from nnteach.explain import fgsm, flip_epsilon, logits, shifted
from nnteach.i18n import _
from nnteach.images import array_to_png
from nnteach.widgets._base import NNTeachValueError
from nnteach.widgets._follows_drawing import FollowsDrawing

__all__ = ["FoolingView"]

_SCALE = 6
MAX_EPSILON = 0.3


def _answer(model: Any, image: NDArray[np.float32]) -> int:
    return int(np.argmax(logits(model, image)))


class FoolingView(FollowsDrawing):
    """The fast-gradient-sign step on the drawing, with ``epsilon`` on a slider (0 to 0.3).

    Read-only: ``prediction`` (before), ``fooled_prediction`` (after the step), ``flip_at``
    (the smallest ε in steps of 0.01 up to 0.3 that changes the answer, or None),
    ``shifted_prediction`` (the changed drawing moved 2 pixels right), ``fooled`` (the changed
    image) and ``summary``. Parts: ``epsilon_slider``, ``original_picture``, ``fooled_picture``.
    """

    #: What a teacher's link may set (``?fooling.epsilon=0.05``).
    shared_traits: ClassVar[tuple[str, ...]] = ("epsilon",)

    epsilon = traitlets.Float(0.1, help="How far each pixel may move (0 to 0.3 of full ink).")
    prediction = traitlets.Int(None, allow_none=True, read_only=True, help="The answer for the drawing.")
    fooled_prediction = traitlets.Int(None, allow_none=True, read_only=True, help="The answer after the step.")
    flip_at = traitlets.Float(None, allow_none=True, read_only=True, help="The smallest ε that changes the answer.")
    shifted_prediction = traitlets.Int(
        None, allow_none=True, read_only=True, help="The answer for the changed drawing shifted 2 pixels right."
    )
    fooled = traitlets.Any(None, read_only=True, help="The changed (28, 28) image, or None.")
    summary = traitlets.Unicode("", read_only=True, help="The sentences under the pictures.")

    def __init__(self, model: Any = None, *, epsilon: float = 0.1) -> None:
        super().__init__()
        self.add_class("nnteach-fooling")
        self.epsilon_slider = widgets.FloatSlider(
            min=0.0, max=MAX_EPSILON, step=0.01, description="ε", readout_format=".2f", continuous_update=False
        )
        self.epsilon_slider.add_class("nnteach-fooling-epsilon")
        self.original_picture, self.fooled_picture = (
            widgets.Image(format="png", width=28 * _SCALE, height=28 * _SCALE) for _ in range(2)
        )
        self._captions = [widgets.HTML(), widgets.HTML()]
        self._summary = widgets.HTML()
        self._summary.add_class("nnteach-fooling-summary")
        tiles = [
            widgets.VBox([caption, picture])
            for caption, picture in zip(self._captions, (self.original_picture, self.fooled_picture), strict=True)
        ]
        self.compose(self.epsilon_slider, widgets.HBox(tiles), self._summary, self.errors)
        self._flip_cache: tuple[Any, int, float | None] | None = None
        with self.render_once():
            self.model, self.epsilon = model, epsilon
        self.bind(self.epsilon_slider, "epsilon")

    @traitlets.validate("epsilon")
    def _check_epsilon(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if not 0.0 <= value <= MAX_EPSILON:
            raise NNTeachValueError(
                _("Expected epsilon from 0 to {MAX_EPSILON}. Received epsilon={value}; slide it back.").format(
                    MAX_EPSILON=MAX_EPSILON, value=f"{value:g}"
                )
            )
        return value

    @traitlets.observe("epsilon")
    def _on_epsilon(self, change: Any) -> None:
        self._on_drawing(change)

    def _flip(self, image: NDArray[np.float32]) -> float | None:
        key = (id(self.model), hash(image.tobytes()))
        if self._flip_cache is None or self._flip_cache[:2] != key:
            self._flip_cache = (*key, flip_epsilon(self.model, image))
        return self._flip_cache[2]

    def _show(self, image: NDArray[np.float32]) -> None:
        before = _answer(self.model, image)
        changed = fgsm(self.model, image, self.epsilon, before)
        after = _answer(self.model, changed)
        moved = _answer(self.model, shifted(changed, right=2))
        flip = self._flip(image)
        self.original_picture.value = array_to_png(1.0 - image, scale=_SCALE)
        self.fooled_picture.value = array_to_png(1.0 - changed, scale=_SCALE)
        self._captions[0].value = _("<span class='nnteach-note'>your drawing: read as <b>{before}</b></span>").format(
            before=before
        )
        self._captions[1].value = _(
            "<span class='nnteach-note'>changed by ε = {epsilon}: read as <b>{after}</b></span>"
        ).format(epsilon=f"{self.epsilon:.2f}", after=after)
        for name, value in (("prediction", before), ("fooled_prediction", after), ("shifted_prediction", moved)):
            self.set_trait(name, value)
        self.set_trait("flip_at", flip)
        self.set_trait("fooled", changed)
        verdict = (
            _("The network now reads {after} instead of {before}: fooled.").format(after=after, before=before)
            if after != before
            else _("The network still reads {before}.").format(before=before)
        )
        first = (
            _("It first changes its answer at ε = {flip}.").format(flip=f"{flip:.2f}")
            if flip is not None
            else _("No ε up to {MAX_EPSILON} changes its answer for this drawing.").format(MAX_EPSILON=MAX_EPSILON)
        )
        moved_text = _("Shifted 2 pixels to the right, the changed drawing is read as {moved}").format(moved=moved) + (
            _(" again: the trick was tuned to exact pixels.") if moved == before and after != before else "."
        )
        self._say(
            _("Each pixel moved by at most {epsilon} (of full ink). {verdict} {first} {moved_text}").format(
                epsilon=f"{self.epsilon:.2f}", verdict=verdict, first=first, moved_text=moved_text
            )
        )

    def _show_empty(self) -> None:
        blank = array_to_png(np.ones((28, 28), np.float32), scale=_SCALE)
        self.original_picture.value = self.fooled_picture.value = blank
        for name in ("prediction", "fooled_prediction", "flip_at", "shifted_prediction", "fooled"):
            self.set_trait(name, None)
        for caption in self._captions:
            caption.value = ""
        self._say(_("Draw a digit, then move ε to change it just enough to fool the network."))

    def _say(self, sentence: str) -> None:
        self.set_trait("summary", sentence)
        self._summary.value = f"<span class='nnteach-note'>{html.escape(sentence)}</span>"

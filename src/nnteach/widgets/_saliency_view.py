"""``SaliencyView``: where the network looks — the gradient of the winning score over the drawing.

Each pixel's colour is ∂(score of the class, before softmax) / ∂(pixel): red where more ink
would raise the score, blue where it would lower it, white where it does not matter
(:func:`nnteach.explain.saliency`). The drawing is shown beside it and under it (dark ink).

Example:
    >>> import numpy as np
    >>> from nnteach.widgets import SaliencyView
    >>> view = SaliencyView()
    >>> one = np.zeros((28, 28), np.float32); one[6:22, 13:16] = 1.0
    >>> view.image = one
    >>> view.saliency.shape, view.target
    ((28, 28), 1)
    >>> view.close()
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets
from numpy.typing import NDArray

from nnteach.explain import logits, saliency
from nnteach.i18n import _
from nnteach.images import array_to_png
from nnteach.weights import rgb_to_png, template_colors
from nnteach.widgets._choices import digit_or_none
from nnteach.widgets._follows_drawing import FollowsDrawing

__all__ = ["SaliencyView"]

_SCALE = 6


class SaliencyView(FollowsDrawing):
    """The drawing and its saliency map for ``digit`` (None: the class the network picks).

    Read-only: ``target`` (the class explained), ``saliency`` (the ``(28, 28)`` gradient),
    ``summary`` (the sentence shown). Parts: ``drawing_picture``, ``saliency_picture``,
    ``overlay_picture``.
    """

    #: What a teacher's link may set (``?where.digit=7``).
    shared_traits: ClassVar[tuple[str, ...]] = ("digit",)

    digit = traitlets.Int(None, allow_none=True, help="The class whose score is explained; None: the predicted one.")
    target = traitlets.Int(None, allow_none=True, read_only=True, help="The class explained now (None: no drawing).")
    saliency = traitlets.Any(None, read_only=True, help="∂ score / ∂ pixel as a (28, 28) array, or None.")
    summary = traitlets.Unicode("", read_only=True, help="The sentence under the pictures.")

    def __init__(self, model: Any = None, *, digit: int | None = None) -> None:
        super().__init__()
        self.add_class("nnteach-saliency")
        self.drawing_picture, self.saliency_picture, self.overlay_picture = (
            widgets.Image(format="png", width=28 * _SCALE, height=28 * _SCALE) for _ in range(3)
        )
        captions = (_("the drawing"), _("where the network looks"), _("both together"))
        tiles = [
            widgets.VBox([widgets.HTML(f"<span class='nnteach-note'>{caption}</span>"), picture])
            for caption, picture in zip(
                captions, (self.drawing_picture, self.saliency_picture, self.overlay_picture), strict=True
            )
        ]
        self._summary = widgets.HTML()
        self._summary.add_class("nnteach-saliency-summary")
        self.compose(widgets.HBox(tiles), self._summary, self.errors)
        with self.render_once():
            self.model, self.digit = model, digit

    @traitlets.validate("digit")
    def _check_digit(self, proposal: Any) -> int | None:
        return digit_or_none(proposal["value"])

    @traitlets.observe("digit")
    def _on_digit(self, change: Any) -> None:
        self._on_drawing(change)

    def _show(self, image: NDArray[np.float32]) -> None:
        scores = logits(self.model, image)
        target = int(np.argmax(scores)) if self.digit is None else self.digit
        gradient = saliency(self.model, image, target)
        limit = float(np.abs(gradient).max()) or 1.0
        colours = template_colors(gradient.reshape(784, 1), limit=limit)[0]
        overlay = np.rint(colours * (1.0 - 0.7 * image[..., np.newaxis])).astype(np.uint8)
        self.drawing_picture.value = array_to_png(1.0 - image, scale=_SCALE)
        self.saliency_picture.value = rgb_to_png(colours, scale=_SCALE)
        self.overlay_picture.value = rgb_to_png(overlay, scale=_SCALE)
        self.set_trait("target", target)
        self.set_trait("saliency", gradient)
        picked = _("the network's answer") if self.digit is None else _("the digit you chose")
        self._say(
            _(
                "Explaining the score of {target} ({picked}). Red: more ink there would raise it; blue: lower it. The strongest pixel changes the score by {limit} per unit of ink."
            ).format(target=target, picked=picked, limit=f"{limit:.2f}")
        )

    def _show_empty(self) -> None:
        blank = array_to_png(np.ones((28, 28), np.float32), scale=_SCALE)
        for picture in (self.drawing_picture, self.saliency_picture, self.overlay_picture):
            picture.value = blank
        self.set_trait("target", None)
        self.set_trait("saliency", None)
        self._say(_("Draw a digit to see where the network looks."))

    def _say(self, sentence: str) -> None:
        self.set_trait("summary", sentence)
        self._summary.value = f"<span class='nnteach-note'>{html.escape(sentence)}</span>"

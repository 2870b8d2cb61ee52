"""``PipelineToggle``: what the network sees of a drawing, MNIST-style or just shrunk, and what it answers to each.

Lesson 7's "Why your digits are harder than MNIST's": under a ``DigitCanvas``, a toggle shows
the 28×28 image made by the full pipeline (crop, fit 20×20, MNIST's stroke width, deskew, centre of
mass: :func:`nnteach.preprocess.strokes_to_mnist`) or by shrinking the whole drawing
(:func:`nnteach.preprocess.shrink`, nothing else), with the canvas' model's prediction for both.

Example:
    >>> from nnteach.widgets import DigitCanvas
    >>> canvas = DigitCanvas()
    >>> toggle = PipelineToggle(canvas)
    >>> canvas.add_stroke([(30, 20), (30, 70)])  # a small 1 in a corner
    >>> toggle.mnist_prediction, toggle.shrunk_prediction is not None
    (1, True)
    >>> toggle.mode = "shrunk"; toggle.image.shape
    (28, 28)
    >>> toggle.close(); canvas.close()
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach.i18n import N_, _
from nnteach.images import array_to_png
from nnteach.numbers import percent
from nnteach.preprocess import shrink, strokes_to_image
from nnteach.widgets._base import NNTeachWidget

__all__ = ["PipelineToggle"]

MODES = ("mnist", "shrunk")
MODE_NAMES = {"mnist": N_("MNIST-style"), "shrunk": N_("just shrunk")}
PREVIEW_SCALE = 5  # 140×140 on screen: smaller than the canvas' own preview, beside it
_EMPTY = array_to_png(np.zeros((28, 28), np.float32), scale=PREVIEW_SCALE, grid=True)


class PipelineToggle(NNTeachWidget):
    """Show a ``DigitCanvas``' drawing MNIST-style or just shrunk to 28×28, with the prediction for each.

    ``canvas`` is a ``DigitCanvas`` (its ``strokes``, ``brush_width``, ``size``, ``image`` and
    ``predictor`` are read; nothing of it is changed). ``mode`` (``"mnist"`` or ``"shrunk"``)
    picks the image shown; ``mnist_prediction`` and ``shrunk_prediction`` are the canvas'
    model's answers to both (None when nothing is drawn). Stable part: ``controls["mode"]``.
    """

    frontend_writable: ClassVar[frozenset[str]] = frozenset({"mode"})

    mode = traitlets.Enum(MODES, "mnist", help="Which 28×28 image is shown: 'mnist' (full pipeline) or 'shrunk'.").tag(
        sync=True
    )
    image = traitlets.Any(None, allow_none=True, read_only=True, help="The 28×28 image shown, or None.")
    mnist_prediction = traitlets.Int(
        None, allow_none=True, read_only=True, help="The model's digit for the MNIST-style image."
    ).tag(sync=True)
    shrunk_prediction = traitlets.Int(
        None, allow_none=True, read_only=True, help="The model's digit for the just-shrunk image."
    ).tag(sync=True)
    summary = traitlets.Unicode("", read_only=True, help="The sentence shown: both predictions.").tag(sync=True)

    def __init__(self, canvas: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not all(hasattr(canvas, name) for name in ("strokes", "brush_width", "size", "image", "predictor")):
            self.close()
            raise TypeError(
                _("Expected a DigitCanvas. Received {kind}; pass the canvas the learner draws on.").format(
                    kind=type(canvas).__name__
                )
            )
        self.canvas = canvas
        self._images: dict[str, Any] = {"mnist": None, "shrunk": None}
        self._answers: list[tuple[int, float]] = []
        toggle = widgets.ToggleButtons(options=[(_(MODE_NAMES[m]), m) for m in MODES])
        toggle.add_class("nnteach-pipeline-mode")
        self._controls = {"mode": toggle}
        self.bind(toggle, "mode")
        self._preview = widgets.Image(format="png", width=28 * PREVIEW_SCALE, height=28 * PREVIEW_SCALE)
        self._preview.add_class("nnteach-pipeline-preview")
        self._summary = widgets.HTML()
        self._summary.add_class("nnteach-pipeline-summary")
        canvas.observe(self._on_canvas, names=["image", "model"])
        self.on_close(lambda: canvas.unobserve(self._on_canvas, names=["image", "model"]))
        self.observe(lambda _change: self._guarded(), names="mode")
        self.add_class("nnteach-pipeline-toggle")
        self.compose(widgets.HBox([self._preview, widgets.VBox([toggle, self._summary])]), self.errors)
        self._guarded(compute=True)

    @property
    def controls(self) -> dict[str, widgets.Widget]:
        """The learner's control by name: ``"mode"`` (a documented, stable part)."""
        return dict(self._controls)

    def _on_canvas(self, _change: Any) -> None:
        self._guarded(compute=True)

    def _guarded(self, *, compute: bool = False) -> None:
        with self.errors.guard(_("The two images could not be compared.")), self.render_once():
            if compute:
                self._compute()

    def _compute(self) -> None:
        canvas = self.canvas
        if canvas.image is None:
            self._images = {"mnist": None, "shrunk": None}
            self.set_trait("mnist_prediction", None)
            self.set_trait("shrunk_prediction", None)
            return
        raster = strokes_to_image(canvas.strokes, canvas.size, canvas.brush_width)
        self._images = {"mnist": canvas.image, "shrunk": shrink(raster)}
        result = canvas.predictor(np.stack([self._images["mnist"], self._images["shrunk"]]))
        self._answers = [(int(p), float(result.probabilities[i][p])) for i, p in enumerate(result.predictions)]
        self.set_trait("mnist_prediction", self._answers[0][0])
        self.set_trait("shrunk_prediction", self._answers[1][0])

    def _render(self) -> None:
        image = self._images[self.mode]
        self.set_trait("image", image)
        self._preview.value = _EMPTY if image is None else array_to_png(image, scale=PREVIEW_SCALE, grid=True)
        if self.mnist_prediction is None:
            self.set_trait("summary", _("Draw a digit above."))
            self._summary.value = html.escape(self.summary)
            return
        texts = [
            _("{name}: {digit} ({sure} sure)").format(name=_(MODE_NAMES[mode]), digit=digit, sure=percent(sure))
            for mode, (digit, sure) in zip(MODES, self._answers, strict=True)
        ]
        self.set_trait("summary", " · ".join(texts))
        self._summary.value = " · ".join(
            f"<b>{html.escape(text)}</b>" if mode == self.mode else html.escape(text)
            for mode, text in zip(MODES, texts, strict=True)
        )

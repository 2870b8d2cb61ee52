"""``DigitCanvas``: draw a digit, see the 28×28 image the network receives and its probabilities.

The widget is thin: strokes are kept in Python from the canvas' mouse and touch events (checked
and clipped by :func:`nnteach.preprocess.clean_stroke`), rasterized and normalized by
:mod:`nnteach.preprocess`, and classified through :func:`nnteach.predictors.as_predictor`.
The browser canvas only displays the strokes, replayed from Python once the browser is ready.

Example:
    >>> from nnteach.widgets import DigitCanvas
    >>> canvas = DigitCanvas()
    >>> canvas.add_stroke([(140, 40), (140, 240)])
    >>> canvas.prediction, canvas.image.shape, canvas.caption
    (1, (28, 28), 'Prediction: 1 (100% sure)')
    >>> canvas.undo(); canvas.prediction is None
    True
    >>> canvas.close()
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Sequence
from types import MappingProxyType
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach.i18n import _
from nnteach.images import array_to_png
from nnteach.predictors import Predictor, as_predictor, flat_answers_note
from nnteach.preprocess import EmptyImage, clean_stroke, strokes_to_mnist
from nnteach.widgets import _canvas_text as words
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget
from nnteach.widgets._canvas_compat import OldPartNames
from nnteach.widgets._canvas_drawing import DrawingArea, draw_background, draw_strokes
from nnteach.widgets._canvas_examples import ExampleRow
from nnteach.widgets._canvas_text import EMPTY_TEXT, LOGITS_NOTE, NO_PREDICTION  # importable from here too
from nnteach.widgets.probability_bars import ProbabilityBars

__all__ = ["DigitCanvas", "DigitCanvasError"]

LIVE_INTERVAL_S = 0.1  # while drawing with live=True, predict at most ten times a second
PREVIEW_SCALE = 8  # each of the 28×28 pixels becomes an 8×8 square (224×224 on screen)

Point = tuple[float, float]
_EMPTY_PREVIEW = array_to_png(np.zeros((28, 28), np.float32), scale=PREVIEW_SCALE, grid=True)


class DigitCanvasError(NNTeachValueError):
    """A value DigitCanvas cannot use (the old name; an :class:`NNTeachValueError`)."""


class DigitCanvas(OldPartNames, ExampleRow, NNTeachWidget):
    """Draw a digit with mouse, pen or finger; see what the model sees and what it predicts.

    ``model`` may be None (the packaged reference MLP), an object with ``predict(x)``, a Keras
    model with input ``(28, 28)`` or ``(784,)``, or a callable from ``(n, 28, 28)`` float32
    images in [0, 1] to ``(n, 10)`` probabilities or logits. It is a trait: assign it, or
    ``dlink((picker, "model"), (canvas, "model"))``, and the drawing is predicted again.
    ``size`` is the drawing area in pixels; ``live=True`` also predicts (throttled) while a
    stroke is being drawn.

    Stable parts (documented, for lessons and tests; everything else is private):
    ``drawing`` (the ipycanvas ``Canvas`` that receives the mouse and touch events), ``bars``
    (the ``ProbabilityBars``) and ``controls``, the learner's controls by name: ``"brush"``,
    ``"undo"``, ``"clear"``, ``"label"``, ``"save_example"``, ``"file"``, ``"save"``, ``"load"``.

    Example:
        >>> canvas = DigitCanvas(size=200)
        >>> seen = []
        >>> canvas.observe(lambda change: seen.append(change["new"]), names="prediction")
        >>> canvas.add_stroke([(100, 30), (100, 170)]); canvas.clear()
        >>> seen
        [1, None]
        >>> canvas.close()
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("brush_width", "live")

    frontend_writable = frozenset({"brush_width", "label", "examples_file"})

    model = traitlets.Any(None, allow_none=True, help="The model answering for the drawing (None: the reference MLP).")
    strokes = traitlets.Tuple(help="The drawn strokes, each a tuple of (x, y) canvas pixels; undo drops the last.")
    brush_width = traitlets.Float(18.0, help="Brush width in canvas pixels (applies to every stroke).").tag(sync=True)
    live = traitlets.Bool(False, help="Also predict (throttled) while a stroke is being drawn.")
    size = traitlets.Int(280, read_only=True, help="Width and height of the drawing area in pixels.")
    image = traitlets.Any(
        None, allow_none=True, read_only=True, help="The 28×28 float32 image the model sees, or None."
    )
    probabilities = traitlets.Tuple(
        read_only=True, help="The model's 10 class probabilities; empty when nothing is drawn."
    ).tag(sync=True)
    prediction = traitlets.Int(
        None, allow_none=True, read_only=True, help="The most probable digit, or None when empty."
    ).tag(sync=True)
    from_logits = traitlets.Bool(
        False, read_only=True, help="True when the model returned logits that were softmaxed for display."
    ).tag(sync=True)
    caption = traitlets.Unicode(
        EMPTY_TEXT, read_only=True, help="What the panel says: 'Draw a digit', 'Prediction: 1 (97% sure)', …"
    ).tag(sync=True)
    caption_note = traitlets.Unicode("", read_only=True, help="A note under the caption (e.g. about logits).")

    @traitlets.validate("brush_width")
    def _check_brush_width(self, proposal: Any) -> float:
        width = float(proposal["value"])
        if not 1.0 <= width <= 100.0:
            raise DigitCanvasError(words.brush_refused(width))
        return width

    @traitlets.validate("model")
    def _check_model(self, proposal: Any) -> Any:
        as_predictor(proposal["value"])  # refuse what cannot answer, with as_predictor's sentence
        return proposal["value"]

    @traitlets.validate("strokes")
    def _check_strokes(self, proposal: Any) -> tuple[tuple[Point, ...], ...]:
        cleaned = (clean_stroke(stroke, self.size) for stroke in proposal["value"])
        return tuple(stroke for stroke in cleaned if stroke)

    def __init__(self, model: Any = None, size: int = 280, live: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            if isinstance(size, bool) or not isinstance(size, int | np.integer) or not 56 <= size <= 1200:
                raise ValueError(words.size_refused(size))
            self._predictor: Predictor = as_predictor(model)
        except (TypeError, ValueError):
            self.close()  # nothing half-made stays open
            raise
        self.set_trait("size", int(size))
        self.model = model
        self.live = live
        self._raster_key: tuple[Any, float] = ((), self.brush_width)  # strokes and brush the browser canvas shows
        self._current: list[Point] | None = None
        self._last_live = 0.0
        self._client_ready = False
        self._build()
        self.observe(self._on_model, names="model")
        self.observe(lambda _change: self._guarded(self._refresh), names=["strokes", "brush_width"])
        self._refresh()

    # -- public API -------------------------------------------------------------------------
    @property
    def predictor(self) -> Predictor:
        """The model adapter answering for the drawing; assigning sets ``model`` (and re-predicts)."""
        return self._predictor

    @predictor.setter
    def predictor(self, model: Any) -> None:
        self.model = model

    @property
    def controls(self) -> MappingProxyType[str, widgets.Widget]:
        """The learner's controls by name (a documented, stable part; see the class docstring)."""
        return MappingProxyType(self._controls)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """A browser update: a refused value is one sentence here, not an error in the kernel's log."""
        with self.errors.guard(_("That value could not be used.")):
            super().set_state(sync_data)

    def add_stroke(self, points: Sequence[Sequence[float]]) -> None:
        """Add a stroke as if drawn (``(x, y)`` canvas pixels): updates image and prediction.

        Non-finite points are dropped, the rest clipped to the canvas, a huge stroke thinned.
        """
        self._add_stroke(points, draw=True)

    def undo(self) -> None:
        """Remove the last stroke."""
        if self.strokes:
            self.strokes = self.strokes[:-1]

    def clear(self) -> None:
        """Remove every stroke: back to "Draw a digit"."""
        self._current = None
        with self.render_once():
            self.strokes = ()
            self._raster_key = ((None,), 0.0)  # redraw the empty canvas even when nothing was drawn

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        size = self.size
        self.drawing = DrawingArea(width=size, height=size)
        self.drawing.layout.width = self.drawing.layout.height = f"{size}px"
        self.drawing.layout.flex = "0 0 auto"
        self.drawing.add_class("nnteach-digit-canvas")
        self.drawing.on_client_ready(self._on_client_ready)
        self.drawing.on_mouse_down(self._on_down)
        self.drawing.on_mouse_move(self._on_move)
        self.drawing.on_mouse_up(self._on_up)
        self.drawing.on_mouse_out(self._on_up)
        self.drawing.on_touch_start(lambda touches: self._on_down(*touches[0]) if touches else None)
        self.drawing.on_touch_move(lambda touches: self._on_move(*touches[0]) if touches else None)
        self.drawing.on_touch_end(self._on_touch_end)
        self.drawing.on_touch_cancel(self._on_touch_end)

        brush = widgets.FloatSlider(min=4.0, max=48.0, step=1.0, description=_("Brush"), readout_format=".0f")
        undo = widgets.Button(description=_("Undo stroke"), tooltip=_("Remove the last stroke"))
        clear = widgets.Button(description=_("Clear"), tooltip=_("Start again"))
        self._controls = {"brush": brush, "undo": undo, "clear": clear}
        brush.add_class("nnteach-brush-width")
        undo.add_class("nnteach-undo")
        clear.add_class("nnteach-clear")
        self.bind(brush, "brush_width")
        undo.on_click(lambda _button: self._guarded(self.undo))
        clear.on_click(lambda _button: self._guarded(self.clear))

        self._preview = widgets.Image(format="png", width=28 * PREVIEW_SCALE, height=28 * PREVIEW_SCALE)
        self._preview.add_class("nnteach-digit-preview")
        self._caption_view = widgets.HTML()
        self._caption_view.add_class("nnteach-prediction")
        self._note_view = widgets.HTML()
        self._note_view.add_class("nnteach-note")
        self.bars = ProbabilityBars(title=_("Probabilities"))
        self.bars.layout.min_width = "20em"
        self.observe(self._show_caption, names=["caption", "caption_note"])
        self._show_caption()

        drawing = widgets.VBox([self.drawing, widgets.HBox([brush]), widgets.HBox([undo, clear])])
        sees = widgets.VBox(
            [
                widgets.HTML("<b>" + html.escape(_("What the model sees (28×28)")) + "</b>"),
                self._preview,
                self._caption_view,
                self._note_view,
            ]
        )
        panel = widgets.HBox([drawing, sees, self.bars], layout={"flex_flow": "row wrap", "align_items": "flex-start"})
        self.add_class("nnteach-digit-canvas-widget")
        self.compose(self.errors, panel, self._build_example_row())

    # -- events from the browser --------------------------------------------------------------
    def _point(self, x: Any, y: Any) -> Point | None:
        """The event's point on the canvas, or None when its coordinates are not numbers."""
        try:
            cleaned = clean_stroke([(x, y)], self.size)
        except ValueError:
            return None
        return cleaned[0] if cleaned else None

    def _on_client_ready(self) -> None:
        with self.errors.guard(_("The drawing area could not be prepared.")):
            self._client_ready = True
            self.drawing.forget_current_canvas()
            self._redraw_canvas()

    def _on_down(self, x: Any, y: Any) -> None:
        point = self._point(x, y)
        if point is None:
            return
        with self.errors.guard(_("The stroke could not be started.")):
            self._current = [point]
            self._draw([self._current])

    def _on_move(self, x: Any, y: Any) -> None:
        point = self._point(x, y)
        if self._current is None or point is None or point == self._current[-1]:
            return
        with self.errors.guard(_("The stroke could not be drawn.")):
            previous = self._current[-1]
            self._current.append(point)
            self._draw([[previous, point]])
            now = time.perf_counter()
            if self.live and now - self._last_live >= LIVE_INTERVAL_S:
                self._last_live = now
                self._update_prediction(clean_stroke(self._current, self.size))

    def _on_up(self, x: Any, y: Any) -> None:
        if self._current is None:
            return
        points, self._current = self._current, None
        inside = (
            isinstance(x, int | float) and isinstance(y, int | float) and 0 <= x <= self.size and 0 <= y <= self.size
        )
        point = self._point(x, y) if inside else None
        if point is not None and point != points[-1]:
            self._draw([[points[-1], point]])
            points.append(point)
        # The stroke is already on screen, drawn segment by segment while the mouse moved.
        self._guarded(lambda: self._add_stroke(points, draw=False))

    def _on_touch_end(self, touches: list[tuple[Any, Any]]) -> None:
        if self._current is None:
            return
        x, y = touches[0] if touches else self._current[-1]
        self._on_up(x, y)

    def _on_model(self, change: dict[str, Any]) -> None:
        self._predictor = as_predictor(change["new"])
        self._guarded(self._refresh)

    def _guarded(self, action: Callable[[], Any]) -> None:
        with self.errors.guard(_("That did not work."), on_error=self._redraw_canvas):
            action()

    # -- computing ---------------------------------------------------------------------------
    def _add_stroke(self, points: Sequence[Sequence[float]], *, draw: bool) -> None:
        stroke = clean_stroke(points, self.size)
        if not stroke:
            return
        current = self._raster_key == (self.strokes, self.brush_width)
        with self.render_once():
            self.strokes = (*self.strokes, stroke)
            if current:
                self._raster_key = (self.strokes, self.brush_width)
            if draw:
                self._draw([stroke])

    def _refresh(self) -> None:
        with self.render_once():
            pass

    def _render(self) -> None:
        key = (self.strokes, self.brush_width)
        if self._raster_key != key:
            self._raster_key = key
            self._redraw_canvas()
        self._update_prediction()

    def _update_prediction(self, current: Sequence[Point] = ()) -> None:
        """Preprocess and predict. A failing model keeps the image, drops the prediction and says why."""
        try:
            image = strokes_to_mnist((*self.strokes, current) if current else self.strokes, self.size, self.brush_width)
        except EmptyImage:
            self._show_empty()
            return
        self.set_trait("image", image)
        self._preview.value = array_to_png(image, scale=PREVIEW_SCALE, grid=True)
        failed = _("The model ({name}) failed.").format(name=self.predictor.description)
        with self.errors.guard(failed, on_error=self._show_no_prediction):
            result = self.predictor(image)
            probabilities = tuple(float(p) for p in result.probabilities[0])
            self._set_prediction(probabilities, int(result.predictions[0]), result.from_logits)
            self.set_trait("caption_note", flat_answers_note(self.predictor, result) or self.caption_note)

    def _show_no_prediction(self) -> None:
        self._set_prediction((), None, False)

    def _set_prediction(self, probabilities: tuple[float, ...], prediction: int | None, from_logits: bool) -> None:
        self.set_trait("probabilities", probabilities)
        self.set_trait("prediction", prediction)
        self.set_trait("from_logits", from_logits)
        self.bars.update(probabilities or (0.0,) * 10)
        if prediction is None:
            self.set_trait("caption", _(EMPTY_TEXT) if self.image is None else _(NO_PREDICTION))
            self.set_trait("caption_note", "")
            return
        self.set_trait("caption", words.caption(prediction, probabilities[prediction]))
        self.set_trait("caption_note", _(LOGITS_NOTE) if from_logits else "")

    def _show_caption(self, _change: dict[str, Any] | None = None) -> None:
        shown = self.prediction if self.probabilities else None
        sure = self.probabilities[shown] if shown is not None else 0.0
        self._caption_view.value = words.caption_html(shown, sure, self.caption)
        self._note_view.value = html.escape(self.caption_note)

    def _show_empty(self) -> None:
        self.set_trait("image", None)
        self._set_prediction((), None, False)
        self._preview.value = _EMPTY_PREVIEW
        self.errors.clear()

    # -- drawing on the browser canvas (only once a browser is connected) ------------------------
    def _redraw_canvas(self) -> None:
        if self._client_ready and self.drawing.comm is not None:
            draw_background(self.drawing, self.size, self.brush_width)
            self._draw([*self.strokes, *([self._current] if self._current else [])])

    def _draw(self, strokes: Sequence[Sequence[Point]]) -> None:
        if self._client_ready and self.drawing.comm is not None and strokes:
            draw_strokes(self.drawing, strokes, self.brush_width)

"""``DigitCanvas``: draw a digit, see the 28×28 image the network receives and its probabilities.

The widget is thin: strokes are recorded in Python from the canvas' mouse and touch events,
rasterized and normalized by :mod:`nnteach.preprocess`, and classified through
:func:`nnteach.predictors.as_predictor`. The browser canvas only displays the strokes.

Example:
    >>> from nnteach.widgets import DigitCanvas
    >>> canvas = DigitCanvas()
    >>> canvas.add_stroke([(140, 40), (140, 240)])
    >>> canvas.prediction, canvas.image.shape
    (1, (28, 28))
    >>> canvas.undo(); canvas.prediction is None
    True
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets
from ipycanvas import Canvas, hold_canvas

from nnteach.examples import ExampleSet
from nnteach.images import array_to_png
from nnteach.predictors import Predictor, as_predictor
from nnteach.preprocess import EmptyImage, rasterize_stroke, strokes_to_image, to_mnist
from nnteach.widgets._parts import STYLE_CSS, ErrorArea
from nnteach.widgets.probability_bars import ProbabilityBars

__all__ = ["DigitCanvas", "DigitCanvasError"]

EMPTY_TEXT = "Draw a digit"
NO_LABEL = -1  # the label picker's "pick…" entry (a Dropdown shows a None value as blank)
LIVE_INTERVAL_S = 0.1  # while drawing with live=True, predict at most ten times a second
PREVIEW_SCALE = 8  # each of the 28×28 pixels becomes an 8×8 square (224×224 on screen)
BACKGROUND, INK, FRAME = "#000000", "#ffffff", "#607d8b"

Point = tuple[float, float]
_EMPTY_PREVIEW = array_to_png(np.zeros((28, 28), np.float32), scale=PREVIEW_SCALE, grid=True)


class DigitCanvasError(traitlets.TraitError, ValueError):
    """A value DigitCanvas cannot use; a ``ValueError``, so the error area shows it plainly."""


def _prepare_canvas_after_client_ready(canvas: Canvas) -> None:
    """Work around ipycanvas 0.14.3 losing commands sent before a browser is connected.

    ipycanvas' shared canvas manager sends ``switchCanvas`` only when the target canvas
    changes. Under Voila the notebook runs before the browser connects, so that first switch
    is lost and every later command fails in the browser ("Cannot read properties of
    undefined (reading 'strokeLine')"). We send no canvas command before the client is ready
    and, here, forget the manager's current canvas so the next command switches again.
    Remove this function when ipycanvas re-sends the switch on ``client_ready``.
    """
    manager = getattr(canvas, "_canvas_manager", None)
    if manager is not None and hasattr(manager, "_current_canvas"):
        manager._current_canvas = None


class DigitCanvas(widgets.VBox):
    """Draw a digit with mouse, pen or finger; see what the model sees and what it predicts.

    ``model`` may be None (the packaged reference MLP), an object with ``predict(x)``, a Keras
    model with input ``(28, 28)`` or ``(784,)``, or a callable from ``(n, 28, 28)`` float32
    images in [0, 1] to ``(n, 10)`` probabilities or logits. ``size`` is the drawing area in
    pixels; ``live=True`` also predicts (throttled) while a stroke is being drawn.

    Kernel-side traits, for ``observe(names=...)`` and ``link``: ``strokes``, ``brush_width``,
    ``image`` (28×28 float32 or None), ``probabilities`` (10 floats, empty when nothing is
    drawn), ``prediction`` (int or None), ``from_logits``.

    Example:
        >>> canvas = DigitCanvas(size=200)
        >>> seen = []
        >>> canvas.observe(lambda change: seen.append(change["new"]), names="prediction")
        >>> canvas.add_stroke([(100, 30), (100, 170)]); canvas.clear()
        >>> seen
        [1, None]
    """

    strokes = traitlets.Tuple(help="The drawn strokes, each a tuple of (x, y) canvas pixels; undo drops the last.")
    brush_width = traitlets.Float(18.0, help="Brush width in canvas pixels (applies to every stroke).")
    image = traitlets.Any(None, allow_none=True, help="The 28×28 float32 image the model sees, or None when empty.")
    probabilities = traitlets.Tuple(help="The model's 10 class probabilities; empty when nothing is drawn.")
    prediction = traitlets.Int(None, allow_none=True, help="The most probable digit, or None when empty.")
    from_logits = traitlets.Bool(False, help="True when the model returned logits that were softmaxed for display.")
    live = traitlets.Bool(False, help="Also predict (throttled) while a stroke is being drawn.")

    @traitlets.validate("brush_width")
    def _check_brush_width(self, proposal: Any) -> float:
        width = float(proposal["value"])
        if not 1.0 <= width <= 100.0:
            raise DigitCanvasError(f"Expected a brush width from 1 to 100 canvas pixels. Received {width:g}; try 18.")
        return width

    def __init__(self, model: Any = None, size: int = 280, live: bool = False, **kwargs: Any) -> None:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 56 <= size <= 1200:
            raise ValueError(
                f"Expected the canvas size in pixels, an integer from 56 to 1200. Received size={size!r}; try 280."
            )
        super().__init__(**kwargs)
        self.size = int(size)
        self._predictor: Predictor = as_predictor(model)
        self.live = live
        self.example_set = ExampleSet()
        self._raster = np.zeros((self.size, self.size), np.float32)
        self._current: list[Point] | None = None
        self._last_live = 0.0
        self._client_ready = False
        self._build()
        self._show_empty()

    # -- public API -------------------------------------------------------------------------
    @property
    def predictor(self) -> Predictor:
        """The model adapter answering for the drawing; assign any model to switch and re-predict."""
        return self._predictor

    @predictor.setter
    def predictor(self, model: Any) -> None:
        self._predictor = as_predictor(model)
        if self.strokes:
            self._update_prediction()

    def add_stroke(self, points: Sequence[Sequence[float]]) -> None:
        """Add a stroke as if drawn (``(x, y)`` canvas pixels): updates image and prediction."""
        self._add_stroke(points, draw=True)

    def _add_stroke(self, points: Sequence[Sequence[float]], *, draw: bool) -> None:
        stroke = tuple((float(x), float(y)) for x, y in points)
        if not stroke:
            return
        rasterize_stroke(self._raster, stroke, self.brush_width)
        self.strokes = (*self.strokes, stroke)
        if draw:
            self._draw_strokes([stroke])
        self._update_prediction()

    def undo(self) -> None:
        """Remove the last stroke."""
        if self.strokes:
            self.strokes = self.strokes[:-1]
            self._rerender()

    def clear(self) -> None:
        """Remove every stroke: back to "Draw a digit"."""
        self._current = None
        self.strokes = ()
        self._rerender()

    @property
    def examples(self) -> tuple[np.ndarray, np.ndarray]:
        """The saved examples as ``(images, labels)``: float32 ``(n, 28, 28)`` and uint8 ``(n,)``."""
        return self.example_set.arrays()

    def save_example(self, label: int) -> None:
        """Keep the current 28×28 image with its true ``label`` (0-9) among the examples."""
        if self.image is None:
            raise ValueError("Expected a drawn digit to save. Received an empty canvas; draw a digit first.")
        self.example_set.add(self.image, label)
        self._show_example_count()

    def save(self, name: str) -> Path:
        """Save the examples as ``<work folder>/<name>.npz`` (written atomically) and return the path."""
        path = self.example_set.save(name)
        self._show_example_count(f"Saved to {path.name}.")
        return path

    def load(self, name: str) -> None:
        """Load examples saved with :meth:`save`; on any problem the current examples are kept."""
        self.example_set = ExampleSet.load(name)
        self._show_example_count(f"Loaded {name.removesuffix('.npz')}.npz.")

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.canvas = Canvas(width=self.size, height=self.size)
        self.canvas.layout = widgets.Layout(width=f"{self.size}px", height=f"{self.size}px", flex="0 0 auto")
        self.canvas.add_class("nnteach-digit-canvas")
        self.canvas.on_client_ready(self._on_client_ready)
        self.canvas.on_mouse_down(self._on_down)
        self.canvas.on_mouse_move(self._on_move)
        self.canvas.on_mouse_up(self._on_up)
        self.canvas.on_mouse_out(self._on_up)
        self.canvas.on_touch_start(lambda touches: self._on_down(*touches[0]) if touches else None)
        self.canvas.on_touch_move(lambda touches: self._on_move(*touches[0]) if touches else None)
        self.canvas.on_touch_end(self._on_touch_end)
        self.canvas.on_touch_cancel(self._on_touch_end)

        self.width_slider = widgets.FloatSlider(
            value=self.brush_width, min=4.0, max=48.0, step=1.0, description="Brush", readout_format=".0f"
        )
        self.width_slider.add_class("nnteach-brush-width")
        widgets.link((self, "brush_width"), (self.width_slider, "value"))
        self.undo_button = widgets.Button(description="Undo stroke", tooltip="Remove the last stroke")
        self.undo_button.add_class("nnteach-undo")
        self.clear_button = widgets.Button(description="Clear", tooltip="Start again")
        self.clear_button.add_class("nnteach-clear")
        self.undo_button.on_click(lambda _button: self._guarded(self.undo))
        self.clear_button.on_click(lambda _button: self._guarded(self.clear))

        self.preview = widgets.Image(format="png", width=28 * PREVIEW_SCALE, height=28 * PREVIEW_SCALE)
        self.preview.add_class("nnteach-digit-preview")
        self.prediction_label = widgets.HTML()
        self.prediction_label.add_class("nnteach-prediction")
        self.note = widgets.HTML()
        self.note.add_class("nnteach-note")
        self.bars = ProbabilityBars(title="Probabilities")
        self.errors = ErrorArea()

        self.label_picker = widgets.Dropdown(
            options=[("pick…", NO_LABEL)] + [(str(d), d) for d in range(10)], value=NO_LABEL, description="It is a"
        )
        self.label_picker.layout.width = "13em"
        self.save_example_button = widgets.Button(description="Save as example")
        self.save_example_button.add_class("nnteach-save-example")
        self.save_example_button.on_click(lambda _button: self._guarded(self._on_save_example))
        self.examples_name = widgets.Text(value="my-digits", description="File", layout={"width": "16em"})
        self.save_button = widgets.Button(description="Save examples")
        self.load_button = widgets.Button(description="Load examples")
        self.save_button.on_click(lambda _button: self._guarded(lambda: self.save(self.examples_name.value)))
        self.load_button.on_click(lambda _button: self._guarded(lambda: self.load(self.examples_name.value)))
        self.examples_status = widgets.HTML()
        self.examples_status.add_class("nnteach-examples-status")
        self._show_example_count()

        self.observe(self._on_brush_width, names="brush_width")

        drawing = widgets.VBox(
            [self.canvas, widgets.HBox([self.width_slider]), widgets.HBox([self.undo_button, self.clear_button])]
        )
        sees = widgets.VBox(
            [widgets.HTML("<b>What the model sees (28×28)</b>"), self.preview, self.prediction_label, self.note]
        )
        self.bars.layout.min_width = "20em"
        panel = widgets.HBox([drawing, sees, self.bars], layout={"flex_flow": "row wrap", "align_items": "flex-start"})
        example_row = widgets.HBox(
            [
                self.label_picker,
                self.save_example_button,
                self.examples_name,
                self.save_button,
                self.load_button,
                self.examples_status,
            ],
            layout={"flex_flow": "row wrap", "align_items": "center"},
        )
        self.add_class("nnteach-digit-canvas-widget")
        self.children = (widgets.HTML(STYLE_CSS), self.errors, panel, example_row)

    # -- events from the browser --------------------------------------------------------------
    def _on_client_ready(self) -> None:
        with self.errors.guard("The drawing area could not be prepared."):
            self._client_ready = True
            _prepare_canvas_after_client_ready(self.canvas)
            self._redraw_canvas()

    def _on_down(self, x: float, y: float) -> None:
        with self.errors.guard("The stroke could not be started."):
            self._current = [(float(x), float(y))]
            self._draw_strokes([self._current])

    def _on_move(self, x: float, y: float) -> None:
        if self._current is None:
            return
        with self.errors.guard("The stroke could not be drawn."):
            previous = self._current[-1]
            point = (float(x), float(y))
            if point == previous:
                return
            self._current.append(point)
            self._draw_strokes([[previous, point]])
            now = time.perf_counter()
            if self.live and now - self._last_live >= LIVE_INTERVAL_S:
                self._last_live = now
                preview = self._raster.copy()
                rasterize_stroke(preview, self._current, self.brush_width)
                self._update_prediction(preview)

    def _on_up(self, x: float, y: float) -> None:
        if self._current is None:
            return
        points, self._current = self._current, None
        point = (float(x), float(y))
        if point != points[-1] and 0 <= x <= self.size and 0 <= y <= self.size:
            self._draw_strokes([[points[-1], point]])
            points.append(point)
        # The stroke is already on screen, drawn segment by segment while the mouse moved.
        self._guarded(lambda: self._add_stroke(points, draw=False))

    def _on_touch_end(self, touches: list[tuple[float, float]]) -> None:
        if self._current is None:
            return
        x, y = touches[0] if touches else self._current[-1]
        self._on_up(x, y)

    def _on_brush_width(self, _change: dict[str, Any]) -> None:
        with self.errors.guard("The brush width could not be changed."):
            self._rerender()

    def _on_save_example(self) -> None:
        if self.label_picker.value == NO_LABEL and self.image is not None:
            raise ValueError("Expected the true digit for this example. Received none; pick it in 'It is a' first.")
        self.save_example(self.label_picker.value)

    def _guarded(self, action: Any) -> None:
        with self.errors.guard("That did not work.", on_error=self._redraw_canvas):
            action()

    # -- computing ---------------------------------------------------------------------------
    def _rerender(self) -> None:
        self._raster = strokes_to_image(self.strokes, self.size, self.brush_width)
        self._redraw_canvas()
        self._update_prediction()

    def _update_prediction(self, raster: np.ndarray | None = None) -> None:
        """Preprocess and predict. A failing model keeps the image, drops the prediction and says why."""
        try:
            image = to_mnist(self._raster if raster is None else raster)
        except EmptyImage:
            self._show_empty()
            return
        self.image = image
        self.preview.value = array_to_png(image, scale=PREVIEW_SCALE, grid=True)
        with self.errors.guard(f"The model ({self.predictor.description}) failed.", on_error=self._show_no_prediction):
            result = self.predictor(image)
            probabilities = tuple(float(p) for p in result.probabilities[0])
            self._set_prediction(probabilities, int(result.predictions[0]), result.from_logits)
            self.errors.clear()

    def _show_no_prediction(self) -> None:
        self._set_prediction((), None, False)
        self.prediction_label.value = '<span class="nnteach-predicted" style="font-size:150%">No prediction</span>'
        self.note.value = ""

    def _set_prediction(self, probabilities: tuple[float, ...], prediction: int | None, from_logits: bool) -> None:
        self.probabilities = probabilities
        self.prediction = prediction
        self.from_logits = from_logits
        self.bars.update(probabilities or (0.0,) * 10)
        if prediction is None:
            return
        confidence = probabilities[prediction]
        self.prediction_label.value = (
            f'<span class="nnteach-predicted" style="font-size:150%">Prediction: <b>{prediction}</b></span> '
            f"({confidence:.0%} sure)"
        )
        self.note.value = (
            "The model returned logits (scores, not probabilities); softmax turned them into the probabilities shown."
            if from_logits
            else ""
        )

    def _show_empty(self) -> None:
        self.image = None
        self._set_prediction((), None, False)
        self.preview.value = _EMPTY_PREVIEW
        self.prediction_label.value = f'<span class="nnteach-predicted" style="font-size:150%">{EMPTY_TEXT}</span>'
        self.note.value = ""
        self.errors.clear()

    def _show_example_count(self, prefix: str = "") -> None:
        counts = self.example_set.counts()
        detail = ", ".join(f"{digit}: {count}" for digit, count in counts.items())
        count = len(self.example_set)
        text = f"{count} example{'' if count == 1 else 's'}" + (f" ({detail})" if detail else "")
        self.examples_status.value = f"{prefix} {text}".strip()

    # -- drawing on the browser canvas (only once a browser is connected) ------------------------
    def _redraw_canvas(self) -> None:
        if not self._client_ready:
            return
        size = self.size
        with hold_canvas():
            self.canvas.clear()
            self.canvas.fill_style = BACKGROUND
            self.canvas.fill_rect(0, 0, size, size)
            self.canvas.stroke_style = FRAME
            self.canvas.line_width = 2
            self.canvas.set_line_dash([])
            self.canvas.stroke_rect(1, 1, size - 2, size - 2)
            self.canvas.set_line_dash([4, 6])
            box = size * 20 / 28
            self.canvas.stroke_rect((size - box) / 2, (size - box) / 2, box, box)
            self.canvas.set_line_dash([])
            # The ink style stays set in the browser's canvas, so each mouse move sends one command.
            self.canvas.stroke_style = INK
            self.canvas.fill_style = INK
            self.canvas.line_width = self.brush_width
            self.canvas.line_cap = "round"
            self.canvas.line_join = "round"
        self._draw_strokes([*self.strokes, *([self._current] if self._current else [])])

    def _draw_strokes(self, strokes: Sequence[Sequence[Point]]) -> None:
        if not self._client_ready or not strokes:
            return
        width = self.brush_width
        lines = [np.asarray(stroke, dtype=np.float64) for stroke in strokes if len(stroke) > 1]
        dots = np.asarray([stroke[0] for stroke in strokes if len(stroke) == 1], dtype=np.float64).reshape(-1, 2)
        with hold_canvas():
            for line in lines:
                self.canvas.stroke_lines(line)
            if len(dots):
                self.canvas.fill_circles(dots[:, 0], dots[:, 1], width / 2)

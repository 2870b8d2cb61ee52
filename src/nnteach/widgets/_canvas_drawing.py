"""DigitCanvas' drawing area: an ipycanvas ``Canvas`` that checks browser events, and its draw calls.

Voila facts (STYLE.md): commands sent before the browser is connected are lost, so nothing is
drawn before ``client_ready``; ``hold_canvas()`` has no ``finally`` and is global, so every
array is computed before it and only plain, vectorized draw calls run inside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from ipycanvas import Canvas, hold_canvas

__all__ = ["BACKGROUND", "FRAME", "INK", "DrawingArea", "checked_event", "draw_background", "draw_strokes"]

BACKGROUND, INK, FRAME = "#000000", "#ffffff", "#607d8b"
_KEY_FIELDS = ("key", "shift_key", "ctrl_key", "meta_key")


def checked_event(content: Any) -> dict[str, Any]:
    """A browser event as ipycanvas' handler can read it: missing fields filled, bad touches dropped.

    A crafted or truncated event (no ``touches``, null coordinates, not a dict) must not raise
    inside ipycanvas: coordinates become ``None`` (the widget ignores such points) and a touch
    list keeps only touches with both coordinates.

    Example:
        >>> checked_event({"event": "touch_end"})
        {'event': 'touch_end', 'touches': []}
        >>> checked_event({"event": "mouse_up", "x": None})
        {'event': 'mouse_up', 'x': None, 'y': None}
        >>> checked_event("nonsense")
        {'event': ''}
    """
    if not isinstance(content, dict) or not isinstance(content.get("event", ""), str):
        return {"event": ""}
    event = content.get("event", "")
    if event.startswith("touch"):
        touches = content.get("touches")
        kept = [
            {"x": touch["x"], "y": touch["y"]}
            for touch in (touches if isinstance(touches, list) else [])
            if isinstance(touch, dict) and "x" in touch and "y" in touch
        ]
        return {**content, "touches": kept}
    if event.startswith("mouse"):
        return {**content, "x": content.get("x"), "y": content.get("y")}
    if event == "key_down" and not all(field in content for field in _KEY_FIELDS):
        return {"event": ""}
    return dict(content)


class DrawingArea(Canvas):
    """The ipycanvas ``Canvas`` of a ``DigitCanvas``; its browser events are checked first."""

    def _handle_frontend_event(self, widget: Any, content: Any, buffers: Any) -> None:
        super()._handle_frontend_event(widget, checked_event(content), buffers)

    def forget_current_canvas(self) -> None:
        """Work around ipycanvas 0.14.3 losing commands sent before a browser is connected.

        ipycanvas' shared canvas manager sends ``switchCanvas`` only when the target canvas
        changes. Under Voila the notebook runs before the browser connects, so that first switch
        is lost and every later command fails in the browser ("Cannot read properties of
        undefined (reading 'strokeLine')"). Nothing is drawn before the client is ready and,
        here, the manager forgets its current canvas so the next command switches again.
        Remove this when ipycanvas re-sends the switch on ``client_ready``.
        """
        manager = getattr(self, "_canvas_manager", None)
        if manager is not None and hasattr(manager, "_current_canvas"):
            manager._current_canvas = None


def draw_background(canvas: Canvas, size: int, brush_width: float) -> None:
    """Clear to black, draw the frame and MNIST's 20×20 guide box, and leave the ink style set."""
    box = size * 20 / 28
    corner = (size - box) / 2
    with hold_canvas():
        canvas.clear()
        canvas.fill_style = BACKGROUND
        canvas.fill_rect(0, 0, size, size)
        canvas.stroke_style = FRAME
        canvas.line_width = 2
        canvas.set_line_dash([])
        canvas.stroke_rect(1, 1, size - 2, size - 2)
        canvas.set_line_dash([4, 6])
        canvas.stroke_rect(corner, corner, box, box)
        canvas.set_line_dash([])
        # The ink style stays set in the browser's canvas, so each mouse move sends one command.
        canvas.stroke_style = INK
        canvas.fill_style = INK
        canvas.line_width = brush_width
        canvas.line_cap = "round"
        canvas.line_join = "round"


def draw_strokes(canvas: Canvas, strokes: Sequence[Sequence[tuple[float, float]]], width: float) -> None:
    """Draw strokes (lines) and single-point strokes (dots) in the ink style ``draw_background`` set."""
    lines = [np.asarray(stroke, dtype=np.float64) for stroke in strokes if len(stroke) > 1]
    dots = np.asarray([stroke[0] for stroke in strokes if len(stroke) == 1], dtype=np.float64).reshape(-1, 2)
    if not lines and not len(dots):
        return
    with hold_canvas():
        for line in lines:
            canvas.stroke_lines(line)
        if len(dots):
            canvas.fill_circles(dots[:, 0], dots[:, 1], width / 2)

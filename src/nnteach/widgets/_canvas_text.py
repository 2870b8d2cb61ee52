"""DigitCanvas' words, in the page's language: its caption, its notes and its refusals.

Module constants are only marked (``N_``); each is translated when a canvas shows it, so a
language chosen after ``import nnteach`` applies.

Example:
    >>> caption(1, 0.974)
    'Prediction: 1 (97% sure)'
    >>> caption_html(1, 0.974)
    '<span class="nnteach-predicted" style="font-size:150%">Prediction: <b>1</b></span> (97% sure)'
"""

from __future__ import annotations

import html

from nnteach.i18n import N_, _
from nnteach.numbers import percent

__all__ = ["EMPTY_TEXT", "LOGITS_NOTE", "NO_PREDICTION", "brush_refused", "caption", "caption_html", "size_refused"]

EMPTY_TEXT = N_("Draw a digit")
NO_PREDICTION = N_("No prediction")
LOGITS_NOTE = N_(
    "The model returned logits (scores, not probabilities); softmax turned them into the probabilities shown."
)
_STYLE = 'class="nnteach-predicted" style="font-size:150%"'


def _parts(probability: float) -> tuple[str, str]:
    """'Prediction: {digit}' (shown large) and '(97% sure)'."""
    return _("Prediction: {digit}"), _("({percent} sure)").format(percent=percent(probability))


def caption(prediction: int, probability: float) -> str:
    """The caption's text for a prediction: 'Prediction: 1 (97% sure)'."""
    head, tail = _parts(probability)
    return f"{head.format(digit=prediction)} {tail}"


def caption_html(prediction: int | None, probability: float, text: str = "") -> str:
    """The caption as shown: the predicted digit large and bold, or ``text`` (e.g. 'Draw a digit') when none."""
    if prediction is None:
        return f"<span {_STYLE}>{html.escape(text)}</span>"
    head, tail = _parts(probability)
    return f"<span {_STYLE}>{html.escape(head).format(digit=f'<b>{prediction}</b>')}</span> {html.escape(tail)}"


def brush_refused(width: float) -> str:
    """The sentence refusing a brush width outside 1 to 100."""
    return _("Expected a brush width from 1 to 100 canvas pixels. Received {width}; try 18.").format(width=f"{width:g}")


def size_refused(size: object) -> str:
    """The sentence refusing a canvas size outside 56 to 1200 pixels."""
    message = _("Expected the canvas size in pixels, an integer from 56 to 1200. Received size={size}; try 280.")
    return message.format(size=repr(size))

"""Logits as a learner types them in a box (``"2, -1, 1, 1"``), and back as text.

UI-free: :class:`nnteach.widgets.OneHotSoftmaxView` reads its logits box with :func:`parse_logits`
and shows each refusal as it is, so the sentences are in the language widgets speak. The names
are also importable from :mod:`nnteach.softmax`.

Example:
    >>> parse_logits("2, −1, 1 1"), format_logits([2.0, -1.0, 0.25])
    ((2.0, -1.0, 1.0, 1.0), '2, -1, 0.25')
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from nnteach.i18n import _

__all__ = ["MAX_CLASSES", "MIN_CLASSES", "format_logits", "parse_logits"]

MIN_CLASSES = 2
"""Fewest logits :func:`parse_logits` accepts (one class needs no softmax)."""
MAX_CLASSES = 20
"""Most logits :func:`parse_logits` accepts (more do not fit on a projector)."""

_SEPARATORS = re.compile(r"[,;\s]+")


def parse_logits(text: str, min_count: int = MIN_CLASSES, max_count: int = MAX_CLASSES) -> tuple[float, ...]:
    """Read logits typed by a learner, such as ``"2, -1, 1, 1"`` (commas, spaces or semicolons).

    The typographic minus ``−`` (copied from slides) is read as ``-``. Letters, an empty box,
    NaN/infinity or a count outside ``min_count .. max_count`` raise a ``ValueError`` with a
    sentence meant for the learner, in the language widgets speak.

    Example:
        >>> parse_logits("2, −1, 1 1")
        (2.0, -1.0, 1.0, 1.0)
        >>> parse_logits("2, x")
        Traceback (most recent call last):
        ...
        ValueError: Expected numbers only. Received 'x' at position 2; type numbers separated by commas, e.g. 2, -1, 1, 1.
    """
    example = _("type numbers separated by commas, e.g. 2, -1, 1, 1")
    cleaned = text.replace("−", "-").replace("–", "-").strip().strip("[]()").strip()
    if not cleaned:
        raise ValueError(_("Expected logits. Received an empty box; {example}.").format(example=example))
    parts = [part for part in _SEPARATORS.split(cleaned) if part]
    values = []
    for position, part in enumerate(parts, start=1):
        try:
            value = float(part)
        except ValueError:
            raise ValueError(
                _("Expected numbers only. Received {part} at position {position}; {example}.").format(
                    part=repr(part), position=position, example=example
                )
            ) from None
        if not math.isfinite(value):
            raise ValueError(
                _("Expected finite numbers. Received {part} at position {position}; {example}.").format(
                    part=repr(part), position=position, example=example
                )
            )
        values.append(value)
    if not min_count <= len(values) <= max_count:
        raise ValueError(
            _("Expected {min_count} to {max_count} logits. Received {count}; {example}.").format(
                min_count=min_count, max_count=max_count, count=len(values), example=example
            )
        )
    return tuple(values)


def format_logits(values: Sequence[float]) -> str:
    """Write logits back as text for the box: ``format_logits([2.0, -1.5]) == "2, -1.5"``.

    Example:
        >>> format_logits([2.0, -1.0, 0.25])
        '2, -1, 0.25'
    """
    return ", ".join(f"{value:.4g}" for value in values)

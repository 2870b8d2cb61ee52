"""Parsers for :meth:`~nnteach.widgets._base.NNTeachWidget.bind`: a control's value, or a learner's sentence.

A crafted front-end message can put anything in a control (``None`` in a picker, NaN in a
slider, text in a number box); these turn it into a number or say plainly what is wrong.

Example:
    >>> finite_number(0.5, "w₁", "drag the slider")
    0.5
    >>> finite_number(None, "w₁", "drag the slider")
    Traceback (most recent call last):
    ...
    nnteach.widgets._errors.NNTeachValueError: Expected a number for w₁. Received None; drag the slider.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from nnteach.i18n import _
from nnteach.widgets._base import NNTeachValueError

__all__ = ["finite_number", "typed_number", "typed_whole_number", "whole_number"]


def finite_number(value: Any, what: str, hint: str) -> float:
    """``value`` as a finite float; None, text, booleans, NaN and ±inf are refused with a sentence."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise NNTeachValueError(
            _("Expected a number for {what}. Received {value}; {hint}.").format(
                what=what, value=f"{value!r:.40}", hint=hint
            )
        )
    if not math.isfinite(float(value)):
        raise NNTeachValueError(
            _("Expected a finite number for {what}. Received {value}; {hint}.").format(
                what=what, value=f"{value!r}", hint=hint
            )
        )
    return float(value)


def whole_number(value: Any, what: str, hint: str) -> int:
    """``value`` as an int; None, text, booleans and fractions are refused with a sentence.

    Example:
        >>> whole_number(3, "the class", "click a button")
        3
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise NNTeachValueError(
            _("Expected a whole number for {what}. Received {value}; {hint}.").format(
                what=what, value=f"{value!r:.40}", hint=hint
            )
        )
    return int(value)


def typed_number(text: str, what: str) -> float:
    """A number typed into a box (``−`` and a decimal comma accepted), or a sentence saying what is wrong.

    Example:
        >>> typed_number(" −2,5 ", "'x from'")
        -2.5
    """
    cleaned = str(text).strip().replace("−", "-").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise NNTeachValueError(
            _("Expected a number for {what}. Received {text}: type a number such as -6 or 2.5.").format(
                what=what, text=f"{text!r}"
            )
        ) from None
    if not math.isfinite(value):
        raise NNTeachValueError(
            _("Expected a finite number for {what}. Received {text}: type e.g. 6.").format(what=what, text=f"{text!r}")
        )
    return value


_GROUP_SEPARATOR = re.compile(r"(?<=\d)[,._\s\u202f'](?=\d{3}(?!\d))")


def typed_whole_number(text: Any, what: str) -> int:
    """A whole number typed into a box, or a sentence saying what is wrong (``1,000``, ``1 000``, ``1.000`` read as 1000).

    A browser's number input reverts text it cannot read without telling the kernel; nnteach's
    number boxes are text boxes whose every value comes here, so "abc" gets a sentence.

    Example:
        >>> typed_whole_number(" 1,000 ", "Epochs"), typed_whole_number("−3", "Epochs"), typed_whole_number(7, "Seed")
        (1000, -3, 7)
        >>> typed_whole_number("abc", "Epochs")
        Traceback (most recent call last):
        ...
        nnteach.widgets._errors.NNTeachValueError: Expected a whole number for Epochs. Received 'abc'; type digits only, such as 5. The box shows the value kept.
    """
    if isinstance(text, int | np.integer) and not isinstance(text, bool):
        return int(text)
    typed = str(text)[:40]
    cleaned = _GROUP_SEPARATOR.sub("", typed.strip()).replace("−", "-")
    if not re.fullmatch(r"[+-]?\d{1,12}", cleaned):
        raise NNTeachValueError(
            _(
                "Expected a whole number for {what}. Received {typed}; type digits only, such as 5. The box shows the value kept."
            ).format(what=what, typed=f"{typed!r}")
        )
    return int(cleaned)

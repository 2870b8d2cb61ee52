"""``ProbabilityBars``: the one bar chart of class probabilities in nnteach (HTML/CSS, no plot).

Values are real text in the page, so screen readers and browser tests can read them; the
most likely class is marked by a bold label and a "◀ top" marker, not by colour alone, and
the true class by "✓ true". Every update is a single HTML assignment, fast enough to follow a
pen drawing a digit.

Example:
    >>> from nnteach.widgets import ProbabilityBars
    >>> bars = ProbabilityBars(values=(0.1, 0.7, 0.2), labels=("cat", "dog", "fox"))
    >>> bars.highlight
    1
    >>> bars.update((0.6, 0.3, 0.1), true_class=1)
    >>> bars.highlight, bars.true_class
    (0, 1)
"""

from __future__ import annotations

import html
import math
import types
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach.i18n import _
from nnteach.numbers import decimal
from nnteach.widgets._base import BrowserWritable, NNTeachValueError, RendersOnce, styled

__all__ = ["FloatTuple", "ProbabilityBars", "ProbabilityBarsError", "TraitValueError"]

# Tolerance for probabilities that arrive a hair outside [0, 1] through float rounding.
_SLACK = 1e-6


TraitValueError = NNTeachValueError
"""The old name of :class:`~nnteach.widgets._base.NNTeachValueError` (a ``ValueError`` and a ``TraitError``)."""


class ProbabilityBarsError(NNTeachValueError):
    """Raised for values ProbabilityBars cannot show; a ``ValueError``, so widgets show it plainly."""


class FloatTuple(traitlets.TraitType[tuple[float, ...], Any]):
    """A tuple of finite floats; accepts any 1-D sequence or NumPy array and converts it."""

    default_value: tuple[float, ...] = ()
    info_text = "a sequence of finite numbers"  # not translated: traitlets' text in programmers' errors

    def validate(self, obj: Any, value: Any) -> tuple[float, ...]:
        owner = type(obj).__name__
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise TraitValueError(
                _("{owner} expects numbers for `{name}`. Received {value}; pass a list of floats.").format(
                    owner=owner, name=self.name, value=f"{value!r:.60}"
                )
            ) from None
        if array.ndim != 1:
            raise TraitValueError(
                _(
                    "{owner} expects a flat list for `{name}`. Received shape {shape}; pass one row, e.g. probabilities[0]."
                ).format(owner=owner, name=self.name, shape=array.shape)
            )
        if not np.all(np.isfinite(array)):
            raise TraitValueError(
                _(
                    "{owner} expects finite numbers for `{name}`. Received NaN or infinity; "
                    "check how they were computed."
                ).format(owner=owner, name=self.name)
            )
        return tuple(float(v) for v in array)


class ProbabilityBars(RendersOnce, BrowserWritable, widgets.HTML):
    """Horizontal bars for n probabilities (10 by default) with their values as text.

    An ``HTML`` widget, so other widgets hold it as a child; the page's one stylesheet styles
    it (displayed on its own, it brings that stylesheet along). The browser writes nothing
    here: ``value`` is computed from the traits.

    Traits (Python side; the browser receives the rendered ``value``):
    ``values`` probabilities in [0, 1]; ``labels`` class names (empty: ``0 .. n-1``);
    ``highlight`` the marked class (follows the argmax while ``follow_argmax`` is true;
    None when all values are equal); ``true_class`` the correct class or None;
    ``decimals`` digits shown; ``title`` an optional heading.
    Use :meth:`update` to change several at once (one re-render).

    Example:
        >>> bars = ProbabilityBars()
        >>> len(bars.values), bars.highlight
        (10, None)
        >>> bars.values = [0.0] * 7 + [0.9, 0.1, 0.0]
        >>> bars.highlight, "0.900" in bars.value
        (7, True)
    """

    values = FloatTuple(help="Probabilities to draw, each in [0, 1].")
    labels = traitlets.Tuple(help="Class names, one per value; empty means 0 .. n-1.")
    highlight = traitlets.Int(None, allow_none=True, help="Index marked as the top class (bold + ◀), or None.")
    true_class = traitlets.Int(None, allow_none=True, help="Index marked as the correct class (✓), or None.")
    follow_argmax = traitlets.Bool(True, help="Whether `highlight` follows the argmax of `values`.")
    decimals = traitlets.Int(3, help="Digits after the decimal point in the value labels.")
    title = traitlets.Unicode("", help="Optional heading above the bars.")

    def __init__(self, values: Sequence[float] | None = None, **kwargs: Any) -> None:
        if "highlight" in kwargs and "follow_argmax" not in kwargs:
            kwargs["follow_argmax"] = False
        self._frames: list[widgets.Box] = []
        super().__init__()
        self.add_class("nnteach-probability-bars")
        if values is None:
            values = (0.0,) * len(kwargs.get("labels") or range(10))
        try:
            with self.render_once():
                self.values = values
                for name, value in kwargs.items():
                    if not self.has_trait(name):
                        raise TypeError(_("ProbabilityBars got an unexpected argument {name}.").format(name=repr(name)))
                    setattr(self, name, value)
                if self.follow_argmax:
                    self.highlight = _top_index(self.values)
        except Exception:
            self.close()  # a refused construction leaves nothing open
            raise

    # -- public API -------------------------------------------------------------------------
    def update(
        self,
        values: Sequence[float] | Any,
        *,
        labels: Sequence[str] | None = None,
        true_class: int | types.EllipsisType | None = ...,
    ) -> None:
        """Set ``values`` (and optionally ``labels`` / ``true_class``) together, rendering once.

        Use it when the number of classes changes: labels and values are checked together.
        """
        with self.render_once(), self.hold_trait_notifications():
            self.values = values
            if labels is not None:
                self.labels = tuple(labels)
            elif self.labels and len(self.labels) != len(self.values):
                self.labels = ()
            if true_class is not ...:
                self.true_class = true_class
            elif self.true_class is not None and self.true_class >= len(self.values):
                self.true_class = None

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Displayed on its own, the bars come in a box with the page's stylesheet."""
        frame = styled(self)
        self._frames.append(frame)
        return frame._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Close the bars, their layout and the boxes that displayed them on their own (not the stylesheet)."""
        frames, self._frames = self._frames, []
        for frame in frames:  # each holds the shared stylesheet and these bars: close the box alone
            if frame.comm is not None:
                frame_layout = frame.layout
                frame.close()
                frame_layout.close()
        parts = (self.layout, self.style)
        super().close()
        for part in parts:
            if part.comm is not None:
                part.close()

    def shown_labels(self) -> tuple[str, ...]:
        """The class names as displayed (the defaults ``0 .. n-1`` when ``labels`` is empty)."""
        return tuple(self.labels) if self.labels else tuple(str(i) for i in range(len(self.values)))

    # -- validation -------------------------------------------------------------------------
    @traitlets.validate("values")
    def _check_values(self, proposal: Any) -> tuple[float, ...]:
        values: tuple[float, ...] = proposal["value"]
        if not values:
            raise ProbabilityBarsError(_("ProbabilityBars expects at least one value. Received an empty list."))
        outside = [i for i, v in enumerate(values) if not -_SLACK <= v <= 1 + _SLACK]
        if outside:
            raise ProbabilityBarsError(
                _(
                    "ProbabilityBars expects probabilities between 0 and 1. Received {value} at position {index}; "
                    "if these are logits, turn them into probabilities first with nnteach.softmax.softmax."
                ).format(value=f"{values[outside[0]]:g}", index=outside[0])
            )
        if self.labels and len(self.labels) != len(values):
            raise ProbabilityBarsError(
                _(
                    "ProbabilityBars expects one label per value. Received {values} values for "
                    "{labels} labels; change both with bars.update(values, labels=...)."
                ).format(values=len(values), labels=len(self.labels))
            )
        return tuple(min(max(v, 0.0), 1.0) for v in values)

    @traitlets.validate("labels")
    def _check_labels(self, proposal: Any) -> tuple[str, ...]:
        labels = tuple(str(label) for label in proposal["value"])
        if labels and len(labels) != len(self.values):
            raise ProbabilityBarsError(
                _(
                    "ProbabilityBars expects one label per value. Received {labels} labels for "
                    "{values} values; change both with bars.update(values, labels=...)."
                ).format(values=len(self.values), labels=len(labels))
            )
        return labels

    @traitlets.validate("highlight", "true_class")
    def _check_index(self, proposal: Any) -> int | None:
        index: int | None = proposal["value"]
        name = proposal["trait"].name
        if index is not None and not 0 <= index < len(self.values):
            raise ProbabilityBarsError(
                _("ProbabilityBars expects `{name}` between 0 and {last}, or None. Received {index}.").format(
                    name=name, last=len(self.values) - 1, index=index
                )
            )
        return index

    @traitlets.validate("decimals")
    def _check_decimals(self, proposal: Any) -> int:
        decimals: int = proposal["value"]
        if not 0 <= decimals <= 6:
            raise ProbabilityBarsError(
                _("ProbabilityBars expects `decimals` from 0 to 6. Received {decimals}.").format(decimals=decimals)
            )
        return decimals

    # -- rendering --------------------------------------------------------------------------
    @traitlets.observe("values", "labels", "highlight", "true_class", "follow_argmax", "decimals", "title")
    def _on_change(self, change: Any) -> None:
        with self.render_once():
            if change["name"] in ("values", "follow_argmax") and self.follow_argmax:
                self.highlight = _top_index(self.values)

    def _render(self) -> None:
        self.value = self._html()

    def _html(self) -> str:
        rows = []
        for index, (label, value) in enumerate(zip(self.shown_labels(), self.values, strict=True)):
            classes = ["nnteach-bar-row"]
            marks, words = [], []
            if index == self.highlight:
                classes.append("nnteach-bar-top")
                marks.append("◀ " + _("top"))
                words.append(_("most likely"))
            if index == self.true_class:
                classes.append("nnteach-bar-true")
                marks.append("✓ " + _("true"))
                words.append(_("true class"))
            text = decimal(value, self.decimals)
            name = html.escape(label)
            spoken = html.escape(f"{label}: {text}" + (f" ({', '.join(words)})" if words else ""), quote=True)
            rows.append(
                f'<div class="{" ".join(classes)}" role="listitem" aria-label="{spoken}" data-index="{index}">'
                f'<span class="nnteach-bar-label">{name}</span>'
                f'<span class="nnteach-bar-track"><span class="nnteach-bar-fill" style="width:{100 * value:.1f}%">'
                f'</span></span><span class="nnteach-bar-value">{text}</span>'
                f'<span class="nnteach-bar-marks">{" ".join(marks)}</span></div>'
            )
        title = f'<div class="nnteach-bars-title">{html.escape(self.title)}</div>' if self.title else ""
        aria = html.escape(self.title or _("Probabilities"), quote=True)
        return f'<div class="nnteach-bars">{title}<div role="list" aria-label="{aria}">{"".join(rows)}</div></div>'


def _top_index(values: Sequence[float]) -> int | None:
    """Index of the largest value (the first on ties); None when all values are equal."""
    if not values or math.isclose(max(values), min(values), rel_tol=0.0, abs_tol=0.0):
        return None
    return int(np.argmax(values))

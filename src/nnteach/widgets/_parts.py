"""Small pieces every nnteach widget shares: the error area and the re-rendered plot image."""

from __future__ import annotations

import html
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import traitlets

from nnteach.errors import PLAIN_SENTENCE_ERRORS
from nnteach.i18n import _
from nnteach.images import figure_to_png, new_figure

__all__ = ["STYLE_CSS", "ErrorArea", "PlotImage"]

# One small stylesheet for every nnteach widget (injected once per widget via an HTML child).
STYLE_CSS = """
<style>
.nnteach-error { color: #8a1c1c; background: #fdecea; border-left: 4px solid #c62828;
  padding: 6px 10px; margin: 4px 0; font-size: 14px; }
.nnteach-error details { margin-top: 4px; color: #444; }
.nnteach-error pre { white-space: pre-wrap; font-size: 11px; max-height: 12em; overflow: auto; }
.nnteach-note { color: #37474f; font-size: 14px; }
.nnteach-projector .nnteach-scale, .nnteach-projector.nnteach-scale { font-size: 150% !important; }
</style>
"""


class ErrorArea(widgets.HTML):
    """Shows one plain sentence when something goes wrong, details collapsed underneath.

    Example:
        >>> area = ErrorArea()
        >>> area.show("The logits must be numbers.")
        >>> area.message
        'The logits must be numbers.'
        >>> area.clear(); area.message
        ''
    """

    message = traitlets.Unicode("", help="The sentence shown to the learner; empty when all is well.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-error-area")

    def show(self, message: str, details: str | None = None) -> None:
        """Show ``message`` (and optional technical ``details``, collapsed)."""
        self.message = message
        body = f"⚠ {html.escape(message)}"
        if details:
            summary = html.escape(_("Details"))
            body += f"<details><summary>{summary}</summary><pre>{html.escape(details)}</pre></details>"
        self.value = f'<div class="nnteach-error" role="alert">{body}</div>'

    def clear(self) -> None:
        """Hide the message."""
        self.message = ""
        self.value = ""

    @contextmanager
    def guard(
        self,
        fallback: str | None = None,
        *,
        on_error: Callable[[], None] | None = None,
        clear_on_success: bool = True,
    ) -> Iterator[None]:
        """Catch errors at a callback boundary: show them here instead of a traceback.

        Messages of :data:`nnteach.errors.PLAIN_SENTENCE_ERRORS` are written for learners and shown as they are;
        anything else shows ``fallback`` with the traceback collapsed under "Details". When the
        block succeeds, an older message is cleared: it no longer describes the page.

        Example:
            >>> area = ErrorArea()
            >>> with area.guard():
            ...     raise ValueError("Expected a number. Received 'abc'; type e.g. 0.5.")
            >>> area.message
            "Expected a number. Received 'abc'; type e.g. 0.5."
            >>> with area.guard():
            ...     pass
            >>> area.message
            ''
        """
        shown_before = self.message
        fallback = _("Something went wrong.") if fallback is None else fallback
        try:
            yield
        except PLAIN_SENTENCE_ERRORS as error:  # sentences written for learners
            self.show(str(error))
            if on_error:
                on_error()
        except traitlets.TraitError:  # a control's value of a type its trait never takes (a crafted message)
            self.show(fallback + " " + _("Received a value this control does not take; pick or type one it offers."))
            if on_error:
                on_error()
        except Exception as error:  # noqa: BLE001 - the boundary where learners must not see tracebacks
            self.show(f"{fallback} ({type(error).__name__}: {error})", traceback.format_exc())
            if on_error:
                on_error()
        else:
            # Cleared only if the block itself showed nothing new (a warning it chose to show stays).
            if clear_on_success and self.message == shown_before:
                self.clear()


class PlotImage(widgets.Image):
    """An ``Image`` showing one reused matplotlib figure, re-rendered as PNG on ``refresh()``.

    Re-rendering into one image does not flicker, and the figure is never re-created.

    Example:
        >>> plot = PlotImage(width_inches=4, height_inches=3)
        >>> _ = plot.figure.add_subplot().plot([0, 1], [0, 1])
        >>> plot.refresh(); bytes(plot.value[:4])
        b'\\x89PNG'
    """

    def __init__(self, width_inches: float = 6.0, height_inches: float = 3.5, dpi: int = 100, **kwargs: Any) -> None:
        kwargs.setdefault("format", "png")
        super().__init__(**kwargs)
        self.figure = new_figure(width_inches, height_inches, dpi)  # opaque: readable on any theme
        self.add_class("nnteach-plot")
        self.layout.max_width = "100%"
        self.layout.height = "auto"

    def refresh(self) -> None:
        """Render the figure again and send the PNG to the browser."""
        self.value = figure_to_png(self.figure)

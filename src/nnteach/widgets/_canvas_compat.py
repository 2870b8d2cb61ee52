"""Old attribute names of a widget's children, kept working with a ``DeprecationWarning``.

Child widgets became private (a widget's contract is its traits and a few documented parts);
code that used an old attribute keeps working and is told the new way. Used by DigitCanvas
and LayerStackBuilder; general enough to move to ``_base`` if other widgets need it.

Example:
    >>> import warnings
    >>> class Lamp:
    ...     colour = "red"
    ...     color = deprecated_alias("colour", lambda lamp: lamp.colour)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     Lamp().color
    'red'
    >>> str(caught[0].message)
    'Lamp.color is deprecated; use Lamp.colour.'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["OldPartNames", "deprecated_alias"]


class deprecated_alias:  # noqa: N801 - used like ``property``
    """A read-only class attribute answering with ``get(obj)`` and a ``DeprecationWarning`` naming ``new``."""

    def __init__(self, new: str, get: Callable[[Any], Any]) -> None:
        self.new = new
        self.get = get
        self.old = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.old = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        name = type(obj).__name__
        warnings.warn(f"{name}.{self.old} is deprecated; use {name}.{self.new}.", DeprecationWarning, stacklevel=2)
        return self.get(obj)


def _part(name: str) -> Callable[[Any], Any]:
    return lambda canvas: canvas.controls[name]


class OldPartNames:
    """DigitCanvas' children under their old attribute names (before they became private), with a warning."""

    canvas = deprecated_alias("drawing", lambda self: self.drawing)
    width_slider = deprecated_alias("controls['brush']", _part("brush"))
    undo_button = deprecated_alias("controls['undo']", _part("undo"))
    clear_button = deprecated_alias("controls['clear']", _part("clear"))
    label_picker = deprecated_alias("controls['label'] (or the label trait)", _part("label"))
    save_example_button = deprecated_alias("controls['save_example']", _part("save_example"))
    examples_name = deprecated_alias("controls['file'] (or the examples_file trait)", _part("file"))
    save_button = deprecated_alias("controls['save']", _part("save"))
    load_button = deprecated_alias("controls['load']", _part("load"))
    preview = deprecated_alias("image trait", lambda self: self._preview)
    prediction_label = deprecated_alias("caption trait", lambda self: self._caption_view)
    note = deprecated_alias("caption_note trait", lambda self: self._note_view)
    examples_status = deprecated_alias("examples_summary trait", lambda self: self._examples_view)

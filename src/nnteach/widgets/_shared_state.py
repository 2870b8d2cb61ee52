"""Shareable state, hidden and locked controls: what a teacher's link sets on a widget (a mixin).

A widget lists the traits a teacher would set in ``shared_traits``. ``shared_state()`` gives
them as a plain dict (JSON-friendly); ``apply_shared_state(state)`` sets them back through the
widget's own validation and returns a note for each value it refused, applying the rest.
Values may be text, as a query string gives them (``"3,1,0.2"``, ``"true"``, ``"128"``).
``hide(name)`` removes a control from the page; ``lock(name)`` shows it disabled, and the
kernel then refuses every change to that trait from the page — also a crafted comm message.

Example:
    >>> import traitlets
    >>> from nnteach.widgets._base import NNTeachWidget
    >>> class Dial(NNTeachWidget):
    ...     shared_traits = ("level",)
    ...     level = traitlets.Int(1, help="The level.")
    >>> dial = Dial()
    >>> dial.apply_shared_state({"level": "7", "colour": "red"})
    ['dial.colour was ignored: Dial has no setting colour (it has: level).']
    >>> dial.shared_state()
    {'level': 7}
    >>> dial.close()
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach.i18n import _

__all__ = ["MAX_VALUE_LENGTH", "SharedState", "coerce"]

MAX_VALUE_LENGTH = 300
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _plain(value: Any) -> Any:
    return [_plain(item) for item in value] if isinstance(value, tuple | list) else value


def _boolean(text: str) -> bool:
    if text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    raise ValueError(_("Expected true or false. Received {text}; write e.g. =true.").format(text=f"{text!r:.40}"))


def _integer(text: str) -> int:
    if text.lstrip("+-").isdigit() and len(text) <= 12:
        return int(text)
    raise ValueError(_("Expected a whole number. Received {text}; write e.g. =3.").format(text=f"{text!r:.40}"))


def _number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(
            _("Expected a number. Received {text}; write e.g. =0.5.").format(text=f"{text!r:.40}")
        ) from None
    if not math.isfinite(number):
        raise ValueError(_("Expected a finite number. Received {text}; write e.g. =0.5.").format(text=f"{text!r:.40}"))
    return number


def _numbers(text: str) -> tuple[float, ...]:
    try:
        numbers = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(
            _("Expected numbers separated by commas. Received {text}; write e.g. =3,1,0.2.").format(
                text=f"{text!r:.40}"
            )
        ) from None
    if not all(math.isfinite(number) for number in numbers):
        raise ValueError(
            _("Expected finite numbers. Received {text}; write e.g. =3,1,0.2.").format(text=f"{text!r:.40}")
        )
    return numbers


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _is_numbers(trait: traitlets.TraitType[Any, Any]) -> bool:
    return isinstance(trait, traitlets.Tuple | traitlets.List) or type(trait).__name__ == "FloatTuple"


# (does this parser fit the trait?, parser): the first that fits reads the link's text.
_PARSERS: tuple[tuple[Any, Any], ...] = (
    (lambda trait: type(trait).__name__ == "Choices", _names),  # nnteach.widgets._base.Choices: names
    (lambda trait: isinstance(trait, traitlets.Bool), _boolean),
    (lambda trait: isinstance(trait, traitlets.Int), _integer),
    (lambda trait: isinstance(trait, traitlets.Float), _number),
    (_is_numbers, _numbers),
    (lambda trait: isinstance(trait, traitlets.Unicode | traitlets.Enum), str),
)


def _parser_for(trait: traitlets.TraitType[Any, Any]) -> Any:
    return next((parse for fits, parse in _PARSERS if fits(trait)), None)


def coerce(trait: traitlets.TraitType[Any, Any], value: Any) -> Any:
    """A link's value (often text) as the trait expects it; raise ValueError with a sentence otherwise.

    Example:
        >>> coerce(traitlets.Float(), "0.5"), coerce(traitlets.Bool(), "yes"), coerce(traitlets.Tuple(), "3,1,0.2")
        (0.5, True, (3.0, 1.0, 0.2))
    """
    if not isinstance(value, str):
        return value
    if len(value) > MAX_VALUE_LENGTH:
        raise ValueError(
            _("Expected at most {MAX_VALUE_LENGTH} characters. Received {len}; shorten the link.").format(
                MAX_VALUE_LENGTH=MAX_VALUE_LENGTH, len=f"{len(value):,}"
            )
        )
    parse = _parser_for(trait)
    if parse is None:
        raise ValueError(_("Expected a setting a link can carry. Received one that only code can set; set it in code."))
    return parse(value.strip())


class SharedState(traitlets.HasTraits):
    """Mixin for nnteach widgets (needs ``errors``, ``render_once``; ``bind`` registers controls)."""

    #: The traits a teacher's link may set (the widget's shareable state).
    shared_traits: ClassVar[tuple[str, ...]] = ()
    locked = traitlets.Tuple(read_only=True, help="Traits a link locked: shown disabled, refused from the page.")
    hidden = traitlets.Tuple(read_only=True, help="Controls a link hid.")

    def _controls_for(self, name: str) -> list[widgets.Widget]:
        bound = getattr(self, "_bound_controls", {}).get(name, [])
        parts = getattr(self, "controls", None)
        extra = [parts[name]] if isinstance(parts, Mapping) and name in parts else []
        return [*bound, *extra]

    def link_name(self) -> str:
        """The widget's name in notes (its class name, lower-case) unless a page named it."""
        return getattr(self, "_link_name", "") or type(self).__name__.lower()

    def shared_state(self) -> dict[str, Any]:
        """The shareable state as plain values (lists for tuples), ready for a link or JSON."""
        return {name: _plain(getattr(self, name)) for name in self.shared_traits}

    def remember_page_state(self) -> None:
        """Keep the current shareable state as the page's own (a link then carries only what differs)."""
        self._page_state = self.shared_state()

    def page_state(self) -> dict[str, Any]:
        """The state the page opened with (before any link), or the traits' defaults."""
        remembered: dict[str, Any] | None = getattr(self, "_page_state", None)
        if remembered is not None:
            return remembered
        return {name: _plain(self.traits()[name].default()) for name in self.shared_traits}

    def apply_shared_state(self, state: Mapping[str, Any]) -> list[str]:
        """Set what is valid, refuse the rest; return one note per refused setting."""
        notes: list[str] = []
        prefix = self.link_name()
        # Set one by one, as a learner would: a widget's own reactions (a preset loading its
        # layers) must run, so this is not a render_once block (which marks changes as internal).
        for name, value in state.items():
            if name not in self.shared_traits:
                known = ", ".join(self.shared_traits) or "none"
                notes.append(
                    _("{prefix}.{name} was ignored: {name__} has no setting {name} (it has: {known}).").format(
                        prefix=prefix, name=f"{name:.40}", name__=type(self).__name__, known=known
                    )
                )
                continue
            try:
                setattr(self, name, coerce(self.traits()[name], value))
            except (traitlets.TraitError, ValueError, TypeError) as error:
                notes.append(_("{prefix}.{name} was ignored: {error}").format(prefix=prefix, name=name, error=error))
        return notes

    def lock(self, *names: str) -> list[str]:
        """Show these traits' controls disabled and refuse changes to them from the page; return notes."""
        notes = []
        for name in names:
            controls = self._controls_for(name)
            if not controls and name not in self.shared_traits:
                notes.append(
                    _("lock={link_name}.{name} was ignored: there is no such control.").format(
                        link_name=self.link_name(), name=f"{name:.40}"
                    )
                )
                continue
            for control in controls:
                if hasattr(control, "disabled"):
                    control.disabled = True
            self.set_trait("locked", tuple(sorted({*self.locked, name})))
        return notes

    def hide(self, *names: str) -> list[str]:
        """Remove these controls from the page; return notes for names that are not controls."""
        notes = []
        for name in names:
            controls = self._controls_for(name)
            if not controls:
                notes.append(
                    _("hide={link_name}.{name} was ignored: there is no such control.").format(
                        link_name=self.link_name(), name=f"{name:.40}"
                    )
                )
                continue
            for control in controls:
                control.layout.display = "none"
            self.set_trait("hidden", tuple(sorted({*self.hidden, name})))
        return notes

"""Enum traits whose refusal is a learner's sentence: one choice (:class:`Choice`) or several (:class:`Choices`)."""

from __future__ import annotations

from typing import Any

import traitlets

from nnteach.i18n import _
from nnteach.widgets._errors import NNTeachValueError

__all__ = ["Choice", "Choices", "digit_or_none"]


class Choice(traitlets.Enum):  # type: ignore[type-arg]
    """An ``Enum`` trait whose refusal is a learner's sentence (an :class:`NNTeachValueError`).

    Example:
        >>> class Lamp(traitlets.HasTraits):
        ...     colour = Choice(("red", "green"), "red", help="The lamp's colour.")
        >>> Lamp().colour = "blue"
        Traceback (most recent call last):
        ...
        nnteach.widgets._errors.NNTeachValueError: Expected colour 'red' or 'green'. Received 'blue'; pick one of those.
    """

    def validate(self, obj: Any, value: Any) -> Any:  # noqa: ARG002 - traitlets' signature
        values = tuple(self.values or ())
        try:
            if value in values:
                return value
        except (TypeError, ValueError):  # unhashable or array-like values are never a choice
            pass
        names = [repr(choice) for choice in values]
        listed = _(" or ").join(names) if len(names) <= 2 else _("one of {names}").format(names=", ".join(names))
        raise NNTeachValueError(
            _("Expected {name} {listed}. Received {value}; pick one of those.").format(
                name=self.name, listed=listed, value=f"{value!r:.60}"
            )
        )


class Choices(traitlets.TraitType[tuple[Any, ...], Any]):
    """A tuple of distinct choices from ``values``, in the order given (an ``Enum`` for a multi-picker).

    A single choice is accepted as a one-element tuple; a repeated one is kept once.

    Example:
        >>> class Salad(traitlets.HasTraits):
        ...     fruit = Choices(("apple", "pear", "fig"), ("apple",), help="The fruit in it.")
        >>> salad = Salad()
        >>> salad.fruit = ["fig", "apple", "fig"]
        >>> salad.fruit
        ('fig', 'apple')
        >>> salad.fruit = ("kiwi",)
        Traceback (most recent call last):
        ...
        nnteach.widgets._errors.NNTeachValueError: Expected fruit from 'apple', 'pear', 'fig'. Received 'kiwi'; pick from those.
    """

    info_text = "a tuple of choices"  # not translated: traitlets' text in programmers' errors

    def __init__(self, values: tuple[Any, ...], default_value: tuple[Any, ...] = (), **kwargs: Any) -> None:
        self.values = tuple(values)
        super().__init__(default_value=tuple(default_value), **kwargs)

    def validate(self, obj: Any, value: Any) -> tuple[Any, ...]:  # noqa: ARG002 - traitlets' signature
        items = (value,) if isinstance(value, str) else value
        listed = ", ".join(repr(choice) for choice in self.values)
        try:
            items = tuple(items)
            unknown = [item for item in items if item not in self.values]
        except (TypeError, ValueError):
            raise NNTeachValueError(
                _("Expected {name} as a list of choices from {listed}. Received {value}; pick from those.").format(
                    name=self.name, listed=listed, value=f"{value!r:.60}"
                )
            ) from None
        if unknown:
            raise NNTeachValueError(
                _("Expected {name} from {listed}. Received {value}; pick from those.").format(
                    name=self.name, listed=listed, value=f"{unknown[0]!r:.60}"
                )
            )
        return tuple(dict.fromkeys(items))


def digit_or_none(value: Any) -> int | None:
    """A digit 0–9 (or None for "none chosen"), or a learner's sentence saying what to pick.

    Example:
        >>> digit_or_none(7), digit_or_none(None)
        (7, None)
    """
    if value is None:
        return None
    if not 0 <= value <= 9:
        raise NNTeachValueError(
            _("Expected digit from 0 to 9, or None. Received digit={value}; pick a digit.").format(value=value)
        )
    return int(value)

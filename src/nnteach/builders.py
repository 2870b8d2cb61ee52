"""What a model builder is: anything with a ``build_model()`` method that returns a fresh Keras model.

``LayerStackBuilder`` is one. Widgets that train or show "the model being built"
(``TrainingMonitor``) recognise a builder by this small protocol, not by guessing from
``dir()``: a builder's ``build_model()`` is called on each Start, so every run trains a freshly
initialised model.

Example:
    >>> class Seed:
    ...     def build_model(self):
    ...         return "a fresh model"
    >>> is_model_builder(Seed()), is_model_builder(object())
    (True, False)
    >>> isinstance(Seed(), ModelBuilder)
    True
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["ModelBuilder", "is_model_builder"]


@runtime_checkable
class ModelBuilder(Protocol):
    """Something that builds a new, compiled Keras model on every ``build_model()`` call."""

    def build_model(self) -> Any:
        """A new, compiled Keras model (freshly initialised weights)."""


def is_model_builder(source: object) -> bool:
    """True when ``source`` is a builder (has a callable ``build_model``), without building anything.

    The check looks at the class, so no property of ``source`` is read (reading a builder's
    ``model`` property would build a model). A class, rather than an instance, is not a builder.

    Example:
        >>> from nnteach.widgets import LayerStackBuilder
        >>> is_model_builder(LayerStackBuilder()), is_model_builder(LayerStackBuilder)
        (True, False)
    """
    if isinstance(source, type):
        return False
    return callable(getattr(type(source), "build_model", None))

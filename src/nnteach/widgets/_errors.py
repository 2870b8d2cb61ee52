"""The one error class for a bad value in an nnteach widget."""

from __future__ import annotations

import traitlets

__all__ = ["NNTeachValueError"]


class NNTeachValueError(traitlets.TraitError, ValueError):
    """A learner-facing bad value: shown as one sentence, and held trait changes roll back.

    Example:
        >>> isinstance(NNTeachValueError("x"), ValueError)
        True
    """

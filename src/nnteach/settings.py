"""Run-time settings read from the environment, in one place.

``NNTEACH_QUICK=1`` is set by nnteach's own test runs (notebook checks, browser tests,
benchmarks): widgets that train shrink their default runs so a test finishes in seconds.
Lessons and gallery notebooks never read it themselves; they ask the widgets, which ask here.

Example:
    >>> quick({"NNTEACH_QUICK": "1"}), quick({})
    (True, False)
    >>> training_size(5, 60_000, {"NNTEACH_QUICK": "1"})
    (1, 1000)
    >>> training_size(5, 60_000, {})
    (5, 60000)
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["QUICK_EPOCHS", "QUICK_SUBSET", "quick", "training_size"]

#: What a quick run trains at most: one epoch on the first 1,000 training images.
QUICK_EPOCHS = 1
QUICK_SUBSET = 1000


def quick(environ: Mapping[str, str] | None = None) -> bool:
    """True when ``NNTEACH_QUICK`` is ``"1"``: a test run, where training must be tiny."""
    env = os.environ if environ is None else environ
    return env.get("NNTEACH_QUICK") == "1"


def training_size(epochs: int, subset: int, environ: Mapping[str, str] | None = None) -> tuple[int, int]:
    """``(epochs, subset)`` as asked, or at most one epoch on 1,000 images in a quick run."""
    if quick(environ):
        return min(epochs, QUICK_EPOCHS), min(subset, QUICK_SUBSET)
    return epochs, subset

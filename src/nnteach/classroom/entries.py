"""What a learner shares, checked before it reaches the database: names, digits, runs.

Everything here is untrusted input from a page: names are trimmed and length-capped (shown
HTML-escaped by the widgets, never used as a path), images must be 28×28 with values 0–255,
labels 0–9, and a run's figures finite and its JSON small.

Example:
    >>> clean_display_name("  Klasse 3b   ü ")
    'Klasse 3b ü'
    >>> check_digit(7, [[0] * 28] * 28)[0]
    7
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MAX_NAME_LENGTH",
    "Learner",
    "RunFigures",
    "SharedDigit",
    "SharedRun",
    "check_digit",
    "check_run",
    "clean_display_name",
]

MAX_NAME_LENGTH = 40
_MAX_SPEC_BYTES = 20_000
_MAX_HISTORY_POINTS = 10_000


@dataclass(frozen=True)
class Learner:
    """A learner of the class: their row id, who they are (identity) and what others see (name)."""

    id: int
    identity: str
    display_name: str


@dataclass(frozen=True)
class SharedDigit:
    """One digit a learner shared: the 28×28 uint8 image and its true label."""

    id: int
    learner_id: int
    display_name: str
    label: int
    image: NDArray[np.uint8]
    created_at: float


@dataclass(frozen=True)
class RunFigures:
    """A finished or stopped training run's figures, as a learner sends them to the board (no weights)."""

    lesson: str
    spec: Mapping[str, Any]
    model_line: str
    params: int
    epochs: int
    images: int
    batch_size: int
    accuracy: float | None = None
    val_accuracy: float | None = None
    loss: float | None = None
    val_loss: float | None = None
    history: Mapping[str, Any] | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class SharedRun:
    """A run on the class board, with who shared it and when."""

    id: int
    learner_id: int
    display_name: str
    figures: RunFigures
    created_at: float


def clean_display_name(name: object) -> str:
    """A display name trimmed, with runs of spaces collapsed, 1–40 characters, no control characters.

    Any script's letters are welcome; the name is only ever shown (escaped), never a path.
    """
    if not isinstance(name, str):
        raise TypeError(f"Expected a name as text. Received {type(name).__name__}; type your name, e.g. Aiko.")
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise ValueError("Expected a name of 1 to 40 characters. Received an empty name; type your name, e.g. Aiko.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ValueError(
            f"Expected a name of at most {MAX_NAME_LENGTH} characters. Received {len(cleaned)} characters; "
            "use a shorter name (your first name is enough)."
        )
    if any(unicodedata.category(char).startswith("C") for char in cleaned):
        raise ValueError(
            "Expected a name of letters, digits, spaces and punctuation. Received invisible control characters; "
            "type the name again."
        )
    return cleaned


def check_digit(label: object, image: object) -> tuple[int, bytes]:
    """The label (0–9) and the image's 784 bytes, or a ValueError saying what is wrong."""
    if isinstance(label, bool) or not isinstance(label, int | np.integer) or not 0 <= int(label) <= 9:
        raise ValueError(f"Expected a label from 0 to 9. Received {label!r:.40}; pick the digit you drew.")
    shape = np.shape(image)  # type: ignore[call-overload]  # checked before converting: a huge array is not copied
    if shape != (28, 28):
        raise ValueError(f"Expected a 28×28 picture. Received shape {shape}; share a drawing from the canvas (28×28).")
    try:
        array = np.asarray(image, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"Expected a 28×28 picture of numbers. Received {type(image).__name__}; share a drawing from the canvas."
        ) from None
    if not np.all(np.isfinite(array)) or array.min() < 0 or array.max() > 255:
        raise ValueError(
            "Expected pixel values from 0 to 255. Received values outside; share a drawing from the canvas."
        )
    return int(label), np.rint(array).astype(np.uint8).tobytes()


def _finite_or_none(name: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"Expected a number for {name}. Received {value!r:.40}; send the run's own figures.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"Expected a finite {name}. Received {number}; a diverged run has no figure to compare.")
    return number


def _count(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= int(value) <= high:
        raise ValueError(f"Expected {name} from {low} to {high:,}. Received {value!r:.40}; send the run's own figures.")
    return int(value)


def check_run(figures: RunFigures) -> dict[str, Any]:
    """The run as database values, or a ValueError naming the first bad field."""
    lesson = str(figures.lesson)[:80]
    spec = json.dumps(figures.spec, sort_keys=True, allow_nan=False, default=str)
    if len(spec.encode()) > _MAX_SPEC_BYTES:
        raise ValueError(
            f"Expected a model description under {_MAX_SPEC_BYTES:,} bytes. Received {len(spec.encode()):,}; "
            "share a smaller model."
        )
    history = {
        str(key)[:40]: [_finite_or_none(str(key), value) for value in list(values)[:_MAX_HISTORY_POINTS]]
        for key, values in dict(figures.history or {}).items()
    }
    return {
        "lesson": lesson,
        "spec": spec,
        "model_line": str(figures.model_line)[:400],
        "params": _count("the parameter count", figures.params, 0, 10**12),
        "epochs": _count("the epochs", figures.epochs, 0, 100_000),
        "images": _count("the number of images", figures.images, 0, 10**8),
        "batch_size": _count("the batch size", figures.batch_size, 1, 10**7),
        "accuracy": _finite_or_none("accuracy", figures.accuracy),
        "val_accuracy": _finite_or_none("val_accuracy", figures.val_accuracy),
        "loss": _finite_or_none("loss", figures.loss),
        "val_loss": _finite_or_none("val_loss", figures.val_loss),
        "history": json.dumps(history, allow_nan=False),
        "seconds": _finite_or_none("seconds", figures.seconds) or 0.0,
    }

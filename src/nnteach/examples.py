"""A learner's own labelled digits: collect them, save them to the work folder, load them back.

A lesson can then measure a model on the class's own handwriting. Files are ``.npz`` with two
arrays, ``images`` ``(n, 28, 28)`` float32 in [0, 1] and ``labels`` ``(n,)`` uint8, written
atomically (temp file, then rename) inside the learner's own folder only
(:func:`nnteach.paths.learner_dir`: the work folder in a learner's own notebook, a folder
per learner on a shared server). A save never silently replaces a saved set with different
content: only a set that keeps every saved example in order (the same set, grown) is written
over it; anything else is refused with :class:`NameTaken`, which offers a free name.

Example:
    >>> import numpy as np
    >>> examples = ExampleSet()
    >>> examples.add(np.zeros((28, 28), np.float32), 7)
    >>> images, labels = examples.arrays()
    >>> images.shape, labels.tolist()
    ((1, 28, 28), [7])
    >>> path = examples.save("doctest digits")
    >>> ExampleSet.load("doctest digits").arrays()[1].tolist()
    [7]
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach._atomic import atomic_write_bytes
from nnteach.i18n import _
from nnteach.models import as_pixels
from nnteach.numbers import grouped, percent
from nnteach.paths import NameTaken, free_name, learner_dir, safe_name

__all__ = [
    "MAX_EXAMPLES",
    "ExampleSet",
    "HandwritingComparison",
    "NameTaken",
    "compare_handwriting",
    "example_path",
]

FloatArray = NDArray[np.float32]


def example_path(name: str) -> Path:
    """The ``.npz`` file for examples called ``name`` in the learner's folder (names with folders are refused).

    Example:
        >>> example_path("class 3b").name
        'class 3b.npz'
    """
    if not isinstance(name, str):
        raise TypeError(f"Expected a name for the examples file as text. Received {type(name).__name__}: {name!r}.")
    cleaned = safe_name(name.removesuffix(".npz"), what="examples name")
    return learner_dir() / f"{cleaned}.npz"


#: The most an example set may hold when loaded: far more than a class draws, far less than a kernel's memory.
MAX_EXAMPLES = 10_000
MAX_FILE_BYTES = 40 * 2**20


def _declared_shape(archive: zipfile.ZipFile, member: str) -> tuple[int, ...]:
    """The shape an ``.npy`` member declares in its header, read without loading the array."""
    with archive.open(member) as stream:
        version = np.lib.format.read_magic(stream)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, _ = read_header(stream)
    return tuple(int(size) for size in shape)


def _read_npz(path: Path) -> tuple[NDArray[Any], NDArray[Any]]:
    """Read ``images`` and ``labels``, refusing a file too big to be a class's drawings before allocating."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _TooBig(f"{size / 2**20:.0f} MB")
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        count = _declared_shape(archive, "images.npy")[:1]
        if count and count[0] > MAX_EXAMPLES:
            raise _TooBig(f"{count[0]:,} images")
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return npz["images"], npz["labels"]


class _TooBig(Exception):
    """An example file over the caps; its message says by how much."""


def _grown_from(old: tuple[NDArray[Any], NDArray[Any]], new: tuple[FloatArray, NDArray[np.uint8]]) -> bool:
    """Whether ``new`` keeps every example of ``old``, in order (the same set, maybe with more)."""
    (old_images, old_labels), (images, labels) = old, new
    count = len(old_labels)
    if count > len(labels) or old_images.shape[1:] != images.shape[1:]:
        return False
    return bool(np.array_equal(old_labels, labels[:count]) and np.array_equal(old_images, images[:count]))


def _check_label(label: Any) -> int:
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= int(label) <= 9:
        shown = int(label) if isinstance(label, np.integer) else label
        raise ValueError(f"Expected a digit label from 0 to 9. Received {shown!r}; pick the digit you drew.")
    return int(label)


class ExampleSet:
    """An ordered collection of ``(28, 28)`` images with digit labels 0-9."""

    def __init__(self, images: Any = None, labels: Any = None) -> None:
        self._images: list[FloatArray] = []
        self._labels: list[int] = []
        if images is not None or labels is not None:
            pixels = as_pixels(np.zeros((0, 28, 28)) if images is None else images)
            label_list = [] if labels is None else list(np.asarray(labels).reshape(-1))
            if len(label_list) != len(pixels):
                raise ValueError(
                    f"Expected one label per image. Received {len(pixels)} images and {len(label_list)} labels."
                )
            for image, label in zip(pixels, label_list, strict=True):
                self.add(image, label)

    def __len__(self) -> int:
        return len(self._labels)

    def add(self, image: Any, label: Any) -> None:
        """Append one image (``(28, 28)``, uint8 or float in [0, 1]) with its digit label."""
        checked = _check_label(label)
        pixels = as_pixels(image)
        if len(pixels) != 1:
            raise ValueError(f"Expected one (28, 28) image. Received {len(pixels)} images; add them one at a time.")
        self._images.append(pixels[0].copy())
        self._labels.append(checked)

    def arrays(self) -> tuple[FloatArray, NDArray[np.uint8]]:
        """``(images, labels)``: float32 ``(n, 28, 28)`` and uint8 ``(n,)`` copies."""
        images = np.stack(self._images) if self._images else np.zeros((0, 28, 28), np.float32)
        return images.astype(np.float32), np.asarray(self._labels, dtype=np.uint8)

    def counts(self) -> dict[int, int]:
        """How many examples each digit has (digits without examples are left out)."""
        values, counts = np.unique(np.asarray(self._labels, dtype=np.int64), return_counts=True)
        return {int(v): int(c) for v, c in zip(values, counts, strict=True)}

    def save(self, name: str) -> Path:
        """Write ``<learner folder>/<name>.npz`` atomically and return its path.

        A file of that name is written over only when this set keeps all its examples in
        order; otherwise :class:`NameTaken` (a ``ValueError``) offers a free name, and an
        empty set never replaces a non-empty one.

        Example:
            >>> mine = ExampleSet(np.zeros((1, 28, 28)), [3])
            >>> _ = mine.save("doctest class")
            >>> ExampleSet(np.ones((1, 28, 28)), [5]).save("doctest class")
            Traceback (most recent call last):
            ...
            nnteach.paths.NameTaken: Expected a new name or the same examples. Received 1 example for 'doctest class', which already holds a different set of 1 example; save them as 'doctest class 2' instead, or load 'doctest class' first to add to it.
        """
        path = example_path(name)
        images, labels = self.arrays()
        self._check_replacing(path, (images, labels))
        buffer = io.BytesIO()
        np.savez_compressed(buffer, images=images, labels=labels)
        atomic_write_bytes(path, buffer.getvalue())
        return path

    @staticmethod
    def _check_replacing(path: Path, new: tuple[FloatArray, NDArray[np.uint8]]) -> None:
        if not path.exists():
            return
        try:
            old = _read_npz(path)
            old_count = len(old[1])
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
            old, old_count = None, -1
        if old is not None and _grown_from(old, new):
            return
        stem, count = path.stem, len(new[1])
        if count == 0:
            raise ValueError(
                f"Expected examples to save. Received an empty set, and {stem!r} already holds saved examples, "
                "which an empty set never replaces; draw digits and press Save as example first."
            )
        suggestion = free_name(path.parent, stem, ".npz")
        held = "a file nnteach cannot read" if old is None else f"a different set of {_examples(old_count)}"
        raise NameTaken(
            f"Expected a new name or the same examples. Received {_examples(count)} for {stem!r}, which already "
            f"holds {held}; save them as {suggestion!r} instead, or load {stem!r} first to add to it.",
            suggestion,
        )

    @classmethod
    def load(cls, name: str) -> ExampleSet:
        """Read ``<work folder>/<name>.npz``; a missing, unreadable or foreign file raises ``ValueError``."""
        path = example_path(name)
        if not path.is_file():
            raise ValueError(
                f"Expected saved examples called {path.stem!r} in your work folder. Received a name with no such "
                f"file ({path.name}); save them first or check the spelling."
            )
        try:
            images, labels = _read_npz(path)
        except _TooBig as error:
            raise ValueError(
                f"Expected saved examples of at most {MAX_EXAMPLES:,} images ({MAX_FILE_BYTES // 2**20} MB). "
                f"Received {path.name} with {error}; load a smaller set, or split it."
            ) from None
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as error:
            raise ValueError(
                f"Expected {path.name} to hold digits saved by nnteach (images and labels). Received a file that "
                f"cannot be read that way ({type(error).__name__}); save the examples again."
            ) from None
        if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f"Expected {path.name} to hold integer labels of shape (n,). Received {labels.dtype} of shape "
                f"{labels.shape}; save the examples again."
            )
        try:
            return cls(images, labels)
        except ValueError as error:
            raise ValueError(f"{path.name} does not hold valid examples: {error}") from None


def _examples(count: int) -> str:
    return f"{count} example{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class HandwritingComparison:
    """One model's accuracy on a learner's own digits and on MNIST test digits."""

    own_accuracy: float
    own_count: int
    mnist_accuracy: float
    mnist_count: int

    def sentence(self) -> str:
        """The result as one line, e.g. 'Your digits: 50% of 2 right · MNIST test digits: 98.0% of 1,000 right'.

        Example:
            >>> HandwritingComparison(0.5, 2, 0.98, 1000).sentence()
            'Your digits: 50% of 2 right · MNIST test digits: 98.0% of 1,000 right'
        """
        return _("Your digits: {own} of {own_count} right · MNIST test digits: {mnist} of {mnist_count} right").format(
            own=percent(self.own_accuracy),
            own_count=grouped(self.own_count),
            mnist=percent(self.mnist_accuracy, 1),
            mnist_count=grouped(self.mnist_count),
        )


def compare_handwriting(
    predict: Callable[[Any], Any], own: tuple[Any, Any], mnist: tuple[Any, Any]
) -> HandwritingComparison:
    """How often ``predict`` is right on the learner's ``(images, labels)`` and on MNIST's ``(images, labels)``.

    ``predict`` maps images to class scores ``(n, 10)`` (a model's ``predict``, or an
    :func:`nnteach.predictors.as_predictor` whose results have ``predictions``).

    Example:
        >>> from nnteach.models import reference_mlp
        >>> zeros = (np.zeros((2, 28, 28), np.float32), np.array([1, 7]))
        >>> compare_handwriting(reference_mlp().predict, zeros, zeros).own_count
        2
    """
    if len(own[1]) == 0:
        raise ValueError(
            "Expected some examples of your own handwriting. Received none; draw a digit, pick its label and "
            "press Save as example."
        )

    def accuracy(images: Any, labels: Any) -> float:
        result = predict(images)
        predicted = result.predictions if hasattr(result, "predictions") else np.asarray(result).argmax(axis=1)
        return float(np.mean(np.asarray(predicted) == np.asarray(labels).reshape(-1)))

    return HandwritingComparison(accuracy(*own), len(own[1]), accuracy(*mnist), len(mnist[1]))

"""Labels as one-hot vectors, logits as probabilities, and the cross-entropy between them.

Plain NumPy (no TensorFlow): the numbers match Keras' ``keras.activations.softmax``,
``CategoricalCrossentropy`` and ``SparseCategoricalCrossentropy`` (including Keras' clipping
of probabilities to ``[1e-7, 1 - 1e-7]`` when ``from_logits=False``). Where Keras silently
accepts something a learner should hear about (a shape mismatch, a label out of range, NaN,
"probabilities" that do not sum to 1), these functions raise a ``ValueError`` saying so.
Reading logits typed in a box lives in :mod:`nnteach.logits_text` (re-exported here).

Example:
    >>> from nnteach.softmax import cross_entropy, one_hot, softmax
    >>> softmax([2, -1, 1, 1]).round(2).tolist()
    [0.56, 0.03, 0.21, 0.21]
    >>> one_hot(2, num_classes=4).tolist()
    [0.0, 0.0, 1.0, 0.0]
    >>> round(cross_entropy(0, [2, -1, 1, 1], from_logits=True), 4)  # -log(0.56)
    0.5797
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnteach.logits_text import MAX_CLASSES, MIN_CLASSES, format_logits, parse_logits

__all__ = [
    "EPSILON",
    "MAX_CLASSES",
    "MIN_CLASSES",
    "cross_entropy",
    "format_logits",
    "log_softmax",
    "one_hot",
    "parse_logits",
    "per_example_cross_entropy",
    "probabilities_to_logits",
    "softmax",
    "softmax_twice_floor",
    "softmax_with_loss",
]

EPSILON = 1e-7
"""Keras' default fuzz factor (``keras.config.epsilon()``) used to clip probabilities."""
# Keras computes losses in float32, where 1 - 1e-7 rounds to 0.99999988: clip at the same bounds.
_CLIP_LOW = float(np.float32(EPSILON))
_CLIP_HIGH = float(np.float32(1.0) - np.float32(EPSILON))
_SUM_TOLERANCE = 1e-3


def _numeric(value: ArrayLike, name: str) -> NDArray[Any]:
    """``value`` as a numeric array, or a ValueError naming ``name``."""
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(
            f"Expected `{name}` as a rectangular array of numbers. Received rows of different lengths."
        ) from None
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ValueError(f"Expected `{name}` as numbers. Received values of type {array.dtype}: {value!r:.60}.")
    return array


def _finite(array: NDArray[Any], name: str) -> None:
    if np.issubdtype(array.dtype, np.floating) and not np.all(np.isfinite(array)):
        raise ValueError(f"Expected finite numbers in `{name}`. Received NaN or infinity; check how it was computed.")


def _float_dtype(array: NDArray[Any]) -> np.dtype[Any]:
    """float32 stays float32 (like Keras); integers and float64 give float64."""
    return np.dtype(np.float32) if array.dtype in (np.float16, np.float32) else np.dtype(np.float64)


def one_hot(labels: ArrayLike, num_classes: int = 10) -> NDArray[np.float32]:
    """Turn class indices into one-hot rows: label 3 of 10 becomes ``[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]``.

    Accepts one label or an array of labels; the result has one more axis of length
    ``num_classes``, like ``keras.utils.to_categorical``.

    Example:
        >>> one_hot([1, 0], num_classes=3).tolist()
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, int | np.integer) or num_classes < 1:
        raise ValueError(f"Expected `num_classes` as a positive whole number. Received num_classes={num_classes!r}.")
    indices = _labels(labels, int(num_classes))
    result = np.zeros((*indices.shape, int(num_classes)), dtype=np.float32)
    np.put_along_axis(result, indices[..., np.newaxis], np.float32(1.0), axis=-1)
    return result


def _labels(labels: ArrayLike, num_classes: int) -> NDArray[np.int64]:
    """Validate class indices: whole numbers in ``0 .. num_classes - 1``."""
    array = _numeric(labels, "labels")
    _finite(array, "labels")
    if np.issubdtype(array.dtype, np.floating) and not np.all(array == np.round(array)):
        raise ValueError(
            f"Expected whole-number class labels. Received {array[array != np.round(array)].flat[0]:g}; "
            "labels are class indices such as 0, 1, 2."
        )
    if array.size and (array.min() < 0 or array.max() >= num_classes):
        bad = array.min() if array.min() < 0 else array.max()
        raise ValueError(
            f"Expected labels from 0 to {num_classes - 1} for {num_classes} classes. Received label {bad:g}; "
            "check the labels or the number of classes."
        )
    return array.astype(np.int64)


def softmax(logits: ArrayLike, axis: int = -1, temperature: float = 1.0) -> NDArray[np.floating[Any]]:
    """Turn logits (any real scores) into probabilities that are positive and sum to 1.

    ``softmax(z)_i = exp(z_i / T) / sum_j exp(z_j / T)`` with temperature ``T``: high
    temperatures flatten the distribution, low ones sharpen it. The maximum is subtracted
    first, so logits of ±1000 give no overflow and no NaN. float32 input gives float32
    (as Keras does), other input float64.

    Example:
        >>> softmax([1000.0, 0.0, -1000.0]).tolist()
        [1.0, 0.0, 0.0]
        >>> softmax([2, 0], temperature=100).round(3).tolist()
        [0.505, 0.495]
    """
    array = _numeric(logits, "logits")
    _finite(array, "logits")
    if array.ndim == 0 or array.shape[axis] == 0:
        raise ValueError(f"Expected at least one logit along axis {axis}. Received shape {array.shape}.")
    if isinstance(temperature, bool) or not isinstance(temperature, int | float | np.floating | np.integer):
        raise ValueError(f"Expected `temperature` as a number. Received {temperature!r}.")
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(
            f"Expected a positive temperature. Received temperature={temperature}; use e.g. 1.0 (0.5 sharpens, 2 flattens)."
        )
    exp = np.exp(_shifted(array.astype(np.float64), axis, float(temperature)))
    result: NDArray[np.floating[Any]] = (exp / exp.sum(axis=axis, keepdims=True)).astype(_float_dtype(array))
    return result


def _shifted(logits: NDArray[np.float64], axis: int, temperature: float) -> NDArray[np.float64]:
    """``(z - max z) / T``: at most 0, never NaN, even for logits near ±1e308 (dividing first could overflow)."""
    with np.errstate(over="ignore"):  # a difference beyond the float range is -inf: a probability of 0
        shifted: NDArray[np.float64] = (logits - logits.max(axis=axis, keepdims=True)) / temperature
    return shifted


def log_softmax(logits: ArrayLike, temperature: float = 1.0) -> NDArray[np.float64]:
    """``log(softmax(logits / temperature))`` along the last axis, computed stably in float64.

    Subtracting the largest logit first keeps every exponent at most 0, so huge logits give
    no overflow and no NaN: two equal logits of ``1e308`` are two classes at ``log(0.5)``.
    The cross-entropy of class ``k`` is ``-log_softmax(z)[k]``.

    Example:
        >>> log_softmax([1e308, 1e308]).round(4).tolist()
        [-0.6931, -0.6931]
        >>> float(-log_softmax([2, -1, 1, 1])[0]).__round__(4)  # the seed example's loss for label 0
        0.5797
    """
    array = _numeric(logits, "logits")
    _finite(array, "logits")
    if array.ndim == 0 or array.shape[-1] == 0:
        raise ValueError(f"Expected at least one logit on the last axis. Received shape {array.shape}.")
    if isinstance(temperature, bool) or not (
        isinstance(temperature, int | float | np.floating | np.integer)
        and math.isfinite(temperature)
        and temperature > 0
    ):
        raise ValueError(f"Expected a positive temperature. Received temperature={temperature!r}; use e.g. 1.0.")
    shifted = _shifted(array.astype(np.float64), -1, float(temperature))
    result: NDArray[np.float64] = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return result


def probabilities_to_logits(probabilities: ArrayLike, floor: float = 1e-12) -> NDArray[np.float64]:
    """Logits whose softmax gives back ``probabilities``: ``log p`` (softmax ignores a constant shift).

    Probabilities below ``floor`` count as ``floor`` (``log 0`` is −∞), so the logits stay finite.

    Example:
        >>> probabilities_to_logits([0.25, 0.75, 0.0]).round(3).tolist()
        [-1.386, -0.288, -27.631]
        >>> softmax(probabilities_to_logits([0.25, 0.75])).round(6).tolist()
        [0.25, 0.75]
    """
    array = _numeric(probabilities, "probabilities").astype(np.float64)
    _finite(array, "probabilities")
    if array.size and (array.min() < 0 or array.max() > 1):
        raise ValueError(
            "Expected probabilities between 0 and 1. Received values outside that range; "
            "if these are logits already, use them as they are."
        )
    return np.log(np.clip(array, floor, None))


@dataclass(frozen=True)
class SoftmaxLoss:
    """Probabilities of some logits, the loss against a label, and the same when softmax is applied twice."""

    probabilities: tuple[float, ...]
    loss: float | None  # None when the label is unknown: no loss against a guess
    twice_probabilities: tuple[float, ...]  # softmax(probabilities): what a from_logits=True loss sees
    twice_loss: float | None


def softmax_with_loss(logits: ArrayLike, label: int | None, temperature: float = 1.0) -> SoftmaxLoss:
    """``softmax(logits / T)``, its cross-entropy against ``label`` (stable, float64), and the from_logits mistake.

    The mistake: a softmax output fed to a loss that applies softmax again (``from_logits=True``).

    Example:
        >>> result = softmax_with_loss([1e308, 1e308], label=0)
        >>> result.probabilities, round(result.loss, 4)
        ((0.5, 0.5), 0.6931)
        >>> softmax_with_loss([2, 0], label=None).loss is None
        True
    """
    probabilities = softmax(logits, temperature=temperature).astype(np.float64)
    twice = softmax(probabilities)
    if label is not None:
        _labels(label, probabilities.shape[-1])
    return SoftmaxLoss(
        tuple(float(p) for p in probabilities),
        None if label is None else float(-log_softmax(logits, temperature=temperature)[label]),
        tuple(float(p) for p in twice),
        None if label is None else float(-log_softmax(probabilities)[label]),
    )


def softmax_twice_floor(num_classes: int) -> float:
    """The lowest loss possible when softmax is applied twice (a ``from_logits=True`` mistake).

    Even a perfect prediction (``p = 1`` for the true class) becomes ``softmax([1, 0, …, 0])``,
    so the loss cannot go below ``−log(e / (e + n − 1)) = log(1 + (n − 1)/e)``.

    Example:
        >>> round(softmax_twice_floor(10), 4)  # ten classes
        1.4612
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, int | np.integer) or num_classes < 1:
        raise ValueError(f"Expected a positive whole number of classes. Received num_classes={num_classes!r}.")
    return math.log1p((int(num_classes) - 1) / math.e)


def _log_softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    result: NDArray[np.float64] = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return result


def _check_probabilities(y_pred: NDArray[np.float64]) -> None:
    """Refuse 'probabilities' outside [0, 1] or rows that do not sum to 1 (likely logits)."""
    hint = "If these are logits (raw scores from a layer without softmax), pass from_logits=True."
    low, high = float(y_pred.min()), float(y_pred.max())
    if low < 0 or high > 1:
        bad = low if low < 0 else high
        raise ValueError(f"Expected probabilities between 0 and 1 in `y_pred`. Received {bad:g}. {hint}")
    sums = y_pred.sum(axis=-1)
    off = np.abs(sums - 1.0) > _SUM_TOLERANCE
    if np.any(off):
        row = int(np.flatnonzero(off.reshape(-1))[0])
        raise ValueError(
            f"Expected probabilities that sum to 1 in each row of `y_pred` (within {_SUM_TOLERANCE}). "
            f"Received a row summing to {sums.reshape(-1)[row]:.4g} (row {row}). {hint}"
        )


def per_example_cross_entropy(
    y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool = False, sparse: bool = True
) -> NDArray[np.float64]:
    """The cross-entropy of each example: ``-log(p of the true class)`` for one-hot targets.

    ``y_pred`` holds probabilities (``from_logits=False``, clipped to ``[1e-7, 1 - 1e-7]``
    as Keras does) or logits (``from_logits=True``, softmax applied inside, stably). With
    ``sparse=True`` ``y_true`` holds class indices (shape ``y_pred.shape[:-1]``), otherwise
    one-hot or soft target rows shaped like ``y_pred``.

    Example:
        >>> per_example_cross_entropy([0, 1], [[0.5, 0.5], [0.1, 0.9]]).round(4).tolist()
        [0.6931, 0.1054]
    """
    pred = _numeric(y_pred, "y_pred")
    _finite(pred, "y_pred")
    if pred.ndim == 0 or pred.shape[-1] == 0:
        raise ValueError(f"Expected `y_pred` with one value per class on the last axis. Received shape {pred.shape}.")
    if pred.size == 0:
        raise ValueError(f"Expected at least one example in `y_pred`. Received shape {pred.shape}.")
    # Keras converts inputs to float32 before it computes a loss.
    pred = pred.astype(np.float32).astype(np.float64)
    num_classes = pred.shape[-1]
    if not from_logits:
        _check_probabilities(pred)
    if sparse:
        true = _numeric(y_true, "y_true")
        if true.ndim == pred.ndim and true.ndim > 0 and true.shape[-1] == 1:
            true = true[..., 0]
        if true.shape != pred.shape[:-1]:
            raise ValueError(
                f"Expected one label per row of `y_pred`: y_true of shape {pred.shape[:-1]}. "
                f"Received y_true.shape={true.shape}, y_pred.shape={pred.shape}. "
                + (
                    "For one-hot targets pass sparse=False."
                    if true.shape == pred.shape
                    else "Check that both come from the same examples."
                )
            )
        labels = _labels(true, num_classes)
        log_p = _log_softmax(pred if from_logits else np.log(np.clip(pred, _CLIP_LOW, _CLIP_HIGH)))
        result: NDArray[np.float64] = -np.take_along_axis(log_p, labels[..., np.newaxis], axis=-1)[..., 0]
        return result
    target = _numeric(y_true, "y_true")
    _finite(target, "y_true")
    if target.shape != pred.shape:
        raise ValueError(
            f"Expected `y_true` with the same shape as `y_pred` (one-hot rows). Received y_true.shape={target.shape}, "
            f"y_pred.shape={pred.shape}. "
            + (
                "For integer labels pass sparse=True, or convert them with one_hot(labels, num_classes)."
                if target.shape == pred.shape[:-1]
                else "Check that both come from the same examples."
            )
        )
    target = target.astype(np.float32).astype(np.float64)
    if target.min() < 0 or target.max() > 1 or np.any(np.abs(target.sum(axis=-1) - 1.0) > _SUM_TOLERANCE):
        raise ValueError(
            "Expected each row of `y_true` to be a probability distribution such as a one-hot vector. "
            "Received values outside [0, 1] or rows that do not sum to 1; build targets with one_hot(labels, num_classes)."
        )
    if from_logits:
        return np.asarray(-(target * _log_softmax(pred)).sum(axis=-1), dtype=np.float64)
    normalized = pred / pred.sum(axis=-1, keepdims=True)
    return np.asarray(-(target * np.log(np.clip(normalized, _CLIP_LOW, _CLIP_HIGH))).sum(axis=-1), dtype=np.float64)


def cross_entropy(y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool = False, sparse: bool = True) -> float:
    """The batch mean of :func:`per_example_cross_entropy`, as Keras' loss objects report it.

    Matches ``keras.losses.SparseCategoricalCrossentropy(from_logits=...)`` (``sparse=True``)
    and ``CategoricalCrossentropy`` (``sparse=False``).

    Example:
        >>> round(cross_entropy([1], [[0.25, 0.75]]), 4)  # -log(0.75)
        0.2877
        >>> round(cross_entropy([[0, 1]], [[0.0, 0.0]], from_logits=True, sparse=False), 4)  # log(2)
        0.6931
    """
    return float(per_example_cross_entropy(y_true, y_pred, from_logits=from_logits, sparse=sparse).mean())

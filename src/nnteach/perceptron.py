"""The perceptron, UI-free: ``y = step(b + Σ xᵢ wᵢ)``, a toy dog/cat dataset and Rosenblatt's learning rule.

The learning rule fixes one misclassified point at a time: ``w ← w + η (y − ŷ) x`` and
``b ← b + η (y − ŷ)``. On data one straight line can separate it stops with every point right;
on XOR it can never stop, and ``train`` reports that instead of looping forever.

Example:
    >>> data = toy_dataset()
    >>> result = train(data.x, data.y, weights=(0.0, 0.0), bias=0.0)
    >>> result.converged, int(misclassified_points(data.x, data.y, result.weights, result.bias).sum())
    (True, 0)
    >>> train(xor_dataset().x, xor_dataset().y).converged
    False
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnteach.activations import as_values, get
from nnteach.i18n import N_, _

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "LearningStep",
    "ToyDataset",
    "TrainResult",
    "dataset",
    "decision_line",
    "learning_state",
    "learning_step",
    "misclassified",
    "misclassified_points",
    "output",
    "toy_dataset",
    "train",
    "weighted_sum",
    "xor_dataset",
]

FloatArray = NDArray[np.float64]
ACTIVATIONS = ("step", "sigmoid")
"""What the perceptron's output can go through: a yes/no step, or a sigmoid probability."""


@dataclass(frozen=True)
class ToyDataset:
    """A small two-feature, two-class dataset: ``x`` is (n, 2), ``y`` is 0/1 (index into ``class_names``).

    ``feature_names`` and ``class_names`` are in the language widgets speak when the dataset is made
    (``name`` stays the English key). ``class_symbols`` are the plot's own markers (● class 0, ▲ class 1): every font draws them,
    unlike an emoji, and the text then matches the picture.
    """

    name: str
    x: FloatArray
    y: NDArray[np.int64]
    feature_names: tuple[str, str]
    class_names: tuple[str, str]
    class_symbols: tuple[str, str]


_CATS = [(2.0, 1.0), (3.0, 2.0), (1.5, 3.0), (4.0, 1.5), (2.5, 4.0), (3.5, 3.0), (1.0, 5.0), (5.0, 1.0)]
_DOGS = [(6.0, 5.0), (7.5, 4.0), (5.0, 7.0), (8.0, 7.5), (6.5, 8.0), (4.5, 6.0), (9.0, 2.5), (3.0, 8.5)]


_T = TypeVar("_T", bound=np.generic)
_MARKERS = ("●", "▲")  # the plot's markers for class 0 and class 1
_NOISE = 1e-12  # a sum this close to 0 is 0: far below anything a slider or the learning rule sets


def _frozen(array: NDArray[_T]) -> NDArray[_T]:
    array.setflags(write=False)
    return array


def toy_dataset() -> ToyDataset:
    """Sixteen animals, each a size and a loudness from 0 to 10: cats (0) are small and quiet, dogs (1) not.

    One straight line separates them, so the learning rule finds one.

    Example:
        >>> data = toy_dataset()
        >>> data.x.shape, data.class_names, int(data.y.sum())
        ((16, 2), ('cat', 'dog'), 8)
    """
    x = np.array([*_CATS, *_DOGS], dtype=np.float64)
    y = np.array([0] * len(_CATS) + [1] * len(_DOGS), dtype=np.int64)
    features, classes = (_("size"), _("loudness")), (_("cat"), _("dog"))  # in the language widgets speak
    return ToyDataset("dogs and cats", _frozen(x), _frozen(y), features, classes, _MARKERS)


def xor_dataset() -> ToyDataset:
    """XOR: class 1 when exactly one feature is 1. No straight line separates it, so one perceptron cannot learn it.

    Example:
        >>> xor_dataset().y.tolist()
        [0, 1, 1, 0]
    """
    x = np.array([(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)], dtype=np.float64)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return ToyDataset("XOR", _frozen(x), _frozen(y), (_("input A"), _("input B")), ("0", "1"), _MARKERS)


DATASETS = ("dogs and cats", "XOR")
"""The built-in datasets, by name: one a line can separate, and one it cannot."""
#: What a dataset picker shows for each name (translate with ``_`` when shown; the names are the values).
DATASET_LABELS = {"dogs and cats": N_("dogs and cats"), "XOR": "XOR"}


def dataset(name: str) -> ToyDataset:
    """The built-in dataset called ``name`` (one of ``DATASETS``).

    Example:
        >>> dataset("XOR").name
        'XOR'
    """
    if name == "dogs and cats":
        return toy_dataset()
    if name == "XOR":
        return xor_dataset()
    raise ValueError(
        _("Unknown dataset {name}. Expected one of: {join}.").format(
            name=f"{name!r}", join=", ".join(map(repr, DATASETS))
        )
    )


def _points(x: ArrayLike) -> FloatArray:
    points = as_values(x, _("the inputs"))
    if points.ndim == 1:
        points = points[np.newaxis, :]
    if points.ndim != 2:
        raise ValueError(
            _("Expected points as rows of features. Received an array of shape {shape}.").format(shape=points.shape)
        )
    return points


def _weights(weights: ArrayLike, n_features: int) -> FloatArray:
    w = as_values(weights, _("the weights")).reshape(-1)
    if w.shape != (n_features,):
        raise ValueError(
            _(
                "Expected one weight per input ({n_features}). Received {size} weights: give {n_features} numbers."
            ).format(n_features=n_features, size=w.size)
        )
    return w


def _bias(bias: float) -> float:
    value = as_values(bias, _("the bias"))
    if value.ndim != 0:
        raise ValueError(
            _("Expected one number for the bias. Received an array of shape {shape}.").format(shape=value.shape)
        )
    return float(value)


def _labels(y: ArrayLike, n_points: int) -> NDArray[np.int64]:
    labels = np.asarray(y).reshape(-1)
    if labels.shape != (n_points,) or not np.isin(labels, (0, 1)).all():
        raise ValueError(
            _("Expected one label (0 or 1) per point ({n_points}). Received {tolist}.").format(
                n_points=n_points, tolist=f"{labels.tolist()!r}"
            )
        )
    return labels.astype(np.int64)


def weighted_sum(x: ArrayLike, weights: ArrayLike, bias: float) -> FloatArray:
    """``b + Σ xᵢ wᵢ`` for each point (row) of ``x``.

    Example:
        >>> weighted_sum([[1.0, 2.0]], weights=[0.5, -1.0], bias=1.0).tolist()
        [-0.5]
    """
    points = _points(x)
    total = np.asarray(points @ _weights(weights, points.shape[1]) + _bias(bias), dtype=np.float64)
    # Float noise (0.1 + 0.2 - 0.3 = 5.5e-17) must not decide: the sum shown and the answer agree.
    return np.where(np.abs(total) < _NOISE, 0.0, total)  # also no -0.0 to print as "-0.00"


def output(x: ArrayLike, weights: ArrayLike, bias: float, activation: str = "step") -> FloatArray:
    """The perceptron's answer: ``step`` gives 1 (dog) or 0 (cat), ``sigmoid`` the probability of a dog.

    Example:
        >>> output([[1.0, 2.0]], [0.5, -1.0], 1.0).tolist(), output([[2.0, 0.0]], [1.0, 0.0], -2.0, "sigmoid").tolist()
        ([0.0], [0.5])
    """
    if activation not in ACTIVATIONS:
        raise ValueError(
            _("Expected activation 'step' or 'sigmoid'. Received {activation}.").format(activation=f"{activation!r}")
        )
    return get(activation).value(weighted_sum(x, weights, bias))


def misclassified_points(x: ArrayLike, y: ArrayLike, weights: ArrayLike, bias: float) -> NDArray[np.bool_]:
    """Which points the line puts on the wrong side (a sum of exactly 0 counts as class 0, like the step).

    One boolean per point; ``nnteach.evaluation.misclassified`` is something else (a model's
    wrongly classified images, most confident first).

    Example:
        >>> misclassified_points([[0.0, 0.0], [1.0, 1.0]], [0, 0], [1.0, 1.0], -1.0).tolist()
        [False, True]
    """
    sums = weighted_sum(x, weights, bias)
    return np.asarray((sums > 0).astype(np.int64) != _labels(y, sums.size))


def misclassified(x: ArrayLike, y: ArrayLike, weights: ArrayLike, bias: float) -> NDArray[np.bool_]:
    """Deprecated name of :func:`misclassified_points` (same result), renamed so ``misclassified`` means one thing."""
    warnings.warn(
        "nnteach.perceptron.misclassified is deprecated: use nnteach.perceptron.misclassified_points, which returns "
        "the same booleans (nnteach.evaluation.misclassified lists a model's wrongly classified images).",
        DeprecationWarning,
        stacklevel=2,
    )
    return misclassified_points(x, y, weights, bias)


@dataclass(frozen=True)
class LearningStep:
    """One application of the learning rule: the new line, the point that moved it, and where to look next."""

    weights: tuple[float, ...]
    bias: float
    index: int | None  # the misclassified point used; None when every point is already right
    next_start: int
    error: int = 0  # y − ŷ for that point: +1 (it should have said 1), −1 (it should have said 0), 0 when converged

    @property
    def converged(self) -> bool:
        """True when no point was misclassified, so nothing changed."""
        return self.index is None


def learning_step(
    x: ArrayLike, y: ArrayLike, weights: ArrayLike, bias: float, *, start: int = 0, learning_rate: float = 1.0
) -> LearningStep:
    """Apply the rule once: from point ``start`` on (cyclically), fix the first misclassified point.

    Example:
        >>> step = learning_step([[1.0, 2.0]], [1], weights=[0.0, 0.0], bias=0.0)
        >>> step.weights, step.bias, step.index
        ((1.0, 2.0), 1.0, 0)
    """
    points = _points(x)
    w = _weights(weights, points.shape[1])
    b = _bias(bias)
    if not (isinstance(learning_rate, int | float) and math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(
            _("Expected a positive learning rate. Received {learning_rate}: use e.g. 1.0.").format(
                learning_rate=f"{learning_rate!r}"
            )
        )
    wrong = misclassified_points(points, y, w, b)
    n = len(points)
    order = (np.arange(n) + int(start)) % n
    candidates = order[wrong[order]]
    if candidates.size == 0:
        return LearningStep(tuple(float(v) for v in w), b, None, int(start) % n)
    index = int(candidates[0])
    target = int(_labels(y, n)[index])
    error = target - (1 if weighted_sum(points[index], w, b)[0] > 0 else 0)  # +1 or −1
    w = w + learning_rate * error * points[index]
    b = b + learning_rate * error
    return LearningStep(tuple(float(v) for v in w), float(b), index, (index + 1) % n, error)


def learning_state(weights: ArrayLike, bias: float, start: int) -> tuple[tuple[float, ...], float, int]:
    """Where the rule stands: the line and the next point to look at, rounded (0.1 + 0.2 ≠ 0.3 in floats).

    The rule is deterministic: if the same state comes back, it would go round in circles forever.

    Example:
        >>> learning_state([0.1 + 0.2, 1.0], 0.0, 3) == learning_state([0.3, 1.0], 0.0, 3)
        True
    """
    return (
        tuple(round(float(v), 9) for v in as_values(weights, _("the weights")).reshape(-1)),
        round(_bias(bias), 9),
        int(start),
    )


@dataclass(frozen=True)
class TrainResult:
    """What ``train`` found: the final line, how many updates it took, and whether it stopped."""

    weights: tuple[float, ...]
    bias: float
    converged: bool
    steps: int
    cycled: bool  # the same state came back: the rule would loop forever (the data is not separable)
    message: str


def train(
    x: ArrayLike,
    y: ArrayLike,
    weights: ArrayLike = (0.0, 0.0),
    bias: float = 0.0,
    *,
    learning_rate: float = 1.0,
    max_steps: int = 1000,
) -> TrainResult:
    """Apply ``learning_step`` until every point is right, the state repeats, or ``max_steps`` updates.

    The rule is deterministic, so if the same line and the same next point come back, it would
    repeat forever: that proves it cannot converge (as on XOR), and ``cycled`` is True.

    Example:
        >>> result = train(xor_dataset().x, xor_dataset().y)
        >>> result.converged, result.cycled
        (False, True)
    """
    points = _points(x)
    labels = _labels(y, len(points))
    w = tuple(float(v) for v in _weights(weights, points.shape[1]))
    b = _bias(bias)
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 0:
        raise ValueError(
            _("Expected a whole number of steps (0 or more). Received max_steps={max_steps}.").format(
                max_steps=f"{max_steps!r}"
            )
        )
    seen: set[tuple[tuple[float, ...], float, int]] = set()
    start = 0
    for steps in range(max_steps + 1):
        step = learning_step(points, labels, w, b, start=start, learning_rate=learning_rate)
        if step.converged:
            return TrainResult(
                w, b, True, steps, False, _("Converged after {steps} steps: every point is right.").format(steps=steps)
            )
        state = learning_state(w, b, start)
        if state in seen:
            return TrainResult(
                w, b, False, steps, True,
                _('Not converged: after {steps} steps the line came back to where it was, so the rule would loop forever. No straight line separates these points.').format(steps=steps),
            )  # fmt: skip
        if steps == max_steps:
            break
        seen.add(state)
        w, b, start = step.weights, step.bias, step.next_start
    left = int(misclassified_points(points, labels, w, b).sum())
    return TrainResult(
        w, b, False, max_steps, False,
        _('Not converged after {max_steps} steps: {left} points are still on the wrong side.').format(max_steps=max_steps, left=left),
    )  # fmt: skip


def decision_line(
    weights: ArrayLike, bias: float, x_limits: tuple[float, float], y_limits: tuple[float, float]
) -> tuple[FloatArray, FloatArray] | None:
    """Two end points of the line ``b + w₁x₁ + w₂x₂ = 0`` across the plot, or None when both weights are 0.

    Example:
        >>> xs, ys = decision_line([1.0, 1.0], -5.0, (0.0, 10.0), (0.0, 10.0))
        >>> xs.tolist(), ys.tolist()
        ([0.0, 10.0], [5.0, -5.0])
    """
    w1, w2 = _weights(weights, 2)
    b = _bias(bias)
    if abs(w2) > 1e-12 and abs(w2) >= abs(w1) * 1e-6:
        xs = np.array(x_limits, dtype=np.float64)
        return xs, -(b + w1 * xs) / w2
    if abs(w1) > 1e-12:
        ys = np.array(y_limits, dtype=np.float64)
        return np.full(2, -b / w1), ys
    return None

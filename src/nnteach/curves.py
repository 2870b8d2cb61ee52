"""What the loss and accuracy plots show, as plain data: points, axes, and a hint when empty.

UI-free: the widgets draw these with matplotlib, tests check them with NumPy. An empty plot
shows its real axes (epochs 1…N, loss from 0, accuracy 0–1) and a hint, not matplotlib's
default −0.04…0.04. A run stopped inside an epoch has a partial last epoch: its point sits
where training stopped (e.g. 1.18 for batch 340 of 1,875 in epoch 2) and is marked partial.

Example:
    >>> plan = training_curves({}, {}, epochs=5, batches_per_epoch=1875)
    >>> plan.xlim, plan.ylim["loss"], plan.ylim["accuracy"], plan.hint
    ((0.0, 5.05), (0.0, 2.5), (0.0, 1.0), 'Press Start: the curves appear here while the model learns.')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach.i18n import N_, _

__all__ = [
    "COMPARISON_HINT",
    "EMPTY_LOSS_TOP",
    "TRAINING_HINT",
    "ComparisonCurves",
    "Series",
    "TrainingCurves",
    "comparison_curves",
    "epoch_ticks",
    "training_curves",
]

#: The empty plots' hints, in English; a plan carries them in the current language.
TRAINING_HINT = N_("Press Start: the curves appear here while the model learns.")
COMPARISON_HINT = N_("No runs yet: press Run dropout experiment, or load a run log.")
#: Top of an empty loss axis: a 10-class model starts near ln(10) ≈ 2.3.
EMPTY_LOSS_TOP = 2.5

Points = NDArray[np.float64]


@dataclass(frozen=True)
class Series:
    """One line of a plot: x, y and its legend label."""

    label: str
    x: Points
    y: Points


@dataclass(frozen=True)
class TrainingCurves:
    """The two panels of TrainingMonitor: ``series[metric]`` holds running, per-epoch and validation lines.

    ``hint`` is in the language widgets speak when the plan is made.
    """

    series: dict[str, tuple[Series, Series, Series]]
    xlim: tuple[float, float]
    xticks: tuple[int, ...]
    ylim: dict[str, tuple[float, float]]
    partial_x: float | None
    hint: str


@dataclass(frozen=True)
class ComparisonCurves:
    """RunComparison's plot: one line per run that recorded the metric."""

    lines: tuple[Series, ...]
    xlim: tuple[float, float]
    xticks: tuple[int, ...]
    ylim: tuple[float, float]
    hint: str


def epoch_ticks(epochs: int, most: int = 10) -> tuple[int, ...]:
    """Whole-epoch ticks 1…``epochs``, at most ``most`` of them.

    Example:
        >>> epoch_ticks(3), epoch_ticks(100)[:3]
        ((1, 2, 3), (1, 11, 21))
    """
    step = max(1, math.ceil(epochs / most))
    return tuple(range(1, max(epochs, 1) + 1, step))


def _finite(values: Iterable[float]) -> list[float]:
    return [float(v) for v in values if math.isfinite(v)]


def training_curves(
    batch_history: Mapping[str, Sequence[float]],
    history: Mapping[str, Sequence[float]],
    *,
    epochs: int,
    batches_per_epoch: int,
    partial_batches: int = 0,
) -> TrainingCurves:
    """The running (per-batch) and per-epoch curves of one run, with its axes.

    ``partial_batches`` > 0 means the last history entry is a partial epoch of that many batches.

    Example:
        >>> plan = training_curves({"loss": [2.0, 1.0, 0.5]}, {"loss": [0.5]}, epochs=2, batches_per_epoch=2,
        ...                        partial_batches=0)
        >>> plan.series["loss"][0].x.tolist(), plan.series["loss"][1].x.tolist()
        ([0.5, 1.0, nan, 1.5], [1.0])
    """
    per_epoch = max(batches_per_epoch, 1)
    series: dict[str, tuple[Series, Series, Series]] = {}
    for metric in ("loss", "accuracy"):
        values = np.asarray(batch_history.get(metric, []), dtype=np.float64)
        positions = np.arange(1, len(values) + 1) / per_epoch
        breaks = np.arange(per_epoch, len(values), per_epoch)  # running means restart each epoch
        running = Series("training (running)", np.insert(positions, breaks, np.nan), np.insert(values, breaks, np.nan))
        per_epoch_lines = []
        for name, label in ((metric, "training, per epoch"), (f"val_{metric}", "validation (test set)")):
            points = np.asarray(history.get(name, []), dtype=np.float64)
            x = np.arange(1, len(points) + 1, dtype=np.float64)
            if partial_batches and len(x):
                x[-1] = len(x) - 1 + partial_batches / per_epoch
            per_epoch_lines.append(Series(label, x, points))
        series[metric] = (running, per_epoch_lines[0], per_epoch_lines[1])
    losses = _finite([*batch_history.get("loss", []), *history.get("loss", []), *history.get("val_loss", [])])
    top = max(losses) * 1.05 if losses else EMPTY_LOSS_TOP
    recent = list(batch_history.get("accuracy", []))[-per_epoch // 2 :]
    accuracies = _finite([*recent, *history.get("accuracy", []), *history.get("val_accuracy", [])])
    low = max(0.0, min([*accuracies, 0.9]) - 0.02) if accuracies else 0.0
    has_points = bool(len(batch_history.get("loss", [])) or history.get("loss"))
    partial_x = float(series["loss"][1].x[-1]) if partial_batches and len(series["loss"][1].x) else None
    return TrainingCurves(
        series=series,
        xlim=(0.0, max(epochs, 1) + 0.05),
        xticks=epoch_ticks(epochs),
        ylim={"loss": (0.0, top if top > 0 else EMPTY_LOSS_TOP), "accuracy": (low, 1.0)},
        partial_x=partial_x,
        hint="" if has_points else _(TRAINING_HINT),
    )


def comparison_curves(
    runs: Iterable[Any], metric: str, *, ylim: tuple[float, float] | None = None, epochs: int = 1
) -> ComparisonCurves:
    """One line per run (anything with ``name`` and ``history``) that recorded ``metric``.

    Accuracy axes go from just below the lowest value to 1, loss axes from 0; an empty plot
    spans epochs 1…``epochs`` and the metric's whole range, with a hint.

    Example:
        >>> from types import SimpleNamespace as Run
        >>> plan = comparison_curves([Run(name="a", history={"loss": [0.4, 0.2]})], "loss")
        >>> [line.label for line in plan.lines], plan.xlim, plan.xticks
        (['a'], (0.5, 2.5), (1, 2))
    """
    lines = []
    seen: list[float] = []
    longest = 0
    for run in runs:
        values = run.history.get(metric)
        if not values:
            continue
        lines.append(Series(run.name, np.arange(1, len(values) + 1, dtype=np.float64), np.asarray(values, float)))
        seen += _finite(values)
        longest = max(longest, len(values))
    span = longest or max(epochs, 1)
    accuracy = "accuracy" in metric
    if ylim is not None:
        limits = ylim
    elif seen and accuracy:
        limits = (max(0.0, math.floor(min(seen) * 20) / 20 - 0.01), 1.0)
    elif seen:
        limits = (0.0, max(seen) * 1.05 if max(seen) > 0 else EMPTY_LOSS_TOP)
    else:
        limits = (0.0, 1.0) if accuracy else (0.0, EMPTY_LOSS_TOP)
    return ComparisonCurves(
        lines=tuple(lines),
        xlim=(0.5, span + 0.5),
        xticks=epoch_ticks(span),
        ylim=limits,
        hint="" if lines else _(COMPARISON_HINT),
    )

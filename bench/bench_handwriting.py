"""Reading drawn digits: accuracy on the evaluation sets, and the time from stroke to probabilities.

Accuracy of the packaged reference MLP on MNIST's test set (raw pixels, as Keras evaluates it)
and on the drawn sets of ``bench/handwriting_sets.py`` (frozen files: MNIST test digits
re-drawn four ways, mouse drawings from Chromium), each through the canvas' pipeline
(``strokes_to_mnist`` with its defaults: stroke width normalised, deskewed) and, as the baseline
in the same run, through the plain raster pipeline (``normalize_width=False, deskew=False``:
crop, fit 20×20, centre). The model packaged before the retraining (read from git, ``PREVIOUS``) is measured
beside it when git is there. Timing: the stroke-end work of the kernel (preprocess the
drawing, forward pass) with the canvas' pipeline, against the raster pipeline as DigitCanvas
ran it before (rasterize the new stroke into the kept 280 px image, ``to_mnist``), same
drawings, same run.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench._common import Result
from bench.handwriting_sets import KINDS, Drawing, mouse, redrawn

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS = "0462411"  # the last commit with the reference MLP trained on MNIST alone (97.87 %)
TARGET = 0.97
MNIST_TARGET = 0.978


def _previous_model() -> Any | None:
    """The reference MLP as packaged at ``PREVIOUS`` (None without git or that commit)."""
    from nnteach.models import NumpyModel

    try:
        blob = subprocess.run(
            ["git", "show", f"{PREVIOUS}:src/nnteach/_weights/reference_mlp.npz"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
        metadata = json.loads(str(npz["metadata"]))
        layers = tuple(
            (npz[f"kernel_{i}"].astype(np.float32), npz[f"bias_{i}"].astype(np.float32), str(a))
            for i, a in enumerate(metadata["activations"])
        )
    return NumpyModel(name="previous", layers=layers, dropout=0.2, metadata=metadata)


def _images(drawings: list[Drawing], **options: Any) -> np.ndarray:
    from nnteach.preprocess import strokes_to_mnist

    return np.stack([strokes_to_mnist(d.strokes, 280, d.width, **options) for d in drawings])


def _accuracy(model: Any, images: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(model.predict(images).argmax(axis=1) == labels))


def _accuracies() -> list[Result]:
    from nnteach.data import load_mnist
    from nnteach.models import reference_mlp

    model, previous = reference_mlp(), _previous_model()
    _, (x_test, y_test) = load_mnist()
    mnist = _accuracy(model, x_test, y_test)
    results = [
        Result(
            "MNIST test set (10,000), reference MLP",
            mnist * 100,
            "%",
            baseline="model before retraining" if previous else None,
            baseline_value=_accuracy(previous, x_test, y_test) * 100 if previous else None,
            target=f">= {MNIST_TARGET:.1%}",
            ok=mnist >= MNIST_TARGET,
        )
    ]
    sets: dict[str, list[Drawing]] = {f"re-drawn MNIST, {kind}": list(redrawn(kind)) for kind in KINDS}
    sets["mouse drawings in Chromium"] = mouse()
    for name, drawings in sets.items():
        labels = np.array([d.label for d in drawings])
        canvas = _images(drawings)
        raster = _images(drawings, normalize_width=False, deskew=False)
        slanted = _images(drawings, deskew=False)
        accuracy = _accuracy(model, canvas, labels)
        notes = [
            f"{len(drawings)} drawings",
            f"deskew=False {_accuracy(model, slanted, labels):.1%}",
        ]
        if previous is not None:
            notes.append(
                f"model before retraining: {_accuracy(previous, slanted, labels):.1%} "
                f"(raster pipeline {_accuracy(previous, raster, labels):.1%})"
            )
        redrawn_set = name.startswith("re-drawn")
        results.append(
            Result(
                f"{name}: reference MLP, canvas pipeline",
                accuracy * 100,
                "%",
                baseline="raster pipeline (no width normalisation)",
                baseline_value=_accuracy(model, raster, labels) * 100,
                target=f">= {TARGET:.0%}" if redrawn_set else None,
                ok=accuracy >= TARGET if redrawn_set else None,
                note="; ".join(notes),
            )
        )
    return results


def _median_ms(action: Callable[[int], object], count: int, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        for i in range(count):
            start = time.perf_counter()
            action(i)
            samples.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(samples)


def _timing() -> list[Result]:
    from nnteach.models import reference_mlp
    from nnteach.preprocess import clean_stroke, rasterize_stroke, strokes_to_image, strokes_to_mnist, to_mnist

    model = reference_mlp()
    drawings = [d for d in mouse() if d.width == 18.0]
    strokes = [tuple(clean_stroke(s, 280) for s in d.strokes) for d in drawings]
    # What DigitCanvas kept before: the 280 px raster of every stroke but the last.
    kept = [strokes_to_image(s[:-1], 280, 18.0) for s in strokes]

    def before(i: int) -> None:
        raster = kept[i].copy()  # the copy is not part of the old handler: measured apart below
        rasterize_stroke(raster, strokes[i][-1], 18.0)
        model.predict(to_mnist(raster))

    def now(i: int) -> None:
        model.predict(strokes_to_mnist(strokes[i], 280, 18.0))

    n = len(drawings)
    copy_ms = _median_ms(lambda i: kept[i].copy(), n)
    old_ms = _median_ms(before, n) - copy_ms
    new_ms = _median_ms(now, n)
    return [
        Result(
            "stroke end -> probabilities, preprocessing + forward pass",
            new_ms,
            "ms",
            baseline="the raster pipeline DigitCanvas ran before",
            baseline_value=old_ms,
            target="<= 1.5x baseline",
            ok=new_ms <= 1.5 * old_ms,
            note=f"median over {n} mouse drawings x 5, default brush",
        )
    ]


def run() -> list[Result]:
    return [*_timing(), *_accuracies()]

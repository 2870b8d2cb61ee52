"""Training overhead of TrainingMonitor vs bare ``model.fit``, and seconds per epoch of the seed MLP.

Same model (seed MLP, same initial weights), same data, batch size and seed, validation on the
test set in both. The monitor's extra work is progress, curves and the stop check between batches.
"""

from __future__ import annotations

import statistics
import time

from bench._common import Result


def _fit_seconds(data: tuple, n: int, batch_size: int) -> float:
    from nnteach.training import seed_mlp

    (x_train, y_train), (x_test, y_test) = data
    model = seed_mlp(seed=0)
    x, y = x_train[:n] / 255, y_train[:n]
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, validation_data=(x_test / 255, y_test))
    return time.perf_counter() - start


def _monitor_seconds(data: tuple, n: int, batch_size: int) -> float:
    from nnteach.widgets import TrainingMonitor

    monitor = TrainingMonitor(epochs=1, batch_size=batch_size, subset=n, seed=0, data=data)
    monitor._evaluate = lambda *_: None  # type: ignore[method-assign]  # time training only, as fit does
    start = time.perf_counter()
    monitor.start()
    elapsed = time.perf_counter() - start
    assert monitor.state == "done", monitor.errors.message
    return elapsed


def run() -> list[Result]:
    from nnteach.data import load_mnist

    data = load_mnist()
    results = []
    n = 20_000
    fit_times, monitor_times = [], []
    _fit_seconds(data, 2000, 32)  # warm up TensorFlow
    for _ in range(3):  # interleaved, so a busy machine slows both alike
        fit_times.append(_fit_seconds(data, n, 32))
        monitor_times.append(_monitor_seconds(data, n, 32))
    fit_s, monitor_s = statistics.median(fit_times), statistics.median(monitor_times)
    results.append(
        Result(
            figure=f"TrainingMonitor epoch, {n:,} images, batch 32 (+ validation)",
            value=monitor_s,
            unit="s",
            baseline="model.fit, same model/data/batch/seed",
            baseline_value=fit_s,
            target="ratio <= 1.10",
            ok=monitor_s / fit_s <= 1.10,
            note="median of 3 interleaved runs each",
        )
    )
    for batch_size in (32, 128):
        seconds = statistics.median(_monitor_seconds(data, 60_000, batch_size) for _ in range(2))
        results.append(
            Result(
                figure=f"seed MLP epoch on 60,000 images, batch {batch_size} (monitor, + validation)",
                value=seconds,
                unit="s",
                note="median of 2",
            )
        )
    return results

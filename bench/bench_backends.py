"""Keras backends, TensorFlow against JAX: the figures that chose the backend of hosted lesson kernels.

Each backend runs in a fresh process with ``KERAS_BACKEND`` set and hosted mode's threads
(``NNTEACH_HOSTED=1``: one XLA thread, or one intra-op and one inter-op TensorFlow thread, as
on a class server), interleaved (TF, JAX, TF, JAX) so a busy machine slows both alike; the
median of the rounds is reported, TensorFlow is the baseline. One process measures: the time
of ``import keras``, the seed MLP's first epoch (60,000 images, batch 32, compiling included),
a later epoch on 20,000 images at batch 32 and at batch 128, TrainingMonitor's epoch against
plain ``model.fit`` (5,000 images, batch 32, + validation), how long a Stop takes to end a
run, and its peak RSS (``ru_maxrss``).

"Lesson 4 kernel after training" runs in a real Jupyter kernel started as Voila starts a
class server's kernels (``NNTEACH_HOSTED=1``, ``VOILA_BASE_URL``): lesson 4's code cells, then
the seed MLP trained within the hosted caps (5 epochs, 10,000 images, batch 32, validation)
and evaluated with ``model.evaluate`` and ``accuracy_score``; its peak RSS (``VmHWM``) is the
figure. The JAX kernel gets no ``KERAS_BACKEND``: nnteach chooses it there by itself.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench._common import Result

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("tensorflow", "jax")
ROUNDS = 2
KERNEL_ROUNDS = 3  # a memory figure, but JAX's compile peaks vary by ~40 MB run to run: the median of 3
LESSON_4_MB = 600  # the target for a hosted lesson 4 kernel after training

_WORKER = "from bench.bench_backends import _worker; _worker()"


def _worker() -> None:  # runs in the child process
    import asyncio
    import resource
    import time

    start = time.perf_counter()
    from nnteach._tf import import_keras

    keras = import_keras()
    figures: dict[str, Any] = {"backend": keras.backend.backend(), "import_s": time.perf_counter() - start}
    from nnteach.data import load_mnist
    from nnteach.training import TrainingRun, seed_mlp
    from nnteach.widgets import TrainingMonitor

    data = load_mnist()
    (x_train, y_train), (x_test, y_test) = data
    x, x_val = x_train / 255, x_test / 255

    def fit(n: int, batch_size: int, model: Any = None) -> float:
        model = model or seed_mlp(seed=0)
        begin = time.perf_counter()
        model.fit(x[:n], y_train[:n], batch_size=batch_size, epochs=1, verbose=0, validation_data=(x_val, y_test))
        return time.perf_counter() - begin

    model = seed_mlp(seed=0)
    figures["first_epoch_s"] = fit(60_000, 32, model)
    figures["epoch_32_s"] = fit(20_000, 32, model)
    figures["epoch_128_s"] = fit(20_000, 128, model)

    def monitored(n: int) -> float:
        monitor = TrainingMonitor(epochs=1, batch_size=32, subset=n, seed=0, data=data)
        monitor._evaluate = lambda *_: None  # time training only, as fit does
        begin = time.perf_counter()
        monitor.start()
        elapsed = time.perf_counter() - begin
        if monitor.state != "done":
            raise RuntimeError(monitor.errors.message)
        monitor.close()
        return elapsed

    fit(1000, 32)
    monitored(1000)  # both compiled once before timing
    fits, monitors = [], []
    for _ in range(2):
        fits.append(fit(5000, 32))
        monitors.append(monitored(5000))
    figures["fit_5k_s"], figures["monitor_5k_s"] = statistics.median(fits), statistics.median(monitors)

    async def stop_latency(model: Any) -> float:
        run = TrainingRun(model, epochs=1, subset=10_000, seed=0, data=data)
        loop = asyncio.get_running_loop()
        asked: list[float] = []

        def ask() -> None:
            asked.append(time.perf_counter())
            run.stop()

        run.on_batch = lambda r: r.batches_done == 3 and loop.call_later(0.3, ask)
        await run.start()
        return (run.finished_at or 0.0) - asked[0]

    latency_model = seed_mlp(seed=0)
    figures["stop_ms"] = 1000 * statistics.median(asyncio.run(stop_latency(latency_model)) for _ in range(3))
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def _run_worker(backend: str) -> dict[str, Any]:
    env = {**os.environ, "KERAS_BACKEND": backend, "NNTEACH_HOSTED": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", _WORKER], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{backend} worker failed:\n{result.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    if figures["backend"] != backend:
        raise RuntimeError(f"asked for {backend}, Keras ran on {figures['backend']}")
    return figures


_LESSON_4_TRAINING = """
import resource
from nnteach._tf import chosen_backend
from nnteach.training import TrainingRun, seed_mlp
from nnteach.evaluation import accuracy_two_ways
from nnteach.hosting import hosted_limits
caps = hosted_limits()
run = TrainingRun(seed_mlp(seed=0), epochs=5, batch_size=32, subset=caps.max_subset, seed=0)
history = run.run()
by_evaluate, by_sklearn = accuracy_two_ways(run.model, x_test, y_test)
print("@@", chosen_backend(), caps.max_subset, round(by_evaluate, 4), round(by_sklearn, 4), round(history["val_accuracy"][-1], 4))
"""


def _lesson_4_kernel(backend: str | None) -> dict[str, Any]:
    """Peak RSS of a hosted lesson 4 kernel that ran the lesson, trained within the caps and evaluated."""
    import nbformat
    import psutil
    from jupyter_client.manager import KernelManager

    notebook = nbformat.read(ROOT / "lessons" / "04_multilayer_perceptron.ipynb", as_version=4)
    cells = ["".join(cell.source) for cell in notebook.cells if cell.cell_type == "code"]
    env = {**os.environ, "NNTEACH_HOSTED": "1", "VOILA_BASE_URL": "/", "PYTHONPATH": str(ROOT)}
    env.pop("KERAS_BACKEND", None)
    env.pop("NNTEACH_QUICK", None)
    if backend is not None:
        env["KERAS_BACKEND"] = backend
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(env=env, cwd=str(ROOT / "lessons"))
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        printed: list[str] = []

        def hook(message: dict[str, Any]) -> None:
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                raise RuntimeError("\n".join(message["content"]["traceback"])[-2000:])

        for code in [*cells, _LESSON_4_TRAINING]:
            reply = client.execute_interactive(code, timeout=1200, output_hook=hook)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"lesson 4 cell failed: {reply['content'].get('evalue')}")
        line = next(text for text in "".join(printed).splitlines() if text.startswith("@@"))
        _, chosen, subset, by_evaluate, by_sklearn, val = line.split()
        process = psutil.Process(manager.provisioner.process.pid)  # type: ignore[union-attr]
        status = Path(f"/proc/{process.pid}/status").read_text()
        peak = next(int(row.split()[1]) for row in status.splitlines() if row.startswith("VmHWM")) / 1024
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return {"backend": chosen, "subset": int(subset), "peak_mb": peak, "accuracy": (by_evaluate, by_sklearn, val)}


def run() -> list[Result]:
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in BACKENDS}
    kernels: dict[str, list[dict[str, Any]]] = {name: [] for name in BACKENDS}
    for _ in range(ROUNDS):  # A B A B
        for backend in BACKENDS:
            rounds[backend].append(_run_worker(backend))
            print(f"    {backend}: {rounds[backend][-1]}", flush=True)
    for _ in range(KERNEL_ROUNDS):
        for backend in BACKENDS:
            kernel = _lesson_4_kernel("tensorflow" if backend == "tensorflow" else None)
            if kernel["backend"] != backend:
                raise RuntimeError(f"the hosted lesson kernel ran on {kernel['backend']}, expected {backend}")
            kernels[backend].append(kernel)
            print(f"    lesson 4 kernel, {backend}: {kernel}", flush=True)
    return _results(rounds, kernels)


_FIGURES = (
    ("import_s", "import keras", "s"),
    ("first_epoch_s", "seed MLP first epoch, 60,000 images, batch 32 (+ validation)", "s"),
    ("epoch_32_s", "seed MLP later epoch, 20,000 images, batch 32 (+ validation)", "s"),
    ("epoch_128_s", "seed MLP later epoch, 20,000 images, batch 128 (+ validation)", "s"),
    ("stop_ms", "Stop -> run ended", "ms"),
    ("peak_rss_mb", "peak RSS of the process after all of the above", "MB"),
)


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(row[key] for row in rows))


def _results(rounds: dict[str, list[dict[str, Any]]], kernels: dict[str, list[dict[str, Any]]]) -> list[Result]:
    results = []
    tf, jax = rounds["tensorflow"], rounds["jax"]
    for key, what, unit in _FIGURES:
        base = _median(tf, key)
        results.append(Result(f"TensorFlow: {what}", base, unit, note=f"median of {len(tf)} runs (baseline)"))
        results.append(
            Result(
                f"JAX: {what}",
                _median(jax, key),
                unit,
                baseline="TensorFlow, same figure",
                baseline_value=base,
                note=f"median of {len(jax)} runs, interleaved with TensorFlow's",
            )
        )
    for name, rows in rounds.items():
        ratio = _median(rows, "monitor_5k_s") / _median(rows, "fit_5k_s")
        results.append(
            Result(
                f"{'JAX' if name == 'jax' else 'TensorFlow'}: TrainingMonitor epoch, 5,000 images, batch 32",
                _median(rows, "monitor_5k_s"),
                "s",
                baseline="model.fit, same model/data/batch/seed",
                baseline_value=_median(rows, "fit_5k_s"),
                target="ratio <= 1.10",
                ok=ratio <= 1.10,
                note="median of 2 interleaved runs per process, median over processes",
            )
        )
    base = _median(kernels["tensorflow"], "peak_mb")
    results.append(
        Result(
            "lesson 4 kernel after training (hosted caps) + evaluation, TensorFlow",
            base,
            "MB",
            note=f"KERAS_BACKEND=tensorflow; accuracies {[k['accuracy'] for k in kernels['tensorflow']]}",
        )
    )
    peak = _median(kernels["jax"], "peak_mb")
    results.append(
        Result(
            "lesson 4 kernel after training (hosted caps) + evaluation, as served (JAX)",
            peak,
            "MB",
            baseline="the same kernel on TensorFlow",
            baseline_value=base,
            target=f"<= {LESSON_4_MB} MB",
            ok=peak <= LESSON_4_MB,
            note="VmHWM of a real kernel; 5 epochs x 10,000 images, batch 32, validation, then model.evaluate and "
            f"accuracy_score; accuracies {[k['accuracy'] for k in kernels['jax']]}",
        )
    )
    return results

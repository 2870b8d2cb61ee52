"""Memory: peak RSS of one Voila kernel per lesson, and culled kernels giving their memory back.

For every page of ``lessons/`` (served from a copy whose ``voila.json`` only shrinks the cull
timeouts, so culling can be watched): load it in headless Chromium until interactive (see
``bench/_voila.py``), read the kernel process's peak RSS (``VmHWM``), perform the lesson's main
interaction as a learner would (press Learn, move a slider, evaluate with Keras, train, run the
dropout experiment, draw a digit; Voila runs with ``NNTEACH_QUICK=1`` so training is tiny) and
read the peak again, with whether the kernel has TensorFlow loaded. With every tab still open,
the machine's available memory is read; then the tabs close, idle
culling (``cull_idle_timeout`` of a few seconds here, minutes in class) shuts the kernels down,
and the benchmark checks that their processes are gone and the machine's available memory came
back. The baseline is the same server's bare ipywidgets page.
"""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from bench import _voila
from bench._common import Result
from bench.bench_voila import BASELINE, BASELINE_TEXT, _write_baseline

IDLE_S = 5
SLOW_MS = 240_000  # training and Keras on 2 shared cores


def _set_slider(page: Any, description: str, value: str) -> None:
    slider = page.locator(".widget-slider", has=page.locator("label", has_text=description)).first
    slider.locator(".widget-readout").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def _learn(page: Any) -> None:
    status = page.locator(".nnteach-perceptron-view .nnteach-learn-status").first
    before = status.inner_text()
    page.locator(".nnteach-perceptron-view .nnteach-learn-button").first.click()
    page.wait_for_function("([e, old]) => e.innerText !== old", arg=[status.element_handle(), before])


def _browse(page: Any) -> None:
    _set_slider(page, "image #", "1")
    page.locator(".nnteach-digit-caption", has_text="label 0").wait_for()


def _evaluate(page: Any) -> None:
    page.get_by_role("button", name="Check with accuracy_score and model.evaluate").click()
    page.get_by_text("model.evaluate: 0.9").first.wait_for(timeout=SLOW_MS)


def _train(page: Any) -> None:
    page.locator("button.nnteach-train-start").first.click()
    page.get_by_text("State: done").first.wait_for(timeout=SLOW_MS)


def _neuron(page: Any) -> None:
    _set_slider(page, "input x", "-2")
    page.locator(".nnteach-neuron-output", has_text="relu(z) = 0.000").wait_for()


def _experiment(page: Any) -> None:
    mine = page.locator(".nnteach-run-comparison").nth(1)
    mine.locator(".nnteach-compare-start").click()
    mine.locator(".nnteach-compare-progress", has_text="Done: 5 runs").wait_for(timeout=SLOW_MS)


def _draw(page: Any) -> None:
    canvas = page.locator(".nnteach-digit-canvas").first
    box = canvas.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x, box["y"] + box["height"] * (0.2 + 0.06 * step))
    page.mouse.up()
    page.locator(".nnteach-prediction", has_text="1").first.wait_for(timeout=30_000)


INTERACTIONS: dict[str, tuple[str, Callable[[Any], None]] | None] = {
    BASELINE: None,
    "index.ipynb": None,
    "01_perceptron.ipynb": ("press Learn", _learn),
    "02_mnist_data.ipynb": ("move the image slider", _browse),
    "03_softmax_regression.ipynb": ("check with model.evaluate", _evaluate),
    "04_multilayer_perceptron.ipynb": ("train the MLP (quick)", _train),
    "05_activation_functions.ipynb": ("move the neuron's slider", _neuron),
    "06_dropout_and_overfitting.ipynb": ("run the dropout experiment (quick)", _experiment),
    "07_draw_your_digit.ipynb": ("draw a 1", _draw),
}


def _available_mb() -> float:
    return psutil.virtual_memory().available / 2**20


def run() -> list[Result]:
    work = Path(tempfile.mkdtemp(prefix="nnteach-bench-memory-"))
    folder = _voila.copy_lessons(work, {"MappingKernelManager": {"cull_idle_timeout": IDLE_S, "cull_interval": 1}})
    _write_baseline(folder)
    texts = {BASELINE: BASELINE_TEXT, **_voila.LESSONS}
    measured: dict[str, dict[str, Any]] = {}
    server = _voila.serve(folder, work)
    try:
        with _voila.chromium() as browser:
            context = _voila.new_context(browser)
            before = _available_mb()
            processes, pages = [], []
            for name, interaction in INTERACTIONS.items():
                page = _voila.new_page(context, texts[name])
                load = _voila.load_until_interactive(page, server, name)
                process = _voila.kernel_process(load.kernel_id)
                if process is None:
                    raise RuntimeError(f"{name}: no process found for kernel {load.kernel_id}")
                row = {"ready": _voila.peak_rss_mb(process), "tf_ready": _voila.uses_tensorflow(process)}
                if interaction is not None:
                    interaction[1](page)
                row |= {
                    "after": _voila.peak_rss_mb(process),
                    "uss": process.memory_full_info().uss / 2**20,
                    "tf": _voila.uses_tensorflow(process),
                }
                measured[name] = row
                processes.append(process)
                pages.append(page)  # open tabs are never culled (cull_connected is false)
            held = sum(row["uss"] for row in measured.values())
            while_open = _available_mb()
            for page in pages:
                page.close()  # the websocket closes as when a learner closes the tab
            gone = _voila.wait_until(lambda: not any(p.is_running() for p in processes), timeout_s=IDLE_S + 60)
            after = _available_mb()
            left = sum(p.is_running() for p in processes)
            context.close()
    finally:
        _voila.stop_voila(server)
    return _results(measured, held=held, before=before, while_open=while_open, after=after, gone=gone, left=left)


def _results(
    measured: dict[str, dict[str, Any]], *, held: float, before: float, while_open: float, after: float, **cull: Any
) -> list[Result]:
    base = measured[BASELINE]["after"]
    results = [Result("bare ipywidgets page: kernel peak RSS (baseline)", base, "MB", note="VmHWM of the kernel")]
    for name in _voila.LESSONS:
        row, interaction = measured[name], INTERACTIONS[name]
        what = interaction[0] if interaction else "no interaction"
        results.append(
            Result(
                f"{name.removesuffix('.ipynb')}: kernel peak RSS after '{what}'",
                row["after"],
                "MB",
                baseline="bare page",
                baseline_value=base,
                note=(
                    f"{row['ready']:.0f} MB when interactive; TensorFlow: "
                    f"{'loaded by the interaction' if row['tf'] and not row['tf_ready'] else 'at load' if row['tf'] else 'no'}"
                ),
            )
        )
    tf_rows = [row["after"] for name, row in measured.items() if row["tf"]]
    numpy_rows = [row["after"] for name, row in measured.items() if not row["tf"] and name != BASELINE]
    if tf_rows:
        results.append(Result("TensorFlow lessons: median kernel peak RSS", statistics.median(tf_rows), "MB"))
    if numpy_rows:
        results.append(Result("NumPy-only lessons: median kernel peak RSS", statistics.median(numpy_rows), "MB"))
    results.append(
        Result(
            f"kernels still running {IDLE_S} s idle + culling after their tabs closed",
            float(cull["left"]),
            "kernels",
            target="0",
            ok=cull["gone"] and cull["left"] == 0,
            note=f"{len(measured)} pages; their kernels held {held:.0f} MB of their own (USS) before culling",
        )
    )
    returned = after - while_open
    results.append(
        Result(
            "machine memory given back by culling (MemAvailable)",
            returned,
            "MB",
            baseline="memory only the kernels held (USS)",
            baseline_value=held,
            target=">= 75% of it",
            ok=returned >= 0.75 * held,
            note=f"available: {before:.0f} MB before the pages, {while_open:.0f} open, {after:.0f} after culling; "
            "other processes on the machine add noise",
        )
    )
    return results

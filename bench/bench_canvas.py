"""DigitCanvas latency: stroke end to probabilities, in the kernel and in a real browser.

In-kernel: the mouse-up event handler (rasterize the stroke, normalize like MNIST, predict with
the reference model, update traits, preview and bars), next to the bare NumPy forward pass and
``keras.Model.predict`` on the same image, all measured in this run.
Browser: Voila + headless Chromium, Playwright draws 30 strokes; mouse-up (page clock) until the
kernel's "Prediction: ..." text is in the DOM (a MutationObserver, page clock).
"""

from __future__ import annotations

import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._common import Result, median_ms, p95

ROOT = Path(__file__).resolve().parents[1]
STROKES = 30
ONE = [(140.0, 45.0 + 10.0 * i) for i in range(20)]
RING = [(140 + 60 * math.sin(2 * math.pi * i / 36), 140 - 95 * math.cos(2 * math.pi * i / 36)) for i in range(37)]


def _event(canvas: Any, event: str, x: float, y: float) -> None:
    canvas.canvas._handle_frontend_event(None, {"event": event, "x": x, "y": y}, [])


def _in_kernel() -> list[Result]:
    from nnteach._tf import import_keras
    from nnteach.models import reference_mlp
    from nnteach.widgets import DigitCanvas

    canvas = DigitCanvas()
    samples, cpu = [], []
    for repeat in range(60):
        canvas.clear()
        points = RING if repeat % 2 else ONE
        _event(canvas, "mouse_down", *points[0])
        for point in points[1:]:
            _event(canvas, "mouse_move", *point)
        start, start_cpu = time.perf_counter(), time.thread_time()
        _event(canvas, "mouse_up", *points[-1])
        samples.append((time.perf_counter() - start) * 1000.0)
        cpu.append((time.thread_time() - start_cpu) * 1000.0)
        assert canvas.prediction == (0 if repeat % 2 else 1), canvas.probabilities
    stroke_end = statistics.median(samples[5:])
    image = canvas.image[None]
    numpy_model = reference_mlp()
    numpy_ms = median_ms(lambda: numpy_model.predict(image), repeat=200)
    keras = import_keras()
    keras_model = numpy_model.to_keras()
    tensor = keras.ops.convert_to_tensor(image)
    predict_ms = median_ms(lambda: keras_model.predict(image, verbose=0), repeat=30)
    direct_ms = median_ms(lambda: keras_model(tensor, training=False), repeat=100)
    return [
        Result(
            "stroke end -> probabilities (in kernel, reference MLP)",
            stroke_end,
            "ms",
            baseline="keras.Model.predict",
            baseline_value=predict_ms,
            target="< 5 ms",
            ok=stroke_end < 5.0,
            note=f"p95 {p95(samples[5:]):.2f} ms over {len(samples) - 5} strokes",
        ),
        Result(
            "stroke end -> probabilities, CPU time of the handler",
            statistics.median(cpu[5:]),
            "ms",
            note="thread CPU time: what the wall time is when the machine is not shared",
        ),
        Result("bare NumPy forward pass (same image)", numpy_ms, "ms", note="reference_mlp().predict"),
        Result("keras.Model.predict (same image)", predict_ms, "ms", note="per-call overhead, tf#40261"),
        Result("direct Keras call model(x, training=False)", direct_ms, "ms", note="what as_predictor uses"),
    ]


def _in_browser() -> list[Result]:
    if not Path("/usr/bin/chromium").exists():
        return [Result("mouse-up -> prediction in DOM (browser)", float("nan"), "ms", note="no /usr/bin/chromium")]
    sys.path.insert(0, str(ROOT / "tests" / "ui"))
    from playwright.sync_api import sync_playwright
    from ui_helpers import start_voila, stop_voila  # type: ignore[import-not-found]

    work = Path(tempfile.mkdtemp(prefix="nnteach-bench-"))
    server = start_voila(ROOT / "widgets", work / "voila.log", {"NNTEACH_WORKDIR": str(work)})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            samples = _browser_strokes(page, server.render_url("digit_canvas.ipynb"))
            browser.close()
    finally:
        stop_voila(server)
    median, worst = statistics.median(samples), p95(samples)
    return [
        Result(
            "mouse-up -> prediction in DOM, p95 (Voila + Chromium)",
            worst,
            "ms",
            target="< 150 ms",
            ok=worst < 150.0,
            note=f"{len(samples)} strokes",
        ),
        Result(
            "mouse-up -> prediction in DOM, median (Voila + Chromium)", median, "ms", note=f"{len(samples)} strokes"
        ),
    ]


_WATCH = """() => {
  window.__up = null; window.__done = null;
  document.addEventListener('mouseup', () => { window.__up = performance.now(); }, {capture: true, once: true});
  const target = document.querySelector('.nnteach-prediction');
  const observer = new MutationObserver(() => {
    if (window.__done === null && target.innerText.includes('Prediction:')) {
      window.__done = performance.now(); observer.disconnect();
    }
  });
  observer.observe(target, {subtree: true, childList: true, characterData: true});
}"""


def _browser_strokes(page: Any, url: str) -> list[float]:
    page.goto(url)
    page.get_by_text("Draw a digit").first.wait_for(timeout=120_000)
    box = page.locator(".nnteach-digit-canvas").first.bounding_box()
    samples = []
    for index in range(STROKES + 3):  # the first strokes warm up the page and the kernel
        page.locator(".nnteach-clear").click()
        page.get_by_text("Draw a digit").first.wait_for()
        page.evaluate(_WATCH)
        points = RING if index % 2 else ONE
        page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.up()
        page.wait_for_function("window.__done !== null && window.__up !== null", timeout=30_000)
        if index >= 3:
            samples.append(float(page.evaluate("window.__done - window.__up")))
    return samples


def run() -> list[Result]:
    return [*_in_kernel(), *_in_browser()]

"""A class arrives at once (issue 19, part 1): request -> interactive, with warm kernel pools and without.

The same arrival twice, on fresh ``nnteach serve --class`` servers in the same run:

* **cold**: every page starts its kernel and runs its lesson when it is asked for (the baseline);
* **warm**: ``{"ClassVoila": {"warm": "07_draw_your_digit=15,05_activation_functions=15"}}`` in the
  served ``voila.json`` (what ``nnteach serve --warm`` sets); the pools fill before the class comes.

30 learners arrive within 5 seconds (evenly spread, lessons alternating): 27 speak the Jupyter
widget protocol from Python (``bench/_class_sim.py``), 3 are tabs of one headless Chromium (2 on
lesson 5, 1 on lesson 7), driven from a process of their own with no request routing (a learner's
browser shares no Python interpreter with the other learners). "Interactive" is measured from the page request
to the first interaction answered: for a protocol learner, the page received, its widgets'
states read and one slider move / stroke answered by the kernel; for a Chromium tab, the readout
widget visible and one key press / stroke answered in the DOM. Each protocol learner then
interacts 10 more times at once, while the others arrive and the pools refill behind them: that
p95 is compared with the cold run's, where nothing refills. Memory per warm kernel is RSS, read before the class arrives.
"""

from __future__ import annotations

import multiprocessing
import queue
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil

from bench._class_sim import CanvasLearner, ClassServer, Learner, SliderLearner, start_class_server
from bench._common import Result, p95

CLASS, SPREAD_S = 30, 5.0
CHROMIUM = ("05_activation_functions.ipynb", "05_activation_functions.ipynb", "07_draw_your_digit.ipynb")
LESSON_5, LESSON_7 = "05_activation_functions.ipynb", "07_draw_your_digit.ipynb"
# One warm kernel per arriving learner of each lesson (protocol learners alternate lesson 5 and 7;
# the Chromium tabs are CHROMIUM): a teacher sizes the pools to the class.
_LESSON_5_COUNT = (CLASS - len(CHROMIUM) + 1) // 2 + CHROMIUM.count("05_activation_functions.ipynb")
WARM = f"07_draw_your_digit={CLASS - _LESSON_5_COUNT},05_activation_functions={_LESSON_5_COUNT}"
MOVES = 10
TARGET_S = 4.0


_NUMBER = re.compile(r"[-\u2212]?\d+(?:[.,]\d+)?")


def _numbers(text: str) -> list[float]:
    """The numbers in a readout, whatever the language writes (``−4.500``, ``-4,5``)."""
    return [float(token.replace("\u2212", "-").replace(",", ".")) for token in _NUMBER.findall(text)]


class _Slider(SliderLearner):
    """Lesson 5's "input x" slider; the answer is the readout showing the new x, however it is written."""

    def interact(self, step: int) -> float:
        x = round(-4.5 + 0.3 * (step % 30), 2)
        return self.timed(
            self.slider,
            {"method": "update", "state": {"value": x}, "buffer_paths": []},
            self.readout,
            lambda value: any(abs(number - x) < 1e-6 for number in _numbers(str(value))),
        )


def _press_slider(page: Any) -> None:
    """One key press on lesson 5's "input x" slider in Chromium; returns once the readout has changed."""
    readout = page.locator(".nnteach-neuron-output").first
    before = readout.inner_text()
    page.locator(".widget-slider", has_text="input x").locator(".noUi-handle").press("ArrowRight")
    page.wait_for_function(
        "before => document.querySelector('.nnteach-neuron-output').innerText !== before", arg=before, timeout=60_000
    )


def _settings(warm: bool) -> dict[str, dict[str, Any]]:
    settings: dict[str, dict[str, Any]] = {"ClassKernelManager": {"max_kernels": CLASS + 5}}
    if warm:
        settings["ClassVoila"] = {"warm": WARM}
    return settings


def _wait_for_pools(server: ClassServer, timeout_s: float = 900) -> float:
    """Seconds until both pools report full (read from the server's log)."""
    started = time.monotonic()
    wanted = [f"Kernel pool of {name}.ipynb is filled with {size} kernel(s)" for name, size in _pools()]
    while not all(text in server.log.read_text(errors="replace") for text in wanted):
        if time.monotonic() - started > timeout_s:
            raise RuntimeError(f"the warm pools did not fill within {timeout_s:g} s")
        time.sleep(1.0)
    return time.monotonic() - started


def _pools() -> list[tuple[str, int]]:
    return [(name, int(size)) for name, size in (part.split("=") for part in WARM.split(","))]


def _protocol_learner(learner: Learner, at: float) -> Learner:
    """Arrive at ``at`` (a ``perf_counter`` time): open, read the widgets, one answered interaction; then work on."""
    time.sleep(max(0.0, at - time.perf_counter()))
    started = time.perf_counter()
    try:
        if learner.open() != 200:
            learner.failures.append("page refused")
            return learner
        learner.prepare()  # type: ignore[attr-defined]
        learner.interact(0)  # type: ignore[attr-defined]
        learner.interactive_s = time.perf_counter() - started  # type: ignore[attr-defined]
    except Exception as error:  # noqa: BLE001 - a learner's failure is a measured outcome
        learner.failures.append(f"arrival: {error}")
        return learner
    learner.moves_ms = _moves(learner)  # type: ignore[attr-defined]  # at once, as a learner keeps working
    return learner


def _chromium_learners(urls: list[str], at: list[float], out: Any) -> None:
    """3 tabs opening ``urls`` at wall-clock times ``at``; request -> readout visible and one interaction answered.

    Runs in its own process (``_chromium_tabs``): a learner's browser does not share a Python
    interpreter with 27 other learners, and no Playwright route sits between the page and the
    server (``--host-resolver-rules`` keeps Chromium offline, as in ``bench/_voila.py``).
    """
    from bench import _voila
    from bench.bench_class import _draw_stroke

    found: dict[str, list[Any]] = {"seconds": [], "failures": []}
    with _voila.chromium() as browser:
        context = _voila.new_context(browser)
        tabs = []
        for url, when in zip(urls, at, strict=True):
            time.sleep(max(0.0, when - time.time()))
            page = context.new_page()
            started = time.time()
            page.goto(url, wait_until="commit", timeout=240_000)
            tabs.append((url, page, started))
        for url, page, started in tabs:
            try:
                if url.endswith(LESSON_5):
                    page.locator(".nnteach-neuron-output").first.wait_for(state="visible", timeout=240_000)
                    _press_slider(page)
                else:
                    page.locator(".nnteach-prediction").first.wait_for(state="attached", timeout=240_000)
                    _draw_stroke(page)
                found["seconds"].append(time.time() - started)
            except Exception as error:  # noqa: BLE001
                found["failures"].append(f"{url.rsplit('/', 1)[-1]}: {error}")
    out.put(found)


def _chromium_tabs(server: ClassServer, offsets: list[float], t0: float) -> tuple[Any, Any]:
    """Start the Chromium learners' process; ``t0`` and ``offsets`` are wall-clock (``time.time``) seconds."""
    spawn = multiprocessing.get_context("spawn")
    out = spawn.Queue()
    urls = [server.render_url(notebook) for notebook in CHROMIUM]
    process = spawn.Process(target=_chromium_learners, args=(urls, [t0 + offset for offset in offsets], out))
    process.start()
    return process, out


def _arrival(warm: bool) -> dict[str, Any]:
    """One server, one arrival of the class; what it measured."""
    with tempfile.TemporaryDirectory(prefix="nnteach-arrival-") as tmp:
        server = start_class_server(Path(tmp), _settings(warm))
        found: dict[str, Any] = {"fill_s": float("nan"), "warm_rss": {}, "pool_mb": float("nan")}
        try:
            if warm:
                used_before = psutil.virtual_memory().used / 2**20
                found["fill_s"] = _wait_for_pools(server)
                time.sleep(5)  # the last warm kernel finishes its lesson
                found["warm_rss"] = server.kernel_rss_mb()
                found["pool_mb"] = psutil.virtual_memory().used / 2**20 - used_before
            found.update(_the_class_comes(server))
            found["log"] = server.log.read_text(errors="replace")
        finally:
            server.stop()
    return found


def _the_class_comes(server: ClassServer) -> dict[str, Any]:
    offsets = [SPREAD_S * i / (CLASS - 1) for i in range(CLASS)]
    browser_at = offsets[:: CLASS // len(CHROMIUM)][: len(CHROMIUM)]
    protocol_at = [offset for offset in offsets if offset not in browser_at]
    make: list[Callable[[str], Learner]] = [
        lambda name: _Slider(name, server.url, LESSON_5),
        lambda name: CanvasLearner(name, server.url, LESSON_7),
    ]
    learners = [make[i % 2](f"a{i}") for i in range(len(protocol_at))]
    # The browser process starts (Python, Playwright, Chromium) before the class arrives, then waits for its times.
    wall_t0, t0 = time.time() + 8.0, time.perf_counter() + 8.0
    tabs, out = _chromium_tabs(server, browser_at, wall_t0)
    with ThreadPoolExecutor(max_workers=len(learners)) as pool:
        arriving = [
            pool.submit(_protocol_learner, learner, t0 + at) for learner, at in zip(learners, protocol_at, strict=True)
        ]
        for future in arriving:
            future.result()
    try:
        browser: dict[str, Any] = out.get(timeout=600)
    except queue.Empty:
        browser = {"seconds": [], "failures": ["the Chromium learners' process gave no result within 600 s"]}
    tabs.join(timeout=60)
    latencies = [value for learner in learners for value in getattr(learner, "moves_ms", [])]
    for learner in learners:
        learner.close()
    seconds = [learner.interactive_s for learner in learners if hasattr(learner, "interactive_s")]
    failures = [failure for learner in learners for failure in learner.failures] + browser["failures"]
    return {
        "protocol_s": seconds,
        "page_s": [learner.load_s for learner in learners if learner.kernel_id],
        "load": psutil.getloadavg()[0],
        "browser_s": browser["seconds"],
        "all_s": seconds + browser["seconds"],
        "failures": failures,
        "moves_ms": latencies,
        "kernels": {learner.kernel_id: learner.notebook for learner in learners if learner.kernel_id},
    }


def _moves(learner: Learner) -> list[float]:
    before = len(learner.latencies_ms)
    for step in range(1, MOVES + 1):
        try:
            learner.interact(step)  # type: ignore[attr-defined]
        except Exception as error:  # noqa: BLE001
            learner.failures.append(f"move {step}: {error}")
    return learner.latencies_ms[before:]


def _per_lesson_mb(warm: dict[str, Any]) -> dict[str, float]:
    """Mean RSS of the warm kernels each lesson's pool held, matched by the kernel a page took."""
    taken = dict(re.findall(r"Using pre-heated kernel: ([0-9a-f-]+) for (\S+)", warm["log"]))
    sizes: dict[str, list[float]] = {}
    for kernel_id, notebook in taken.items():
        if kernel_id in warm["warm_rss"]:
            sizes.setdefault(notebook, []).append(warm["warm_rss"][kernel_id])
    return {notebook: statistics.mean(values) for notebook, values in sizes.items()}


def run() -> list[Result]:
    cold = _arrival(warm=False)
    warm = _arrival(warm=True)
    served_warm = warm["log"].count("Using pre-heated kernel:")
    per_lesson = _per_lesson_mb(warm)
    warm_p95 = p95(warm["all_s"]) if warm["all_s"] else float("nan")
    cold_p95 = p95(cold["all_s"]) if cold["all_s"] else float("nan")
    interactive = len(warm["all_s"])
    return [
        Result(
            "arrival: 30 within 5 s, warm pools, p95 request -> interactive",
            round(warm_p95, 2),
            "s",
            "the same arrival, cold kernels (p95)",
            round(cold_p95, 2),
            f"<= {TARGET_S:g} s, {CLASS} of {CLASS} interactive, 0 failures",
            warm_p95 <= TARGET_S and interactive == CLASS and not warm["failures"],
            f"median {statistics.median(warm['all_s']):.2f} s (cold {statistics.median(cold['all_s']):.2f} s); "
            f"protocol learners p95 {p95(warm['protocol_s']) if warm['protocol_s'] else float('nan'):.2f} s, "
            f"slowest {max(warm['protocol_s'], default=float('nan')):.2f} s; Chromium tabs "
            f"{', '.join(f'{value:.2f}' for value in sorted(warm['browser_s']))} s; "
            f"{served_warm} pages from a warm kernel; {interactive} interactive (cold {len(cold['all_s'])}); "
            f"failures: {'; '.join((warm['failures'] + cold['failures'])[:3])[:400]}",
        ),
        Result(
            "arrival: 30 within 5 s, warm pools, p95 request -> page received (protocol learners)",
            round(p95(warm["page_s"]), 2) if warm["page_s"] else float("nan"),
            "s",
            "the same arrival, cold kernels (p95)",
            round(p95(cold["page_s"]), 2) if cold["page_s"] else None,
            note=f"median {statistics.median(warm['page_s']):.2f} s (cold {statistics.median(cold['page_s']):.2f} s); "
            f"machine load average {warm['load']:.0f} (cold run {cold['load']:.0f}) on {psutil.cpu_count()} cores",
        ),
        Result(
            "arrival: p95 interaction while the pools refill (27 protocol learners)",
            round(p95(warm["moves_ms"]), 1) if warm["moves_ms"] else float("nan"),
            "ms",
            "the same interactions after a cold arrival (nothing refills)",
            round(p95(cold["moves_ms"]), 1) if cold["moves_ms"] else None,
            note=f"{len(warm['moves_ms'])} answers; refills start one at a time, 2 s apart, never while a "
            "learner's page renders, and not until 10 s after a page last took a warm kernel",
        ),
        Result(
            "arrival: filling both pools before class (30 warm kernels)",
            round(warm["fill_s"], 1),
            "s",
            note=f"pools {WARM}; machine memory used grew by {warm['pool_mb']:.0f} MB",
        ),
        Result(
            "arrival: memory per warm kernel, lesson 5 / lesson 7 (RSS)",
            round(per_lesson.get(LESSON_5, float("nan"))),
            "MB",
            note=f"lesson 7: {per_lesson.get(LESSON_7, float('nan')):.0f} MB; "
            f"all warm kernels: {sum(warm['warm_rss'].values()):.0f} MB RSS",
        ),
    ]

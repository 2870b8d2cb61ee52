"""A class of 30 on one machine: ``nnteach serve --class`` with 30 learners at once, then more.

Phases (loopback only, bounded in count and time):

1. Baseline: one learner alone moves the lesson 5 slider 20 times (same run, same server).
2. The class: 30 learners open a page at once, 15 on lesson 5 (neuron slider) and 15 on
   lesson 7 (DigitCanvas), 27 through the Jupyter protocol (``bench/_class_sim.py``) and 3
   in headless Chromium; each moves the slider / draws 20 times. Latency is from sending to
   the kernel's answering update of the readout. Peak machine memory is sampled throughout.
3. 10 more learners arrive while the 30 stay: each must get the "class is full" page (503).
4. 8 learners leave; culling (short timeouts in this copy of ``voila.json``) frees their
   kernels; 5 newcomers get in and interact, and 3 learners open lesson 4 and press Start on
   the TrainingMonitor (hosted caps apply) while the 27 others interact 10 more times.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil

from bench._class_sim import (
    CanvasLearner,
    ClassServer,
    Learner,
    SliderLearner,
    TrainingLearner,
    get_page,
    sample_memory,
    shown_number,
    start_class_server,
)
from bench._common import Result, p95

CLASS = 30
CHROMIUM_SLIDERS, CHROMIUM_CANVASES = 2, 1
MOVES = 20
LATE = 10
LEAVING = 8  # 5 make room for newcomers, 3 for learners who train
CULL_IDLE_S = (
    60  # above the slowest page load with 30 arriving at once (~36 s), or pages are culled before they connect
)
LESSON_5, LESSON_7, LESSON_4 = (
    "05_activation_functions.ipynb",
    "07_draw_your_digit.ipynb",
    "04_multilayer_perceptron.ipynb",
)
P95_TARGET_MS = 300.0
TRAIN_P95_TARGET_MS = 1000.0
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _learn(learner: Any, moves: int) -> Any:
    """Open, find the widgets and interact ``moves`` times; failures are recorded, not raised."""
    try:
        if learner.open() != 200:
            learner.failures.append("page refused")
            return learner
        learner.prepare()
        learner.interactive = True
    except Exception as error:  # noqa: BLE001 - a learner's failure is a measured outcome
        learner.failures.append(f"open: {error}")
        return learner
    _interact(learner, range(moves))
    return learner


def _keep_reading(learners: list[Any], stop: threading.Event) -> None:
    """Drain every learner's socket every few seconds until ``stop`` is set."""
    while not stop.wait(3.0):
        for learner in learners:
            if getattr(learner, "interactive", False):
                learner.drain()


def _interact(learner: Any, steps: range) -> None:
    for step in steps:
        try:
            learner.interact(step)
        except Exception as error:  # noqa: BLE001
            learner.failures.append(f"move {step}: {error}")


# --- the Chromium learners ------------------------------------------------------------------
def _chromium_class(server: ClassServer, moves: int) -> dict[str, Any]:
    """3 pages in one headless Chromium (every non-localhost request blocked), driven in turn."""
    from playwright.sync_api import sync_playwright

    outcome: dict[str, Any] = {"latencies": [], "failures": [], "interactive": 0, "blocked": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(("data:", "blob:", server.url)):
                route.continue_()
            else:
                outcome["blocked"].append(url)
                route.abort()

        context.route("**/*", route)
        pages: list[tuple[str, Any]] = []
        for notebook in [LESSON_5] * CHROMIUM_SLIDERS + [LESSON_7] * CHROMIUM_CANVASES:
            page = context.new_page()
            page.goto(server.render_url(notebook), timeout=240_000)
            pages.append((notebook, page))
        for notebook, page in pages:
            try:
                ready = ".nnteach-neuron-output" if notebook == LESSON_5 else ".nnteach-prediction"
                page.locator(ready).first.wait_for(state="visible", timeout=240_000)
                if notebook == LESSON_5:
                    page.get_by_text("z = w·x + b").first.wait_for(timeout=120_000)
                outcome["interactive"] += 1
            except Exception as error:  # noqa: BLE001
                outcome["failures"].append(f"{notebook} not interactive: {error}")
        x_values = [1.0] * len(pages)
        for step in range(moves):
            for index, (notebook, page) in enumerate(pages):
                try:
                    if notebook == LESSON_5:
                        x_values[index] = round(x_values[index] + (0.1 if step < moves // 2 else -0.1), 2)
                        key = "ArrowRight" if step < moves // 2 else "ArrowLeft"
                        outcome["latencies"].append(_move_slider(page, key, x_values[index]))
                    else:
                        outcome["latencies"].append(_draw_stroke(page))
                except Exception as error:  # noqa: BLE001
                    outcome["failures"].append(f"{notebook} move {step}: {error}")
        for _, page in pages:
            body = page.inner_text("body")
            if "Traceback" in body:
                outcome["failures"].append("a traceback is visible")
        browser.close()
    return outcome


def _move_slider(page: Any, key: str, x: float) -> float:
    """One key press on the "input x" slider; milliseconds until the neuron readout shows ``x``."""
    handle = page.locator(".widget-slider", has_text="input x").locator(".noUi-handle")
    started = time.perf_counter()
    handle.press(key)
    page.locator(".nnteach-neuron-output", has_text=shown_number(x) + " +").wait_for(timeout=60_000)
    return (time.perf_counter() - started) * 1000.0


def _draw_stroke(page: Any) -> float:
    """A vertical stroke on the canvas; milliseconds from mouse-up to the prediction text, then Clear."""
    box = page.locator("canvas").first.bounding_box()
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.15
    page.mouse.move(x0, y0)
    page.mouse.down()
    for part in range(1, 6):
        page.mouse.move(x0, y0 + box["height"] * 0.14 * part)
    started = time.perf_counter()
    page.mouse.up()
    page.locator(".nnteach-prediction", has_text="Prediction:").wait_for(timeout=60_000)
    elapsed = (time.perf_counter() - started) * 1000.0
    page.locator(".nnteach-clear").click()
    page.locator(".nnteach-prediction", has_text="Prediction:").wait_for(state="detached", timeout=60_000)
    return elapsed


# --- the run ---------------------------------------------------------------------------------
def _mean_rss(server: ClassServer, learners: Sequence[Learner]) -> float:
    sizes = server.kernel_rss_mb()
    found = [sizes[learner.kernel_id] for learner in learners if learner.kernel_id in sizes]
    return statistics.mean(found) if found else float("nan")


def _wait_for_kernels(server: ClassServer, at_most: int, timeout_s: float) -> float:
    started = time.monotonic()
    while len(server.kernels()) > at_most:
        if time.monotonic() - started > timeout_s:
            break
        time.sleep(0.5)
    return time.monotonic() - started


WALK = ("index.ipynb", "01_perceptron.ipynb", "02_mnist_data.ipynb", LESSON_5, "index.ipynb")
WALK_CAP = 35


def _walk(name: str, url: str) -> tuple[int, list[str]]:
    """One learner walks index -> 3 lessons -> index in one tab: each page replaces the last.

    Returns how often the learner saw "the class is full", and other failures.
    """
    cookies: dict[str, str] = {}  # one browser: its kernels' keys
    full, failures, previous = 0, [], None
    for notebook in WALK:
        if previous is not None:
            previous.leave()  # following a link: the old page's beacon goes (beforeunload), then the request
            previous = None
        page = Learner(name, url, notebook, cookies=cookies)
        try:
            status = page.open()
        except Exception as error:  # noqa: BLE001 - a learner's failure is a measured outcome
            failures.append(f"{notebook}: {error}")
            status = 0
        full += status == 503
        if status not in (200, 503, 0):
            failures.append(f"{notebook}: HTTP {status}")
        previous = page if status == 200 else None
    if previous is not None:
        previous.leave()
    return full, failures


def run_walk() -> list[Result]:
    """30 learners each walk index -> 3 lessons -> index at once, with the seat cap at 35."""
    with tempfile.TemporaryDirectory(prefix="nnteach-walk-") as tmp:
        server = start_class_server(Path(tmp), {"ClassKernelManager": {"max_kernels": WALK_CAP}})
        try:
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=CLASS) as pool:
                walks = list(pool.map(lambda i: _walk(f"w{i}", server.url), range(CLASS)))
            walk_s = time.perf_counter() - started
            log = server.log.read_text(errors="replace")
        finally:
            server.stop()
    full = sum(count for count, _ in walks)
    failures = [failure for _, found in walks for failure in found]
    culled_early = log.count("its page never connected within")
    delays = [float(m) for m in re.findall(r"its page connected ([0-9.]+) s after loading", log)]
    return [
        Result(
            f"class: 30 learners walk index -> 3 lessons -> index (cap {WALK_CAP}), 'class is full' pages",
            full,
            "pages",
            target="= 0",
            ok=full == 0 and not failures,
            note=f"{len(WALK) * CLASS} page views in {walk_s:.0f} s; other failures: {len(failures)} "
            + "; ".join(failures[:3]),
        ),
        Result(
            "class: walking learners' pages shut down before they connected",
            culled_early,
            "pages",
            target="= 0",
            ok=culled_early == 0,
            note=f"page loaded -> websocket: max {max(delays, default=float('nan')):.1f} s over {len(delays)} pages",
        ),
    ]


def run_chromium_arrival(tabs: int = CLASS) -> list[Result]:
    """``tabs`` Chromium tabs open lesson 5 at once: seconds from a page sent to its websocket.

    The server's ``connect_grace`` must exceed the slowest of these, or slow pages lose their kernel.
    """
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="nnteach-arrival-") as tmp:
        server = start_class_server(Path(tmp), {"ClassKernelManager": {"max_kernels": WALK_CAP}})
        ready = 0
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS, headless=True
                )
                context = browser.new_context()
                context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server.url) else r.abort())
                pages = [context.new_page() for _ in range(tabs)]
                for page in pages:
                    page.goto(server.render_url(LESSON_5), wait_until="commit", timeout=240_000)
                deadline = time.monotonic() + 600  # the whole arrival, however many tabs
                for page in pages:
                    try:
                        left_ms = max(1_000, (deadline - time.monotonic()) * 1000)
                        page.locator(".nnteach-neuron-output").first.wait_for(state="visible", timeout=left_ms)
                        ready += 1
                    except Exception:  # noqa: BLE001, S110 - a page that never got its widgets is counted
                        pass
                browser.close()
            log = server.log.read_text(errors="replace")
        finally:
            server.stop()
    delays = sorted(float(m) for m in re.findall(r"its page connected ([0-9.]+) s after loading", log))
    early = log.count("its page never connected within")
    return [
        Result(
            f"class: {tabs} Chromium tabs at once, page sent -> websocket (slowest)",
            round(max(delays, default=float("nan")), 1),
            "s",
            target="< connect_grace (120 s)",
            ok=bool(delays) and max(delays) < 120 and early == 0,
            note=f"median {statistics.median(delays) if delays else float('nan'):.1f} s; {ready} of {tabs} "
            f"showed their widgets; {early} shut down before connecting",
        )
    ]


def run() -> list[Result]:
    results: list[Result] = run_walk() + run_chromium_arrival()
    memory: list[float] = []
    stopping = threading.Event()
    before_mb = psutil.virtual_memory().used / 2**20
    sampler = threading.Thread(target=sample_memory, args=(stopping.is_set, memory), daemon=True)
    sampler.start()
    with tempfile.TemporaryDirectory(prefix="nnteach-class-") as tmp:
        server = start_class_server(
            Path(tmp),
            {
                "ClassKernelManager": {"max_kernels": CLASS},
                "MappingKernelManager": {"cull_idle_timeout": CULL_IDLE_S, "cull_interval": 5},
            },
        )
        try:
            results += _scenario(server)
        finally:
            stopping.set()
            server.stop()
    peak = max(memory, default=before_mb)
    results.append(
        Result(
            "class: peak machine memory in use (30 learners + 3 training)",
            round(peak),
            "MB",
            "before the server started",
            round(before_mb),
            note=f"{(peak - before_mb):.0f} MB more; machine total {psutil.virtual_memory().total / 2**30:.1f} GiB",
        )
    )
    return results


def _scenario(server: ClassServer) -> list[Result]:  # noqa: PLR0915
    results: list[Result] = []
    # 1. one learner alone: the baseline latency
    alone = _learn(SliderLearner("alone", server.url, LESSON_5), MOVES)
    alone.close()
    _wait_for_kernels(server, 0, 60)
    baseline = statistics.median(alone.latencies_ms) if alone.latencies_ms else float("nan")

    # 2. the class arrives at once
    protocol: list[Learner] = [
        SliderLearner(f"s{i}", server.url, LESSON_5) for i in range(CLASS // 2 - CHROMIUM_SLIDERS)
    ] + [CanvasLearner(f"c{i}", server.url, LESSON_7) for i in range(CLASS // 2 - CHROMIUM_CANVASES)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(protocol)) as pool:
        futures = [pool.submit(_learn, learner, MOVES) for learner in protocol]
        browser = _chromium_class(server, MOVES)
        for future in futures:
            future.result()
    class_s = time.perf_counter() - started
    interactive = sum(getattr(learner, "interactive", False) for learner in protocol) + browser["interactive"]
    failed = sum(len(learner.failures) for learner in protocol) + len(browser["failures"])
    latencies = [value for learner in protocol for value in learner.latencies_ms]
    loads = [learner.load_s for learner in protocol if learner.kernel_id]
    sliders = [learner for learner in protocol if isinstance(learner, SliderLearner)]
    canvases = [learner for learner in protocol if isinstance(learner, CanvasLearner)]
    rss5, rss7 = _mean_rss(server, sliders), _mean_rss(server, canvases)
    first_failures = "; ".join([f for learner in protocol for f in learner.failures][:3] + browser["failures"][:2])
    results += [
        Result(
            "class: pages interactive (15 on lesson 5, 15 on lesson 7, at once)",
            interactive,
            "pages",
            target=f"= {CLASS}",
            ok=interactive == CLASS,
            note=f"{len(protocol)} over the Jupyter protocol, {CHROMIUM_SLIDERS + CHROMIUM_CANVASES} in Chromium; "
            f"whole phase {class_s:.0f} s",
        ),
        Result(
            "class: failed interactions (20 per learner)",
            failed,
            "failures",
            target="= 0",
            ok=failed == 0,
            note=first_failures[:600],
        ),
        Result(
            "class: p95 interaction latency, 27 protocol learners",
            round(p95(latencies), 1) if latencies else float("nan"),
            "ms",
            "median of one learner alone",
            round(baseline, 1),
            f"<= {P95_TARGET_MS:.0f} ms",
            bool(latencies) and p95(latencies) <= P95_TARGET_MS,
            f"median {statistics.median(latencies):.0f} ms over {len(latencies)} answers" if latencies else "",
        ),
        Result(
            "class: p95 interaction latency, 3 Chromium pages (mouse/key -> DOM)",
            round(p95(browser["latencies"]), 1) if browser["latencies"] else float("nan"),
            "ms",
            target=f"<= {P95_TARGET_MS:.0f} ms",
            ok=bool(browser["latencies"]) and p95(browser["latencies"]) <= P95_TARGET_MS,
            note=f"{len(browser['latencies'])} answers; blocked requests: {len(browser['blocked'])}",
        ),
        Result(
            "class: page load with 30 arriving at once (p95, request -> page with kernel)",
            round(p95(loads), 1) if loads else float("nan"),
            "s",
            note=f"median {statistics.median(loads):.1f} s" if loads else "",
        ),
        Result("class: memory per learner, lesson 5 kernel (RSS)", round(rss5), "MB"),
        Result("class: memory per learner, lesson 7 kernel (RSS)", round(rss7), "MB"),
    ]

    # The class keeps its tabs open while others come and go: keep reading their sockets, as a
    # browser does, or the server's pings go unanswered and it drops the connections.
    reading = threading.Event()
    reader = threading.Thread(target=_keep_reading, args=(protocol, reading), daemon=True)
    reader.start()

    # 3. ten more arrive while the 30 stay
    with ThreadPoolExecutor(max_workers=LATE) as pool:
        late = list(pool.map(lambda _i: get_page(server.render_url(LESSON_5), timeout=120), range(LATE)))
    refused = sum(status == 503 and "The class is full" in body for status, body, _ in late)
    results.append(
        Result(
            f"class: late learners shown 'the class is full' (503) while {CLASS} pages run",
            refused,
            "of 10",
            target="= 10",
            ok=refused == LATE,
            note=f"slowest answer {max(seconds for *_, seconds in late):.2f} s",
        )
    )

    # 4. some leave, culling frees seats, newcomers and trainers get in
    leaving, staying = protocol[:LEAVING], protocol[LEAVING:]
    reading.set()
    reader.join()
    for learner in leaving:
        learner.close()
    reading.clear()
    reader = threading.Thread(target=_keep_reading, args=(staying, reading), daemon=True)
    reader.start()
    culled_s = _wait_for_kernels(server, CLASS - LEAVING, 120)
    newcomers: list[Learner] = [SliderLearner(f"n{i}", server.url, LESSON_5) for i in range(3)] + [
        CanvasLearner(f"n{i}", server.url, LESSON_7) for i in range(3, 5)
    ]
    with ThreadPoolExecutor(max_workers=len(newcomers)) as pool:
        list(pool.map(lambda learner: _learn(learner, 1), newcomers))
    admitted = sum(getattr(learner, "interactive", False) and not learner.failures for learner in newcomers)
    results.append(
        Result(
            f"class: after {LEAVING} leave and culling, newcomers who got in and interacted",
            admitted,
            "of 5",
            target="= 5",
            ok=admitted == len(newcomers),
            note=f"culling freed the seats {culled_s:.0f} s after the tabs closed "
            f"(cull_idle_timeout {CULL_IDLE_S} s, interval 5 s in this run)",
        )
    )

    trainers = [TrainingLearner(f"t{i}", server.url, LESSON_4) for i in range(3)]
    with ThreadPoolExecutor(max_workers=len(trainers)) as pool:
        opened = list(pool.map(lambda learner: (learner.open(), learner.prepare()), trainers))
    caps_seen = all("Class server limits: at most 10 epochs" in learner.limits_text for learner in trainers)
    for learner in trainers:
        learner.start_training(epochs=2)
    others = staying + newcomers
    reading.set()
    reader.join()
    during_start = {id(learner): len(learner.latencies_ms) for learner in others}
    failed_before = {id(learner): len(learner.failures) for learner in others}
    with ThreadPoolExecutor(max_workers=len(others) + len(trainers)) as pool:
        moved = [pool.submit(_interact, learner, range(MOVES, MOVES + 10)) for learner in others]
        finishing = [pool.submit(learner.wait_done, 300) for learner in trainers]
        train_s = [future.result() for future in finishing]
        for future in moved:
            future.result()
    during = [v for learner in others for v in learner.latencies_ms[during_start[id(learner)] :]]
    failed_during = sum(len(learner.failures) - failed_before[id(learner)] for learner in others)
    during_failures = "; ".join(f for learner in others for f in learner.failures[failed_before[id(learner)] :])
    trained = sum(learner.final_state == "done" for learner in trainers)
    rss4 = _mean_rss(server, trainers)
    results += [
        Result(
            "class: 3 learners train at once (lesson 4, hosted caps), runs finished",
            trained,
            "of 3",
            target="= 3",
            ok=trained == 3 and caps_seen and len(opened) == 3,
            note=f"2 epochs on the capped 10,000 images took {min(train_s):.0f}-{max(train_s):.0f} s; "
            f"caps visible in the controls: {caps_seen}",
        ),
        Result(
            f"class: p95 interaction latency of {len(others)} learners while 3 train",
            round(p95(during), 1) if during else float("nan"),
            "ms",
            "p95 without training",
            round(p95(latencies), 1) if latencies else None,
            f"<= {TRAIN_P95_TARGET_MS:.0f} ms, no failures",
            bool(during) and p95(during) <= TRAIN_P95_TARGET_MS and failed_during == 0,
            f"median {statistics.median(during):.0f} ms, {failed_during} failed {during_failures[:400]}"
            if during
            else "",
        ),
        Result("class: memory per learner, lesson 4 kernel after training (RSS)", round(rss4), "MB"),
    ]
    for learner in [*others, *trainers]:
        learner.close()
    return results

"""The class space under a class: 30 learners sharing at once, and the teacher page's refresh on a full class.

- 30 processes share 20 digits and 5 runs each, all at once, into one SQLite class database
  (and into PostgreSQL when Debian's server binaries are there): lost and duplicated entries
  (target 0) and the p95 time of one share, as a ratio to one learner sharing alone.
- The teacher page (ClassBoard + ClassDigits) reloading a class of 1,000 runs and 5,000
  digits: kernel CPU milliseconds (target < 200 ms), as a ratio to reloading an empty class.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from bench._common import Result

LEARNERS, DIGITS, RUNS = 30, 20, 5

_LEARNER = textwrap.dedent(
    """
    import json, sys, time, numpy as np
    from nnteach.classroom import ClassStore, RunFigures
    url, who, digits, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = ClassStore(url, digits_per_minute=10**6, runs_per_minute=10**6, busy_timeout=60)
    store.join(f"hub:{who}", who)
    times = []
    for n in range(digits):
        start = time.perf_counter()
        store.share_digit(f"hub:{who}", n % 10, np.full((28, 28), n, np.uint8))
        times.append(time.perf_counter() - start)
    for n in range(runs):
        start = time.perf_counter()
        store.share_run(f"hub:{who}", RunFigures("04", {"n": n}, "Dense(10)", 7850, 1, 100, 32, val_accuracy=n / 10))
        times.append(time.perf_counter() - start)
    print(json.dumps(times))
    """
)


def _class_at_once(url: str, learners: int) -> tuple[list[float], dict[str, int]]:
    from nnteach.classroom import ClassStore

    ClassStore(url).counts()  # the schema exists before the class arrives
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _LEARNER, url, f"learner{n}", str(DIGITS), str(RUNS)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(learners)
    ]
    times: list[float] = []
    for child in children:
        out, _ = child.communicate(timeout=900)
        times.extend(json.loads(out))
    store = ClassStore(url)
    counts = store.counts()
    store.close()
    return times, counts


def _p95_ms(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] * 1000.0 if len(times) > 1 else times[0] * 1000.0


def _sharing(engine: str, url_for: Callable[[str], str]) -> list[Result]:
    alone, _ = _class_at_once(url_for("alone"), 1)
    together, counts = _class_at_once(url_for("class"), LEARNERS)
    expected = {"learners": LEARNERS, "digits": LEARNERS * DIGITS, "runs": LEARNERS * RUNS}
    lost = sum(expected[key] - counts[key] for key in ("digits", "runs") if counts[key] < expected[key])
    extra = sum(counts[key] - expected[key] for key in ("digits", "runs") if counts[key] > expected[key])
    return [
        Result(f"{engine}: entries lost or duplicated, {LEARNERS} learners sharing at once", float(lost + extra),
               "entries", target="0", ok=lost + extra == 0, note=f"stored {counts}"),
        Result(f"{engine}: p95 time of one share, {LEARNERS} learners at once", _p95_ms(together), "ms",
               baseline="one learner alone", baseline_value=_p95_ms(alone)),
    ]  # fmt: skip


def _fill(url: str, runs: int, digits: int) -> None:
    from nnteach.classroom import ClassStore, RunFigures
    from nnteach.data import load_mnist

    _, (x_test, y_test) = load_mnist()
    store = ClassStore(url, digits_per_minute=10**7, runs_per_minute=10**7)
    for n in range(30):
        store.join(f"hub:l{n}", f"Learner {n}")
    for n in range(runs):
        figures = RunFigures("04", {"n": n}, "Flatten → Dense(128, relu) → Dense(10, softmax)", 101770, 3, 60000, 32,
                             val_accuracy=(n % 1000) / 1000, history={"loss": [0.5, 0.4, 0.3]})  # fmt: skip
        store.share_run(f"hub:l{n % 30}", figures)
    for n in range(digits):
        store.share_digit(f"hub:l{n % 30}", int(y_test[n % 10000]), x_test[n % 10000])
    store.close()


def _teacher_refresh_cpu_ms(url: str) -> float:
    from nnteach.classroom import ClassStore
    from nnteach.widgets import ClassBoard, ClassDigits

    store = ClassStore(url)
    board, digits = ClassBoard(store=store), ClassDigits(store=store)  # first load: MNIST and the model warm up
    samples = []
    for _ in range(5):
        start = time.thread_time()
        board.reload()
        digits.reload()
        samples.append((time.thread_time() - start) * 1000.0)
    board.close()
    digits.close()
    store.close()
    return statistics.median(samples)


def run() -> list[Result]:
    folder = Path(tempfile.mkdtemp(prefix="nnteach-bench-class-"))
    results = _sharing("SQLite", lambda name: f"sqlite:///{folder / name}.db")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "classroom"))
    try:
        from postgres_server import start_postgres

        server = start_postgres()
    except Exception as error:  # noqa: BLE001 - PostgreSQL is optional for the bench
        print(f"PostgreSQL not measured: {error}")
    else:
        try:

            def database(name: str) -> str:
                server.psql(f"CREATE DATABASE {name}")
                return server.url(name)

            results += _sharing("PostgreSQL", database)
        finally:
            server.stop()
    _fill(f"sqlite:///{folder / 'full.db'}", 1000, 5000)
    _fill(f"sqlite:///{folder / 'empty.db'}", 0, 0)
    full, empty = (
        _teacher_refresh_cpu_ms(f"sqlite:///{folder / 'full.db'}"),
        _teacher_refresh_cpu_ms(f"sqlite:///{folder / 'empty.db'}"),
    )
    results.append(
        Result("teacher page refresh, 1,000 runs and 5,000 digits (kernel CPU)", full, "ms",
               baseline="an empty class", baseline_value=empty, target="< 200 ms", ok=full < 200)
    )  # fmt: skip
    return results

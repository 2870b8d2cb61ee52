"""What every benchmark module shares: timing helpers and the result record.

A benchmark module ``bench/bench_<topic>.py`` defines ``run() -> list[Result]``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Result:
    """One measured figure, its baseline from the same run, and the target it is held to."""

    figure: str
    value: float
    unit: str
    baseline: str | None = None
    baseline_value: float | None = None
    target: str | None = None
    ok: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_value in (None, 0):
            return None
        return self.value / self.baseline_value  # type: ignore[operator]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def timings_ms(function: Callable[[], object], repeat: int = 50, warmup: int = 3) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` calls after ``warmup`` untimed calls."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def wall_and_cpu_ms(
    action: Callable[[int], object], repeat: int = 60, warmup: int = 3
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (this thread) milliseconds of ``action(i)`` for ``repeat`` calls after ``warmup``.

    CPU time tells a busy machine apart from slow code: wall time includes waiting for a core.
    """
    wall, cpu = [], []
    for i in range(repeat + warmup):
        start, start_cpu = time.perf_counter(), time.thread_time()
        action(i)
        if i >= warmup:  # warm-up calls are not counted
            wall.append((time.perf_counter() - start) * 1000.0)
            cpu.append((time.thread_time() - start_cpu) * 1000.0)
    return wall, cpu


def median_ms(function: Callable[[], object], repeat: int = 50, warmup: int = 3) -> float:
    return statistics.median(timings_ms(function, repeat, warmup))


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

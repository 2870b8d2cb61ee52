"""ActivationExplorer and PerceptronView: kernel CPU per slider move, browser plots against PNG plots.

The issue's figures: a 1,000-point overlay of 4 functions with their derivatives, redrawn after
a parameter slider moves (ELU's α), and a PerceptronView weight move, at most 3 ms of CPU
(median) when the plots are drawn in the browser (bqplot: the kernel sends arrays). Baseline,
measured in the same run: the same widgets with ``NNTEACH_PLOTS=png``, which re-render a
matplotlib figure to PNG on every move (~27 ms, almost all of it ``savefig``). CPU time of this
thread is the figure, wall time is in the note, since the machine is shared. Outside a kernel
the widgets' messages are serialised but not sent; ``bench_interaction`` measures a real kernel.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable
from typing import Any

from bench._common import Result, median_ms, p95, wall_and_cpu_ms

NAMES = ("sigmoid", "tanh", "relu", "elu")
CPU_TARGET_MS = 3.0


def _moves(png: bool) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU milliseconds of each kind of slider move, with plots drawn as PNG or in the browser."""
    from nnteach.widgets import ActivationExplorer, PerceptronView

    saved = os.environ.get("NNTEACH_PLOTS")
    os.environ["NNTEACH_PLOTS"] = "png" if png else "browser"
    try:
        explorer = ActivationExplorer(selected=NAMES, show_derivative=True, points=1000)
        view = PerceptronView()
    finally:
        if saved is None:
            os.environ.pop("NNTEACH_PLOTS", None)
        else:
            os.environ["NNTEACH_PLOTS"] = saved
    moves: dict[str, Callable[[int], Any]] = {
        # as the browser sends a slider move
        "alpha": lambda i: explorer.controls["alpha"].set_state({"value": 0.5 + 0.05 * (i % 40)}),
        "cursor": lambda i: explorer.controls["cursor"].set_state({"value": -5.0 + 0.05 * (i % 200)}),
        "weight": lambda i: view.controls["w1"].set_state({"value": -1.0 + 0.05 * (i % 40)}),
    }
    try:
        return {name: wall_and_cpu_ms(move, repeat=40) for name, move in moves.items()}
    finally:
        explorer.close()
        view.close()


def run() -> list[Result]:
    import numpy as np

    from nnteach import activations

    png, live = _moves(png=True), _moves(png=False)
    x = np.linspace(-6, 6, 1000)
    math_ms = median_ms(
        lambda: [(activations.get(n).value(x), activations.get(n).derivative(x)) for n in NAMES], repeat=200
    )
    results = []
    for key, figure, target in (
        ("alpha", "explorer: ELU α slider move → new curves (4 functions + f′, 1,000 pts), CPU", True),
        ("cursor", "explorer: cursor slider move → readout + cursor, CPU", False),
        ("weight", "perceptron: weight slider move → line, shading, sum, CPU", True),
    ):
        wall, cpu = live[key]
        value = statistics.median(cpu)
        results.append(
            Result(
                figure,
                value,
                "ms",
                baseline="same move, PNG plots",
                baseline_value=statistics.median(png[key][1]),
                target=f"median ≤ {CPU_TARGET_MS:g} ms" if target else None,
                ok=value <= CPU_TARGET_MS if target else None,
                note=f"wall median {statistics.median(wall):.1f} ms, p95 {p95(wall):.1f} ms; "
                f"PNG wall median {statistics.median(png[key][0]):.1f} ms",
            )
        )
    results.append(Result("explorer: the NumPy math alone (8 curves × 1,000 pts)", math_ms, "ms"))
    return results

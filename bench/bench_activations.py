"""ActivationExplorer and PerceptronView: time from a slider move to a fresh plot, in the kernel.

The issue's figure: a 1,000-point overlay of 4 functions with their derivatives, re-rendered after
a parameter slider moves (ELU's α), median under 50 ms. Baselines measured in the same run: the
NumPy math alone (8 curves of 1,000 points) and rendering the same figure to PNG without any
widget. CPU time of this thread is reported next to wall time, since the machine is shared.
"""

from __future__ import annotations

import statistics

from bench._common import Result, median_ms, p95, wall_and_cpu_ms

NAMES = ("sigmoid", "tanh", "relu", "elu")


def run() -> list[Result]:
    import numpy as np

    from nnteach import activations
    from nnteach.images import figure_to_png
    from nnteach.widgets import ActivationExplorer, PerceptronView

    explorer = ActivationExplorer(selected=NAMES, show_derivative=True, points=1000)
    assert len(explorer._axes.get_lines()) >= 8

    def move_alpha(i: int) -> None:
        explorer.alpha_slider.set_state({"value": 0.5 + 0.05 * (i % 40)})  # as the browser sends a slider move

    def move_cursor(i: int) -> None:
        explorer.cursor_slider.set_state({"value": -5.0 + 0.05 * (i % 200)})

    alpha_wall, alpha_cpu = wall_and_cpu_ms(move_alpha)
    cursor_wall, cursor_cpu = wall_and_cpu_ms(move_cursor)

    x = np.linspace(-6, 6, 1000)
    math_ms = median_ms(
        lambda: [(activations.get(n).value(x), activations.get(n).derivative(x)) for n in NAMES], repeat=200
    )
    render_ms = median_ms(lambda: figure_to_png(explorer.plot.figure), repeat=30)

    view = PerceptronView()

    def move_weight(i: int) -> None:
        view.w1_slider.set_state({"value": -1.0 + 0.05 * (i % 40)})

    weight_wall, weight_cpu = wall_and_cpu_ms(move_weight, repeat=40)
    alpha_median = statistics.median(alpha_wall)
    return [
        Result(
            "explorer: ELU α slider move → new plot (4 functions + f′, 1,000 pts)",
            alpha_median,
            "ms",
            baseline="figure → PNG alone",
            baseline_value=render_ms,
            target="median < 50 ms",
            ok=alpha_median < 50.0,
            note=f"p95 {p95(alpha_wall):.1f} ms; CPU median {statistics.median(alpha_cpu):.1f} ms",
        ),
        Result(
            "explorer: cursor slider move → readout + plot",
            statistics.median(cursor_wall),
            "ms",
            baseline="figure → PNG alone",
            baseline_value=render_ms,
            note=f"p95 {p95(cursor_wall):.1f} ms; CPU median {statistics.median(cursor_cpu):.1f} ms",
        ),
        Result("explorer: the NumPy math alone (8 curves × 1,000 pts)", math_ms, "ms"),
        Result(
            "perceptron: weight slider move → line, shading, sum",
            statistics.median(weight_wall),
            "ms",
            baseline="explorer α move",
            baseline_value=alpha_median,
            note=f"p95 {p95(weight_wall):.1f} ms; CPU median {statistics.median(weight_cpu):.1f} ms",
        ),
    ]

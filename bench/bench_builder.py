"""LayerStackBuilder: time from an edit to a fresh summary table and diagram, in the kernel.

The issue's figure: after an edit (spec → validate → summary → table and diagram refresh),
median under 20 ms. Baselines measured in the same run: the UI-free logic alone (validate,
check_compile and summary of the same spec) and building the same model with Keras, which is
what a summary would cost if it asked Keras. CPU time of this thread is reported next to wall
time, since the machine is shared.
"""

from __future__ import annotations

import statistics

from bench._common import Result, median_ms, p95, wall_and_cpu_ms


def run() -> list[Result]:
    from nnteach.layers import PRESETS, CompileSpec, Dense, check_compile, summary, to_keras, validate
    from nnteach.widgets import LayerStackBuilder

    builder = LayerStackBuilder("mlp")
    units = builder.rows_box.children[1].units  # the hidden Dense layer's units box

    def edit_units(i: int) -> None:
        units.set_state({"value": str(64 + i % 128)})  # as the browser sends a typed value
        assert builder.total_params == 784 * (64 + i % 128) + (64 + i % 128) * 11 + 10

    def add_and_remove(i: int) -> None:
        builder.add_layer(Dense(32, "relu"), 2) if i % 2 == 0 else builder.remove_layer(2)

    edit_wall, edit_cpu = wall_and_cpu_ms(edit_units)
    structure_wall, _ = wall_and_cpu_ms(add_and_remove)

    spec = PRESETS["mlp"]

    def logic() -> None:
        validate(spec)
        check_compile(spec, CompileSpec())
        summary(spec)

    logic_ms = median_ms(logic, repeat=200)
    to_keras(spec)  # import TensorFlow outside the timing
    keras_ms = median_ms(lambda: to_keras(spec).count_params(), repeat=10, warmup=1)
    edit_median = statistics.median(edit_wall)
    return [
        Result(
            "edit a Dense layer's units → table + diagram (median)",
            edit_median,
            "ms",
            baseline="validate + summary alone",
            baseline_value=logic_ms,
            target="< 20 ms",
            ok=edit_median < 20.0,
            note=f"CPU median {statistics.median(edit_cpu):.2f} ms",
        ),
        Result("edit a Dense layer's units (p95)", p95(edit_wall), "ms", note=f"CPU p95 {p95(edit_cpu):.2f} ms"),
        Result(
            "add or remove a layer (one row created or closed) (median)",
            statistics.median(structure_wall),
            "ms",
            baseline="building the model with Keras",
            baseline_value=keras_ms,
        ),
        Result("build the seed MLP with Keras (median)", keras_ms, "ms", note="what asking Keras would cost"),
    ]

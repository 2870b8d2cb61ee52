"""PlaygroundView: kernel CPU per refresh of the live pictures, and the frame rate while Keras trains.

The issue's figure: the decision region (50×50 grid) and the neuron heatmaps refresh at ≥ 5 frames
per second while training, on 2 shared cores. Baselines measured in the same run: the same decision
region drawn with matplotlib (``contourf`` + ``scatter``) to PNG, what the house style says a
changing plot must not cost per frame; and one Keras ``train_on_batch`` of the same model.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from bench._common import Result, median_ms, p95, wall_and_cpu_ms

SECONDS_OF_TRAINING = 4.0


def _matplotlib_region_ms(view: object) -> float:
    import numpy as np

    from nnteach._playground_net import forward, grid_points
    from nnteach.images import figure_to_png, new_figure

    figure = new_figure(3, 3)
    axes = figure.add_subplot()

    def draw() -> None:
        axes.clear()
        grid = grid_points(50)
        probabilities = forward(view.weights, view.activation, grid)[-1]  # type: ignore[attr-defined]
        axes.contourf(np.linspace(-1, 1, 50), np.linspace(1, -1, 50), probabilities[:, 1].reshape(50, 50), levels=10)
        data = view.data  # type: ignore[attr-defined]
        axes.scatter(data.x_train[:, 0], data.x_train[:, 1], c=data.y_train, s=8)
        figure_to_png(figure)

    return median_ms(draw, repeat=15, warmup=2)


def run() -> list[Result]:
    from nnteach.widgets import PlaygroundView

    view = PlaygroundView(dataset="spiral", hidden_layers=(8, 8, 8, 8), activation="tanh", epochs=1000)
    wall, cpu = wall_and_cpu_ms(lambda _i: view.redraw(), repeat=40)
    baseline = _matplotlib_region_ms(view)

    async def train_for_a_while() -> tuple[int, float, float]:
        task = view.start()
        while view.state != "training" or view.batches == 0:  # Keras loaded, the first batch traced
            await asyncio.sleep(0.01)
        frames, batches, began = view.frames, view.batches, time.perf_counter()
        await asyncio.sleep(SECONDS_OF_TRAINING)
        elapsed = time.perf_counter() - began
        view.stop()
        await task
        return view.frames - frames, (view.batches - batches) / elapsed, elapsed

    frames, batches_per_second, elapsed = asyncio.run(train_for_a_while())
    batch_ms = median_ms(lambda: view.model.train_on_batch(view.data.x_train[:10], view.data.y_train[:10]), 50)
    fps = frames / elapsed
    view.close()
    cpu_median = statistics.median(cpu)
    return [
        Result(
            "playground: one refresh (region 50×50, 32 neuron maps, network, curves)",
            cpu_median,
            "ms CPU",
            baseline="matplotlib region → PNG",
            baseline_value=baseline,
            target="< 40 ms (5 fps leaves time to train)",
            ok=cpu_median < 40.0,
            note=f"wall median {statistics.median(wall):.1f} ms, p95 {p95(wall):.1f} ms",
        ),
        Result(
            "playground: frames per second while Keras trains",
            fps,
            "fps",
            target="≥ 5 fps",
            ok=fps >= 5.0,
            note=f"{batches_per_second:.0f} batches/s over {elapsed:.1f} s",
        ),
        Result(
            "playground: one train_on_batch (4×8 tanh, batch 10)",
            batch_ms,
            "ms",
            note="what a refresh competes with",
        ),
    ]

"""The playground's training job: Keras ``train_on_batch`` one batch per step, as ``model.fit`` would shuffle.

A :class:`~nnteach.widgets._long_work.Job`: ``steps()`` yields after every batch (so Stop is
handled before the next one) and calls ``on_batch`` / ``on_epoch`` for the widget to redraw.

Example:
    >>> job = PlaygroundJob(None, None, batch_size=10, epochs=1, seed=0)
    >>> job.stop(); list(job.steps())
    []
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from nnteach.playground import PlaneData

__all__ = ["PlaygroundJob"]


class PlaygroundJob:
    """Train ``model`` on ``data`` for ``epochs`` epochs of shuffled batches, one batch per step."""

    def __init__(
        self,
        model: Any,
        data: PlaneData | None,
        *,
        batch_size: int,
        epochs: int,
        seed: int,
        on_batch: Callable[[], None] = lambda: None,
        on_epoch: Callable[[], None] = lambda: None,
    ) -> None:
        self.model = model
        self.data = data
        self.batch_size = batch_size
        self.epochs = epochs
        self.rng = np.random.default_rng(seed)
        self.on_batch = on_batch
        self.on_epoch = on_epoch
        self.stopped = False
        self.batches = 0
        self.epochs_done = 0

    def steps(self) -> Iterator[None]:
        if self.stopped or self.data is None:
            return
        x, y = self.data.x_train, self.data.y_train
        for _ in range(self.epochs):
            order = self.rng.permutation(len(x))
            for start in range(0, len(x), self.batch_size):
                chosen = order[start : start + self.batch_size]
                self.model.train_on_batch(x[chosen], y[chosen])
                self.batches += 1
                self.on_batch()
                yield
                if self.stopped:
                    return
            self.epochs_done += 1
            self.on_epoch()

    def stop(self) -> None:
        self.stopped = True

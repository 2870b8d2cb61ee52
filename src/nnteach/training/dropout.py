"""The tutorials' dropout experiment: the seed MLP trained once per dropout rate, one after another, into a ``RunLog``.

Example:
    >>> from nnteach.training.dropout import DropoutExperiment
    >>> DropoutExperiment.run_name(0.2)
    'rate=0.2'
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence

from nnteach.hosting import hosted_limits
from nnteach.training.run import MAX_EPOCHS, Mnist, TrainingRun, check_int, load_data
from nnteach.training.runlog import RunLog
from nnteach.training.seed_model import seed_mlp

__all__ = ["DropoutExperiment", "dropout_experiment"]


class DropoutExperiment:
    """Train the seed MLP once per dropout rate, one after another, into a ``RunLog``.

    Runs are named ``rate=0.2`` and so on. ``stop()`` ends the current run and skips the
    rest. ``on_batch`` / ``on_run`` are called with the experiment (``current`` is the
    running ``TrainingRun``).

    Example:
        >>> log = DropoutExperiment(rates=(0.0, 0.5), epochs=1, subset=300).run()
        >>> log.names, log["rate=0.5"].settings["rate"]
        (['rate=0', 'rate=0.5'], 0.5)
    """

    def __init__(
        self,
        rates: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8),
        epochs: int = 5,
        subset: int | None = None,
        *,
        batch_size: int = 32,
        seed: int = 0,
        data: Mnist | None = None,
        log: RunLog | None = None,
        on_batch: Callable[[DropoutExperiment], None] | None = None,
        on_run: Callable[[DropoutExperiment], None] | None = None,
    ) -> None:
        rates = tuple(rates)
        if not rates or not all(isinstance(r, int | float) and not isinstance(r, bool) and 0 <= r < 1 for r in rates):
            raise ValueError(
                f"Expected dropout rates from 0 up to (not including) 1. Received: rates={rates!r}. "
                "Use e.g. (0.0, 0.2, 0.4, 0.6, 0.8)."
            )
        check_int("epochs", epochs, 1, MAX_EPOCHS, "Train for a few epochs, e.g. 5.")
        limits = hosted_limits()
        if limits is not None:  # refuse at once, not after the first rate's run
            limits.check("epochs", epochs)
            limits.check("batch_size", batch_size)
            if subset is not None:
                limits.check("subset", subset)
        self.rates = tuple(float(rate) for rate in rates)
        self.epochs = epochs
        self.subset = subset
        self.batch_size = batch_size
        self.seed = seed
        self.data = data
        self.log = log if log is not None else RunLog()
        self.on_batch = on_batch
        self.on_run = on_run
        self.current: TrainingRun | None = None
        self.finished = 0
        self._stop_requested = False

    @staticmethod
    def run_name(rate: float) -> str:
        return f"rate={rate:g}"

    @property
    def total_batches(self) -> int:
        per_epoch = self.current.batches_per_epoch if self.current else 0
        return per_epoch * self.epochs * len(self.rates)

    @property
    def batches_done(self) -> int:
        per_run = self.current.total_batches if self.current else 0
        return self.finished * per_run + (self.current.batches_done if self.current else 0)

    def stop(self) -> None:
        """Stop the current run (keeping what it learned) and skip the remaining rates."""
        self._stop_requested = True
        if self.current is not None:
            self.current.stop()

    def steps(self) -> Iterator[None]:
        data = self.data if self.data is not None else load_data()
        for rate in self.rates:
            if self._stop_requested:
                break
            model = seed_mlp(rate, seed=self.seed)
            self.current = TrainingRun(
                model,
                epochs=self.epochs,
                batch_size=self.batch_size,
                subset=self.subset,
                seed=self.seed,
                data=data,
                on_batch=self._batch_done,
            )
            yield from self.current.steps()
            if self.current.history:
                self.log.add(self.run_name(rate), {"rate": rate, **self.current.settings}, self.current.history)
            self.finished += 1
            if self.on_run is not None:
                self.on_run(self)

    def _batch_done(self, _run: TrainingRun) -> None:
        if self.on_batch is not None:
            self.on_batch(self)

    def run(self) -> RunLog:
        """Train every rate, blocking; returns the log."""
        for _ in self.steps():
            pass
        return self.log

    async def run_async(self) -> RunLog:
        """Train every rate, giving the event loop a turn after every batch."""
        for _ in self.steps():
            await asyncio.sleep(0)
        return self.log


def dropout_experiment(
    rates: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8),
    epochs: int = 5,
    subset: int | None = None,
    *,
    batch_size: int = 32,
    seed: int = 0,
    log: RunLog | None = None,
    on_progress: Callable[[DropoutExperiment], None] | None = None,
) -> RunLog:
    """Train the seed MLP at each dropout rate, one after another; returns a ``RunLog``.

    Each run is named ``rate=<rate>`` and has the four curves ``loss``, ``accuracy``,
    ``val_loss``, ``val_accuracy``. ``on_progress`` is called after every batch.

    Example:
        >>> log = dropout_experiment(rates=(0.2,), epochs=1, subset=300)
        >>> sorted(log["rate=0.2"].history)
        ['accuracy', 'loss', 'val_accuracy', 'val_loss']
    """
    experiment = DropoutExperiment(
        rates, epochs, subset, batch_size=batch_size, seed=seed, log=log, on_batch=on_progress
    )
    return experiment.run()

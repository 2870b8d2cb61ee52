"""Progress of long work in words: batches per epoch, time left, and where a stopped run ended.

UI-free: ``TrainingMonitor`` and ``RunComparison`` show these sentences; tests check them
with plain numbers. The time left is estimated only after a few batches, from the speed
after a warm-up (the first batches include TensorFlow tracing the model), so a learner
never reads "2:12:38 left" from a slow first batch.

Example:
    >>> batches_per_epoch(60_000, 32)
    1875
    >>> progress = RunProgress(epochs=3, batches_per_epoch=1875, batches_done=340, stopped=True)
    >>> progress.stopped_sentence()
    'Stopped in epoch 1 at batch 340 of 1,875 (a partial epoch).'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from nnteach.i18n import _

__all__ = ["RunProgress", "TimeLeft", "batches_per_epoch", "clock"]


def batches_per_epoch(images: int, batch_size: int) -> int:
    """How many batches one epoch over ``images`` images takes (the last batch may be smaller).

    Example:
        >>> batches_per_epoch(2000, 32), batches_per_epoch(64, 32)
        (63, 2)
    """
    if images < 0 or batch_size < 1:
        raise ValueError(
            _(
                "Expected at least 0 images and a batch size of at least 1. Received images={images}, batch_size={batch_size}. Use e.g. 60000 images in batches of 32."
            ).format(images=images, batch_size=batch_size)
        )
    return math.ceil(images / batch_size)


def clock(seconds: float | None) -> str:
    """``seconds`` as ``m:ss`` or ``h:mm:ss``; ``…`` when unknown.

    Example:
        >>> clock(75), clock(3725), clock(None)
        ('1:15', '1:02:05', '…')
    """
    if seconds is None or not math.isfinite(seconds):
        return "…"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TimeLeft:
    """Estimate the seconds left from the speed measured after a warm-up of a few batches.

    ``update(done, now)`` is called with the batches done so far and a clock reading; it
    returns None until ``warmup + measure`` batches are done.

    Example:
        >>> eta = TimeLeft(total=100, warmup=2, measure=4)
        >>> [eta.update(done, now=float(done)) for done in (1, 2, 4)]
        [None, None, None]
        >>> eta.update(6, now=6.0)
        94.0
    """

    def __init__(self, total: int, *, warmup: int = 5, measure: int = 10) -> None:
        self.total = total
        self.warmup = warmup
        self.measure = measure
        self._anchor: tuple[int, float] | None = None

    def update(self, done: int, now: float) -> float | None:
        """Seconds left after ``done`` of ``total`` batches at clock reading ``now`` (None: too early)."""
        if done < self.warmup:
            return None
        if self._anchor is None:
            self._anchor = (done, now)
        anchor_done, anchor_time = self._anchor
        if done - anchor_done < self.measure:
            return None
        per_batch = (now - anchor_time) / (done - anchor_done)
        return per_batch * max(self.total - done, 0)


@dataclass(frozen=True)
class RunProgress:
    """Where a run is: counted in batches, told in epochs (1-based, as a learner counts).

    ``batches_done`` counts every batch trained; a run stopped mid-epoch ends in a partial
    epoch, which Keras' ``History`` records like a full one.
    """

    epochs: int
    batches_per_epoch: int
    batches_done: int = 0
    loss: float | None = None
    elapsed: float = 0.0
    seconds_left: float | None = None
    stopped: bool = False
    finished: bool = False

    @classmethod
    def of(cls, run: Any, *, seconds_left: float | None = None) -> RunProgress:
        """The progress of a ``TrainingRun`` (or anything with its counters)."""
        losses = run.batch_history.get("loss", [])
        return cls(
            epochs=run.epochs,
            batches_per_epoch=run.batches_per_epoch,
            batches_done=run.batches_done,
            loss=losses[-1] if losses else None,
            elapsed=run.elapsed,
            seconds_left=seconds_left,
            stopped=run.stopped,
            finished=run.state == "done",
        )

    @property
    def epoch(self) -> int:
        """The epoch being trained, or the last one trained (1-based; 1 before any batch).

        Example:
            >>> RunProgress(epochs=2, batches_per_epoch=63, batches_done=63).epoch
            1
            >>> RunProgress(epochs=2, batches_per_epoch=63, batches_done=64).epoch
            2
        """
        if self.batches_per_epoch < 1 or self.batches_done < 1:
            return 1
        return min(math.ceil(self.batches_done / self.batches_per_epoch), self.epochs)

    @property
    def batch(self) -> int:
        """Batches done in :attr:`epoch`."""
        return max(self.batches_done - (self.epoch - 1) * self.batches_per_epoch, 0)

    @property
    def total_batches(self) -> int:
        return self.batches_per_epoch * self.epochs

    @property
    def partial(self) -> bool:
        """True when the run was stopped inside an epoch (its last history entry is partial)."""
        return self.stopped and 0 < self.batch < self.batches_per_epoch

    def line(self) -> str:
        """One line of progress, e.g. ``Epoch 1 of 3 · batch 340 of 1,875 · loss 0.3124 · 0:12 elapsed, 1:40 left``.

        Example:
            >>> RunProgress(epochs=2, batches_per_epoch=63, batches_done=126, finished=True).line()
            'Epoch 2 of 2 · batch 63 of 63 · 0:00 elapsed, done'
        """
        loss = f" · loss {self.loss:.4f}" if self.loss is not None else ""
        if self.finished:
            left = "done"
        elif self.seconds_left is None:
            left = _("estimating time left…")
        else:
            left = f"{clock(self.seconds_left)} left"
        return _(
            "Epoch {epoch} of {epochs} · batch {batch} of {batches_per_epoch}{loss} · {clock} elapsed, {left}"
        ).format(
            epoch=self.epoch,
            epochs=self.epochs,
            batch=f"{self.batch:,}",
            batches_per_epoch=f"{self.batches_per_epoch:,}",
            loss=loss,
            clock=clock(self.elapsed),
            left=left,
        )

    def stopped_sentence(self) -> str:
        """Where Stop ended the run: the epoch, the batch in it, and whether that epoch is partial.

        Example:
            >>> RunProgress(epochs=3, batches_per_epoch=63, batches_done=63, stopped=True).stopped_sentence()
            'Stopped after epoch 1 of 3 (a complete epoch).'
        """
        if self.batches_done == 0:
            return _("Stopped before the first batch; nothing was trained (0 of {epochs} epochs).").format(
                epochs=self.epochs
            )
        if self.partial:
            return _("Stopped in epoch {epoch} at batch {batch} of {batches_per_epoch} (a partial epoch).").format(
                epoch=self.epoch, batch=f"{self.batch:,}", batches_per_epoch=f"{self.batches_per_epoch:,}"
            )
        return _("Stopped after epoch {epoch} of {epochs} (a complete epoch).").format(
            epoch=self.epoch, epochs=self.epochs
        )

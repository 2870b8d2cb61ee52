"""nnteach.progress: batches per epoch, where a run is, where a stopped run ended, and the time left."""

from __future__ import annotations

import pytest

from nnteach.progress import RunProgress, TimeLeft, batches_per_epoch, clock


@pytest.mark.parametrize(("images", "batch_size"), [(60_000, 32), (2000, 32), (300, 32), (64, 32), (1, 4096), (0, 8)])
def test_batches_per_epoch_counts_the_batches_of_a_slice_loop(images: int, batch_size: int) -> None:
    assert batches_per_epoch(images, batch_size) == len(range(0, images, batch_size))


def test_a_bad_batch_size_is_one_sentence() -> None:
    with pytest.raises(ValueError, match=r"batch size of at least 1\. Received images=10, batch_size=0"):
        batches_per_epoch(10, 0)


@pytest.mark.parametrize(
    ("done", "epoch", "batch"),
    [(0, 1, 0), (1, 1, 1), (1874, 1, 1874), (1875, 1, 1875), (1876, 2, 1), (2215, 2, 340), (5625, 3, 1875)],
)
def test_epoch_and_batch_are_counted_as_a_learner_counts(done: int, epoch: int, batch: int) -> None:
    progress = RunProgress(epochs=3, batches_per_epoch=1875, batches_done=done)
    assert (progress.epoch, progress.batch) == (epoch, batch)


def test_the_stop_sentence_names_the_epoch_the_batch_and_a_partial_epoch() -> None:
    def stopped(done: int) -> str:
        return RunProgress(epochs=3, batches_per_epoch=1875, batches_done=done, stopped=True).stopped_sentence()

    assert stopped(340) == "Stopped in epoch 1 at batch 340 of 1,875 (a partial epoch)."  # issue 15 item 3
    assert stopped(1875 + 340) == "Stopped in epoch 2 at batch 340 of 1,875 (a partial epoch)."
    assert stopped(1875) == "Stopped after epoch 1 of 3 (a complete epoch)."
    assert stopped(0).startswith("Stopped before the first batch")
    assert RunProgress(epochs=3, batches_per_epoch=1875, batches_done=340, stopped=True).partial
    assert not RunProgress(epochs=3, batches_per_epoch=1875, batches_done=340).partial, "running is not partial"


def test_the_progress_line_waits_for_an_estimate() -> None:
    running = RunProgress(epochs=3, batches_per_epoch=1875, batches_done=2, loss=2.25, elapsed=14.0)
    assert running.line() == "Epoch 1 of 3 · batch 2 of 1,875 · loss 2.2500 · 0:14 elapsed, estimating time left…"
    estimated = RunProgress(epochs=3, batches_per_epoch=1875, batches_done=2215, elapsed=75.0, seconds_left=125.4)
    assert estimated.line().endswith("Epoch 2 of 3 · batch 340 of 1,875 · 1:15 elapsed, 2:05 left"[-30:])


def test_time_left_ignores_the_slow_first_batches() -> None:
    """Issue 15 item 4: a 14 s first batch (TensorFlow tracing) must not make "2:12:38 left"."""
    eta = TimeLeft(total=5625, warmup=5, measure=10)
    now, estimates = 14.0, []  # the first batch took 14 s, every later one 0.02 s
    for done in range(1, 40):
        estimates.append(eta.update(done, now))
        now += 0.02
    assert estimates[:14] == [None] * 14
    assert estimates[-1] == pytest.approx(0.02 * (5625 - 39))


def test_clock() -> None:
    assert [clock(0), clock(59.6), clock(61), clock(7958)] == ["0:00", "1:00", "1:01", "2:12:38"]
    assert clock(float("inf")) == clock(None) == "…"

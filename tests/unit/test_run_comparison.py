"""RunComparison: overlays what a RunLog holds, metric picker, axis limits, and the dropout experiment."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from nnteach.training import RunLog
from nnteach.widgets import RunComparison


def _log() -> RunLog:
    log = RunLog()
    log.add("rate=0", {"rate": 0.0}, {"accuracy": [0.9, 0.95], "val_accuracy": [0.93, 0.94], "loss": [0.4, 0.2]})
    log.add("rate=0.5", {"rate": 0.5}, {"accuracy": [0.85, 0.9], "val_accuracy": [0.92, 0.95]})
    return log


def test_lines_follow_the_metric_picker_and_the_log() -> None:
    log = _log()
    view = RunComparison(log)
    assert view.run_names == ("rate=0", "rate=0.5")
    lines = view._axes.get_lines()
    assert [line.get_label() for line in lines] == ["rate=0", "rate=0.5"]
    assert list(lines[1].get_ydata()) == [0.92, 0.95]
    assert view._axes.get_ylim() == pytest.approx((0.89, 1.0))
    before = view.plot.value
    view.metric_picker.set_state({"index": 0})  # the browser sends the index of "loss"
    assert view.metric == "loss"
    assert view.run_names == ("rate=0",)  # only runs that recorded the loss
    assert view._axes.get_ylim() == pytest.approx((0.0, 0.42))
    assert view.plot.value != before
    log.add("homework", {}, {"loss": [0.5, 0.3, 0.2]})
    assert view.run_names == ("rate=0", "homework")
    assert view._axes.get_xlim() == (0.5, 3.5)
    view.ylim = (0.1, 0.6)
    assert view._axes.get_ylim() == (0.1, 0.6)
    with pytest.raises(ValueError, match="low < high"):
        view.ylim = (1.0, 0.0)
    with pytest.raises(Exception, match="val_acc"):
        view.metric = "val_acc"


def test_a_log_loaded_from_a_file_is_shown(tmp_path: Any) -> None:
    path = _log().save(tmp_path / "homework.json")
    view = RunComparison(RunLog.load(path), metric="accuracy")
    assert view.run_names == ("rate=0", "rate=0.5")


@pytest.mark.keras
@pytest.mark.mnist
def test_the_dropout_experiment_button_fills_the_comparison(mnist: Any) -> None:
    (x_train, y_train), (x_test, y_test) = mnist
    data = (x_train[:300], y_train[:300]), (x_test[:500], y_test[:500])

    async def scenario() -> RunComparison:
        view = RunComparison(epochs=1, subset=300, data=data)
        view.start_button.click()
        assert view.state == "training"
        assert view.task is not None
        await view.task
        return view

    view = asyncio.run(scenario())
    assert view.state == "done", view.errors.message
    assert view.run_names == ("rate=0", "rate=0.2", "rate=0.4", "rate=0.6", "rate=0.8")
    for run in view.runs:
        assert sorted(run.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert "Done: 5 runs" in view.progress_label.value
    assert not view.start_button.disabled

"""RunComparison: overlays what a RunLog holds, metric picker, axis limits, loading, and the dropout experiment."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from nnteach.packaged import reference_dropout_runlog
from nnteach.training import RunLog
from nnteach.widgets import RunComparison
from nnteach.widgets.run_comparison import RunComparisonError


def _log() -> RunLog:
    log = RunLog()
    log.add("rate=0", {"rate": 0.0}, {"accuracy": [0.9, 0.95], "val_accuracy": [0.93, 0.94], "loss": [0.4, 0.2]})
    log.add("rate=0.5", {"rate": 0.5}, {"accuracy": [0.85, 0.9], "val_accuracy": [0.92, 0.95]})
    return log


def _from_browser(widget: Any, data: dict[str, Any]) -> None:
    """A crafted comm message from the front end, through the widget's comm."""
    widget.comm.handle_msg({"content": {"data": data}, "buffers": []})


def test_lines_follow_the_metric_picker_and_the_log() -> None:
    log = _log()
    view = RunComparison(log)
    axes = view.plot.figure.axes[0]
    assert view.run_names == ("rate=0", "rate=0.5")
    lines = axes.get_lines()
    assert [line.get_label() for line in lines] == ["rate=0", "rate=0.5"]
    assert list(lines[1].get_ydata()) == [0.92, 0.95]
    assert axes.get_ylim() == pytest.approx((0.89, 1.0))
    before = view.plot.value
    view.metric_picker.set_state({"index": 0})  # the browser sends the index of "loss"
    assert view.metric == "loss"
    assert view.run_names == ("rate=0",)  # only runs that recorded the loss
    assert axes.get_ylim() == pytest.approx((0.0, 0.42))
    assert view.plot.value != before
    drawn = view.render_count
    log.add("homework", {}, {"loss": [0.5, 0.3, 0.2]})
    assert view.render_count == drawn + 1
    assert view.run_names == ("rate=0", "homework")
    assert axes.get_xlim() == (0.5, 3.5)
    assert list(axes.get_xticks()) == [1, 2, 3], "whole epochs only"
    view.ylim = (0.1, 0.6)
    assert axes.get_ylim() == (0.1, 0.6)
    with pytest.raises(ValueError, match="low < high"):
        view.ylim = (1.0, 0.0)
    with pytest.raises(RunComparisonError):
        view.ylim = (1.0, 0.0)
    with pytest.raises(Exception, match="val_acc"):
        view.metric = "val_acc"
    view.close()
    assert view.plot.comm is None and view.start_button.comm is None
    log.add("after close", {}, {"loss": [0.1]})  # the closed view no longer listens
    assert view.run_names == ("rate=0", "homework")


def test_an_empty_comparison_shows_real_axes_and_a_hint() -> None:
    view = RunComparison(metric="val_loss", epochs=1)
    axes = view.plot.figure.axes[0]
    assert list(axes.get_xticks()) == [1], "one epoch: no 0.6…1.4 ticks"
    assert axes.get_ylim() == (0.0, 2.5)
    assert [text.get_text() for text in axes.texts] == ["No runs yet: press Run dropout experiment, or load a run log."]
    view.metric = "val_accuracy"
    assert axes.get_ylim() == (0.0, 1.0)
    view.close()


def test_a_log_loaded_from_a_file_is_shown(tmp_path: Any) -> None:
    path = _log().save(tmp_path / "homework.json")
    view = RunComparison(RunLog.load(path), metric="accuracy")
    assert view.run_names == ("rate=0", "rate=0.5")
    view.close()


def test_the_packaged_experiment_is_read_only_even_for_a_crafted_click() -> None:
    packaged = reference_dropout_runlog()
    before = {run.name: dict(run.history) for run in packaged}
    view = RunComparison(runs=packaged, metric="val_loss")
    assert not view.can_run
    with pytest.raises(ValueError, match="read-only"):
        view.run_experiment()
    _from_browser(view.start_button, {"method": "custom", "content": {"event": "click"}})
    assert view.state == "idle" and view.task is None
    assert {run.name: dict(run.history) for run in packaged} == before
    assert view.run_names == tuple(before)
    view.close()


def test_loading_a_log_with_a_bad_run_keeps_the_rest_and_redraws_once(tmp_path: Any) -> None:
    runs = [{"name": f"run {i}", "settings": {}, "history": {"val_loss": [0.5, 0.4 - i / 1000]}} for i in range(50)]
    runs.insert(3, {"name": "", "settings": {}, "history": {"val_loss": [0.3]}})
    path = tmp_path / "homework.json"
    path.write_text(json.dumps({"format": "nnteach-runlog", "version": 1, "runs": runs}), encoding="utf-8")
    view = RunComparison(_log(), metric="val_loss")
    drawn = view.render_count
    shown = view.load_runs(RunLog.load(path))
    assert view.render_count == drawn + 1, "one redraw per load, not one per run"
    assert shown == view.run_names == tuple(f"run {i}" for i in range(50))
    assert (
        view.errors.message
        == 'Showing 50 runs; left out 1: Run 4 has an empty name. Expected a name such as "rate=0.2".'
    )
    only_bad = tmp_path / "bad.json"
    only_bad.write_text(json.dumps({"format": "nnteach-runlog", "version": 1, "runs": runs[3:4]}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"No run of that log can be shown\. Run 1 has an empty name"):
        view.load_runs(RunLog.load(only_bad))
    assert len(view.run_names) == 50, "the runs shown before stay"
    view.close()


@pytest.mark.keras
@pytest.mark.mnist
def test_the_dropout_experiment_button_fills_a_new_comparison_and_a_stop_says_what_is_partial(mnist: Any) -> None:
    (x_train, y_train), (x_test, y_test) = mnist
    data = (x_train[:300], y_train[:300]), (x_test[:500], y_test[:500])

    async def scenario() -> tuple[RunComparison, RunLog]:
        view = RunComparison(epochs=1, subset=300, data=data, rates=(0.0, 0.2, 0.5))
        assert view.can_run
        view.start_button.click()
        assert (view.state, view.progress) == ("loading", "Loading Keras…")
        assert view.task is not None
        await view.task
        first = view.runs
        assert view.state == "done", view.errors.message
        assert view.progress == view.outcome == "Done: 3 runs."
        # a second experiment, stopped in its second run, goes into a log of its own
        task = view.run_experiment(epochs=2)
        while view.state != "training" or view.experiment is None or view.experiment.batches_done < 2 * 10 + 5:
            await asyncio.sleep(0)
        view.stop_button.click()
        assert task is not None
        await task
        return view, first

    view, first = asyncio.run(scenario())
    assert first.names == ["rate=0", "rate=0.2", "rate=0.5"]
    for run in first:
        assert sorted(run.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
        assert len(run.history["val_loss"]) == 1, "the first experiment's runs are left as they were"
    assert view.state == "stopped", view.errors.message
    assert view.runs is not first
    assert view.run_names == ("rate=0", "rate=0.2 (partial)"), "no stale curves of the earlier experiment"
    assert view.outcome == (
        "Stopped. Complete (2 epochs each): rate=0. Partial: rate=0.2 (stopped in epoch 1 at batch 5 of 10). "
        "Not run: rate=0.5."
    )
    assert view.progress == view.outcome
    assert view.runs["rate=0.2 (partial)"].settings["partial"] is True
    assert not view.start_button.disabled
    view.close()


def test_the_experiment_keeps_to_the_class_servers_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    """RunComparison ignored the hosted caps before: its boxes went to 1,000 epochs and 60,000 images."""
    monkeypatch.setenv("NNTEACH_HOSTED", "1")
    monkeypatch.setenv("NNTEACH_MAX_EPOCHS", "3")
    view = RunComparison()
    view.epochs_box.set_state({"value": "99"})  # the box takes what was typed; the kernel caps it, saying so
    assert view.epochs == 3 and view.epochs_box.value == "3"
    assert view.errors.message.startswith("The class server caps epochs at 3. Received: epochs=99.")
    assert (view.epochs, view.subset) == (3, 10_000), "the default 5 epochs and all images are lowered to the caps"
    view.errors.clear()
    view.epochs = 50  # as code in a cell would
    assert view.epochs == 3 and view.epochs_box.value == "3"
    assert view.errors.message.startswith("The class server caps epochs at 3. Received: epochs=50.")
    view.close()


def test_the_old_progress_label_still_works_and_says_which_trait_to_read() -> None:
    view = RunComparison()
    with pytest.deprecated_call(match=r"RunComparison\.progress_label is deprecated; use RunComparison\.progress"):
        assert view.progress_label.value == ""
    view.close()


def test_an_empty_comparison_speaks_the_language() -> None:
    from nnteach import set_language

    set_language("ja")
    try:
        view = RunComparison()
        axes = view.plot.figure.axes[0]
        assert axes.get_xlabel() == "エポック"
        assert any(text.get_text().startswith("まだ実行がありません") for text in axes.texts)
        view.close()
    finally:
        set_language(None)

"""nnteach.curves: what the plots show before, during and after training, and for several runs."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from nnteach.curves import COMPARISON_HINT, TRAINING_HINT, comparison_curves, epoch_ticks, training_curves


def test_an_empty_training_plot_has_real_axes_and_a_hint() -> None:
    """Issue 15 item 11: not matplotlib's −0.04…0.04."""
    plan = training_curves({"loss": [], "accuracy": []}, {}, epochs=5, batches_per_epoch=1875)
    assert plan.xticks == (1, 2, 3, 4, 5)
    assert plan.xlim[0] == 0.0 and plan.xlim[1] >= 5
    assert plan.ylim == {"loss": (0.0, 2.5), "accuracy": (0.0, 1.0)}
    assert plan.hint == TRAINING_HINT
    assert all(len(line.x) == 0 for lines in plan.series.values() for line in lines)


def test_running_curves_restart_each_epoch_and_epoch_points_sit_on_whole_epochs() -> None:
    batch = {"loss": [2.0, 1.0, 0.8, 0.6, 0.5], "accuracy": [0.1, 0.5, 0.7, 0.8, 0.85]}
    history = {"loss": [1.0, 0.55], "val_loss": [0.9, 0.5], "accuracy": [0.5, 0.82], "val_accuracy": [0.6, 0.86]}
    plan = training_curves(batch, history, epochs=3, batches_per_epoch=2, partial_batches=1)
    running, per_epoch, validation = plan.series["loss"]
    np.testing.assert_array_equal(running.x, [0.5, 1.0, np.nan, 1.5, 2.0, np.nan, 2.5])
    np.testing.assert_array_equal(running.y, [2.0, 1.0, np.nan, 0.8, 0.6, np.nan, 0.5])
    assert per_epoch.x.tolist() == [1.0, 1.5], "the partial second epoch sits where it stopped (batch 1 of 2)"
    assert validation.y.tolist() == [0.9, 0.5]
    assert plan.partial_x == 1.5 and plan.hint == ""
    assert plan.ylim["loss"] == pytest.approx((0.0, 2.1))
    assert plan.ylim["accuracy"][1] == 1.0 and plan.ylim["accuracy"][0] == pytest.approx(0.48)


def test_epoch_ticks_are_whole_and_at_most_ten() -> None:
    assert epoch_ticks(1) == (1,)
    assert len(epoch_ticks(100)) == 10 and all(isinstance(tick, int) for tick in epoch_ticks(100))


def test_comparison_axes_for_runs_and_for_none() -> None:
    runs = [
        SimpleNamespace(name="rate=0", history={"val_loss": [0.3, 0.2, 0.25], "val_accuracy": [0.91, 0.95, 0.96]}),
        SimpleNamespace(name="rate=0.5", history={"val_accuracy": [0.88, math.nan]}),
    ]
    plan = comparison_curves(runs, "val_accuracy")
    assert [line.label for line in plan.lines] == ["rate=0", "rate=0.5"]
    assert plan.xlim == (0.5, 3.5) and plan.xticks == (1, 2, 3)
    assert plan.ylim == pytest.approx((0.84, 1.0))
    assert comparison_curves(runs, "val_loss").ylim == pytest.approx((0.0, 0.315))
    assert comparison_curves(runs, "val_loss", ylim=(0.1, 0.4)).ylim == (0.1, 0.4)
    empty = comparison_curves([], "val_loss", epochs=1)
    assert (empty.xlim, empty.xticks, empty.ylim, empty.hint) == ((0.5, 1.5), (1,), (0.0, 2.5), COMPARISON_HINT)
    assert comparison_curves([], "accuracy").ylim == (0.0, 1.0)


def test_the_hints_and_titles_speak_the_chosen_language() -> None:
    """The plan's hint is translated when the plan is made; the monitor's panels say loss and accuracy in that language."""
    from nnteach import set_language
    from nnteach.widgets._monitor_plots import CurvesPlot

    set_language("ja")
    try:
        assert training_curves({}, {}, epochs=2, batches_per_epoch=1).hint.startswith("「開始」を押してください")
        plot = CurvesPlot()
        assert [axes.get_title() for axes in plot.axes.values()] == ["損失", "正解率"]
        assert plot.axes["loss"].get_xlabel() == "エポック"
        layout = plot.layout
        plot.close()
        layout.close()
        set_language("de")
        assert comparison_curves([], "loss").hint.startswith("Noch keine Läufe")
    finally:
        set_language(None)

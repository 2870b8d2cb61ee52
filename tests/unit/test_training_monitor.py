"""TrainingMonitor driven through its buttons and controls, on a real event loop, with real Keras training."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
import traitlets
from ipywidgets import dlink
from plotted import MODES, is_browser, use_mode

from nnteach.training import METRICS, RunLog, seed_mlp
from nnteach.widgets import TrainingMonitor


def _tiny(mnist: Any, n_train: int = 300, n_test: int = 500) -> Any:
    (x_train, y_train), (x_test, y_test) = mnist
    return (x_train[:n_train], y_train[:n_train]), (x_test[:n_test], y_test[:n_test])


def _from_browser(widget: Any, data: dict[str, Any]) -> None:
    """A crafted comm message from the front end, through the widget's comm (as the kernel delivers it)."""
    widget.comm.handle_msg({"content": {"data": data}, "buffers": []})


class _Trail:
    """(state, progress) after every change of either: what the page showed, in order."""

    def __init__(self, monitor: TrainingMonitor) -> None:
        self.monitor = monitor
        self.seen: list[tuple[str, str, int]] = []
        monitor.observe(self._note, names=["state", "progress"])

    def _note(self, _change: Any) -> None:
        run = self.monitor.run
        self.seen.append((self.monitor.state, self.monitor.progress, run.batches_done if run else 0))

    @property
    def states(self) -> list[str]:
        states: list[str] = []
        for state, _, _ in self.seen:
            if not states or states[-1] != state:
                states.append(state)
        return states


def _drawn(monitor: TrainingMonitor) -> Any:
    """What the curves show: the PNG, or the loss points sent to the browser."""
    curves = monitor.curves
    if hasattr(curves, "figures"):
        return [mark.y.tobytes() for mark in curves.figures["loss"].marks]
    return curves.value


def _partial_point(monitor: TrainingMonitor) -> tuple[list[float], list[float]]:
    """The loss panel's partial-epoch marker: as sent to the browser, or as drawn in the PNG."""
    curves = monitor.curves
    if hasattr(curves, "marks"):
        mark = curves.marks("loss")["partial epoch (stopped)"]
        return [float(x) for x in mark.x], [float(y) for y in mark.y]
    line = curves.lines["partial_loss"]
    return [float(x) for x in line.get_xdata()], [float(y) for y in line.get_ydata()]


@pytest.mark.parametrize("mode", MODES)
def test_an_empty_plot_shows_its_real_axes_and_a_hint_before_start(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    use_mode(monkeypatch, mode)
    monitor = TrainingMonitor(epochs=5)
    curves = monitor.curves

    def axes(metric: str) -> tuple[tuple[float, float], list[float]]:
        """(y range, x ticks) of one panel, as the learner sees them."""
        if is_browser(getattr(curves, "figures", {}).get(metric)):
            x_axis, y_axis = curves.figures[metric].axes
            return (y_axis.scale.min, y_axis.scale.max), list(x_axis.tick_values)
        panel = curves.axes[metric]
        return panel.get_ylim(), list(panel.get_xticks())

    assert axes("loss") == ((0.0, 2.5), [1, 2, 3, 4, 5]), "loss from 0 (not matplotlib's -0.04…0.04), epochs 1…5"
    assert axes("accuracy")[0] == (0.0, 1.0)
    hint = curves.hint if mode == "browser" else curves.hints["loss"].get_text()
    assert hint.startswith("Press Start")
    before = curves.value if mode == "png" else axes("loss")
    monitor.epochs_box.set_state({"value": "3"})  # the learner types 3 epochs: the axis follows
    assert monitor.epochs == 3
    assert axes("loss")[1] == [1, 2, 3]
    assert (curves.value if mode == "png" else axes("loss")) != before
    monitor.close()


def test_browser_curves_carry_the_run_and_mark_a_partial_epoch() -> None:
    """The points sent to the browser are the plan's (curves.training_curves), a stopped epoch marked partial."""
    from nnteach.curves import training_curves
    from nnteach.widgets._monitor_plots import LiveCurvesPlot

    plot = LiveCurvesPlot()
    batch = {"loss": [2.0, 1.0, 0.6, 0.5], "accuracy": [0.3, 0.6, 0.8, 0.85]}
    history = {"loss": [1.0, 0.5], "accuracy": [0.6, 0.85], "val_loss": [0.9], "val_accuracy": [0.7]}
    plot.draw(training_curves(batch, history, epochs=3, batches_per_epoch=2, partial_batches=1))
    loss = plot.marks("loss")
    np.testing.assert_array_equal(loss["training, per epoch"].x, [1.0, 1.5])  # stopped at batch 1 of 2 in epoch 2
    np.testing.assert_array_equal(loss["training, per epoch"].y, [1.0, 0.5])
    np.testing.assert_array_equal(loss["validation (test set)"].y, [0.9])
    np.testing.assert_array_equal(loss["training (running)"].y[:2], [2.0, 1.0])
    assert np.isnan(loss["training (running)"].y[2]), "the running mean restarts each epoch: a gap in the line"
    assert (loss["partial epoch (stopped)"].x.tolist(), loss["partial epoch (stopped)"].y.tolist()) == ([1.5], [0.5])
    assert plot.marks("accuracy")["partial epoch (stopped)"].y.tolist() == [0.85]
    assert plot.hint == ""
    figures = list(plot.figures.values())
    plot.close()
    assert all(f.comm is None and all(m.comm is None for m in f.marks) for f in figures)


def test_close_releases_every_part() -> None:
    monitor = TrainingMonitor()
    parts = [monitor.start_button, monitor.epochs_box, monitor.curves, monitor.confusion, monitor.mistakes]
    monitor.close()
    assert all(part.comm is None for part in parts)
    assert monitor.mistakes.next_button.comm is None, "the grid inside closes its own parts"


def test_the_browser_cannot_write_the_state() -> None:
    monitor = TrainingMonitor()
    _from_browser(monitor, {"method": "update", "state": {"state": "done", "epoch": 7}, "buffer_paths": []})
    assert (monitor.state, monitor.epoch) == ("idle", 0)
    with pytest.raises(traitlets.TraitError):
        monitor.state = "done"  # read-only in the kernel too
    monitor.close()


@pytest.mark.keras
@pytest.mark.mnist
def test_seed_mlp_on_2000_images_for_2_epochs_passes_80_percent_through_the_widget(mnist: Any) -> None:
    runs = RunLog()

    async def scenario() -> tuple[TrainingMonitor, _Trail]:
        monitor = TrainingMonitor(runs=runs)
        trail = _Trail(monitor)
        monitor.epochs_box.set_state({"value": "2"})  # as the learner types them
        monitor.batch_box.set_state({"value": "32"})
        monitor.subset_box.set_state({"value": "2000"})
        monitor.seed_box.set_state({"value": "0"})
        first_curves = _drawn(monitor)
        monitor.start_button.click()
        # issue 15 item 4: at once, before Keras is imported, the page says so and Start is disabled
        assert (monitor.state, monitor.progress) == ("loading", "Loading Keras…")
        assert monitor.start_button.disabled and not monitor.stop_button.disabled
        assert monitor.task is not None
        await monitor.task
        assert _drawn(monitor) != first_curves
        return monitor, trail

    monitor, trail = asyncio.run(scenario())
    assert monitor.state == "done", monitor.errors.message
    assert trail.states == ["loading", "training", "evaluating", "done"]
    # issue 15 item 5: while the test set is evaluated, the page says what it is doing
    assert ("evaluating", "Measuring test accuracy…", 126) in trail.seen
    # issue 15 item 4: no time left is guessed from the first (slow, tracing) batches
    early = [progress for state, progress, done in trail.seen if state == "training" and 0 < done < 15]
    assert early, trail.seen[:5]
    assert all(progress.endswith("estimating time left…") for progress in early), early
    assert any(progress.endswith(" left") and "estimating" not in progress for _, progress, _ in trail.seen)
    assert monitor.epoch == 2
    assert set(monitor.history) == set(METRICS)
    assert monitor.history["val_accuracy"][-1] > 0.80
    evaluated, scored = monitor.test_accuracy
    assert abs(evaluated - scored) <= 1e-4
    assert evaluated == pytest.approx(monitor.history["val_accuracy"][-1], abs=1e-6)  # same model, same test set
    assert monitor.progress.startswith("Epoch 2 of 2 · batch 63 of 63")
    assert f"{evaluated:.2%}" in monitor.outcome
    _, (x_test, y_test) = mnist
    predicted = monitor.model.predict(x_test / 255, verbose=0).argmax(axis=1)
    assert monitor.confusion.total == 10_000
    assert monitor.confusion.correct == int(np.sum(predicted == y_test)) == round(scored * 10_000)
    assert monitor.confusion.counts[4][9] == int(np.sum((y_test == 4) & (predicted == 9)))
    assert monitor.mistakes.count == 10_000 - monitor.confusion.correct
    assert runs.names == ["run 1 (batch 32, 2,000 images)"]
    assert runs.runs[0].history == monitor.history
    assert not monitor.start_button.disabled and monitor.stop_button.disabled
    # the trained model is a plain Keras model that predicts digits
    assert monitor.model.predict(x_test[:50] / 255, verbose=0).shape == (50, 10)
    monitor.close()


@pytest.mark.keras
@pytest.mark.mnist
@pytest.mark.parametrize(
    ("stop_after", "sentence"),
    [
        (5, "Stopped in epoch 1 at batch 5 of 63 (a partial epoch)."),
        (70, "Stopped in epoch 2 at batch 7 of 63 (a partial epoch)."),
    ],
)
def test_stop_says_in_which_epoch_and_batch_and_marks_the_partial_epoch(
    mnist: Any, stop_after: int, sentence: str
) -> None:
    async def scenario() -> tuple[TrainingMonitor, _Trail]:
        monitor = TrainingMonitor(epochs=3, subset=2000, data=_tiny(mnist, 2000, 500))
        trail = _Trail(monitor)
        monitor.start_button.click()
        while monitor.run is None or monitor.run.batches_done < stop_after:  # the kernel is free between batches
            await asyncio.sleep(0)
        monitor.stop_button.click()
        assert monitor.state == "stopping"
        assert monitor.stop_button.disabled
        assert monitor.task is not None
        await monitor.task
        return monitor, trail

    monitor, trail = asyncio.run(scenario())
    assert monitor.run is not None
    assert monitor.run.batches_done == stop_after, "Stop is handled before the next batch"
    assert monitor.state == "stopped", monitor.errors.message
    assert trail.states[-3:] == ["stopping", "evaluating", "stopped"]
    assert any(state == "evaluating" and text == "Measuring test accuracy…" for state, text, _ in trail.seen)
    epochs_seen = stop_after // 63 + 1
    assert {name: len(values) for name, values in monitor.history.items()} == dict.fromkeys(METRICS, epochs_seen)
    assert monitor.outcome.startswith(sentence + " The weights are those after that batch"), monitor.outcome
    assert monitor.progress.startswith(sentence)
    xs, ys = _partial_point(monitor)
    assert xs == pytest.approx([(stop_after - 1) // 63 + (stop_after % 63) / 63])
    assert ys == [monitor.history["loss"][-1]]
    assert monitor.model is monitor.run.model
    monitor.close()


@pytest.mark.keras
@pytest.mark.mnist
def test_a_crafted_state_write_cannot_start_a_second_concurrent_run(mnist: Any) -> None:
    async def scenario() -> tuple[TrainingMonitor, Any]:
        monitor = TrainingMonitor(epochs=2, subset=300, data=_tiny(mnist))
        task = monitor.start()
        while monitor.state != "training":
            await asyncio.sleep(0)
        # issue 16 item 7: a client sets state "idle", re-enables Start and clicks it
        _from_browser(monitor, {"method": "update", "state": {"state": "idle"}, "buffer_paths": []})
        assert monitor.state == "training"
        _from_browser(monitor.start_button, {"method": "update", "state": {"disabled": False}, "buffer_paths": []})
        _from_browser(monitor.start_button, {"method": "custom", "content": {"event": "click"}})
        assert monitor.task is task
        assert monitor.start() is task
        await task
        return monitor, task

    monitor, _ = asyncio.run(scenario())
    assert monitor.state == "done", monitor.errors.message
    assert len(monitor.runs) == 1
    assert monitor.run is not None
    assert monitor.run.batches_done == 2 * 10, "one run of 2 epochs × 10 batches, no other"
    monitor.close()


@pytest.mark.keras
@pytest.mark.mnist
def test_a_nan_loss_shows_one_sentence_and_leaves_the_controls_usable(mnist: Any) -> None:
    from nnteach._tf import import_keras

    keras = import_keras()
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e12), loss="mse", metrics=["accuracy"])
    monitor = TrainingMonitor(model, epochs=2, subset=300, data=_tiny(mnist))
    assert monitor.model is model, "a Keras model given is the model before any Start"
    monitor.start()  # no event loop here: blocking
    assert monitor.state == "error"
    assert "learning rate is probably too high" in monitor.errors.message
    assert "Traceback" not in monitor.errors.value
    assert not monitor.start_button.disabled
    assert monitor.stop_button.disabled
    monitor.close()


@pytest.mark.keras
@pytest.mark.mnist
def test_an_invalid_model_or_builder_is_refused_before_training(mnist: Any) -> None:
    from nnteach._tf import import_keras

    keras = import_keras()
    uncompiled = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    monitor = TrainingMonitor(uncompiled, data=_tiny(mnist))
    monitor.start_button.click()
    assert monitor.state == "error"
    assert monitor.errors.message.startswith("Expected a compiled model")
    assert not monitor.start_button.disabled
    monitor.close()

    class BrokenBuilder:
        def build_model(self) -> Any:
            raise ValueError("Layer 2 (Dropout) has rate 1.5; use a rate below 1.")

    monitor = TrainingMonitor(BrokenBuilder(), data=_tiny(mnist))
    assert monitor.model is None
    monitor.start_button.click()
    assert monitor.state == "error"
    assert monitor.errors.message == "Layer 2 (Dropout) has rate 1.5; use a rate below 1."
    monitor.close()


@pytest.mark.keras
@pytest.mark.mnist
def test_a_builder_is_trained_through_a_fresh_seeded_model_each_start(mnist: Any) -> None:
    class Builder:  # the builder protocol: build_model() returns a fresh compiled model
        built = 0

        def build_model(self) -> Any:
            Builder.built += 1
            return seed_mlp()

    class Receiver(traitlets.HasTraits):
        model = traitlets.Any()

    monitor = TrainingMonitor(Builder(), epochs=1, subset=300, data=_tiny(mnist))
    receiver = Receiver()
    dlink((monitor, "model"), (receiver, "model"))  # how lessons hand the trained model on
    monitor.start()
    first = monitor.model.get_weights()
    assert receiver.model is monitor.model
    monitor.start()
    assert Builder.built == 2
    assert monitor.state == "done"
    assert receiver.model is monitor.model
    for a, b in zip(first, monitor.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # same seed, fresh model: the same result
    monitor.close()


@pytest.mark.keras
@pytest.mark.mnist
def test_save_model_into_the_work_folder_refuses_bad_names(mnist: Any) -> None:
    from nnteach.models import load_saved, saved_models

    monitor = TrainingMonitor(epochs=1, subset=300, data=_tiny(mnist))
    monitor.name_box.value = "my mlp"
    monitor.save_button.click()
    assert "no trained model yet" in monitor.errors.message
    monitor.start()
    assert monitor.state == "done"
    monitor.name_box.value = "../../etc/evil"
    monitor.save_button.click()
    assert "is not allowed" in monitor.errors.message
    assert saved_models() == []
    monitor.name_box.value = "my mlp"
    monitor.save_button.click()
    assert monitor.errors.message == ""
    assert monitor.saved_as == "my mlp.keras"
    assert saved_models() == ["my mlp"]
    x = mnist[1][0][:10] / 255
    np.testing.assert_allclose(
        load_saved("my mlp").predict(x, verbose=0), monitor.model.predict(x, verbose=0), rtol=1e-6
    )
    monitor.close()


@pytest.mark.keras
@pytest.mark.mnist
def test_saving_under_a_taken_name_asks_and_never_replaces_silently(mnist: Any) -> None:
    from nnteach.models import load_saved, save_model, saved_models
    from nnteach.training import seed_mlp

    classmate = seed_mlp(seed=7)  # another model already saved as "my mlp"
    save_model(classmate, "my mlp")
    monitor = TrainingMonitor(epochs=1, subset=300, data=_tiny(mnist))
    monitor.start()
    monitor.name_box.value = "my mlp"
    monitor.save_button.click()
    assert "already names a saved model" in monitor.errors.message
    assert monitor.name_box.value == "my mlp 2"
    for kept, original in zip(load_saved("my mlp").get_weights(), classmate.get_weights(), strict=True):
        np.testing.assert_array_equal(kept, original)  # the saved model is untouched
    monitor.save_button.click()  # pressing Save again keeps both
    assert monitor.errors.message == ""
    assert saved_models() == ["my mlp", "my mlp 2"]
    monitor.name_box.value = "my mlp"
    monitor.save_button.click()
    monitor.replace_button.click()  # the button the refusal shows: replace on purpose
    assert monitor.errors.message == ""
    assert monitor.saved_as == "my mlp.keras"
    for replaced, trained in zip(load_saved("my mlp").get_weights(), monitor.model.get_weights(), strict=True):
        np.testing.assert_array_equal(replaced, trained)
    monitor.close()


@pytest.mark.keras
@pytest.mark.mnist
def test_the_trained_model_is_accepted_by_digit_canvas(mnist: Any) -> None:
    from nnteach.widgets import DigitCanvas

    monitor = TrainingMonitor(epochs=1, subset=2000, data=_tiny(mnist, 2000, 500))
    monitor.start()
    assert monitor.state == "done"
    canvas = DigitCanvas(model=monitor.model)
    canvas.add_stroke([(140, 40), (140, 240)])
    assert canvas.image is not None
    expected = monitor.model.predict(canvas.image[np.newaxis], verbose=0)[0]
    np.testing.assert_allclose(canvas.probabilities, expected, rtol=1e-5, atol=1e-6)
    assert canvas.prediction == int(expected.argmax())
    canvas.close()
    monitor.close()


def test_old_child_names_still_work_and_say_which_trait_to_read() -> None:
    monitor = TrainingMonitor()
    with pytest.deprecated_call(match=r"TrainingMonitor\.results is deprecated; use TrainingMonitor\.outcome"):
        assert monitor.results.value == ""
    with pytest.deprecated_call(match="use TrainingMonitor.state"):
        assert "State: <b>idle</b>" in monitor.state_label.value
    for old in ("progress_label", "overall_bar", "epoch_bar"):
        with pytest.deprecated_call(match="use TrainingMonitor.progress"):
            getattr(monitor, old)
    with pytest.deprecated_call(match="use TrainingMonitor.saved_as"):
        assert monitor.save_status.value == ""
    monitor.close()


def test_what_start_trains_is_a_trait_and_nothing_is_built_before_start() -> None:
    class Builder:
        def build_model(self) -> Any:
            raise AssertionError("nothing is built before Start")

    monitor = TrainingMonitor(Builder())
    assert monitor.model is None
    given = object()  # a model given directly is the model until a Start trains it
    monitor.source = given
    assert monitor.model is given
    monitor.close()

"""TrainingMonitor driven through its buttons and controls, on a real event loop, with real Keras training."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest

from nnteach.training import METRICS, RunLog, seed_mlp
from nnteach.widgets import TrainingMonitor

pytestmark = [pytest.mark.keras, pytest.mark.mnist]


def _tiny(mnist: Any, n_train: int = 300, n_test: int = 500) -> Any:
    (x_train, y_train), (x_test, y_test) = mnist
    return (x_train[:n_train], y_train[:n_train]), (x_test[:n_test], y_test[:n_test])


def test_seed_mlp_on_2000_images_for_2_epochs_passes_80_percent_through_the_widget(mnist: Any) -> None:
    runs = RunLog()

    async def scenario() -> TrainingMonitor:
        monitor = TrainingMonitor(runs=runs)
        monitor.epochs_box.set_state({"value": 2})  # as the learner types them
        monitor.batch_box.set_state({"value": 32})
        monitor.subset_box.set_state({"value": 2000})
        monitor.seed_box.set_state({"value": 0})
        first_curves = monitor.curves.value
        monitor.start_button.click()
        assert monitor.state == "training"
        assert monitor.start_button.disabled and not monitor.stop_button.disabled
        assert monitor.task is not None
        await monitor.task
        assert monitor.curves.value != first_curves
        return monitor

    monitor = asyncio.run(scenario())
    assert monitor.state == "done", monitor.errors.message
    assert monitor.epoch == 2
    assert set(monitor.history) == set(METRICS)
    assert monitor.history["val_accuracy"][-1] > 0.80
    evaluated, scored = monitor.test_accuracy
    assert abs(evaluated - scored) <= 1e-4
    assert evaluated == pytest.approx(monitor.history["val_accuracy"][-1], abs=1e-6)  # same model, same test set
    assert "Epoch 2 of 2 · batch 63 of 63" in monitor.progress_label.value
    assert monitor.overall_bar.value == monitor.overall_bar.max == 126
    assert f"{evaluated:.2%}" in monitor.results.value
    assert monitor.confusion.value[:4] == b"\x89PNG"
    wrong = round((1 - scored) * 10_000)
    assert monitor.mistakes.count == wrong
    assert runs.names == ["run 1 (batch 32, 2,000 images)"]
    assert runs.runs[0].history == monitor.history
    assert not monitor.start_button.disabled and monitor.stop_button.disabled
    # the trained model is a plain Keras model that predicts digits
    x_test = mnist[1][0][:50] / 255
    assert monitor.model.predict(x_test, verbose=0).shape == (50, 10)


def test_stop_button_mid_epoch_ends_within_one_batch_and_keeps_history(mnist: Any) -> None:
    async def scenario() -> TrainingMonitor:
        monitor = TrainingMonitor(epochs=3, subset=2000, data=_tiny(mnist, 2000, 500))
        monitor.start_button.click()
        assert monitor.run is not None
        while monitor.run.batches_done < 5:  # the kernel is free between batches: "click" Stop now
            await asyncio.sleep(0)
        monitor.stop_button.click()
        assert monitor.state == "stopping"
        assert monitor.stop_button.disabled
        assert monitor.task is not None
        await monitor.task
        return monitor

    monitor = asyncio.run(scenario())
    assert monitor.run is not None
    assert monitor.run.batches_done == 5
    assert monitor.state == "done"
    assert {name: len(values) for name, values in monitor.history.items()} == dict.fromkeys(METRICS, 1)
    assert "Stopped after 1 of 3 epochs" in monitor.results.value
    assert monitor.model is monitor.run.model


def test_a_nan_loss_shows_one_sentence_and_leaves_the_controls_usable(mnist: Any) -> None:
    from nnteach._tf import import_keras

    keras = import_keras()
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e12), loss="mse", metrics=["accuracy"])
    monitor = TrainingMonitor(model, epochs=2, subset=300, data=_tiny(mnist))
    monitor.start()  # no event loop here: blocking
    assert monitor.state == "error"
    assert "learning rate is probably too high" in monitor.errors.message
    assert "Traceback" not in monitor.errors.value
    assert not monitor.start_button.disabled
    assert monitor.stop_button.disabled


def test_an_invalid_model_or_builder_is_refused_before_training(mnist: Any) -> None:
    from nnteach._tf import import_keras

    keras = import_keras()
    uncompiled = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    monitor = TrainingMonitor(uncompiled, data=_tiny(mnist))
    monitor.start_button.click()
    assert monitor.state == "error"
    assert monitor.errors.message.startswith("Expected a compiled model")
    assert not monitor.start_button.disabled

    class BrokenBuilder:
        spec = ()

        @property
        def model(self) -> Any:
            raise ValueError("Layer 2 (Dropout) has rate 1.5; use a rate below 1.")

    monitor = TrainingMonitor(BrokenBuilder(), data=_tiny(mnist))
    monitor.start_button.click()
    assert monitor.state == "error"
    assert monitor.errors.message == "Layer 2 (Dropout) has rate 1.5; use a rate below 1."


def test_a_builder_is_trained_through_a_fresh_seeded_model_each_start(mnist: Any) -> None:
    class Builder:  # the LayerStackBuilder contract: a `spec` and a compiled `model`
        spec = ("Flatten", "Dense(128)", "Dropout(0.2)", "Dense(10)")
        built = 0

        @property
        def model(self) -> Any:
            Builder.built += 1
            return seed_mlp()

    builder = Builder()
    monitor = TrainingMonitor(builder, epochs=1, subset=300, data=_tiny(mnist))
    monitor.start()
    first = monitor.model.get_weights()
    monitor.start()
    assert Builder.built == 2
    assert monitor.state == "done"
    for a, b in zip(first, monitor.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # same seed, fresh model: the same result


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
    assert "my mlp.keras" in monitor.save_status.value
    assert saved_models() == ["my mlp"]
    x = mnist[1][0][:10] / 255
    np.testing.assert_allclose(
        load_saved("my mlp").predict(x, verbose=0), monitor.model.predict(x, verbose=0), rtol=1e-6
    )


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

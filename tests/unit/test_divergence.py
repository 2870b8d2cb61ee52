"""Issue 15 item 16: a diverging loss (learning rate 1000) is explained, not left as a silent 10 %."""

from __future__ import annotations

import math
from typing import Any

import pytest

from nnteach.divergence import GUESSING_LOSS, divergence_sentence


def test_guessing_is_the_cross_entropy_of_a_uniform_answer() -> None:
    assert pytest.approx(-math.log(1 / 10)) == GUESSING_LOSS


@pytest.mark.parametrize("history", [{"loss": [2.3, 0.3]}, {"loss": [0.5, 4.6]}, {}, {"loss": []}])
def test_a_loss_near_or_below_guessing_says_nothing(history: dict[str, list[float]]) -> None:
    assert divergence_sentence(history, 0.001) == ""


def test_a_huge_or_nan_loss_is_explained_with_the_fix() -> None:
    said = divergence_sentence({"loss": [3.1e5, 5.2e8]}, 1000.0)
    assert said.startswith("The loss grew to 5.2e+08 instead of shrinking (guessing at random gives 2.30)")
    assert "with the learning rate 1000 each step overshoots" in said and "Lower the learning rate" in said
    assert divergence_sentence({"loss": [float("nan")]}).startswith("The loss is no longer a number")


@pytest.mark.keras
@pytest.mark.mnist
def test_training_at_learning_rate_1000_says_the_loss_diverged(mnist: Any, closing: Any) -> None:
    from nnteach._tf import import_keras
    from nnteach.widgets import TrainingMonitor

    keras = import_keras()
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1000.0),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    (x_train, y_train), (x_test, y_test) = mnist
    monitor = closing(
        TrainingMonitor(
            model, epochs=1, subset=600, data=((x_train[:600], y_train[:600]), (x_test[:500], y_test[:500]))
        )
    )
    monitor.start()  # no event loop here: blocking
    assert monitor.state == "done", monitor.errors.message
    final = monitor.history["loss"][-1]
    assert not final <= 2 * GUESSING_LOSS, f"the oracle: Keras' own loss diverged ({final})"
    assert "instead of shrinking" in monitor.outcome and "learning rate 1000" in monitor.outcome, monitor.outcome

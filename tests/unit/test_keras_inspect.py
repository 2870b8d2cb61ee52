"""Reading a Keras model: Keras itself says what the input shape, the labels, the outputs and the compile state are."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nnteach.keras_inspect import (
    check_trainable,
    image_input_shape,
    is_compiled,
    is_keras_model,
    outputs_are_probabilities,
    shape_for_model,
    wants_one_hot,
)


def _keras() -> Any:
    from nnteach._tf import import_keras

    return import_keras()


def _model(keras: Any, input_shape: tuple[int, ...], last: str | None = "softmax", units: int = 10) -> Any:
    return keras.Sequential(
        [keras.Input(shape=input_shape), keras.layers.Flatten(), keras.layers.Dense(units, activation=last)]
    )


@pytest.mark.keras
@pytest.mark.parametrize("input_shape", [(28, 28), (784,), (28, 28, 1)])
def test_image_input_shape_is_what_keras_reports_and_the_model_accepts(input_shape: tuple[int, ...]) -> None:
    keras = _keras()
    model = _model(keras, input_shape)
    assert image_input_shape(model) == tuple(model.input_shape[1:]) == input_shape
    images = shape_for_model(model, np.zeros((3, 28, 28), np.float32))
    assert tuple(model(images, training=False).shape) == (3, 10)  # Keras accepts the reshaped batch
    assert is_keras_model(model) and not is_keras_model(object())


@pytest.mark.keras
def test_other_inputs_are_refused_with_one_sentence() -> None:
    keras = _keras()
    with pytest.raises(
        ValueError, match=r"input shape \(28, 28\) or \(784,\)\. Received model 'colour' .*\(32, 32, 3\)"
    ):
        image_input_shape(keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Flatten()], name="colour"))
    first, second = keras.Input(shape=(28, 28)), keras.Input(shape=(28, 28))
    two = keras.Model([first, second], keras.layers.Add()([first, second]), name="two")
    with pytest.raises(ValueError, match=r"one image input\. Received model 'two' with 2 inputs"):
        image_input_shape(two)


@pytest.mark.keras
@pytest.mark.parametrize(
    ("loss", "one_hot"),
    [
        ("sparse_categorical_crossentropy", False),
        ("categorical_crossentropy", True),
        ("SparseCategoricalCrossentropy", False),
        ("CategoricalCrossentropy", True),
    ],
)
def test_wants_one_hot_matches_the_labels_keras_trains_on(loss: str, one_hot: bool) -> None:
    keras = _keras()
    model = _model(keras, (28, 28))
    compiled_loss = getattr(keras.losses, loss)() if loss[0].isupper() else loss
    model.compile(optimizer="adam", loss=compiled_loss)
    assert is_compiled(model)
    assert wants_one_hot(model) is one_hot
    labels = np.array([3, 7])
    targets = np.eye(10, dtype=np.float32)[labels] if wants_one_hot(model) else labels
    # The oracle: Keras trains on the labels in the form we chose, and refuses the other form.
    assert np.isfinite(model.train_on_batch(np.zeros((2, 28, 28), np.float32), targets))
    wrong = labels if one_hot else np.eye(10, dtype=np.float32)[labels]
    with pytest.raises(ValueError, match=r"rank \(ndim\)"):  # Keras' own shape check
        model.train_on_batch(np.zeros((2, 28, 28), np.float32), wrong)


@pytest.mark.keras
def test_logits_or_probabilities_as_keras_computes_them() -> None:
    keras = _keras()
    images = np.random.default_rng(0).random((5, 28, 28), dtype=np.float32)
    softmax_model, logits_model = _model(keras, (28, 28)), _model(keras, (28, 28), last=None)
    assert outputs_are_probabilities(np.asarray(softmax_model(images, training=False)))
    logits = np.asarray(logits_model(images, training=False))
    assert not outputs_are_probabilities(logits)
    assert outputs_are_probabilities(np.asarray(keras.ops.softmax(logits)))


@pytest.mark.keras
def test_check_trainable_refuses_what_keras_could_not_train_here() -> None:
    keras = _keras()
    model = _model(keras, (28, 28))
    assert not is_compiled(model) and model.compiled is False
    with pytest.raises(ValueError, match="Expected a compiled model"):
        check_trainable(model)
    five = _model(keras, (28, 28), units=5)
    five.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"Expected a model with 10 outputs, one per digit\. Received 5 outputs"):
        check_trainable(five)
    model.compile(optimizer="adam", loss={"a": "mse", "b": "mse"})
    with pytest.raises(ValueError, match="one output and one loss"):
        check_trainable(model)
    with pytest.raises(TypeError, match="Expected a Keras model"):
        check_trainable("a model")
    good = _model(keras, (784,))
    good.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    check_trainable(good)


def test_without_keras_nothing_is_imported() -> None:
    class Plain:
        loss = "sparse_categorical_crossentropy"

    assert image_input_shape(Plain()) == (28, 28) and wants_one_hot(Plain()) is False
    assert not is_compiled(Plain())
    assert outputs_are_probabilities([[0.2, 0.8]]) and not outputs_are_probabilities([[0.2, 0.7]])
    assert not outputs_are_probabilities([[-0.5, 1.5]])  # sums to 1 but negative: logits


def test_the_refusals_speak_the_widgets_language() -> None:
    """TrainingMonitor and the canvas show these sentences as they are, so they are in the page's language."""
    from nnteach import set_language

    set_language("de")
    try:
        with pytest.raises(
            TypeError, match=r"Erwartet wird ein Keras-Modell \(oder ein LayerStackBuilder\)\. Erhalten: int\."
        ):
            check_trainable(42)
        set_language("ja")
        with pytest.raises(TypeError, match=r"受け取ったのは str です。"):
            check_trainable("model")
    finally:
        set_language(None)

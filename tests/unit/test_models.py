"""The packaged reference models: NumPy forward pass vs Keras, accuracy on the real test set."""

from __future__ import annotations

import numpy as np
import pytest

from nnteach._tf import import_keras
from nnteach.models import as_pixels, reference_mlp, reference_softmax_regression


def test_reference_mlp_has_the_tutorials_parameter_count() -> None:
    assert reference_mlp().count_params() == 101_770
    kernel, bias, activation = reference_mlp().layers[0]
    assert kernel.shape == (784, 128) and bias.shape == (128,) and activation == "relu"
    assert kernel.size + bias.size == 100_480


@pytest.mark.keras
@pytest.mark.mnist
@pytest.mark.parametrize("factory", [reference_mlp, reference_softmax_regression])
def test_accuracy_on_the_real_test_set_is_what_keras_measures(factory: object, mnist: object) -> None:
    """Keras' own ``evaluate`` on the real 10,000 test images is the oracle, for our NumPy pass and the metadata."""
    (_, _), (x_test, y_test) = mnist  # type: ignore[misc]
    model = factory()  # type: ignore[operator]
    keras = import_keras()
    keras_model = model.to_keras()
    keras_model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=model.outputs_logits), metrics=["accuracy"]
    )
    scores = keras_model.evaluate(x_test.astype(np.float32) / 255.0, y_test, verbose=0, return_dict=True)
    outputs = model.predict(x_test)
    assert outputs.shape == (10_000, 10) and outputs.dtype == np.float32
    accuracy = float(np.mean(outputs.argmax(axis=1) == y_test))
    assert accuracy == pytest.approx(scores["accuracy"], abs=1e-4)
    # What the lessons print as the packaged model's accuracy is what Keras measures today.
    assert model.metadata["test_accuracy"] == pytest.approx(scores["accuracy"], abs=1e-4)
    assert scores["accuracy"] >= (0.978 if factory is reference_mlp else 0.9)


@pytest.mark.mnist
def test_reference_mlp_probabilities_on_the_real_test_set(mnist: object) -> None:
    (_, _), (x_test, _) = mnist  # type: ignore[misc]
    probabilities = reference_mlp().predict(x_test)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert (probabilities >= 0).all()


@pytest.mark.mnist
def test_reference_softmax_regression_returns_logits_and_learned_something(mnist: object) -> None:
    (_, _), (x_test, y_test) = mnist  # type: ignore[misc]
    model = reference_softmax_regression()
    logits = model.predict(x_test[:2000])
    assert model.outputs_logits and model.count_params() == 7_850
    assert (logits < 0).any(), "logits, not probabilities"
    assert float(np.mean(logits.argmax(axis=1) == y_test[:2000])) > 0.88


@pytest.mark.keras
@pytest.mark.mnist
@pytest.mark.parametrize("factory", [reference_mlp, reference_softmax_regression])
def test_numpy_forward_pass_matches_keras(factory: object, mnist: object) -> None:
    (_, _), (x_test, _) = mnist  # type: ignore[misc]
    model = factory()  # type: ignore[operator]
    keras_model = model.to_keras()
    assert keras_model.count_params() == model.count_params()
    images = x_test[:2000]
    expected = np.asarray(keras_model(images.astype(np.float32) / 255.0, training=False))
    # Probabilities agree within 1e-5; logits (tens in size) within float32 rounding of their magnitude.
    rtol = 1e-6 if model.outputs_logits else 0.0
    np.testing.assert_allclose(model.predict(images), expected, atol=1e-5, rtol=rtol)


def test_single_image_and_scaling_rules() -> None:
    model = reference_mlp()
    image = np.zeros((28, 28), np.uint8)
    image[4:24, 13:15] = 255
    as_uint8 = model.predict(image)
    as_float = model.predict(image.astype(np.float32) / 255.0)
    assert as_uint8.shape == (1, 10)
    np.testing.assert_allclose(as_uint8, as_float, atol=1e-6)
    np.testing.assert_allclose(model.predict(image.reshape(784)), as_uint8, atol=1e-6)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.zeros((28, 27)), r"Expected images of shape \(28, 28\) or \(n, 28, 28\)\. Received shape \(28, 27\)"),
        (np.full((28, 28), 255.0), r"Expected float pixels in \[0, 1\].*Divide 0\.\.255 images by 255"),
        (np.full((28, 28), np.nan), "Received NaN or infinity"),
        (np.full((28, 28), 300, np.int64), r"Expected integer pixels in 0\.\.255\. Received values from 300"),
        (np.array([["a"] * 28] * 28), "Expected images as numbers"),
        (np.zeros((28, 28), bool), "Expected images as numbers"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(bad: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        as_pixels(bad)

"""nnteach.explain against real oracles: finite differences in NumPy, and Keras' own gradients (GradientTape)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nnteach import explain
from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.predictors import as_predictor


def _one() -> np.ndarray:
    image = np.zeros((28, 28), np.float32)
    image[6:22, 13:16] = 1.0
    return image


def _seven() -> np.ndarray:
    image = np.zeros((28, 28), np.float32)
    image[6:9, 7:21] = 1.0
    for row in range(9, 23):
        column = 20 - (row - 9) // 2
        image[row, column - 1 : column + 2] = 1.0
    return image


def _noisy(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.0, 1.0, (28, 28)).astype(np.float32)


IMAGES = [_one(), _seven(), _noisy(0), _noisy(1)]


def _scores64(model: Any, image: np.ndarray) -> np.ndarray:
    """Scores before softmax, written out from the weights (float64): the oracle of the forward pass."""
    values = image.reshape(1, 784).astype(np.float64)
    for index, (kernel, bias, activation) in enumerate(model.layers):
        values = values @ kernel.astype(np.float64) + bias
        if index < len(model.layers) - 1 and activation == "relu":
            values = np.maximum(values, 0.0)
    return values[0]


def _cross_entropy64(model: Any, image: np.ndarray, target: int) -> float:
    scores = _scores64(model, image)
    shifted = scores - scores.max()
    return float(np.log(np.exp(shifted).sum()) - shifted[target])


def _finite_difference(function: Any, image: np.ndarray, step: float = 1e-4) -> np.ndarray:
    gradient = np.zeros(784)
    flat = image.astype(np.float64).ravel()
    for index in range(784):
        up, down = flat.copy(), flat.copy()
        up[index] += step
        down[index] -= step
        gradient[index] = (function(up.reshape(28, 28)) - function(down.reshape(28, 28))) / (2 * step)
    return gradient.reshape(28, 28)


# -- without TensorFlow ------------------------------------------------------------------------------
def test_first_layer_images_are_the_kernel_columns_pixel_by_pixel() -> None:
    kernel = reference_mlp().layers[0][0]
    images = explain.first_layer_images(None)
    assert images.shape == (128, 28, 28)
    for unit, row, column in [(0, 0, 0), (5, 3, 17), (127, 27, 27), (64, 14, 2)]:
        assert images[unit, row, column] == kernel[row * 28 + column, unit]


@pytest.mark.parametrize("model", [reference_mlp(), reference_softmax_regression()], ids=["mlp", "regression"])
def test_saliency_matches_finite_differences_of_the_scores(model: Any) -> None:
    image = _noisy(3)  # no pixel at a ReLU kink: finite differences are exact up to rounding
    target = 4
    expected = _finite_difference(lambda x: _scores64(model, x)[target], image)
    np.testing.assert_allclose(explain.saliency(model, image, target), expected, atol=1e-5)


def test_loss_gradient_matches_finite_differences_of_the_cross_entropy() -> None:
    model, image = reference_mlp(), _noisy(4)
    expected = _finite_difference(lambda x: _cross_entropy64(model, x, 2), image)
    np.testing.assert_allclose(explain.input_gradient(model, image, 2, of="loss"), expected, atol=1e-5)


def test_saliency_target_defaults_to_the_predicted_class() -> None:
    predicted = int(reference_mlp().predict(_one()).argmax())
    np.testing.assert_array_equal(explain.saliency(None, _one()), explain.saliency(None, _one(), predicted))


def test_a_predictor_is_opened_to_its_model() -> None:
    np.testing.assert_array_equal(explain.saliency(as_predictor(None), _one(), 1), explain.saliency(None, _one(), 1))


def test_fgsm_moves_each_pixel_by_epsilon_against_the_label_and_stays_in_range() -> None:
    image, model = _seven(), reference_mlp()
    predicted = int(model.predict(image).argmax())
    adversarial = explain.fgsm(None, image, 0.1)
    assert adversarial.dtype == np.float32 and adversarial.min() >= 0.0 and adversarial.max() <= 1.0
    change = adversarial - image
    sign = np.sign(explain.input_gradient(None, image, predicted, of="loss"))
    np.testing.assert_allclose(change, np.clip(image + 0.1 * sign, 0, 1) - image, atol=1e-7)
    assert np.abs(change).max() == pytest.approx(0.1)
    assert _cross_entropy64(model, adversarial, predicted) > _cross_entropy64(model, image, predicted)


def test_flip_epsilon_is_the_first_step_that_changes_the_prediction() -> None:
    model, image = reference_mlp(), _seven()
    epsilon = explain.flip_epsilon(None, image)
    assert epsilon is not None and 0 < epsilon <= 0.3
    before = int(model.predict(image).argmax())
    assert int(model.predict(explain.fgsm(None, image, epsilon)).argmax()) != before
    assert int(model.predict(explain.fgsm(None, image, round(epsilon - 0.01, 2))).argmax()) == before


def test_hidden_activations_and_contributions_add_up_to_the_score() -> None:
    model, image = reference_mlp(), _one()
    hidden = explain.hidden_activations(None, image)
    assert hidden.shape == (1, 128) and hidden.min() >= 0.0
    parts = explain.contributions(None, image, 3)
    bias = model.layers[1][1][3]
    assert float(parts.sum() + bias) == pytest.approx(_scores64(model, image)[3], abs=1e-4)


def test_bad_values_are_one_sentence() -> None:
    with pytest.raises(TypeError, match=r"Expected a model with weights .* Received function"):
        explain.saliency(lambda x: x, _one())
    with pytest.raises(ValueError, match=r"Expected target a class from 0 to 9, or None\. Received 10"):
        explain.saliency(None, _one(), 10)
    with pytest.raises(ValueError, match=r"Expected epsilon between 0 and 1 .* Received -0.1"):
        explain.fgsm(None, _one(), -0.1)
    with pytest.raises(ValueError, match=r"Expected one image of shape \(28, 28\)\. Received 2 images"):
        explain.saliency(None, np.zeros((2, 28, 28), np.float32))
    with pytest.raises(ValueError, match=r"Expected of='score' or of='loss'\. Received of='grad'"):
        explain.input_gradient(None, _one(), of="grad")


# -- against Keras' own gradients ------------------------------------------------------------------------
def _keras_logit_model(numpy_model: Any) -> Any:
    """The same Keras model with the last softmax removed: its outputs are the scores before softmax."""
    keras_model = numpy_model.to_keras()
    keras_model.layers[-1].activation = __import__("keras").activations.linear
    return keras_model


def _tape_gradient(model: Any, image: np.ndarray, value: Any) -> np.ndarray:
    import tensorflow as tf

    x = tf.constant(image[np.newaxis])
    with tf.GradientTape() as tape:
        tape.watch(x)
        result = value(model(x, training=False))
    return tape.gradient(result, x).numpy()[0]


@pytest.mark.keras
@pytest.mark.parametrize("name", ["mlp", "regression"])
def test_numpy_saliency_equals_keras_gradient_tape(name: str) -> None:
    numpy_model = {"mlp": reference_mlp, "regression": reference_softmax_regression}[name]()
    logit_model = _keras_logit_model(numpy_model)
    for image in IMAGES:
        for target in (None, 0, 7):
            chosen = int(np.asarray(logit_model(image[np.newaxis])).argmax()) if target is None else target
            expected = _tape_gradient(logit_model, image, lambda z, c=chosen: z[0, c])
            np.testing.assert_allclose(explain.saliency(numpy_model, image, target), expected, atol=1e-5, rtol=0)


@pytest.mark.keras
def test_numpy_loss_gradient_equals_keras_gradient_of_its_cross_entropy() -> None:
    import keras

    keras_model = reference_mlp().to_keras()  # probabilities out, as trained
    for image in IMAGES:
        for target in (1, 8):
            expected = _tape_gradient(
                keras_model,
                image,
                lambda p, t=target: keras.losses.sparse_categorical_crossentropy(np.array([t]), p)[0],
            )
            np.testing.assert_allclose(
                explain.input_gradient(None, image, target, of="loss"), expected, atol=1e-5, rtol=0
            )


@pytest.mark.keras
def test_a_keras_model_gets_the_same_answers_through_the_backend() -> None:
    import keras

    numpy_model = reference_mlp()
    keras_model = numpy_model.to_keras()
    logit_model = _keras_logit_model(numpy_model)
    np.testing.assert_array_equal(explain.first_layer_images(keras_model), explain.first_layer_images(numpy_model))
    for image in IMAGES[:2]:
        expected = _tape_gradient(logit_model, image, lambda z: z[0, 5])
        np.testing.assert_allclose(explain.saliency(keras_model, image, 5), expected, atol=1e-5, rtol=0)
        np.testing.assert_allclose(explain.saliency(logit_model, image, 5), expected, atol=1e-5, rtol=0)
        expected_loss = _tape_gradient(
            keras_model, image, lambda p: keras.losses.sparse_categorical_crossentropy(np.array([2]), p)[0]
        )
        np.testing.assert_allclose(
            explain.input_gradient(keras_model, image, 2, of="loss"), expected_loss, atol=1e-5, rtol=0
        )
        np.testing.assert_array_equal(
            explain.fgsm(keras_model, image, 0.2, 2) != image, explain.fgsm(None, image, 0.2, 2) != image
        )
    hidden_layer = keras.Model(keras_model.inputs[0], keras_model.layers[1].output)
    np.testing.assert_allclose(
        explain.hidden_activations(keras_model, np.stack(IMAGES)),
        hidden_layer(np.stack(IMAGES)),
        atol=1e-5,
        rtol=2e-6,  # float32: activations reach ~35, where one rounding step is ~4e-6
    )


@pytest.mark.keras
def test_a_separate_softmax_layer_is_seen_through() -> None:
    import keras

    numpy_model = reference_mlp()
    kernel0, bias0, _ = numpy_model.layers[0]
    kernel1, bias1, _ = numpy_model.layers[1]
    model = keras.Sequential(
        [keras.Input((784,)), keras.layers.Dense(128, "relu"), keras.layers.Dense(10), keras.layers.Softmax()]
    )
    model.set_weights([kernel0, bias0, kernel1, bias1])
    image = _seven()
    np.testing.assert_allclose(
        explain.saliency(model, image, 3), explain.saliency(numpy_model, image, 3), atol=1e-5, rtol=0
    )


@pytest.mark.keras
@pytest.mark.mnist
def test_fgsm_flips_real_mnist_digits_read_correctly() -> None:
    from nnteach.data import load_mnist

    (_, _), (x_test, y_test) = load_mnist()
    model = reference_mlp()
    flipped = 0
    for image, label in zip(x_test[:20], y_test[:20], strict=True):
        if int(model.predict(image).argmax()) != label:
            continue
        epsilon = explain.flip_epsilon(None, image)
        if epsilon is not None:
            flipped += 1
            assert int(model.to_keras()(explain.fgsm(None, image, epsilon)[np.newaxis]).numpy().argmax()) != label
            break
    assert flipped


def test_unit_responses_are_mean_hidden_outputs_of_that_digit() -> None:
    model = reference_mlp()
    images = np.stack([_one(), _seven(), _one()])
    kernel, bias, _ = model.layers[0]
    expected = np.maximum(images[[0, 2]].reshape(2, 784) @ kernel + bias, 0).mean(axis=0)
    np.testing.assert_allclose(explain.unit_responses(None, images, [1, 7, 1], 1), expected, atol=1e-5)
    with pytest.raises(ValueError, match=r"Expected images of digit 3 among the ones given"):
        explain.unit_responses(None, images, [1, 7, 1], 3)


def test_shifted_moves_the_ink_and_keeps_the_size() -> None:
    moved = explain.shifted(_one(), right=2, down=-1)
    np.testing.assert_array_equal(moved[5:21, 15:18], _one()[6:22, 13:16])
    assert moved.sum() == _one().sum()

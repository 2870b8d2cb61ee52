"""as_predictor: the reference model, plain callables and a real Keras model give probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import heavy_modules_after
from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.predictors import PredictionResult, Predictor, as_predictor, softmax


def _digits(count: int = 4) -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.random((count, 28, 28), dtype=np.float32)


def test_none_is_the_reference_mlp() -> None:
    images = _digits()
    result = as_predictor(None)(images)
    assert isinstance(result, PredictionResult)
    assert result.probabilities.shape == (4, 10) and result.probabilities.dtype == np.float32
    assert result.from_logits is False
    np.testing.assert_allclose(result.probabilities, reference_mlp().predict(images), atol=1e-6)
    np.testing.assert_array_equal(result.predictions, reference_mlp().predict(images).argmax(axis=1))


def test_object_with_predict_returning_logits_is_softmaxed() -> None:
    model = reference_softmax_regression()
    images = _digits()
    result = as_predictor(model)(images)
    assert result.from_logits is True
    logits = model.predict(images).astype(np.float64)
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(result.probabilities, expected, atol=1e-6)
    np.testing.assert_allclose(result.probabilities.sum(axis=1), 1.0, atol=1e-6)


def test_callable_gets_float_images_and_single_image_is_batched() -> None:
    seen: list[tuple[tuple[int, ...], np.dtype]] = []

    def constant(x: np.ndarray) -> np.ndarray:
        seen.append((x.shape, x.dtype))
        return np.tile(np.linspace(0.01, 0.19, 10), (len(x), 1))

    image = np.zeros((28, 28), np.uint8)
    result = as_predictor(constant)(image)
    assert seen == [((1, 28, 28), np.dtype(np.float32))]
    assert result.from_logits is False
    assert int(result.predictions[0]) == 9


def test_rows_not_summing_to_one_count_as_logits() -> None:
    result = as_predictor(lambda x: np.ones((len(x), 10)) * 3.0)(_digits(2))
    assert result.from_logits is True
    np.testing.assert_allclose(result.probabilities, 0.1, atol=1e-7)


def test_predictor_is_returned_unchanged_and_describes_itself() -> None:
    predictor = as_predictor(None)
    assert as_predictor(predictor) is predictor
    assert isinstance(predictor, Predictor) and "reference" in repr(predictor)


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        (np.zeros((1, 9)), r"10 scores per image.*Received output of shape \(1, 9\).*Dense\(10\)"),
        (np.zeros((3, 10)), r"one row per image \(1\)\. Received 3 rows"),
        (np.full((1, 10), np.nan), "Received NaN or infinity"),
    ],
)
def test_bad_outputs_get_one_clear_sentence(outputs: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        as_predictor(lambda _x: outputs)(np.zeros((28, 28)))


def test_non_numeric_output_and_non_model_are_refused() -> None:
    with pytest.raises(TypeError, match="Expected the model to return numbers"):
        as_predictor(lambda _x: ["a"] * 10)(np.zeros((28, 28)))
    with pytest.raises(TypeError, match=r"Expected a model: None, a Keras model.*Received int: 42"):
        as_predictor(42)


def test_softmax_matches_a_hand_computation() -> None:
    np.testing.assert_allclose(softmax([[0.0, np.log(3.0)]]), [[0.25, 0.75]], atol=1e-7)
    assert softmax([[1000.0, 1000.0]]).tolist() == [[0.5, 0.5]]


def test_checking_for_keras_does_not_import_it() -> None:
    code = (
        "import sys, numpy as np\n"
        "from nnteach.predictors import as_predictor\n"
        "as_predictor(lambda x: np.zeros((len(x), 10)))(np.zeros((28, 28)))\n"
    )
    assert heavy_modules_after(code) == []


@pytest.mark.keras
@pytest.mark.parametrize("input_shape", [(28, 28), (784,), (28, 28, 1)])
def test_small_keras_model_is_called_directly(input_shape: tuple[int, ...]) -> None:
    from nnteach._tf import import_keras

    keras = import_keras()
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Flatten(), keras.layers.Dense(10)])
    images = _digits(3)
    expected = keras.ops.softmax(model.predict(images.reshape((3, *input_shape)), verbose=0)).numpy()

    def slow_predict(*args: object, **kwargs: object) -> None:
        raise AssertionError("model.predict must not be used: its per-call overhead is tens of ms")

    model.predict = slow_predict
    result = as_predictor(model)(images)
    assert result.from_logits is True
    np.testing.assert_allclose(result.probabilities, expected, atol=1e-6)


@pytest.mark.keras
def test_keras_reference_model_gives_the_numpy_probabilities() -> None:
    keras_model = reference_mlp().to_keras()
    images = _digits(5)
    result = as_predictor(keras_model)(images)
    assert result.from_logits is False
    np.testing.assert_allclose(result.probabilities, reference_mlp().predict(images), atol=1e-5)


@pytest.mark.keras
def test_keras_model_with_wrong_input_or_output_is_explained() -> None:
    from nnteach._tf import import_keras

    keras = import_keras()
    wrong_input = keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10)])
    with pytest.raises(ValueError, match=r"input shape \(28, 28\) or \(784,\)\. Received model .* \(32, 32, 3\)"):
        as_predictor(wrong_input)
    wrong_output = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match=r"10 scores per image.*Received output of shape \(2, 3\)"):
        as_predictor(wrong_output)(_digits(2))

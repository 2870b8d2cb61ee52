"""HiddenUnits: the first layer's weights as pictures, sorted by the mean ReLU output on a digit's images."""

from __future__ import annotations

import numpy as np
import pytest
import traitlets

from nnteach.models import reference_mlp
from nnteach.widgets import HiddenUnits


def _digits() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    images = (rng.uniform(0, 1, (30, 28, 28)) > 0.8).astype(np.float32)
    return images, np.arange(30) % 10


def _mean_relu(images: np.ndarray) -> np.ndarray:
    kernel, bias, _ = reference_mlp().layers[0]
    return np.maximum(images.reshape(len(images), 784) @ kernel + bias, 0).mean(axis=0)


def test_neuron_order_draws_the_first_kernel_columns() -> None:
    images, labels = _digits()
    view = HiddenUnits(images=images, labels=labels, shown=16)
    kernel = reference_mlp().layers[0][0]
    assert view.units == 128 and view.order == tuple(range(16)) and view.responses == ()
    np.testing.assert_array_equal(view.templates.model, kernel[:, :16])
    assert view.templates.shown == 16 and view.templates.captions[3] == "#3"
    view.close()


def test_sorting_by_a_digit_puts_the_strongest_mean_response_first() -> None:
    images, labels = _digits()
    view = HiddenUnits(images=images, labels=labels, shown=10)
    view.digit_picker.set_state({"index": 4})  # the learner picks "digit 3"
    assert view.digit == 3
    expected = _mean_relu(images[labels == 3])
    np.testing.assert_allclose(view.responses, expected, atol=1e-5)
    assert list(view.order) == list(np.argsort(-expected, kind="stable")[:10])
    np.testing.assert_array_equal(view.templates.model, reference_mlp().layers[0][0][:, list(view.order)])
    assert view.templates.captions[0] == f"#{view.order[0]} · {expected[view.order[0]]:.2f}"
    view.close()


def test_bad_values_are_one_sentence() -> None:
    view = HiddenUnits(images=_digits()[0], labels=_digits()[1])
    with pytest.raises(traitlets.TraitError, match=r"Expected digit from 0 to 9, or None\. Received digit=12"):
        view.digit = 12
    with pytest.raises(traitlets.TraitError, match=r"Expected shown from 1 to 100\. Received shown=0"):
        view.shown = 0
    view.close()


def test_close_releases_the_pictures() -> None:
    view = HiddenUnits(images=_digits()[0], labels=_digits()[1])
    parts = [view.digit_picker, view.templates]
    view.close()
    assert all(part.comm is None for part in parts)


@pytest.mark.mnist
def test_on_real_mnist_the_zero_neurons_look_at_zeros() -> None:
    from nnteach.data import load_mnist

    (_, _), (x_test, y_test) = load_mnist()
    view = HiddenUnits(digit=0, shown=5)
    zeros = x_test[y_test == 0].astype(np.float32) / 255
    np.testing.assert_allclose(view.responses, _mean_relu(zeros), atol=1e-4)
    top = view.order[0]
    others = x_test[y_test != 0].astype(np.float32) / 255
    assert _mean_relu(zeros)[top] > _mean_relu(others)[top]  # it answers zeros more than the other digits
    view.close()


@pytest.mark.keras
def test_a_keras_model_is_drawn_the_same() -> None:
    images, labels = _digits()
    numpy_view = HiddenUnits(images=images, labels=labels, digit=5)
    keras_view = HiddenUnits(reference_mlp().to_keras(), images=images, labels=labels, digit=5)
    assert keras_view.order == numpy_view.order
    np.testing.assert_allclose(keras_view.responses, numpy_view.responses, atol=1e-5)
    numpy_view.close()
    keras_view.close()

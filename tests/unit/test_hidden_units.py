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
    assert view.errors.message == view.templates.errors.message == "", view.templates.errors.message
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


# -- the other lesson-9 views: a drawing inside the network ------------------------------------------
ONE_STROKE = [(140, 40), (140, 240)]
SEVEN_STROKES = [[(70, 50), (210, 50), (120, 240)]]


def _seven() -> np.ndarray:
    image = np.zeros((28, 28), np.float32)
    image[6:9, 7:21] = 1.0
    for row in range(9, 23):
        column = 20 - (row - 9) // 2
        image[row, column - 1 : column + 2] = 1.0
    return image


def test_saliency_view_follows_the_canvas_and_explains_its_answer() -> None:
    from nnteach.explain import saliency
    from nnteach.widgets import DigitCanvas, SaliencyView

    canvas = DigitCanvas()
    view = SaliencyView().follow_canvas(canvas)
    assert view.target is None and "Draw a digit" in view.summary
    canvas.add_stroke(ONE_STROKE)
    np.testing.assert_array_equal(view.image, canvas.image)
    assert view.target == canvas.prediction
    np.testing.assert_array_equal(view.saliency, saliency(None, canvas.image, canvas.prediction))
    assert view.saliency_picture.value[:4] == b"\x89PNG"
    view.digit = 7
    assert view.target == 7 and "the digit you chose" in view.summary
    canvas.clear()
    assert view.target is None
    view.close()
    canvas.close()


def test_fooling_view_flips_the_answer_at_the_epsilon_it_reports() -> None:
    from nnteach.widgets import FoolingView

    model = reference_mlp()
    view = FoolingView(epsilon=0.0)
    view.image = _seven()
    before = int(model.predict(_seven()).argmax())
    assert view.prediction == before == view.fooled_prediction
    assert view.flip_at is not None and view.flip_at <= 0.3
    view.epsilon_slider.set_state({"value": view.flip_at})  # the learner slides to it
    assert view.epsilon == view.flip_at
    assert int(model.predict(view.fooled).argmax()) == view.fooled_prediction != before
    assert np.abs(view.fooled - _seven()).max() <= view.flip_at + 1e-6
    shifted = np.zeros_like(view.fooled)
    shifted[:, 2:] = view.fooled[:, :-2]
    assert view.shifted_prediction == int(model.predict(shifted).argmax())
    assert f"read as {view.shifted_prediction}" in view.summary
    with pytest.raises(traitlets.TraitError, match=r"Expected epsilon from 0 to 0\.3\. Received epsilon=0\.5"):
        view.epsilon = 0.5
    view.close()


def test_inside_view_shows_the_hidden_outputs_and_what_they_added() -> None:
    from nnteach.widgets import InsideView

    model = reference_mlp()
    (kernel0, bias0, _), (kernel1, _bias1, _) = model.layers
    view = InsideView()
    view.image = _seven()
    hidden = np.maximum(_seven().reshape(784) @ kernel0 + bias0, 0)
    np.testing.assert_allclose(view.activations, hidden, atol=1e-5)
    answer = int(model.predict(_seven()).argmax())
    assert view.prediction == answer
    added = hidden * kernel1[:, answer]
    assert list(view.top_units) == list(np.argsort(-added)[:10])
    assert list(view.top_contributions) == sorted(view.top_contributions, reverse=True)
    np.testing.assert_allclose(view.probabilities, model.predict(_seven())[0], atol=1e-6)
    assert view.templates.shown == 10 and view.templates.captions[0].startswith(f"#{view.top_units[0]}: +")
    assert view.errors.message == view.templates.errors.message == "", view.templates.errors.message
    view.image = None
    assert view.activations == () and view.prediction is None
    view.close()


def test_mistake_browser_starts_at_the_worst_mistake_and_shows_its_images() -> None:
    from nnteach.widgets import MistakeBrowser

    images, labels = _digits()
    predicted = reference_mlp().predict(images).argmax(axis=1)
    view = MistakeBrowser(images=images, labels=labels)
    counts = np.zeros((10, 10), int)
    np.add.at(counts, (labels, predicted), 1)
    assert view.matrix.counts == tuple(tuple(row) for row in counts)
    off = counts.copy()
    np.fill_diagonal(off, -1)
    assert counts[view.true_digit, view.read_as] == off.max() and view.true_digit != view.read_as
    view.true_picker.set_state({"index": 4})
    view.read_as_picker.set_state({"index": 4})
    expected = np.flatnonzero((labels == 4) & (predicted == 4))
    assert view.cell_indices == tuple(expected) and view.grid.count == len(expected)
    view.close()


@pytest.mark.keras
def test_the_saliency_view_agrees_with_gradient_tape_on_a_keras_model() -> None:
    import keras
    import tensorflow as tf

    from nnteach.widgets import SaliencyView

    model = reference_mlp().to_keras()
    logit_model = reference_mlp().to_keras()
    logit_model.layers[-1].activation = keras.activations.linear
    view = SaliencyView(model)
    view.image = _seven()
    x = tf.constant(_seven()[np.newaxis])
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = logit_model(x)[0, view.target]
    np.testing.assert_allclose(view.saliency, tape.gradient(score, x).numpy()[0], atol=1e-5)
    view.close()


def test_a_teachers_link_sets_the_digit_and_epsilon() -> None:
    from nnteach.links import apply_link
    from nnteach.widgets import FoolingView

    units = HiddenUnits(images=_digits()[0], labels=_digits()[1])
    fooling = FoolingView()
    notes = apply_link("units.digit=3&fooling.epsilon=0.05&fooling.epsilon2=1", units=units, fooling=fooling)
    assert units.digit == 3 and units.order[0] == int(np.argmax(_mean_relu(_digits()[0][_digits()[1] == 3])))
    assert fooling.epsilon == 0.05 and len(notes) == 1 and "fooling.epsilon2 was ignored" in notes[0]
    units.close()
    fooling.close()

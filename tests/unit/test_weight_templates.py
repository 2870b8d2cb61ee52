"""WeightTemplates: each picture is its neuron's 784 weights, read from the model's first Dense layer."""

from __future__ import annotations

import io
from typing import Any

import ipywidgets as widgets
import numpy as np
import pytest
import traitlets
from PIL import Image

from nnteach.weights import first_dense_kernel, template_colors
from nnteach.widgets import WeightTemplates


def _pictures(view: WeightTemplates) -> list[np.ndarray]:
    found, stack = [], list(view.children)
    while stack:
        child = stack.pop(0)
        if isinstance(child, widgets.Image):
            found.append(np.asarray(Image.open(io.BytesIO(child.value)).convert("RGB")))
        stack.extend(getattr(child, "children", ()))
    return found


def _packaged_kernel() -> np.ndarray:
    """The packaged softmax regression's kernel, read straight from its file (not through nnteach)."""
    from importlib import resources

    source = resources.files("nnteach") / "_weights" / "reference_softmax_regression.npz"
    with resources.as_file(source) as path, np.load(path, allow_pickle=False) as npz:
        return npz["kernel_0"]


def test_each_picture_is_its_neurons_weights() -> None:
    from nnteach.models import reference_softmax_regression

    kernel = _packaged_kernel()
    view = WeightTemplates(model=reference_softmax_regression(), title="Packaged", scale=3)
    pictures = _pictures(view)
    assert (view.neurons, view.shown, len(pictures)) == (10, 10, 10)
    assert view.limit == pytest.approx(float(np.sort(np.abs(kernel).ravel())[int(0.99 * (kernel.size - 1))]), rel=1e-3)
    for digit, picture in enumerate(pictures):
        assert picture.shape == (84, 84, 3)
        weights = kernel[:, digit].reshape(28, 28)
        red = picture[::3, ::3, 0].astype(int) - picture[::3, ::3, 2].astype(int)
        # Positive weights are redder than blue, negative ones bluer, in every pixel.
        assert np.all(red[weights > 0.01 * view.limit] > 0) and np.all(red[weights < -0.01 * view.limit] < 0)
    view.close()


def test_colour_scale_is_symmetric_and_white_at_zero() -> None:
    kernel = np.zeros((784, 2))
    kernel[0, 0], kernel[1, 0], kernel[2, 1] = 1.0, -1.0, 0.5
    colors = template_colors(kernel)
    assert colors[0, 0, 0].tolist() == [178, 24, 43] and colors[0, 0, 1].tolist() == [33, 102, 172]
    assert colors[1, 0, 2].tolist() == [216, 140, 149]  # half way from white to red
    assert colors[1, 0, 0].tolist() == [255, 255, 255]


def test_captions_and_a_wide_layer() -> None:
    kernel = np.random.default_rng(0).normal(size=(784, 128))
    view = WeightTemplates(model=kernel, max_shown=4)
    assert (view.neurons, view.shown, len(_pictures(view))) == (128, 4, 4)
    view.max_shown = 2
    assert len(_pictures(view)) == 2
    view.model = None
    assert (view.neurons, view.shown, _pictures(view)) == (0, 0, [])
    view.close()


def test_bad_models_are_refused_with_a_sentence() -> None:
    view = WeightTemplates()
    with pytest.raises(traitlets.TraitError, match=r"Expected a model with Dense weights .* Received: a str"):
        view.model = "hello"
    with pytest.raises(
        traitlets.TraitError, match=r"must be a \(784, neurons\) weight matrix.*Received shape \(10, 3\)"
    ):
        view.model = np.zeros((10, 3))
    assert view.model is None
    view.close()


def test_close_releases_every_child(recording_comm: Any) -> None:
    from nnteach.widgets._base import page_style

    page_style()
    before = set(recording_comm.open_comms)
    view = WeightTemplates(model=np.ones((784, 10)))
    view.max_shown = 3
    view.close()
    assert set(recording_comm.open_comms) - before == set()


@pytest.mark.keras
def test_a_keras_models_first_dense_layer() -> None:
    from nnteach._tf import import_keras

    keras = import_keras()
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    expected = model.layers[1].get_weights()[0]
    assert np.array_equal(first_dense_kernel(model), expected)
    view = WeightTemplates(model=model)
    assert (view.neurons, view.shown) == (16, 10)
    view.close()
    with pytest.raises(ValueError, match="has no Dense layer"):
        first_dense_kernel(keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten()]))

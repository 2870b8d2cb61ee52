"""Issue 15 item 20: a model trained on raw 0-255 pixels answers through as_predictor(pixel_scale=255), and
DigitCanvas says why a foreign model's answers are flat."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nnteach.models import saved
from nnteach.predictors import PIXEL_SCALE_ATTRIBUTE, as_predictor, flat_answers_note


def test_the_saved_files_attribute_name_is_the_predictors() -> None:
    assert saved._PIXEL_SCALE == PIXEL_SCALE_ATTRIBUTE  # noqa: SLF001 - the one name, kept twice to avoid a cycle


@pytest.mark.parametrize("scale", [0, 2.0, "255", True, None.__class__])
def test_only_the_two_pixel_scales_are_taken(scale: Any) -> None:
    with pytest.raises(ValueError, match=r"Expected pixel_scale 1.0 \(pixels in \[0, 1\]\) or 255"):
        as_predictor(None, pixel_scale=scale)


def test_the_scale_multiplies_the_pixels_the_model_gets() -> None:
    seen: list[float] = []

    def model(x: Any) -> Any:
        seen.append(float(np.max(x)))
        return np.full((len(x), 10), 0.1)

    as_predictor(model, pixel_scale=255)(np.ones((28, 28), np.float32))
    as_predictor(model)(np.full((28, 28), 255, np.uint8))
    assert seen == [255.0, 1.0]
    rescaled = as_predictor(as_predictor(model), pixel_scale=255)
    assert rescaled.pixel_scale == 255.0


@pytest.fixture(scope="module")
def raw_model(mnist: Any) -> Any:
    """What a learner writes after `load_mnist()`: fit on raw 0-255 pixels, no division by 255."""
    from nnteach._tf import import_keras

    keras = import_keras()
    keras.utils.set_random_seed(0)
    (x_train, y_train), _ = mnist
    model = keras.Sequential(
        [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"),
         keras.layers.Dense(10, activation="softmax")]
    )  # fmt: skip
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train[:3000].astype("float32"), y_train[:3000], epochs=2, batch_size=64, verbose=0)
    return model


@pytest.mark.keras
@pytest.mark.mnist
def test_a_raw_pixel_model_answers_right_with_pixel_scale_255(raw_model: Any, mnist: Any) -> None:
    _, (x_test, y_test) = mnist
    x, y = x_test[:500], y_test[:500]
    keras_own = np.asarray(raw_model(x.astype("float32"), training=False))  # the oracle: Keras on raw pixels
    result = as_predictor(raw_model, pixel_scale=255)(x)
    np.testing.assert_allclose(result.probabilities, keras_own, atol=1e-5)
    assert float(np.mean(result.predictions == y)) > 0.6, "raw pixels train worse, but far above chance"
    flat = as_predictor(raw_model)(x)  # nnteach's pixels in [0, 1]
    assert float(np.median(flat.probabilities.max(axis=1))) < 0.3, "the defect: nearly flat answers"
    one = as_predictor(raw_model)(x[:1])
    assert "pixel_scale=255" in flat_answers_note(as_predictor(raw_model), one)


@pytest.mark.keras
@pytest.mark.mnist
def test_the_canvas_says_why_answers_are_flat(raw_model: Any, closing: Any) -> None:
    from nnteach.widgets import DigitCanvas

    canvas = closing(DigitCanvas(raw_model))
    canvas.add_stroke([(140, 45 + 10 * i) for i in range(20)])  # a clear 1
    assert canvas.caption_note.startswith("The model's answers are nearly flat"), canvas.caption_note
    assert "trained on raw 0-255 pixels" in canvas.caption_note and "pixel_scale=255" in canvas.caption_note
    canvas.predictor = as_predictor(raw_model, pixel_scale=255)
    assert "nearly flat" not in canvas.caption_note and canvas.prediction == 1


@pytest.mark.keras
@pytest.mark.mnist
def test_the_scale_is_recorded_and_kept_in_the_saved_file(raw_model: Any) -> None:
    from nnteach.models import load_saved, save_model

    setattr(raw_model, PIXEL_SCALE_ATTRIBUTE, 255.0)
    try:
        save_model(raw_model, "raw pixels")
    finally:
        delattr(raw_model, PIXEL_SCALE_ATTRIBUTE)
    loaded = load_saved("raw pixels")
    assert getattr(loaded, PIXEL_SCALE_ATTRIBUTE) == 255.0
    assert as_predictor(loaded).pixel_scale == 255.0


@pytest.mark.keras
@pytest.mark.mnist
def test_a_model_trainingmonitor_trains_records_pixels_in_0_1(mnist: Any, closing: Any) -> None:
    from nnteach.models import load_saved
    from nnteach.widgets import TrainingMonitor

    (x_train, y_train), (x_test, y_test) = mnist
    data = ((x_train[:300], y_train[:300]), (x_test[:200], y_test[:200]))
    monitor = closing(TrainingMonitor(epochs=1, subset=300, data=data))
    monitor.start()  # no event loop here: blocking
    assert monitor.state == "done", monitor.errors.message
    assert getattr(monitor.model, PIXEL_SCALE_ATTRIBUTE) == 1.0
    monitor.save("monitor model")
    assert as_predictor(load_saved("monitor model")).pixel_scale == 1.0

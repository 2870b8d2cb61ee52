"""One adapter from "whatever model the teacher has" to probabilities for MNIST-sized images.

``as_predictor(model)`` accepts ``None`` (the packaged ``reference_mlp()``), any object with a
``predict(x)`` method like the reference model, any Keras model whose input is ``(28, 28)``,
``(784,)`` or ``(28, 28, 1)``, or any callable mapping ``(n, 28, 28)`` float32 in [0, 1] to
``(n, 10)`` probabilities or logits. Logits are detected and softmaxed, and the result says so.

Keras models are called directly (``model(x, training=False)``): ``model.predict`` costs tens
of milliseconds per call (tensorflow/tensorflow#40261), too slow for a live canvas.

``pixel_scale`` says which pixels the model was trained on: ``1.0`` (in [0, 1], nnteach's and the
tutorials' choice) or ``255`` (raw 0–255, as ``keras.datasets.mnist.load_data()`` gives them). By
default it is what the model records (:data:`PIXEL_SCALE_ATTRIBUTE`, set for models
TrainingMonitor trains and kept in their saved files), else 1.0. A model given the wrong scale
answers nearly flat; :func:`flat_answers_note` says so with the likely cause and the fix.

Example:
    >>> import numpy as np
    >>> predictor = as_predictor(None)
    >>> result = predictor(np.zeros((28, 28), np.float32))
    >>> result.probabilities.shape, result.from_logits
    ((1, 10), False)
    >>> as_predictor(lambda x: np.zeros((len(x), 10)))(np.zeros((2, 28, 28))).from_logits
    True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach.i18n import _
from nnteach.keras_inspect import image_input_shape, is_keras_model, outputs_are_probabilities
from nnteach.models.reference import reference_mlp
from nnteach.numbers import percent
from nnteach.pixels import as_pixels
from nnteach.softmax import softmax

__all__ = [
    "PIXEL_SCALES",
    "PIXEL_SCALE_ATTRIBUTE",
    "PredictionResult",
    "Predictor",
    "as_predictor",
    "flat_answers_note",
    "softmax",
]

PIXEL_SCALES = (1.0, 255.0)
PIXEL_SCALE_ATTRIBUTE = "nnteach_pixel_scale"  # set on a model: the scale of the pixels it was trained on
FLAT = 0.3  # a drawing whose most probable digit gets less than this looks "nearly flat"

FloatArray = NDArray[np.float32]


@dataclass(frozen=True)
class PredictionResult:
    """Class probabilities for a batch of images.

    ``probabilities`` is ``(n, 10)`` float32, each row summing to 1; ``from_logits`` is True
    when the model's raw outputs were not probabilities (negative values or rows not summing
    to 1) and nnteach applied a softmax to them.
    """

    probabilities: FloatArray
    from_logits: bool

    @property
    def predictions(self) -> NDArray[np.intp]:
        """The most probable class of each image."""
        return np.asarray(self.probabilities.argmax(axis=1))


class Predictor:
    """Wraps a model so that ``predictor(images)`` always returns a :class:`PredictionResult`.

    Build one with :func:`as_predictor`. ``description`` names the model for the learner.

    Example:
        >>> predictor = as_predictor(None)
        >>> predictor.description
        'the packaged reference MLP'
    """

    def __init__(
        self, function: Callable[[FloatArray], Any], description: str, model: Any, pixel_scale: float = 1.0
    ) -> None:
        self._function = function
        self.description = description
        self.model = model
        self.pixel_scale = _checked_scale(pixel_scale)

    def __repr__(self) -> str:
        return f"Predictor({self.description})"

    def __call__(self, images: Any) -> PredictionResult:
        """Predict class probabilities for ``(n, 28, 28)`` or ``(28, 28)`` images.

        Images follow :func:`nnteach.pixels.as_pixels` (uint8 0..255 or float in [0, 1]).
        """
        pixels = as_pixels(images)
        outputs = _to_numpy(self._function(pixels * np.float32(self.pixel_scale) if self.pixel_scale != 1 else pixels))
        return _check_outputs(outputs, len(pixels), self.description)


def as_predictor(model: Any = None, *, pixel_scale: float | None = None) -> Predictor:
    """Return a :class:`Predictor` for ``model`` (see the module docstring for what is accepted).

    A :class:`Predictor` is returned unchanged (or rescaled, given another ``pixel_scale``).
    Anything else raises ``TypeError`` saying what was received and what is expected.

    Example:
        >>> as_predictor(None)(np.zeros((3, 28, 28), np.uint8)).probabilities.shape
        (3, 10)
        >>> as_predictor(lambda x: np.eye(10)[[int(x.max() > 1)]], pixel_scale=255)(np.ones((28, 28))).predictions
        array([1])
    """
    if isinstance(model, Predictor):
        if pixel_scale is None or _checked_scale(pixel_scale) == model.pixel_scale:
            return model
        return Predictor(model._function, model.description, model.model, pixel_scale)
    scale = _checked_scale(getattr(model, PIXEL_SCALE_ATTRIBUTE, 1.0) if pixel_scale is None else pixel_scale)
    if model is None:
        reference = reference_mlp()
        return Predictor(reference.predict, "the packaged reference MLP", reference, scale)
    if is_keras_model(model):
        return _keras_predictor(model, scale)
    predict = getattr(model, "predict", None)
    name = type(model).__name__
    if callable(predict):
        return Predictor(predict, f"{name}.predict", model, scale)
    if callable(model):
        return Predictor(model, getattr(model, "__name__", name), model, scale)
    raise TypeError(
        _(
            "Expected a model: None, a Keras model, an object with a predict(x) method, or a function "
            "from (n, 28, 28) images to (n, 10) scores. Received {name}: {model}."
        ).format(name=name, model=f"{model!r:.60}")
    )


def _keras_predictor(model: Any, pixel_scale: float) -> Predictor:
    shape = image_input_shape(model)

    def call(pixels: FloatArray) -> Any:
        return model(pixels.reshape((len(pixels), *shape)), training=False)

    return Predictor(call, f"Keras model {getattr(model, 'name', type(model).__name__)!r}", model, pixel_scale)


def _checked_scale(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number) or float(value) not in PIXEL_SCALES:
        raise ValueError(
            _(
                "Expected pixel_scale 1.0 (pixels in [0, 1]) or 255 (raw 0-255 pixels, as "
                "keras.datasets.mnist.load_data() gives them). Received pixel_scale={value}; pass the scale "
                "of the pixels the model was trained on."
            ).format(value=f"{value!r:.40}")
        )
    return float(value)


def flat_answers_note(predictor: Predictor, result: PredictionResult) -> str:
    """A sentence when a model that is not nnteach's own answers a drawing nearly flat, with the likely cause.

    Example:
        >>> flat = as_predictor(lambda x: np.full((len(x), 10), 0.1))
        >>> flat_answers_note(flat, flat(np.ones((28, 28))))[:52]
        "The model's answers are nearly flat (at most 10%) on"
    """
    top = float(result.probabilities.max())
    if top >= FLAT or predictor.description == "the packaged reference MLP":
        return ""
    if predictor.pixel_scale == 1.0:
        cause = _(
            "it was trained on raw 0-255 pixels (keras.datasets.mnist.load_data() gives them so), while it now "
            "gets pixels in [0, 1]. Fix: as_predictor(model, pixel_scale=255), or divide the training images by "
            "255 and train again"
        )
    else:
        cause = _(
            "it was trained on pixels in [0, 1], while it now gets 0-255. Fix: as_predictor(model, pixel_scale=1.0)"
        )
    return _("The model's answers are nearly flat (at most {top}) on this drawing. A likely cause: {cause}.").format(
        top=percent(top), cause=cause
    )


def _to_numpy(outputs: Any) -> NDArray[Any]:
    if hasattr(outputs, "numpy") and not isinstance(outputs, np.ndarray):
        outputs = outputs.numpy()
    try:
        return np.asarray(outputs, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(
            _(
                "Expected the model to return numbers, shape (n, 10). Received {kind}, "
                "which is not a numeric array ({error})."
            ).format(kind=type(outputs).__name__, error=error)
        ) from None


def _check_outputs(outputs: NDArray[Any], count: int, description: str) -> PredictionResult:
    if outputs.ndim == 1 and count == 1:
        outputs = outputs[np.newaxis]
    if outputs.ndim != 2 or outputs.shape[1] != 10:
        raise ValueError(
            _(
                "Expected {model} to return 10 scores per image, one for each digit 0-9. Received output "
                "of shape {shape}; give the model a last layer with 10 units, e.g. Dense(10)."
            ).format(model=description, shape=outputs.shape)
        )
    if outputs.shape[0] != count:
        raise ValueError(
            _(
                "Expected {model} to return one row per image ({count}). Received {rows} rows; "
                "the model must keep the batch dimension."
            ).format(model=description, count=count, rows=outputs.shape[0])
        )
    if not np.all(np.isfinite(outputs)):
        raise ValueError(
            _(
                "Expected {model} to return finite scores. Received NaN or infinity; "
                "the model's weights may have diverged, try retraining with a smaller learning rate."
            ).format(model=description)
        )
    if outputs_are_probabilities(outputs):
        probabilities = (outputs / outputs.sum(axis=1, keepdims=True)).astype(np.float32)
        return PredictionResult(probabilities, from_logits=False)
    return PredictionResult(softmax(outputs).astype(np.float32), from_logits=True)

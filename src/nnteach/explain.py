"""What an MNIST network learned: its first-layer weights as pictures, where it looks, how to fool it.

Usable without widgets, on anything the canvas accepts that has weights: ``None`` (the
packaged ``reference_mlp()``), a :class:`~nnteach.models.NumpyModel`, a Keras model, or a
:class:`~nnteach.predictors.Predictor` around one of those.

- :func:`first_layer_images`: the first Dense layer's weight vectors as ``(units, 28, 28)``;
- :func:`saliency`: the gradient of the target class's score *before softmax* with respect to
  the 28×28 input in [0, 1];
- :func:`fgsm`: the fast gradient sign step ``image + ε · sign(∇ cross-entropy)``, clipped to [0, 1];
- :func:`hidden_activations` and :func:`contributions`: the first hidden layer's outputs and
  what each hidden neuron added to a class's score.

For the NumPy models the gradients are computed in NumPy (no TensorFlow); for a Keras model
the active Keras backend computes them (TensorFlow's ``GradientTape`` or ``jax.grad``).

Example:
    >>> import numpy as np
    >>> image = np.zeros((28, 28), np.float32)
    >>> image[6:22, 13:16] = 1.0  # a "1"
    >>> first_layer_images(None).shape
    (128, 28, 28)
    >>> saliency(None, image).shape
    (28, 28)
    >>> adversarial = fgsm(None, image, 0.1)
    >>> float(np.abs(adversarial - image).max()) <= 0.1 + 1e-6
    True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach import _explain_keras as _keras
from nnteach.i18n import _
from nnteach.keras_inspect import is_keras_model
from nnteach.models.reference import NumpyModel, reference_mlp
from nnteach.pixels import as_pixels
from nnteach.softmax import softmax
from nnteach.weights import first_dense_kernel

__all__ = [
    "contributions",
    "fgsm",
    "first_layer_images",
    "flip_epsilon",
    "hidden_activations",
    "input_gradient",
    "logits",
    "saliency",
    "shifted",
    "unit_responses",
]

FloatArray = NDArray[np.float32]
Float64Array = NDArray[np.float64]


# -- which model -------------------------------------------------------------------------------------
def _unwrap(model: Any) -> Any:
    """The model with weights behind ``model`` (``None`` is the reference MLP; a Predictor is opened)."""
    if model is None:
        return reference_mlp()
    from nnteach.predictors import Predictor

    if isinstance(model, Predictor):
        return _unwrap(model.model)
    if isinstance(model, NumpyModel) or is_keras_model(model):
        return model
    raise TypeError(
        _(
            "Expected a model with weights nnteach can read: None (the packaged MLP), a NumpyModel or a Keras model. Received {name__}: {model}. Pass the Keras model itself, not a function around it."
        ).format(name__=type(model).__name__, model=f"{model!r:.60}")
    )


def _one_image(image: Any) -> FloatArray:
    pixels = as_pixels(image)
    if len(pixels) != 1:
        raise ValueError(
            _("Expected one image of shape (28, 28). Received {len} images; pass them one at a time.").format(
                len=len(pixels)
            )
        )
    return np.asarray(pixels[0], dtype=np.float32)


def _check_target(target: int | None, scores: Float64Array) -> int:
    if target is None:
        return int(np.argmax(scores))
    classes = scores.shape[-1]
    if isinstance(target, bool) or not isinstance(target, int | np.integer) or not 0 <= int(target) < classes:
        raise ValueError(
            _("Expected target a class from 0 to {value}, or None. Received {target}; pick a digit.").format(
                value=classes - 1, target=f"{target!r}"
            )
        )
    return int(target)


def _check_epsilon(epsilon: float) -> float:
    value = float(epsilon)
    if not (np.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(
            _(
                "Expected epsilon between 0 and 1 (a change of each pixel's brightness). Received {epsilon}; try 0.1."
            ).format(epsilon=f"{epsilon!r}")
        )
    return value


# -- the NumPy models --------------------------------------------------------------------------------
def _numpy_forward(model: NumpyModel, pixels: FloatArray) -> tuple[list[Float64Array], Float64Array]:
    """Pre-activations of every Dense layer (float64) and the scores before softmax of the last one."""
    activations = pixels.reshape(-1, 784).astype(np.float64)
    pre: list[Float64Array] = []
    for index, (kernel, bias, activation) in enumerate(model.layers):
        z = activations @ kernel.astype(np.float64) + bias.astype(np.float64)
        pre.append(z)
        if index < len(model.layers) - 1:
            activations = _numpy_activation(activation, z)
    return pre, pre[-1]


def _numpy_activation(name: str, z: NDArray[np.floating[Any]]) -> Float64Array:
    values: Float64Array = np.asarray(z, dtype=np.float64)
    if name == "relu":
        return np.maximum(values, 0.0)
    if name in ("linear", "None"):
        return values
    raise ValueError(
        _("Expected hidden layers with relu or linear activation. Received {name}.").format(name=f"{name!r}")
    )


def _numpy_backward(model: NumpyModel, pre: list[Float64Array], upstream: Float64Array) -> Float64Array:
    """Backpropagate ``upstream`` (gradient at the last layer's pre-activation) to the 784 inputs."""
    gradient = upstream
    for index in range(len(model.layers) - 1, -1, -1):
        kernel = model.layers[index][0].astype(np.float64)
        gradient = gradient @ kernel.T
        if index > 0 and model.layers[index - 1][2] == "relu":
            gradient = gradient * (pre[index - 1] > 0.0)  # relu'(0) = 0, as TensorFlow and JAX take it
    return gradient


# -- public API --------------------------------------------------------------------------------------
def logits(model: Any, image: Any) -> Float64Array:
    """The scores before softmax for one image: ``(10,)`` (a model returning logits gives them as they are).

    Example:
        >>> import numpy as np
        >>> logits(None, np.zeros((28, 28), np.float32)).shape
        (10,)
    """
    model, pixels = _unwrap(model), _one_image(image)
    if isinstance(model, NumpyModel):
        return np.asarray(_numpy_forward(model, pixels)[1][0], dtype=np.float64)
    return np.asarray(_keras.keras_scores(model, pixels[np.newaxis])[0], dtype=np.float64)


def input_gradient(model: Any, image: Any, target: int | None = None, *, of: str = "score") -> FloatArray:
    """The ``(28, 28)`` gradient with respect to the image in [0, 1] of the target's score or loss.

    ``of="score"``: the target class's score before softmax (what :func:`saliency` shows);
    ``of="loss"``: the cross-entropy of the target label (what :func:`fgsm` steps along).
    ``target`` defaults to the predicted class.

    Example:
        >>> import numpy as np
        >>> input_gradient(None, np.zeros((28, 28), np.float32), 3, of="loss").shape
        (28, 28)
    """
    if of not in ("score", "loss"):
        raise ValueError(
            _("Expected of='score' or of='loss'. Received of={of}; pick one of those.").format(of=f"{of!r}")
        )
    model, pixels = _unwrap(model), _one_image(image)
    if isinstance(model, NumpyModel):
        pre, scores = _numpy_forward(model, pixels)
        chosen = _check_target(target, scores[0])
        if of == "score":
            upstream = np.zeros_like(scores)
            upstream[0, chosen] = 1.0
        else:  # d(-log softmax(z)[t]) / dz = softmax(z) - one_hot(t)
            upstream = softmax(scores).astype(np.float64)
            upstream[0, chosen] -= 1.0
        return _numpy_backward(model, pre, upstream).reshape(28, 28).astype(np.float32)
    chosen = _check_target(target, _keras.keras_scores(model, pixels[np.newaxis])[0])
    return _keras.keras_gradient(model, pixels, chosen, of=of)


def saliency(model: Any, image: Any, target: int | None = None) -> FloatArray:
    """Where the network looks: ∂(target's score before softmax) / ∂(each pixel), shape ``(28, 28)``.

    ``target`` defaults to the predicted class. Positive values: more ink there raises the score.

    Example:
        >>> import numpy as np
        >>> float(np.abs(saliency(None, np.zeros((28, 28), np.float32), 1)).max()) > 0
        True
    """
    return input_gradient(model, image, target, of="score")


def fgsm(model: Any, image: Any, epsilon: float, target: int | None = None) -> FloatArray:
    """The fast gradient sign step: ``image + ε · sign(∇ cross-entropy(target, model(image)))`` in [0, 1].

    Each pixel moves by at most ``epsilon`` in the direction that raises the loss of ``target``
    (default: the predicted class), so the prediction moves away from it.

    Example:
        >>> import numpy as np
        >>> fgsm(None, np.zeros((28, 28), np.float32), 0.0).max()
        np.float32(0.0)
    """
    step = _check_epsilon(epsilon)
    pixels = _one_image(image)
    gradient = input_gradient(model, pixels, target, of="loss")
    return np.clip(pixels + np.float32(step) * np.sign(gradient), 0.0, 1.0).astype(np.float32)


def flip_epsilon(model: Any, image: Any, epsilons: Sequence[float] | None = None) -> float | None:
    """The smallest ε of ``epsilons`` (default 0.01 … 0.30) whose FGSM image changes the prediction, or None.

    Example:
        >>> import numpy as np
        >>> image = np.zeros((28, 28), np.float32)
        >>> image[6:22, 13:16] = 1.0
        >>> flip_epsilon(None, image) is not None
        True
    """
    model, pixels = _unwrap(model), _one_image(image)
    steps = np.round(np.arange(1, 31) * 0.01, 2) if epsilons is None else epsilons
    predicted = int(np.argmax(logits(model, pixels)))
    gradient_sign = np.sign(input_gradient(model, pixels, predicted, of="loss"))
    for epsilon in steps:
        changed = np.clip(pixels + np.float32(_check_epsilon(epsilon)) * gradient_sign, 0.0, 1.0)
        if int(np.argmax(logits(model, changed))) != predicted:
            return float(epsilon)
    return None


def _dense_layers(model: Any) -> list[tuple[FloatArray, FloatArray, Callable[[FloatArray], Any]]]:
    """Each Dense layer's kernel, bias and activation, for a model that starts Flatten-Dense (784 inputs)."""
    if isinstance(model, NumpyModel):
        return [(kernel, bias, functools.partial(_numpy_activation, name)) for kernel, bias, name in model.layers]
    return _keras.dense_layers(model)


def first_layer_images(model: Any = None) -> FloatArray:
    """The first Dense layer's weight vectors as pictures: ``(units, 28, 28)`` float32.

    Example:
        >>> first_layer_images().shape
        (128, 28, 28)
    """
    kernel = first_dense_kernel(_unwrap(model))
    return np.ascontiguousarray(kernel.T.reshape(-1, 28, 28))


def hidden_activations(model: Any, images: Any) -> FloatArray:
    """The first hidden layer's outputs for ``(n, 28, 28)`` images (or one image): ``(n, units)``.

    Example:
        >>> import numpy as np
        >>> hidden_activations(None, np.zeros((3, 28, 28), np.float32)).shape
        (3, 128)
    """
    model, pixels = _unwrap(model), as_pixels(images)
    kernel, bias, activation = _dense_layers(model)[0]
    return np.asarray(activation(pixels.reshape(-1, 784) @ kernel + bias), dtype=np.float32)


def contributions(model: Any, image: Any, target: int | None = None) -> FloatArray:
    """What each first-layer neuron added to the target's score: activation × weight to that class.

    Exact for a network with one hidden layer (the scores are these plus the bias); ``target``
    defaults to the predicted class.

    Example:
        >>> import numpy as np
        >>> contributions(None, np.zeros((28, 28), np.float32), 0).shape
        (128,)
    """
    model = _unwrap(model)
    chosen = _check_target(target, logits(model, image))
    hidden = hidden_activations(model, image)[0]
    layers = _dense_layers(model)
    if len(layers) != 2:
        raise ValueError(
            _(
                "Expected a model with one hidden Dense layer, whose neurons add up to the scores. Received {len} Dense layers; use a model like the tutorials' MLP."
            ).format(len=len(layers))
        )
    return np.asarray(hidden * layers[1][0][:, chosen], dtype=np.float32)


def unit_responses(model: Any, images: Any, labels: Any, digit: int) -> FloatArray:
    """How strongly each first-layer neuron responds to ``digit``: its mean output over those images.

    Example:
        >>> import numpy as np
        >>> unit_responses(None, np.zeros((4, 28, 28), np.uint8), [1, 1, 2, 3], 1).shape
        (128,)
    """
    chosen = np.asarray(labels).ravel() == digit
    if not chosen.any():
        raise ValueError(
            _(
                "Expected images of digit {digit} among the ones given. Received labels without any {digit}; pass more images, e.g. the MNIST test set."
            ).format(digit=digit)
        )
    return np.asarray(hidden_activations(model, as_pixels(images)[chosen]).mean(axis=0), dtype=np.float32)


def shifted(image: Any, right: int = 2, down: int = 0) -> FloatArray:
    """``image`` moved ``right`` and ``down`` pixels (what slides out is lost, what comes in is blank).

    Example:
        >>> import numpy as np
        >>> one = np.zeros((28, 28), np.float32); one[5, 5] = 1.0
        >>> np.argwhere(shifted(one, 2, 1)).tolist()
        [[6, 7]]
    """
    pixels = _one_image(image)
    moved = np.zeros_like(pixels)
    rows, columns = slice(max(down, 0), 28 + min(down, 0)), slice(max(right, 0), 28 + min(right, 0))
    sources = slice(max(-down, 0), 28 - max(down, 0)), slice(max(-right, 0), 28 - max(right, 0))
    moved[rows, columns] = pixels[sources]
    return moved

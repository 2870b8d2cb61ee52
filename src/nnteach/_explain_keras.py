"""The Keras side of :mod:`nnteach.explain`: scores before softmax and input gradients, by the active backend.

Imported only when a Keras model is explained (the NumPy models never need it).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach._tf import import_keras
from nnteach.keras_inspect import image_input_shape

__all__ = ["dense_layers", "keras_gradient", "keras_scores"]

FloatArray = NDArray[np.float32]
Float64Array = NDArray[np.float64]

_LOGIT_FUNCTIONS: weakref.WeakKeyDictionary[Any, Callable[[Any], Any]] = weakref.WeakKeyDictionary()


def _keras_logits_function(model: Any) -> Callable[[Any], Any]:
    """A function from a backend tensor of images to the scores before softmax of ``model`` (made once per model)."""
    if model not in _LOGIT_FUNCTIONS:
        # the cached function holds layers, never the model (a weak key must not be kept alive)
        _LOGIT_FUNCTIONS[model] = _make_keras_logits_function(model) or _call_training_false
    function = _LOGIT_FUNCTIONS[model]
    return (lambda x: model(x, training=False)) if function is _call_training_false else function


def _call_training_false(x: Any) -> Any:  # a marker: the model's own outputs are its scores
    raise NotImplementedError


def _make_keras_logits_function(model: Any) -> Callable[[Any], Any] | None:
    keras = import_keras()
    last = model.layers[-1]
    activation = getattr(getattr(last, "activation", None), "__name__", "")
    is_softmax_layer = isinstance(last, keras.layers.Softmax) or (
        isinstance(last, keras.layers.Activation) and activation == "softmax"
    )
    if not (is_softmax_layer or (isinstance(last, keras.layers.Dense) and activation == "softmax")):
        return None  # the model returns logits (or we cannot know better)
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    trunk = keras.Model(inputs, last.input)
    if is_softmax_layer:
        return lambda x: trunk(x, training=False)

    def scores(x: Any) -> Any:
        outputs = keras.ops.matmul(trunk(x, training=False), last.kernel)
        return outputs + last.bias if last.use_bias else outputs

    return scores


def keras_gradient(model: Any, pixels: FloatArray, target: int, *, of: str) -> FloatArray:
    """Gradient of the target's score before softmax (``of="score"``) or of its cross-entropy (``"loss"``)."""
    keras = import_keras()
    scores = _keras_logits_function(model)

    def value(z: Any) -> Any:
        return z[0, target] if of == "score" else -keras.ops.log_softmax(z, axis=-1)[0, target]

    batch = pixels.reshape((1, *image_input_shape(model))).astype(np.float32)
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf  # type: ignore[import-untyped,unused-ignore]

        x = tf.constant(batch)
        with tf.GradientTape() as tape:
            tape.watch(x)
            result = value(scores(x))
        gradient = tape.gradient(result, x).numpy()
    elif backend == "jax":
        import jax  # type: ignore[import-not-found,unused-ignore]

        gradient = np.asarray(jax.grad(lambda x: value(scores(x)))(batch))
    else:
        raise ValueError(
            f"Expected Keras on the TensorFlow or JAX backend to compute gradients. Received backend {backend!r}; "
            "set KERAS_BACKEND=tensorflow before importing Keras."
        )
    return np.asarray(gradient, dtype=np.float32).reshape(28, 28)


def keras_scores(model: Any, pixels: FloatArray) -> Float64Array:
    batch = pixels.reshape((len(pixels), *image_input_shape(model))).astype(np.float32)
    return np.asarray(_keras_logits_function(model)(batch), dtype=np.float64)


def _activate(layer: Any, z: FloatArray) -> Any:
    return np.asarray(layer.activation(z))


def dense_layers(model: Any) -> list[tuple[FloatArray, FloatArray, Callable[[FloatArray], Any]]]:
    """Kernel, bias and activation of each Dense layer of a Flatten-Dense model with 784 inputs."""
    keras = import_keras()
    found: list[tuple[FloatArray, FloatArray, Callable[[FloatArray], Any]]] = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            kernel = np.asarray(layer.kernel, dtype=np.float32)
            bias = np.asarray(layer.bias, dtype=np.float32) if layer.use_bias else np.zeros(kernel.shape[1], np.float32)
            found.append((kernel, bias, functools.partial(_activate, layer)))
        elif not isinstance(layer, keras.layers.Flatten | keras.layers.Reshape | keras.layers.Dropout):
            found = []
            break
    if not found or found[0][0].shape[0] != 784:
        kinds = [type(layer).__name__ for layer in model.layers[:3]]
        raise ValueError(
            f"Expected a model made of Flatten and Dense layers (784 inputs, one weight per pixel). Received model "
            f"{getattr(model, 'name', '?')!r} with layers {kinds}...; use a model like the tutorials' MLP."
        )
    return found

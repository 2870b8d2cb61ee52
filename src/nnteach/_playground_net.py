"""The playground's network in NumPy: Keras' initial weights, the forward pass, loss and accuracy.

The picture is drawn from the weights without calling Keras (a call costs milliseconds; the
forward pass over a 50×50 grid costs microseconds), and the first screen needs no TensorFlow:
the untrained network is drawn from weights made here the way Keras makes them
(``glorot_uniform`` kernels, zero biases) and handed to the Keras model when training starts.

Example:
    >>> from nnteach.playground import NetworkSettings
    >>> settings = NetworkSettings(hidden=(3,))
    >>> weights = initial_weights(settings, seed=0)
    >>> [kernel.shape for kernel, _ in weights]
    [(2, 3), (3, 2)]
    >>> outputs = forward(weights, settings.activation, grid_points(5))
    >>> [layer.shape for layer in outputs]
    [(25, 3), (25, 2)]
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach.playground import NetworkSettings
from nnteach.softmax import softmax

__all__ = ["Weights", "accuracy", "cross_entropy", "forward", "grid_points", "initial_weights", "weights_from_keras"]

FloatArray = NDArray[np.float32]
Weights = list[tuple[FloatArray, FloatArray]]


def initial_weights(settings: NetworkSettings, seed: int) -> Weights:
    """Kernels drawn as Keras' ``glorot_uniform`` draws them (limit √(6 / (fan_in + fan_out))), biases 0."""
    rng = np.random.default_rng(seed)
    sizes = [2, *settings.hidden, settings.classes]
    weights: Weights = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        weights.append(
            (rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32), np.zeros(fan_out, np.float32))
        )
    return weights


def weights_from_keras(model: Any) -> Weights:
    """The model's Dense kernels and biases as NumPy pairs."""
    arrays = [np.asarray(array, dtype=np.float32) for array in model.get_weights()]
    return list(zip(arrays[0::2], arrays[1::2], strict=True))


def _activate(name: str, z: FloatArray) -> FloatArray:
    if name == "relu":
        return np.maximum(z, np.float32(0.0))
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
    return z


def forward(weights: Weights, activation: str, points: NDArray[Any]) -> list[FloatArray]:
    """Every layer's output for ``points`` ``(n, 2)``: the hidden layers', then the class probabilities."""
    values = np.asarray(points, dtype=np.float32)
    outputs: list[FloatArray] = []
    for index, (kernel, bias) in enumerate(weights):
        z = values @ kernel + bias
        last = index == len(weights) - 1
        values = softmax(z).astype(np.float32) if last else _activate(activation, z)
        outputs.append(values)
    return outputs


def grid_points(resolution: int) -> FloatArray:
    """The centres of a ``resolution × resolution`` grid over ``[-1, 1]²``, row by row from the top (y = 1)."""
    centres = (np.arange(resolution, dtype=np.float32) + 0.5) / resolution * 2.0 - 1.0
    x, y = np.meshgrid(centres, centres[::-1])
    return np.stack([x.ravel(), y.ravel()], axis=1).astype(np.float32)


def cross_entropy(probabilities: NDArray[Any], labels: NDArray[Any]) -> float:
    """Mean cross-entropy of the true labels (Keras' clipping at 1e-7 included)."""
    chosen = np.asarray(probabilities, dtype=np.float64)[np.arange(len(labels)), labels]
    return float(-np.log(np.clip(chosen, 1e-7, 1.0)).mean())


def accuracy(probabilities: NDArray[Any], labels: NDArray[Any]) -> float:
    """The fraction of points whose most probable class is their label."""
    return float((np.asarray(probabilities).argmax(axis=1) == np.asarray(labels)).mean())

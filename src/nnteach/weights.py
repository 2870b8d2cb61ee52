"""A model's first-layer weights as pictures: one 28×28 template per neuron.

Each neuron of the first Dense layer after ``Flatten`` has one weight per pixel, so its
784 weights can be drawn as a 28×28 image. Red pixels raise the neuron's sum where there is
ink, blue pixels lower it; white weights are near zero. The colour scale is symmetric
around zero and shared by every neuron, so templates can be compared.

Example:
    >>> import numpy as np
    >>> kernel = np.zeros((784, 10), dtype=np.float32)
    >>> kernel[0, 3] = 2.0
    >>> first_dense_kernel(kernel).shape
    (784, 10)
    >>> pictures = template_colors(kernel)
    >>> pictures.shape, pictures[3, 0, 0].tolist(), pictures[0, 0, 0].tolist()
    ((10, 28, 28, 3), [178, 24, 43], [255, 255, 255])
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["first_dense_kernel", "rgb_to_png", "template_colors"]

_PIXELS = 28 * 28
_RED = np.array([178, 24, 43], dtype=np.float64)  # ColorBrewer RdBu ends: readable on light and dark pages
_BLUE = np.array([33, 102, 172], dtype=np.float64)
_WHITE = np.array([255, 255, 255], dtype=np.float64)


def _check_kernel(kernel: NDArray[Any], where: str) -> NDArray[np.float32]:
    array = np.asarray(kernel, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] != _PIXELS:
        raise ValueError(
            f"{where} must be a (784, neurons) weight matrix, one row per pixel of a 28×28 image. "
            f"Received shape {array.shape}. Use a model that starts with Flatten on 28×28 images, then Dense."
        )
    return array


def first_dense_kernel(model: Any) -> NDArray[np.float32]:
    """The ``(784, neurons)`` kernel of ``model``'s first Dense layer.

    ``model`` is one of nnteach's packaged NumPy models, a Keras model (weights read with
    ``get_weights()``, no training needed) or the kernel array itself.

    Example:
        >>> from nnteach.models import reference_softmax_regression
        >>> first_dense_kernel(reference_softmax_regression()).shape
        (784, 10)
        >>> first_dense_kernel("hello")
        Traceback (most recent call last):
        ...
        TypeError: Expected a model with Dense weights (nnteach's packaged model, a Keras model) or a (784, n) array. Received: a str. Pass e.g. reference_softmax_regression() or a trained keras.Sequential.
    """
    if isinstance(model, np.ndarray):
        return _check_kernel(model, "The weight array")
    layers = getattr(model, "layers", None)
    if isinstance(layers, tuple) and layers and isinstance(layers[0], tuple):  # nnteach.models.NumpyModel
        return _check_kernel(layers[0][0], "The first layer's kernel")
    if layers is not None and not isinstance(layers, str):
        for layer in layers:
            weights = layer.get_weights() if hasattr(layer, "get_weights") else []
            if weights and np.ndim(weights[0]) == 2:
                return _check_kernel(weights[0], f"The kernel of layer {getattr(layer, 'name', '?')!r}")
        raise ValueError(
            "The model has no Dense layer, so it has no weights to draw. Received a model with layers "
            f"{[type(layer).__name__ for layer in layers]}. Add a Dense layer after Flatten."
        )
    raise TypeError(
        "Expected a model with Dense weights (nnteach's packaged model, a Keras model) or a (784, n) array. "
        f"Received: a {type(model).__name__}. Pass e.g. reference_softmax_regression() or a trained keras.Sequential."
    )


def template_colors(kernel: NDArray[Any], limit: float | None = None) -> NDArray[np.uint8]:
    """Each neuron's weights as a ``(neurons, 28, 28, 3)`` RGB picture: blue < 0 < red, white at 0.

    ``limit`` is the weight drawn at full colour (default: the largest absolute weight).
    """
    array = _check_kernel(kernel, "The weight array")
    scale = float(np.abs(array).max()) if limit is None else float(limit)
    if not np.isfinite(scale) or scale < 0:
        raise ValueError(f"Expected a finite, non-negative colour limit. Received: limit={limit}. Pass e.g. limit=0.5.")
    share = np.clip(array.T.reshape(-1, 28, 28) / scale, -1.0, 1.0) if scale > 0 else np.zeros((array.shape[1], 28, 28))
    share = share[..., np.newaxis]
    colors = np.where(share >= 0, _WHITE + share * (_RED - _WHITE), _WHITE - share * (_BLUE - _WHITE))
    return np.rint(colors).astype(np.uint8)


def rgb_to_png(image: NDArray[np.uint8], *, scale: int = 1) -> bytes:
    """Encode an ``(h, w, 3)`` uint8 picture as PNG, each pixel enlarged to a ``scale``×``scale`` square.

    Example:
        >>> rgb_to_png(np.zeros((2, 2, 3), dtype=np.uint8), scale=3)[:4]
        b'\\x89PNG'
    """
    from PIL import Image

    array = np.asarray(image, dtype=np.uint8)
    if array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f"Expected an (h, w, 3) RGB picture. Received shape {array.shape}. Pass uint8 RGB pixels.")
    if scale > 1:
        array = np.repeat(np.repeat(array, scale, axis=0), scale, axis=1)
    buffer = io.BytesIO()
    Image.fromarray(array, mode="RGB").save(buffer, format="PNG")
    return buffer.getvalue()

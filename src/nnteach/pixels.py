"""The one place where pixels are scaled to [0, 1]: uint8 0..255 is divided by 255, floats must already be in [0, 1].

Keras' tutorials feed ``x / 255`` to the model; every nnteach function that takes images
(predictors, evaluation, training, the example sets) reads them through here, so a learner
gets the same rule and the same sentence everywhere.

Example:
    >>> import numpy as np
    >>> scale_pixels(np.array([0, 51, 255], np.uint8)).tolist() == [0.0, np.float32(0.2), 1.0]
    True
    >>> as_pixels(np.zeros(784, np.uint8)).shape
    (1, 28, 28)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["as_pixels", "scale_pixels"]

FloatArray = NDArray[np.float32]


def scale_pixels(x: Any) -> FloatArray:
    """``x`` (any shape) as float32 in [0, 1]: integers are pixels 0..255 divided by 255, floats are checked.

    The division is ``float32(x) / float32(255)``, exactly what Keras computes for ``x / 255``
    once the batch is cast to float32.

    Example:
        >>> scale_pixels([[0.5, 1.0]]).dtype
        dtype('float32')
        >>> scale_pixels(np.array([300]))
        Traceback (most recent call last):
        ...
        ValueError: Expected integer pixels in 0..255. Received values from 300 to 300.
    """
    array = np.asarray(x)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ValueError(
            f"Expected images as numbers (uint8 0..255 or float 0..1). Received an array of dtype {array.dtype}."
        )
    if np.issubdtype(array.dtype, np.integer):
        if array.size and (array.min() < 0 or array.max() > 255):
            raise ValueError(f"Expected integer pixels in 0..255. Received values from {array.min()} to {array.max()}.")
        scaled: FloatArray = array.astype(np.float32) / np.float32(255.0)
        return scaled
    if not np.all(np.isfinite(array)):
        raise ValueError("Expected finite pixel values. Received NaN or infinity; check the image data.")
    if array.size and (array.min() < 0.0 or array.max() > 1.0):
        raise ValueError(
            f"Expected float pixels in [0, 1]. Received values from {array.min():g} to {array.max():g}. "
            "Divide 0..255 images by 255 first (x / 255), or pass them as uint8."
        )
    return array.astype(np.float32, copy=False)


def as_pixels(x: Any) -> FloatArray:
    """Return ``x`` as float32 images of shape ``(n, 28, 28)`` with values in [0, 1].

    Accepts one image ``(28, 28)`` or a batch ``(n, 28, 28)`` (also flattened: ``(784,)``,
    ``(n, 784)``). Integer arrays (such as MNIST's uint8) are read as pixel values 0..255 and
    divided by 255; float arrays must already be scaled to [0, 1] (see :func:`scale_pixels`).

    Example:
        >>> as_pixels(np.full((28, 28), 255, np.uint8)).max()
        np.float32(1.0)
    """
    array = np.asarray(x)
    if array.shape in ((28, 28), (784,)):
        array = array[np.newaxis]
    if array.ndim == 2 and array.shape[1] == 784:
        array = array.reshape(-1, 28, 28)
    if array.ndim != 3 or array.shape[1:] != (28, 28):
        scale_pixels(array.ravel()[:0])  # a wrong dtype is the first thing to say
        raise ValueError(
            f"Expected images of shape (28, 28) or (n, 28, 28). Received shape {array.shape}. "
            "Pass MNIST-sized images, e.g. x_test[:10]."
        )
    return scale_pixels(array)

"""Deskew by image moments: shear a 28×28 digit so that its slant is gone (as in LeCun's MNIST table).

A digit's slant is the covariance of its ink's columns with its rows over the variance of its
rows; shifting each row sideways by that much times its distance from the centre of mass
stands the digit upright. The centre of mass does not move. Plain NumPy, about 30 µs.

Example:
    >>> import numpy as np
    >>> slanted = np.zeros((28, 28), np.float32)
    >>> for row in range(6, 22): slanted[row, 20 - row // 2] = 1.0
    >>> round(slant(slanted), 1), abs(round(slant(deskew(slanted)), 2))
    (-0.5, 0.0)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["deskew", "slant"]

FloatArray = NDArray[np.float32]
MAX_SLANT = 1.0  # a shear of more than 45° is not handwriting; larger estimates are capped


def _moments(image: NDArray[np.float64]) -> tuple[float, float, float, float, float]:
    rows, cols = np.mgrid[: image.shape[0], : image.shape[1]]
    total = float(image.sum())
    centre_row = float((rows * image).sum()) / total
    centre_col = float((cols * image).sum()) / total
    var_rows = float(((rows - centre_row) ** 2 * image).sum()) / total
    covariance = float(((rows - centre_row) * (cols - centre_col) * image).sum()) / total
    return total, centre_row, centre_col, var_rows, covariance


def slant(image: NDArray[np.floating]) -> float:
    """How many columns the ink moves right per row down (negative: leaning right, like ``/``); 0 when empty.

    Example:
        >>> slant(np.eye(28, dtype=np.float32))
        1.0
    """
    values = np.asarray(image, np.float64)
    total, _, _, var_rows, covariance = _moments(values) if values.sum() > 0 else (0.0, 0.0, 0.0, 0.0, 0.0)
    if total <= 0 or var_rows <= 0:
        return 0.0
    return float(np.clip(covariance / var_rows, -MAX_SLANT, MAX_SLANT))


def deskew(image: NDArray[np.floating]) -> FloatArray:
    """The image sheared row by row (linear interpolation) so that :func:`slant` becomes 0.

    Example:
        >>> upright = np.zeros((28, 28), np.float32); upright[4:24, 14] = 1.0
        >>> bool(np.array_equal(deskew(upright), upright))
        True
    """
    values = np.asarray(image, np.float32)
    if values.sum() <= 0:
        return values.copy()
    _, centre_row, _, _, _ = _moments(values.astype(np.float64))
    alpha = slant(values)
    height, width = values.shape
    # Output (row, col) reads the input at col + alpha * (row - centre_row): the slant is taken out.
    source = np.arange(width)[None, :] + alpha * (np.arange(height)[:, None] - centre_row)
    left = np.floor(source).astype(np.intp)
    fraction = (source - left).astype(np.float32)
    padded = np.pad(values, ((0, 0), (1, 1)))
    row_index = np.arange(height)[:, None]
    take_left = padded[row_index, np.clip(left + 1, 0, width + 1)]
    take_right = padded[row_index, np.clip(left + 2, 0, width + 1)]
    out = (1 - fraction) * take_left + fraction * take_right
    peak = float(out.max())
    result: FloatArray = (out / peak if peak > 0 else out).astype(np.float32)
    return result

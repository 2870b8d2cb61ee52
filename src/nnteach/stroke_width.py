"""Stroke-width normalisation: redraw a drawing's strokes on the 28×28 field at MNIST's stroke width.

A learner's brush is the same width whatever the size of the digit, so a small digit drawn with
a thick brush becomes a blob once scaled into MNIST's 20×20 box, and a large one drawn with a
thin pen becomes a hairline. MNIST's strokes are about the same width in every digit. The
strokes themselves are known (the canvas keeps them), so they are scaled into the 20×20 box
and drawn again there with MNIST's width, centred by their centre of mass: the loops of a
small "8" stay open however thick the brush was. Plain NumPy on the 28×28 field (not on the
280 px raster), so it is as fast as the pipeline it replaces.

Example:
    >>> import numpy as np
    >>> thin = normalized_strokes_image([np.array([[140.0, 40.0], [140.0, 240.0]])])
    >>> thick_small = normalized_strokes_image([np.array([[20.0, 10.0], [20.0, 50.0]])])
    >>> thin.shape, bool(np.allclose(thin, thick_small, atol=1e-5))
    ((28, 28), True)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["MNIST_STROKE_WIDTH", "normalized_strokes_image"]

FloatArray = NDArray[np.float32]

#: MNIST's stroke width in pixels of the 28×28 field: the median over 2,000 training digits
#: (every 30th) of ink (sum of the pixels) per pixel of skeleton length (a 4× enlargement
#: thinned to one pixel). Per class the medians range from 2.2 (8) to 2.9 (1).
MNIST_STROKE_WIDTH = 2.4

_FIELD = 28
_BOX = 20.0
_CENTRE = 14.5  # MNIST's centre of mass, pixel index 14, in continuous coordinates (pixel centres at i + 0.5)
_STEP = 0.25  # strokes are resampled every quarter output pixel; the nearest sample is then within 0.01 px of the path


def _samples(line: NDArray[np.float64]) -> NDArray[np.float64]:
    """Points every ``_STEP`` along a polyline (its ends included); a one-point line stays a dot."""
    if len(line) < 2:
        return line
    travelled = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(line, axis=0).T))])
    at = np.linspace(0.0, travelled[-1], max(2, int(np.ceil(travelled[-1] / _STEP)) + 1))
    return np.column_stack([np.interp(at, travelled, line[:, 0]), np.interp(at, travelled, line[:, 1])])


def _render(samples: NDArray[np.float64], radius: float) -> FloatArray:
    """Anti-aliased ink ``radius`` pixels around the samples on the 28×28 field (linear fall-off over one pixel).

    Each sample only reaches the few pixels around it, so the nearest distance per pixel is a
    ``minimum.at`` over a small block per sample, not a distance from every pixel to every segment.
    """
    reach = radius + 0.5
    block = int(np.ceil(2 * reach)) + 1
    first = np.floor(samples - 0.5 - reach).astype(np.intp) + 1  # the block's first column and row per sample
    offsets = np.arange(block)
    cols = first[:, 0:1, None] + offsets[None, None, :]  # (n, 1, block)
    rows = first[:, 1:2, None] + offsets[None, :, None]  # (n, block, 1)
    dx = cols + 0.5 - samples[:, 0, None, None]
    dy = rows + 0.5 - samples[:, 1, None, None]
    distance2 = (dx * dx + dy * dy).ravel()
    shape = (len(samples), block, block)
    cols, rows = np.broadcast_to(cols, shape).ravel(), np.broadcast_to(rows, shape).ravel()
    inside = (cols >= 0) & (cols < _FIELD) & (rows >= 0) & (rows < _FIELD)
    nearest = np.full(_FIELD * _FIELD, np.inf)
    np.minimum.at(nearest, rows[inside] * _FIELD + cols[inside], distance2[inside])
    coverage: FloatArray = np.clip(reach - np.sqrt(nearest), 0.0, 1.0).reshape(_FIELD, _FIELD).astype(np.float32)
    return coverage


def _image_centre(image: FloatArray) -> NDArray[np.float64]:
    total = float(image.sum())
    cols = float(image.sum(axis=0) @ (np.arange(_FIELD) + 0.5)) / total
    rows = float(image.sum(axis=1) @ (np.arange(_FIELD) + 0.5)) / total
    return np.array([cols, rows])


def normalized_strokes_image(
    strokes: Sequence[NDArray[np.float64]], *, stroke_width: float = MNIST_STROKE_WIDTH
) -> FloatArray | None:
    """The strokes (``(n, 2)`` arrays of finite ``(x, y)`` points) drawn MNIST-style with ``stroke_width``.

    The points' bounding box is scaled so the ink's longer side is 20 pixels (aspect ratio kept),
    the strokes are drawn ``stroke_width`` pixels wide on a 28×28 field and placed so the centre
    of mass is at pixel (14, 14). Returns None for a drawing without extent (a dot, or nothing):
    its size says nothing, the caller falls back to the raster.

    Example:
        >>> normalized_strokes_image([np.array([[5.0, 5.0]])]) is None
        True
    """
    lines = [np.asarray(line, dtype=np.float64).reshape(-1, 2) for line in strokes]
    lines = [line for line in lines if len(line)]
    if not lines:
        return None
    everything = np.concatenate(lines)
    low, high = everything.min(axis=0), everything.max(axis=0)
    span = float((high - low).max())
    if span <= 0.0:
        return None
    scale = (_BOX - stroke_width) / span  # output pixels per canvas pixel
    samples = np.concatenate([_samples((line - low) * scale) for line in lines])
    # Samples are evenly spaced along the strokes: their mean is the ink's centre of mass (caps aside).
    shift = _CENTRE - samples.mean(axis=0)
    image = _render(samples + shift, stroke_width / 2)
    error = _CENTRE - _image_centre(image)
    if np.abs(error).max() > 0.1:  # caps and crossings moved it: draw once more, corrected
        image = _render(samples + shift + error, stroke_width / 2)
    return image

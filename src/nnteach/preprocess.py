"""From a drawing to what the network sees: rasterize strokes, then normalize the way MNIST did.

MNIST's digits were scanned, their ink's bounding box scaled to fit 20×20 pixels keeping the
aspect ratio (anti-aliased), and placed in a 28×28 field so that the centre of mass sits at
the centre. A drawn digit must go through the same steps, or a model trained on MNIST sees
something it never saw in training. Everything here is plain NumPy: no browser, no TensorFlow.

Example:
    >>> import numpy as np
    >>> one = strokes_to_mnist([[(140, 40), (140, 240)]])
    >>> one.shape, one.dtype, float(one.max())
    ((28, 28), dtype('float32'), 1.0)
    >>> [round(float(c)) for c in centre_of_mass(one)]
    [14, 14]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnteach.deskew import deskew as deskew_image
from nnteach.stroke_width import MNIST_STROKE_WIDTH, normalized_strokes_image

__all__ = [
    "EmptyImage",
    "centre_of_mass",
    "clean_stroke",
    "rasterize_stroke",
    "shrink",
    "strokes_to_image",
    "strokes_to_mnist",
    "to_mnist",
]

FloatArray = NDArray[np.float32]

FIELD = 28  # MNIST images are 28×28 pixels ...
BOX = 20  # ... and the digit's longer side is scaled to 20 pixels
CENTRE = 14.0  # pixel index where MNIST digits have their centre of mass (test set mean: 13.99, 14.00)
EMPTY_LEVEL = 0.05  # an image whose brightest pixel is below this holds no ink
BOX_LEVEL = 0.2  # pixels brighter than this fraction of the maximum define the ink's bounding box
MAX_STROKE_POINTS = 1000  # a hand-drawn stroke has tens to hundreds of points; more are thinned


class EmptyImage(ValueError):
    """Raised when an image (or a drawing) has no ink to normalize."""


def _pairs(stroke: Iterable[Sequence[float]]) -> NDArray[np.float64]:
    """The stroke as an ``(n, 2)`` float array (None becomes NaN); anything but number pairs is refused."""
    try:
        points = np.asarray(list(stroke), dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            "Expected each stroke to be a sequence of (x, y) number pairs. Received a stroke that is not; "
            "pass e.g. [[(10, 20), (30, 40)]]."
        ) from None
    if points.size == 0:
        return points.reshape(0, 2)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(
            f"Expected each stroke to be a sequence of (x, y) pairs. Received an array of shape {points.shape}; "
            "pass e.g. [[(10, 20), (30, 40)]]."
        )
    return points


def _points(stroke: Iterable[Sequence[float]]) -> NDArray[np.float64]:
    points = _pairs(stroke)
    if not np.all(np.isfinite(points)):
        raise ValueError("Expected finite stroke coordinates. Received NaN or infinity in a stroke.")
    return points


def clean_stroke(
    stroke: Iterable[Sequence[float]], size: float, *, max_points: int = MAX_STROKE_POINTS
) -> tuple[tuple[float, float], ...]:
    """A stroke as the canvas may keep it: finite points only, clipped to ``[0, size]``, thinned.

    Mouse and touch events from a browser (or a crafted client) can carry NaN, infinity,
    ``None`` or coordinates far outside the canvas: such points are dropped (non-finite) or
    clipped to the canvas' edge, and repeated points are merged. A stroke of more than
    ``max_points`` points keeps one point per pixel of its path, then at most ``max_points``
    evenly spaced ones (with its first and last), so rasterizing it stays fast.

    Example:
        >>> clean_stroke([(1e308, 100), (float("nan"), 5), (-1e308, 100), (None, None)], size=280)
        ((280.0, 100.0), (0.0, 100.0))
        >>> len(clean_stroke([(i % 280, 140) for i in range(100_000)], size=280))
        1000
    """
    points = _pairs(stroke)
    points = np.clip(points[np.isfinite(points).all(axis=1)], 0.0, float(size))
    if len(points) > 1:
        steps = np.hypot(*np.diff(points, axis=0).T)
        points = points[np.concatenate([[True], steps > 0])]
    if len(points) > max_points:
        travelled = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])
        _, first = np.unique(np.floor(travelled), return_index=True)
        points = points[np.union1d(first, [len(points) - 1])]
    if len(points) > max_points:
        points = points[np.unique(np.linspace(0, len(points) - 1, max_points).round().astype(np.intp))]
    return tuple((float(x), float(y)) for x, y in points.tolist())


def rasterize_stroke(canvas: FloatArray, stroke: Iterable[Sequence[float]], width: float = 18.0) -> None:
    """Draw one anti-aliased, round-capped stroke into ``canvas`` (in place, brightest wins).

    Pixel ``(row, col)`` covers ``x`` in ``[col, col + 1)`` and ``y`` in ``[row, row + 1)``,
    as canvas mouse coordinates do. Coverage falls off linearly over one pixel at the edge.

    Example:
        >>> canvas = np.zeros((10, 10), np.float32)
        >>> rasterize_stroke(canvas, [(5, 2), (5, 8)], width=2)
        >>> float(canvas[5, 4]), float(canvas[5, 0])
        (1.0, 0.0)
    """
    points = _points(stroke)
    if len(points) == 0:
        return
    if len(points) == 1:
        points = np.concatenate([points, points])
    radius = width / 2.0
    reach = radius + 1.0
    height, breadth = canvas.shape
    for (x0, y0), (x1, y1) in itertools.pairwise(points.tolist()):
        left = max(0, math.floor(min(x0, x1) - reach))
        right = min(breadth, math.ceil(max(x0, x1) + reach))
        top = max(0, math.floor(min(y0, y1) - reach))
        bottom = min(height, math.ceil(max(y0, y1) + reach))
        if left >= right or top >= bottom:
            continue
        xs = np.arange(left, right, dtype=np.float64) + 0.5 - x0
        ys = np.arange(top, bottom, dtype=np.float64)[:, np.newaxis] + 0.5 - y0
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        if length2 > 0.0:
            t = np.clip((xs * dx + ys * dy) / length2, 0.0, 1.0)
            distance = np.hypot(xs - t * dx, ys - t * dy)
        else:
            distance = np.hypot(xs, ys)
        coverage = np.clip(radius + 0.5 - distance, 0.0, 1.0).astype(np.float32)
        window = canvas[top:bottom, left:right]
        np.maximum(window, coverage, out=window)


def _check_canvas(size: int, width: float) -> None:
    if not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"Expected a positive integer size in pixels. Received size={size!r}; try size=280.")
    if not (isinstance(width, (int, float, np.number)) and math.isfinite(width) and width > 0):
        raise ValueError(f"Expected a positive brush width in pixels. Received width={width!r}; try width=18.")


def strokes_to_image(strokes: Iterable[Iterable[Sequence[float]]], size: int = 280, width: float = 18.0) -> FloatArray:
    """Rasterize strokes (each a sequence of ``(x, y)`` canvas pixels) into a ``(size, size)`` image.

    White ink (1.0) on black (0.0), anti-aliased round-capped lines ``width`` pixels wide;
    ``x`` grows to the right, ``y`` downwards, as the canvas' mouse events give them.

    Example:
        >>> image = strokes_to_image([[(10, 10), (30, 10)]], size=40, width=4)
        >>> image.shape, float(image[10, 20]), float(image[20, 20])
        ((40, 40), 1.0, 0.0)
    """
    _check_canvas(size, width)
    canvas = np.zeros((int(size), int(size)), np.float32)
    for stroke in strokes:
        rasterize_stroke(canvas, stroke, float(width))
    return canvas


def _as_grayscale(image: ArrayLike, invert: bool) -> FloatArray:
    array = np.asarray(image)
    if array.dtype == bool:
        array = array.astype(np.float64)
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ValueError(f"Expected a grayscale image of numbers. Received an array of dtype {array.dtype}.")
    if array.ndim != 2 or min(array.shape) < 1:
        raise ValueError(
            f"Expected a 2-D grayscale image (height, width). Received shape {array.shape}; "
            "for a colour image average the channels first, e.g. image.mean(axis=-1)."
        )
    if np.issubdtype(array.dtype, np.integer):
        if array.min() < 0 or array.max() > 255:
            raise ValueError(f"Expected integer pixels in 0..255. Received values from {array.min()} to {array.max()}.")
        values = array.astype(np.float32) / np.float32(255.0)
    else:
        values = array.astype(np.float32, copy=False)
        low, high = float(values.min()), float(values.max())
        if not (math.isfinite(low) and math.isfinite(high)):  # NaN or infinity turn up in the extremes
            raise ValueError("Expected finite pixel values. Received NaN or infinity; check the image data.")
        if low < 0.0 or high > 1.0:
            raise ValueError(
                f"Expected float pixels in [0, 1]. Received values from {low:g} to {high:g}; "
                "divide 0..255 images by 255 first."
            )
    return np.float32(1.0) - values if invert else values


def _axis_weights(length: int, scale: float, source_centre: float) -> FloatArray:
    """``(28, length)`` resampling matrix: output pixel centre 14.5 maps to ``source_centre``.

    A triangle filter stretched to ``scale`` input pixels when shrinking (area-like
    anti-aliasing, as Pillow does), plain linear interpolation when enlarging.
    """
    support = max(scale, 1.0)
    output_centres = (np.arange(FIELD) + 0.5 - (CENTRE + 0.5)) * scale + source_centre
    input_centres = np.arange(length) + 0.5
    weights = np.clip(1.0 - np.abs(input_centres[np.newaxis, :] - output_centres[:, np.newaxis]) / support, 0.0, None)
    # Normalize by the filter's full mass, not the row sum: past the image's edge there is no ink.
    weights /= support
    return weights.astype(np.float32)


def centre_of_mass(image: ArrayLike) -> tuple[float, float]:
    """Intensity-weighted mean ``(row, col)`` pixel index of a 2-D image.

    Example:
        >>> image = np.zeros((28, 28)); image[14, 10] = 1.0
        >>> centre_of_mass(image)
        (14.0, 10.0)
    """
    values = np.asarray(image, dtype=np.float64)
    total = values.sum()
    if total <= 0:
        raise EmptyImage("Expected an image with some ink. Received an empty image; draw a digit first.")
    rows = float(values.sum(axis=1) @ np.arange(values.shape[0]) / total)
    cols = float(values.sum(axis=0) @ np.arange(values.shape[1]) / total)
    return rows, cols


def to_mnist(image: ArrayLike, invert: bool = False, *, deskew: bool = False) -> FloatArray:
    """Turn any grayscale raster into a ``(28, 28)`` float32 MNIST-like image in [0, 1].

    Bright ink on a dark background (``invert=True`` for dark ink on white paper); uint8
    0..255 or float in [0, 1]. Like MNIST: the ink's bounding box is scaled so its longer side
    is 20 pixels (aspect ratio kept, anti-aliased) and placed so the centre of mass lands at
    pixel index (14, 14). Tiny, off-centre and huge drawings come out the same. An image
    without ink raises :class:`EmptyImage`. ``deskew=True`` (default False) also takes the
    slant out (:func:`nnteach.deskew.deskew`, by image moments).

    Example:
        >>> big = np.zeros((300, 500)); big[20:280, 400:420] = 1.0
        >>> digit = to_mnist(big)
        >>> digit.shape, [round(float(c)) for c in centre_of_mass(digit)]
        ((28, 28), [14, 14])
    """
    values = _as_grayscale(image, invert)
    peak = float(values.max())
    if peak < EMPTY_LEVEL:
        raise EmptyImage(
            "Expected an image with some ink. Received an empty image (no pixel brighter than "
            f"{EMPTY_LEVEL}); draw a digit first{', or check invert' if invert else ''}."
        )
    ink = values >= BOX_LEVEL * peak
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    extent = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
    scale = float(extent) / BOX  # input pixels per output pixel
    # Only the ink's neighbourhood matters: crop a window around the box, reaching the filter's width.
    margin = math.ceil(max(scale, 1.0)) + 1
    top, bottom = max(0, rows[0] - margin), min(values.shape[0], rows[-1] + margin + 1)
    left, right = max(0, cols[0] - margin), min(values.shape[1], cols[-1] + margin + 1)
    window = values[top:bottom, left:right]
    centre_row, centre_col = centre_of_mass(window)
    row_weights = _axis_weights(window.shape[0], scale, centre_row + 0.5)
    col_weights = _axis_weights(window.shape[1], scale, centre_col + 0.5)
    # einsum, not @: on a busy machine OpenBLAS' threads make this tiny product 50x slower.
    digit = np.einsum("ij,kj->ik", np.einsum("ij,jk->ik", row_weights, window), col_weights)
    digit_peak = digit.max()
    if digit_peak <= 0:  # pragma: no cover - a window with ink always leaves some after resampling
        raise EmptyImage("Expected an image with some ink. Received one whose ink vanished when scaled.")
    # MNIST's strokes are saturated: stretch so the darkest ink is 1.0 (thin strokes lose contrast when shrunk).
    result: FloatArray = np.clip(digit / digit_peak, 0.0, 1.0).astype(np.float32)
    return deskew_image(result) if deskew else result


def strokes_to_mnist(
    strokes: Iterable[Iterable[Sequence[float]]],
    size: int = 280,
    width: float = 18.0,
    *,
    normalize_width: bool = True,
    stroke_width: float = MNIST_STROKE_WIDTH,
    deskew: bool = True,
) -> FloatArray:
    """A drawing as the network sees it: cropped, fitted into 20×20, centred, MNIST's stroke width, upright.

    With ``normalize_width=True`` (the default) the strokes are drawn again on the 28×28 field
    ``stroke_width`` pixels wide (MNIST's median, 2.4), whatever the brush ``width`` was: a small
    digit drawn with a thick brush keeps its loops open, a large one drawn with a thin pen does not
    fade (:func:`nnteach.stroke_width.normalized_strokes_image`). A drawing without extent (a
    dot) is rasterized instead. ``normalize_width=False`` is the plain raster pipeline,
    ``to_mnist(strokes_to_image(strokes, size, width))``. ``deskew=True`` (the default) also
    takes the slant out (:func:`nnteach.deskew.deskew`): the packaged reference MLP learnt from
    deskewed drawings and reads turned digits better so (README, "The reference model");
    ``deskew=False`` keeps the drawing's slant.

    Example:
        >>> small_thick = strokes_to_mnist([[(20, 10), (20, 60)]], width=30)
        >>> large_thin = strokes_to_mnist([[(140, 20), (140, 260)]], width=4)
        >>> bool(np.allclose(small_thick, large_thin, atol=1e-5))
        True
        >>> strokes_to_mnist([]) # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        ...
        nnteach.preprocess.EmptyImage: Expected an image with some ink.
    """
    if normalize_width:
        _check_canvas(size, width)
        if not (isinstance(stroke_width, (int, float)) and 0.5 <= stroke_width <= 10.0):
            raise ValueError(
                f"Expected a stroke width from 0.5 to 10 pixels of the 28×28 image. Received stroke_width={stroke_width!r}; "
                f"try {MNIST_STROKE_WIDTH} (MNIST's)."
            )
        lines = [np.clip(_points(stroke), 0.0, float(size)) for stroke in strokes]
        image = normalized_strokes_image(lines, stroke_width=float(stroke_width))
        if image is not None:
            return deskew_image(image) if deskew else image
        strokes = lines
    return to_mnist(strokes_to_image(strokes, size, width), deskew=deskew)


def shrink(image: ArrayLike, size: int = FIELD) -> FloatArray:
    """The whole image resized to ``(size, size)`` by averaging, nothing else: no crop, no centring, no width change.

    What a network would see without MNIST's pipeline: lesson 7 compares it with :func:`to_mnist`.

    Example:
        >>> canvas = strokes_to_image([[(20, 10), (20, 60)]], size=280, width=18)
        >>> small = shrink(canvas)
        >>> small.shape, [round(c) for c in centre_of_mass(small)]
        ((28, 28), [3, 2])
    """
    values = _as_grayscale(image, invert=False)
    height, width = values.shape
    rows = np.minimum(np.arange(height) * size // height, size - 1)
    cols = np.minimum(np.arange(width) * size // width, size - 1)
    total = np.zeros((size, size), np.float64)
    np.add.at(total, (rows[:, None], cols[None, :]), values)
    counts = np.zeros((size, size), np.float64)
    np.add.at(counts, (rows[:, None], cols[None, :]), 1.0)
    result: FloatArray = (total / np.maximum(counts, 1.0)).astype(np.float32)
    return result

"""Hand-like mouse paths for the ten digits, as a person draws them (stroke order, curves, a slight slant).

Each digit is a few strokes of control points in a unit box (``x`` right, ``y`` down), smoothed
by Catmull-Rom splines, slanted, given a small deterministic wobble and placed in a box on the
canvas. Used by the browser test that draws all ten digits and by the recorder of the mouse
evaluation set (``bench/record_mouse_digits.py``).
"""

from __future__ import annotations

import random

Point = tuple[float, float]

# Control points per stroke, unit box: the way most people write each digit.
SHAPES: dict[int, list[list[Point]]] = {
    0: [
        [
            (0.55, 0.04),
            (0.22, 0.18),
            (0.1, 0.5),
            (0.25, 0.88),
            (0.55, 0.97),
            (0.85, 0.75),
            (0.9, 0.4),
            (0.75, 0.1),
            (0.5, 0.05),
        ]
    ],
    1: [[(0.35, 0.2), (0.6, 0.03), (0.55, 0.5), (0.5, 0.97)]],
    2: [[(0.12, 0.28), (0.35, 0.05), (0.7, 0.06), (0.85, 0.3), (0.6, 0.6), (0.1, 0.95), (0.5, 0.93), (0.92, 0.95)]],
    3: [
        [
            (0.15, 0.15),
            (0.5, 0.02),
            (0.82, 0.18),
            (0.75, 0.4),
            (0.42, 0.5),
            (0.8, 0.6),
            (0.88, 0.82),
            (0.55, 0.98),
            (0.12, 0.85),
        ]
    ],
    4: [
        [(0.55, 0.03), (0.3, 0.35), (0.08, 0.66), (0.5, 0.66), (0.95, 0.64)],
        [(0.7, 0.28), (0.68, 0.62), (0.66, 0.98)],
    ],
    5: [
        [(0.28, 0.05), (0.24, 0.25), (0.2, 0.47), (0.55, 0.4), (0.85, 0.58), (0.82, 0.85), (0.5, 0.98), (0.12, 0.86)],
        [(0.28, 0.05), (0.55, 0.05), (0.88, 0.04)],
    ],
    6: [
        [
            (0.72, 0.03),
            (0.42, 0.25),
            (0.2, 0.58),
            (0.25, 0.88),
            (0.52, 0.98),
            (0.8, 0.82),
            (0.76, 0.58),
            (0.48, 0.5),
            (0.22, 0.66),
        ]
    ],
    7: [[(0.08, 0.08), (0.5, 0.07), (0.92, 0.06), (0.65, 0.45), (0.45, 0.97)]],
    8: [
        [
            (0.78, 0.14),
            (0.5, 0.02),
            (0.2, 0.16),
            (0.3, 0.38),
            (0.5, 0.48),
            (0.78, 0.63),
            (0.8, 0.86),
            (0.5, 0.98),
            (0.2, 0.86),
            (0.24, 0.62),
            (0.5, 0.48),
            (0.72, 0.34),
            (0.78, 0.14),
        ]
    ],
    9: [[(0.82, 0.22), (0.5, 0.03), (0.18, 0.18), (0.22, 0.42), (0.52, 0.47), (0.82, 0.28), (0.8, 0.55), (0.72, 0.97)]],
}


def _spline(points: list[Point], samples: int = 8) -> list[Point]:
    """A Catmull-Rom spline through ``points``: a smooth path like a hand's."""
    if len(points) < 3:
        return list(points)
    padded = [points[0], *points, points[-1]]
    out: list[Point] = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(samples):
            t = step / samples
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[k]
                        + (-p0[k] + p2[k]) * t
                        + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t * t
                        + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t * t * t
                    )
                    for k in (0, 1)
                )
            )
    out.append(points[-1])
    return out


def digit_strokes(
    digit: int, box: tuple[float, float, float, float], *, slant: float = 0.12, seed: int = 0
) -> list[list[Point]]:
    """The strokes of ``digit`` drawn into ``box`` = ``(left, top, width, height)`` canvas pixels.

    ``slant`` leans the digit to the right (as most handwriting does); ``seed`` picks the
    small wobble of the hand (under 2 % of the box), so two drawings of a digit differ.
    """
    left, top, width, height = box
    wobble = random.Random(digit * 1000 + seed)  # noqa: S311 - a hand's wobble, not a secret
    strokes = []
    for control in SHAPES[digit]:
        jittered = [(x + wobble.uniform(-0.02, 0.02), y + wobble.uniform(-0.02, 0.02)) for x, y in control]
        path = _spline(jittered)
        strokes.append([(left + (x + slant * (1.0 - y)) / (1.0 + slant) * width, top + y * height) for x, y in path])
    return strokes


def fit(size: float, centre: Point, height: float) -> tuple[float, float, float, float]:
    """A digit box of ``height`` pixels (width 0.7 × height) centred on ``centre``, kept inside the canvas."""
    width = 0.7 * height
    left = min(max(centre[0] - width / 2, 2.0), size - width - 2.0)
    top = min(max(centre[1] - height / 2, 2.0), size - height - 2.0)
    return (left, top, width, height)

"""Evaluation sets for reading drawn digits: MNIST test digits re-drawn as strokes, and recorded mouse drawings.

Neither set is training data. Both are frozen files in ``bench/data/``, made before the
augmented reference model was trained and never tuned against afterwards:

- ``redrawn_mnist.npz``: 1,000 MNIST test digits (every tenth) traced into strokes (the
  digit enlarged 4×, thresholded, thinned to a one-pixel skeleton by Zhang and Suen's
  algorithm, the skeleton walked into polylines), each re-drawn four ways on the 280 px
  canvas (``KINDS``). This rendering path shares no code with the training augmentation
  (which transforms MNIST rasters in ``scripts/train_reference.py``).
- ``mouse_digits.json``: stroke sequences recorded from mouse drawings in Chromium on a
  DigitCanvas in Voila (``bench/record_mouse_digits.py``).

Make the re-drawn set again with ``.venv/bin/python -m bench.handwriting_sets`` (deterministic).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

DATA = Path(__file__).resolve().parent / "data"
REDRAWN = DATA / "redrawn_mnist.npz"
MOUSE = DATA / "mouse_digits.json"
CANVAS = 280
UPSAMPLE = 4  # the skeleton is traced on a 112×112 enlargement of the 28×28 digit
SEED = 20  # the number

#: kind -> (digit size range: the strokes' longer side in canvas px; brush width range in canvas px; rotation in degrees)
KINDS: dict[str, tuple[tuple[float, float], tuple[float, float], float]] = {
    "small_thick": ((40.0, 70.0), (18.0, 18.0), 0.0),  # small, anywhere, the default brush
    "large_thin": ((200.0, 260.0), (4.0, 4.0), 0.0),  # large, the thinnest brush
    "very_thick": ((110.0, 160.0), (40.0, 48.0), 0.0),  # middle size, the thickest brushes
    "rotated": ((150.0, 200.0), (18.0, 18.0), 20.0),  # normal size, default brush, turned by ±20°
}

Stroke = list[tuple[float, float]]


@dataclass(frozen=True)
class Drawing:
    """One drawing of a digit: its label, strokes in canvas pixels and the brush width."""

    label: int
    strokes: list[Stroke]
    width: float


# -- making the re-drawn set ------------------------------------------------------------------


def _zhang_suen(ink: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Thin a batch ``(n, h, w)`` of binary images to one-pixel skeletons (Zhang & Suen, 1984)."""
    image = np.pad(ink, ((0, 0), (1, 1), (1, 1))).astype(np.uint8)
    while True:
        changed = False
        for step in (0, 1):
            p = image
            n2, n3, n4 = p[:, :-2, 1:-1], p[:, :-2, 2:], p[:, 1:-1, 2:]
            n5, n6, n7 = p[:, 2:, 2:], p[:, 2:, 1:-1], p[:, 2:, :-2]
            n8, n9 = p[:, 1:-1, :-2], p[:, :-2, :-2]
            ring = [n2, n3, n4, n5, n6, n7, n8, n9, n2]
            count = sum(ring[:8])
            transitions = sum(((a == 0) & (b == 1)).astype(np.uint8) for a, b in itertools.pairwise(ring))
            side = (n2 * n4 * n6 == 0) & (n4 * n6 * n8 == 0) if step == 0 else (n2 * n4 * n8 == 0) & (n2 * n6 * n8 == 0)
            remove = (p[:, 1:-1, 1:-1] == 1) & (count >= 2) & (count <= 6) & (transitions == 1) & side
            if remove.any():
                changed = True
                image[:, 1:-1, 1:-1][remove] = 0
        if not changed:
            return image[:, 1:-1, 1:-1].astype(bool)


def _polylines(skeleton: NDArray[np.bool_]) -> list[list[tuple[int, int]]]:
    """Walk a skeleton's 8-connected pixel graph into polylines of ``(row, col)`` pixels."""
    pixels = {(int(r), int(c)) for r, c in np.argwhere(skeleton)}
    edges: dict[tuple[int, int], set[tuple[int, int]]] = {p: set() for p in pixels}
    for r, c in pixels:
        for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
            q = (r + dr, c + dc)
            if q not in pixels:
                continue
            # A diagonal step beside an L of two straight steps is the staircase's shortcut: skip it.
            if dr and dc and ((r, c + dc) in pixels or (r + dr, c) in pixels):
                continue
            edges[(r, c)].add(q)
            edges[q].add((r, c))
    lines: list[list[tuple[int, int]]] = []
    while any(edges.values()):
        odd = sorted(p for p, e in edges.items() if len(e) % 2 == 1)
        start = odd[0] if odd else min(p for p, e in edges.items() if e)
        line = [start]
        while edges[line[-1]]:
            here = line[-1]
            nxt = min(edges[here])
            edges[here].discard(nxt)
            edges[nxt].discard(here)
            line.append(nxt)
        lines.append(line)
    for p in pixels:  # isolated pixels are dots
        if not any(p in line for line in lines):
            lines.append([p])
    return lines


def make_redrawn(count_every: int = 10) -> None:
    """Trace MNIST test digits into strokes and pick each kind's size, place, brush and turn; write the file."""
    from scipy import ndimage

    from nnteach.data import load_mnist

    _, (x_test, y_test) = load_mnist()
    indices = np.arange(0, len(x_test), count_every)
    big = np.stack([ndimage.zoom(x_test[i].astype(np.float32) / 255.0, UPSAMPLE, order=1) for i in indices])
    skeletons = _zhang_suen(big >= 0.4)
    points: list[tuple[int, int]] = []
    line_starts, digit_starts = [], []
    for skeleton in skeletons:
        digit_starts.append(len(line_starts))
        for line in _polylines(skeleton):
            line_starts.append(len(points))
            points.extend(line)
    digit_starts.append(len(line_starts))
    line_starts.append(len(points))
    rng = np.random.default_rng(SEED)
    params = {}
    for kind, ((low, high), (thin, thick), turn) in KINDS.items():
        extent = rng.uniform(low, high, len(indices))
        width = rng.uniform(thin, thick, len(indices))
        place = rng.uniform(0.0, 1.0, (len(indices), 2))
        angle = turn * rng.choice([-1.0, 1.0], len(indices))
        params[kind] = np.column_stack([extent, width, place, angle]).astype(np.float32)
    DATA.mkdir(exist_ok=True)
    np.savez_compressed(
        REDRAWN,
        indices=indices.astype(np.int32),
        labels=y_test[indices].astype(np.uint8),
        points=np.asarray(points, np.uint8),
        line_starts=np.asarray(line_starts, np.int32),
        digit_starts=np.asarray(digit_starts, np.int32),
        **{f"params_{kind}": value for kind, value in params.items()},
    )


# -- reading the sets --------------------------------------------------------------------------


def _place(
    lines: list[NDArray[np.float64]], extent: float, width: float, place: NDArray[np.float32], angle: float
) -> list[Stroke]:
    """Turn, scale and place traced polylines so the digit's longer side spans ``extent`` canvas px."""
    everything = np.concatenate(lines)
    centre = (everything.max(axis=0) + everything.min(axis=0)) / 2
    theta = np.deg2rad(angle)
    turn = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    turned = [(line - centre) @ turn.T for line in lines]
    allturned = np.concatenate(turned)
    span = float((allturned.max(axis=0) - allturned.min(axis=0)).max())
    scale = extent / max(span, 1.0)
    low, high = allturned.min(axis=0) * scale, allturned.max(axis=0) * scale
    margin = width / 2 + 1
    room_low, room_high = margin - low, CANVAS - margin - high  # where the centre may go
    offset = room_low + place * np.maximum(room_high - room_low, 0.0)
    return [[(float(x), float(y)) for x, y in line * scale + offset] for line in turned]


def redrawn(kind: str) -> Iterator[Drawing]:
    """The 1,000 re-drawn MNIST test digits of one kind (``KINDS``), as strokes on a 280 px canvas."""
    data = np.load(REDRAWN)
    points, line_starts, digit_starts = data["points"], data["line_starts"], data["digit_starts"]
    params = data[f"params_{kind}"]
    for digit, label in enumerate(data["labels"]):
        lines = []
        for line in range(digit_starts[digit], digit_starts[digit + 1]):
            rows_cols = points[line_starts[line] : line_starts[line + 1]].astype(np.float64)
            lines.append((rows_cols[:, ::-1] + 0.5) / UPSAMPLE)  # (x, y) in 28-pixel units
        extent, width, px, py, angle = (float(v) for v in params[digit])
        strokes = _place(lines, extent, width, np.array([px, py]), angle)
        yield Drawing(int(label), strokes, width)


def mouse() -> list[Drawing]:
    """The recorded mouse drawings (``mouse_digits.json``), in the order they were drawn."""
    records = json.loads(MOUSE.read_text())["drawings"]
    return [
        Drawing(int(r["label"]), [[(float(x), float(y)) for x, y in s] for s in r["strokes"]], float(r["width"]))
        for r in records
    ]


if __name__ == "__main__":
    make_redrawn()
    print(f"wrote {REDRAWN}")

"""Pictures of the playground without matplotlib: small RGB PNGs and SVG text, cheap enough for every frame.

- :func:`region_rgb`: the class probabilities over the grid as colours (class colour, paler
  where the network is unsure);
- :func:`neuron_rgb`: one hidden neuron's output over the grid (blue positive, orange negative);
- :func:`points_svg`: the data points, one shape per class (circle, square, triangle), so the
  classes differ by more than colour;
- :func:`network_svg`: the neurons as small heatmaps, the weights as lines (width: size;
  blue solid: positive, orange dashed: negative; hover for the value);
- :func:`curves_svg`: training and test loss per epoch (solid and dashed).

Example:
    >>> import numpy as np
    >>> region_rgb(np.array([[0.5, 0.5]]), 1).shape
    (1, 1, 3)
    >>> points_svg(np.array([[0.0, 0.0]]), np.array([1])).count("<rect")
    1
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach.i18n import _

__all__ = ["CLASS_COLOURS", "SHAPES", "curves_svg", "network_svg", "neuron_rgb", "points_svg", "region_rgb"]

#: Class colours (Playground's orange and blue, then green) and the shape each class is drawn with.
CLASS_COLOURS = np.array([[245, 147, 34], [8, 119, 189], [46, 160, 67]], dtype=np.float32)
SHAPES = ("circle", "square", "triangle")
_WHITE = np.float32(255.0)
_NODE = 40  # px: one neuron's heatmap in the network picture
_COLUMN = 100
_ROW = 48
_LEFT = 24  # px before the first column, so its centred title fits


def region_rgb(probabilities: NDArray[Any], resolution: int) -> NDArray[np.uint8]:
    """``(resolution², classes)`` probabilities as an RGB picture: the mix of class colours, paler when unsure."""
    p = np.asarray(probabilities, dtype=np.float32)
    classes = p.shape[1]
    mixed = p @ CLASS_COLOURS[:classes]
    sure = (p.max(axis=1, keepdims=True) - 1.0 / classes) * classes / (classes - 1)
    strength = 0.2 + 0.6 * sure
    rgb = _WHITE + (mixed - _WHITE) * strength
    picture: NDArray[np.uint8] = np.rint(rgb).astype(np.uint8).reshape(resolution, resolution, 3)
    return picture


def neuron_rgb(values: NDArray[Any], resolution: int) -> NDArray[np.uint8]:
    """One neuron's outputs over the grid, scaled by its largest size: blue > 0, white 0, orange < 0."""
    v = np.asarray(values, dtype=np.float32)
    scaled = v / max(float(np.abs(v).max()), 1e-6)
    colour = np.where(scaled[:, np.newaxis] >= 0, CLASS_COLOURS[1], CLASS_COLOURS[0])
    rgb = _WHITE + (colour - _WHITE) * np.abs(scaled)[:, np.newaxis]
    picture: NDArray[np.uint8] = np.rint(rgb).astype(np.uint8).reshape(resolution, resolution, 3)
    return picture


def _shape(kind: str, x: float, y: float, size: float, css: str) -> str:
    if kind == "circle":
        return f"<circle class='{css}' cx='{x:.3f}' cy='{y:.3f}' r='{size:.3f}'/>"
    if kind == "square":
        side = 1.7 * size
        return f"<rect class='{css}' x='{x - side / 2:.3f}' y='{y - side / 2:.3f}' width='{side:.3f}' height='{side:.3f}'/>"
    h = 1.1 * size
    corners = f"{x:.3f},{y - h:.3f} {x - h:.3f},{y + h * 0.8:.3f} {x + h:.3f},{y + h * 0.8:.3f}"
    return f"<polygon class='{css}' points='{corners}'/>"


def points_svg(points: NDArray[Any], labels: NDArray[Any], *, hollow: bool = False, size: int = 300) -> str:
    """The points over ``[-1, 1]²`` (y up), a shape per class; ``hollow`` for test points."""
    radius = 0.028
    label = _attr(_("data points: circles class 0, squares class 1, triangles class 2"))
    parts = [
        f"<svg class='nnteach-playground-points' viewBox='-1 -1 2 2' width='{size}' height='{size}' "
        f"role='img' aria-label='{label}'>"
    ]
    fill = "hollow" if hollow else "filled"
    for (x, y), label in zip(np.asarray(points, dtype=np.float64), np.asarray(labels), strict=True):
        parts.append(_shape(SHAPES[int(label)], float(x), -float(y), radius, f"nnteach-pg-c{int(label)} {fill}"))
    parts.append("</svg>")
    return "".join(parts)


def _attr(text: str) -> str:
    """``text`` safe inside a quoted SVG attribute."""
    return html.escape(text, quote=True)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def network_svg(
    columns: Sequence[Sequence[bytes]], weights: Sequence[tuple[NDArray[Any], NDArray[Any]]], titles: Sequence[str]
) -> str:
    """Columns of neuron heatmaps (PNG bytes) joined by one line per weight (hover shows its value)."""
    tallest = max(len(column) for column in columns)
    width, height = _COLUMN * (len(columns) - 1) + _NODE + 2 * _LEFT, _ROW * tallest + 22

    def centre(column: int, row: int) -> tuple[float, float]:
        top = 22 + (tallest - len(columns[column])) * _ROW / 2
        return _LEFT + column * _COLUMN + _NODE / 2, top + row * _ROW + _NODE / 2

    largest = max((float(np.abs(kernel).max()) for kernel, _ in weights), default=1.0) or 1.0
    lines = []
    weight, label = _("weight {value}"), _attr(_("the network: neurons as pictures, weights as lines"))
    for column, (kernel, _bias) in enumerate(weights):
        for source, target in np.ndindex(kernel.shape):
            (x1, y1), (x2, y2) = centre(column, source), centre(column + 1, target)
            value = float(kernel[source, target])
            sign = "positive" if value >= 0 else "negative"
            stroke = 0.5 + 4.5 * min(abs(value) / largest, 1.0)
            lines.append(
                f"<line class='nnteach-pg-weight {sign}' x1='{x1 + _NODE / 2:.1f}' y1='{y1:.1f}' "
                f"x2='{x2 - _NODE / 2:.1f}' y2='{y2:.1f}' stroke-width='{stroke:.2f}'>"
                f"<title>{html.escape(weight.format(value=f'{value:+.3f}'))}</title></line>"
            )
    nodes = []
    for column, pngs in enumerate(columns):
        x, _top = centre(column, 0)
        nodes.append(
            f"<text class='nnteach-pg-title' x='{x:.1f}' y='12' text-anchor='middle'>{html.escape(titles[column])}</text>"
        )
        for row, png in enumerate(pngs):
            cx, cy = centre(column, row)
            nodes.append(
                f"<image href='{_data_uri(png)}' x='{cx - _NODE / 2:.1f}' y='{cy - _NODE / 2:.1f}' "
                f"width='{_NODE}' height='{_NODE}' preserveAspectRatio='none'/>"
            )
    return (
        f"<svg class='nnteach-playground-network' width='{width}' height='{height}' viewBox='0 0 {width} {height}' "
        f"role='img' aria-label='{label}'>" + "".join(lines) + "".join(nodes) + "</svg>"
    )


def curves_svg(train: Sequence[float], test: Sequence[float], width: int = 300, height: int = 110) -> str:
    """Loss per epoch: training solid, test dashed, on one axis from 0 to the largest loss."""
    top = max([*train, *test, 1e-6])
    count = max(len(train), 2)

    def polyline(values: Sequence[float], css: str) -> str:
        coords = " ".join(
            f"{36 + (width - 44) * i / (count - 1):.1f},{8 + (height - 26) * (1 - v / top):.1f}"
            for i, v in enumerate(values)
        )
        return f"<polyline class='nnteach-pg-curve {css}' points='{coords}'/>"

    axis_y = height - 18
    label, epoch = _("loss per epoch: training solid, test dashed"), _("epoch {count}").format(count=len(train))
    return (
        f"<svg class='nnteach-playground-curves' width='{width}' height='{height}' role='img' "
        f"aria-label='{_attr(label)}'>"
        f"<line class='nnteach-pg-axis' x1='36' y1='8' x2='36' y2='{axis_y}'/>"
        f"<line class='nnteach-pg-axis' x1='36' y1='{axis_y}' x2='{width - 8}' y2='{axis_y}'/>"
        f"<text class='nnteach-pg-title' x='32' y='14' text-anchor='end'>{top:.2f}</text>"
        f"<text class='nnteach-pg-title' x='32' y='{axis_y}' text-anchor='end'>0</text>"
        f"<text class='nnteach-pg-title' x='{width - 8}' y='{height - 4}' text-anchor='end'>{html.escape(epoch)}</text>"
        f"{polyline(train, 'train')}{polyline(test, 'test')}</svg>"
    )

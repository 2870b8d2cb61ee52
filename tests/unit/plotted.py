"""What a widget's plot shows, read the same way whether the browser draws it (bqplot) or a PNG does.

Tests run each plotting widget both ways (``NNTEACH_PLOTS=png`` selects the PNG path) and ask
these helpers for the data that reached the plot: bqplot marks' arrays, or matplotlib artists'.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

MODES = ("browser", "png")


def use_mode(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """Make widgets built after this call draw in the browser (bqplot) or as PNG images."""
    if mode == "png":
        monkeypatch.setenv("NNTEACH_PLOTS", "png")
    else:
        monkeypatch.delenv("NNTEACH_PLOTS", raising=False)


def is_browser(plot: Any) -> bool:
    """Whether ``plot`` is a bqplot Figure (otherwise a PNG image with a matplotlib ``figure``)."""
    return type(plot).__module__.startswith("bqplot")


def lines(plot: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every labelled, visible line of ``plot`` as (x, y) arrays, by label."""
    found: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if is_browser(plot):
        for mark in plot.marks:
            if not mark.visible or not mark.labels or type(mark).__name__ != "Lines":
                continue
            x, y = np.asarray(mark.x, dtype=float), np.asarray(mark.y, dtype=float)
            rows = y.reshape(-1, y.shape[-1]) if y.ndim == 2 else y.reshape(1, -1)
            for i, (label, row) in enumerate(zip(mark.labels, rows, strict=False)):
                found[label] = (x if x.ndim == 1 else x[i], row)
        return found
    for line in plot.figure.axes[0].get_lines():
        if not line.get_label().startswith("_"):
            found[line.get_label()] = (np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float))
    return found


def ylim(plot: Any) -> tuple[float, float]:
    """The y range shown."""
    if is_browser(plot):
        scale = plot.axes[1].scale
        return float(scale.min), float(scale.max)
    low, high = plot.figure.axes[0].get_ylim()
    return float(low), float(high)


def picture(plot: Any) -> Any:
    """Something equal exactly when the plot shows the same thing: the PNG, or every mark's data and the axes."""
    if not is_browser(plot):
        return bytes(plot.value)
    marks = tuple(
        (tuple(mark.labels), *(np.asarray(getattr(mark, name, None)).tobytes() for name in ("x", "y", "color")))
        for mark in plot.marks
    )
    return marks, tuple((axis.scale.min, axis.scale.max, axis.label) for axis in plot.axes)

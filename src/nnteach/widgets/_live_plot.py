"""Plots that change, drawn in the learner's browser by bqplot: the kernel sends arrays, not pictures.

Re-rendering a matplotlib figure to PNG costs ~27 ms of kernel CPU per slider move; a bqplot
update is a few small binary arrays (well under 1 ms), and the browser draws them as SVG with
JupyterLab's theme variables. bqplot (with pandas and bqscales) comes with ``nnteach[plots]``,
which ``nnteach[lessons]`` includes; without it, or with ``NNTEACH_PLOTS=png`` in the
environment, the widgets draw the same plots as PNG images with matplotlib.

The plotting area is white in every theme (as the PNG figures were), so the curve colours,
chosen >= 4.5:1 on white, read the same in light and dark themes; the axes, ticks and labels
around it take the theme's colours.

Example:
    >>> plot = LivePlot(x_label="epoch", y_label="loss", css_class="nnteach-example")
    >>> line = plot.add(plot.lines(x=[1.0, 2.0], y=[0.5, 0.25], colors=["#1565c0"]))
    >>> plot.set_limits(x=(0.0, 3.0), y=(0.0, 1.0))
    >>> line.y.tolist(), (plot.x_scale.min, plot.x_scale.max)
    ([0.5, 0.25], (0.0, 3.0))
    >>> plot.close(); plot.figure.comm is None
    True
"""

from __future__ import annotations

import functools
import importlib.util
import os
from typing import Any

import ipywidgets as widgets

__all__ = ["PLOT_AREA", "LivePlot", "enabled"]

#: The plotting area's fill: white in every theme, like the PNG figures (see the module docstring).
PLOT_AREA = "#ffffff"


@functools.cache
def _installed() -> bool:
    return importlib.util.find_spec("bqplot") is not None


def enabled() -> bool:
    """Whether changing plots are drawn in the browser (bqplot installed and ``NNTEACH_PLOTS`` is not ``png``).

    Example:
        >>> isinstance(enabled(), bool)
        True
    """
    return os.environ.get("NNTEACH_PLOTS", "").strip().lower() != "png" and _installed()


class LivePlot:
    """One bqplot ``Figure`` with an x and a y axis; marks are added once and then only change their data.

    ``figure`` is the widget to show. :meth:`close` closes the figure, its marks, axes, scales
    and layouts (``Figure.close`` alone leaves them open in the kernel).
    """

    def __init__(
        self,
        *,
        x_label: str,
        y_label: str,
        css_class: str,
        y_log: bool = False,
        title: str = "",
        height: str = "360px",
        max_width: str = "760px",
        margin: dict[str, int] | None = None,
    ) -> None:
        import bqplot

        self._bq = bqplot
        self.x_scale = bqplot.LinearScale()
        self.y_scale = bqplot.LogScale() if y_log else bqplot.LinearScale()
        self.x_axis = bqplot.Axis(scale=self.x_scale, label=x_label, grid_lines="dashed", label_offset="32px")
        self.y_axis = bqplot.Axis(
            scale=self.y_scale, label=y_label, side="left", grid_lines="dashed", label_offset="42px"
        )
        self.figure = bqplot.Figure(
            marks=[],
            axes=[self.x_axis, self.y_axis],
            title=title,
            fig_margin=margin or {"top": 40 if title else 12, "bottom": 46, "left": 62, "right": 16},
            background_style={"fill": PLOT_AREA},
            animation_duration=0,
            padding_y=0.0,
            display_toolbar=False,
            layout=widgets.Layout(width="100%", max_width=max_width, height=height, min_width="280px"),
        )
        self.figure.add_class("nnteach-live-plot")
        self.figure.add_class(css_class)
        self._made: list[Any] = [self.x_scale, self.y_scale, self.x_axis, self.y_axis]

    @property
    def scales(self) -> dict[str, Any]:
        """The x and y scales, as bqplot marks take them."""
        return {"x": self.x_scale, "y": self.y_scale}

    def lines(self, **traits: Any) -> Any:
        """A ``bqplot.Lines`` on this plot's scales (not shown until :meth:`add`)."""
        mark = self._bq.Lines(scales=self.scales, **traits)
        self._made.append(mark)
        return mark

    def scatter(self, **traits: Any) -> Any:
        """A ``bqplot.Scatter`` on this plot's scales (not shown until :meth:`add`)."""
        mark = self._bq.Scatter(scales=self.scales, **traits)
        self._made.append(mark)
        return mark

    def mark(self, kind: str, **traits: Any) -> Any:
        """Any other bqplot mark (``"HeatMap"``, …) whose ``scales`` the caller gives; closed with the plot."""
        mark = getattr(self._bq, kind)(**traits)
        self._made.append(mark)
        for scale in traits.get("scales", {}).values():
            if scale not in self._made:
                self._made.append(scale)
        return mark

    def color_scale(self, **traits: Any) -> Any:
        """A ``bqplot.ColorScale`` closed with the plot."""
        scale = self._bq.ColorScale(**traits)
        self._made.append(scale)
        return scale

    def add(self, mark: Any) -> Any:
        """Show ``mark`` on top of the marks already shown; returns it."""
        self.figure.marks = [*self.figure.marks, mark]
        return mark

    def set_limits(self, *, x: tuple[float, float] | None = None, y: tuple[float, float] | None = None) -> None:
        """Fix the axes' ranges (``None`` leaves an axis as it is)."""
        for scale, limits in ((self.x_scale, x), (self.y_scale, y)):
            if limits is not None:
                with scale.hold_sync():
                    scale.min, scale.max = float(limits[0]), float(limits[1])

    def close(self) -> None:
        """Close the figure and everything it was made of."""
        made = [*self._made, self.figure.scale_x, self.figure.scale_y]
        layout = self.figure.layout
        self.figure.close()
        layout.close()
        for widget in made:
            if widget.comm is not None:
                widget.close()

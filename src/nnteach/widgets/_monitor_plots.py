"""TrainingMonitor's curves: one reused plot that draws a :class:`nnteach.curves.TrainingCurves` plan.

:class:`LiveCurvesPlot` draws it in the browser (bqplot: each update sends the points, not a
picture); :class:`CurvesPlot` is the PNG version, used without ``nnteach[plots]``.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach.curves import TrainingCurves
from nnteach.i18n import N_, _
from nnteach.widgets._base import close_tree, hold
from nnteach.widgets._live_plot import LivePlot
from nnteach.widgets._parts import PlotImage

__all__ = ["CurvesPlot", "LiveCurvesPlot"]

_RUNNING, _EPOCH, _VALIDATION, _PARTIAL = "#90a4ae", "#1565c0", "#e65100", "#37474f"
#: Each panel's title by metric (the keys stay Keras' metric names; the titles are translated when drawn).
_TITLES = {"loss": N_("loss"), "accuracy": N_("accuracy")}


class CurvesPlot(PlotImage):
    """Loss (left) and accuracy (right): running per-batch means, per-epoch points and validation.

    A partial last epoch (the run was stopped inside it) is drawn with a hollow marker and
    labelled "partial epoch"; an empty plot shows its real axes and a hint.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(width_inches=8, height_inches=3, **kwargs)
        self.add_class("nnteach-train-curves")
        self.axes = dict(zip(("loss", "accuracy"), self.figure.subplots(1, 2), strict=True))
        self.lines: dict[str, Any] = {}
        self.hints: dict[str, Any] = {}
        for metric, axes in self.axes.items():
            (self.lines[f"batch_{metric}"],) = axes.plot([], [], color=_RUNNING, lw=0.8, label=_("training (running)"))
            (self.lines[metric],) = axes.plot([], [], "o-", color=_EPOCH, label=_("training, per epoch"))
            (self.lines[f"val_{metric}"],) = axes.plot(
                [], [], "s--", color=_VALIDATION, label=_("validation (test set)")
            )
            (self.lines[f"partial_{metric}"],) = axes.plot(
                [], [], "o", markersize=10, markerfacecolor="none", color=_PARTIAL, label=_("partial epoch (stopped)")
            )
            axes.set_xlabel(_("epoch"))
            axes.set_title(_(_TITLES[metric]))
            axes.grid(alpha=0.3)
            self.hints[metric] = axes.text(
                0.5, 0.5, "", ha="center", va="center", wrap=True, transform=axes.transAxes, color=_PARTIAL
            )
        self.axes["accuracy"].legend(loc="lower right", fontsize=8)

    def draw(self, plan: TrainingCurves) -> None:
        """Show ``plan`` and send the picture once."""
        for metric, axes in self.axes.items():
            running, epoch, validation = plan.series[metric]
            self.lines[f"batch_{metric}"].set_data(running.x, running.y)
            self.lines[metric].set_data(epoch.x, epoch.y)
            self.lines[f"val_{metric}"].set_data(validation.x, validation.y)
            partial = self.lines[f"partial_{metric}"]
            if plan.partial_x is not None and len(epoch.y):
                partial.set_data([plan.partial_x], [epoch.y[-1]])
            else:
                partial.set_data(np.empty(0), np.empty(0))
            axes.set_xlim(*plan.xlim)
            axes.set_xticks(plan.xticks)
            axes.set_ylim(*plan.ylim[metric])
            self.hints[metric].set_text(plan.hint if metric == "loss" else "")
        self.refresh()


def _key(colour: str, style: str, marker: str, label: str) -> str:
    """One legend entry: a short line in the series' colour and style, its marker, and its name in theme colours."""
    return (
        f'<span aria-hidden="true" style="display:inline-block; width:1.8em; margin:0 0.3em 0 0.8em; '
        f'vertical-align:middle; border-top:3px {style} {colour}"></span>{marker} {label}'
    )


def _legend() -> str:
    """The curves' legend, in the page's language (made when a plot is, not at import)."""
    return (
        '<div class="nnteach-note nnteach-train-legend">'
        + _key(_RUNNING, "solid", "", _("training (running)"))
        + _key(_EPOCH, "solid", "●", _("training, per epoch"))
        + _key(_VALIDATION, "dashed", "■", _("validation (test set)"))
        + _key(_PARTIAL, "none", "○", _("partial epoch (stopped)"))
        + "</div>"
    )


class LiveCurvesPlot(widgets.VBox):
    """:class:`CurvesPlot` drawn in the browser: loss and accuracy panels, a legend, and the empty plot's hint.

    ``figures["loss"]`` and ``figures["accuracy"]`` are bqplot ``Figure`` widgets whose marks
    are labelled like the legend (``"training (running)"``, ``"training, per epoch"``,
    ``"validation (test set)"``, ``"partial epoch (stopped)"``); ``hint`` is the text shown
    while the plot is empty.

    Example:
        >>> from nnteach.curves import training_curves
        >>> plot = LiveCurvesPlot()
        >>> plot.draw(training_curves({}, {"loss": [0.5, 0.3]}, epochs=3, batches_per_epoch=10))
        >>> plot.marks("loss")["training, per epoch"].y.tolist(), plot.hint
        ([0.5, 0.3], '')
        >>> plot.close()
    """

    hint = traitlets.Unicode(
        "", read_only=True, help="The sentence shown while the plot is empty ('' once it has points)."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-train-curves")
        self._plots = {
            metric: LivePlot(
                x_label=_("epoch"),
                y_label="",
                title=_(_TITLES[metric]),
                css_class=f"nnteach-train-{metric}",
                height="300px",
                max_width="480px",
            )
            for metric in ("loss", "accuracy")
        }
        self.figures = {metric: plot.figure for metric, plot in self._plots.items()}
        self._marks: dict[str, dict[str, Any]] = {}
        for metric, plot in self._plots.items():
            self._marks[metric] = {
                "training (running)": plot.lines(colors=[_RUNNING], stroke_width=0.8),
                "training, per epoch": plot.lines(colors=[_EPOCH], marker="circle", marker_size=24),
                "validation (test set)": plot.lines(colors=[_VALIDATION], line_style="dashed", marker="square",
                                                    marker_size=24),
                "partial epoch (stopped)": plot.scatter(colors=[_PARTIAL], stroke=_PARTIAL, fill=False,
                                                        default_size=120, stroke_width=1.5),
            }  # fmt: skip
            for label, mark in self._marks[metric].items():
                mark.labels = [label]
                mark.x, mark.y = np.empty(0), np.empty(0)
                plot.add(mark)
        self._hint = widgets.HTML()
        self._hint.add_class("nnteach-train-hint")
        self.children = [
            self._hint,
            widgets.HBox([self.figures["loss"], self.figures["accuracy"]], layout=widgets.Layout(width="100%")),
            widgets.HTML(_legend()),
        ]

    def marks(self, metric: str) -> dict[str, Any]:
        """The marks of the ``"loss"`` or ``"accuracy"`` panel by label (read them, do not set them)."""
        return dict(self._marks[metric])

    def draw(self, plan: TrainingCurves) -> None:
        """Send ``plan``'s points and axes: arrays of a few hundred numbers, no picture."""
        for metric, plot in self._plots.items():
            marks = self._marks[metric]
            running, epoch, validation = plan.series[metric]
            with hold(*marks.values(), plot.x_axis, plot.x_scale, plot.y_scale):
                for series in (running, epoch, validation):
                    marks[series.label].x, marks[series.label].y = series.x, series.y
                partial = marks["partial epoch (stopped)"]
                if plan.partial_x is not None and len(epoch.y):
                    partial.x, partial.y = np.array([plan.partial_x]), epoch.y[-1:]
                else:
                    partial.x, partial.y = np.empty(0), np.empty(0)
                plot.x_axis.tick_values = np.asarray(plan.xticks, dtype=np.float64)
                plot.set_limits(x=plan.xlim, y=plan.ylim[metric])
        self.set_trait("hint", plan.hint)
        self._hint.value = f'<div class="nnteach-note">{html.escape(plan.hint)}</div>' if plan.hint else ""

    def close(self) -> None:
        """Close both panels (their marks, axes and scales), the hint, the legend and the box."""
        for plot in self._plots.values():
            plot.close()
        close_tree(self)
        layout = self.layout
        super().close()
        layout.close()

"""TrainingMonitor's curves: one reused figure that draws a :class:`nnteach.curves.TrainingCurves` plan."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnteach.curves import TrainingCurves
from nnteach.widgets._parts import PlotImage

__all__ = ["CurvesPlot"]

_RUNNING, _EPOCH, _VALIDATION, _PARTIAL = "#90a4ae", "#1565c0", "#e65100", "#37474f"


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
            (self.lines[f"batch_{metric}"],) = axes.plot([], [], color=_RUNNING, lw=0.8, label="training (running)")
            (self.lines[metric],) = axes.plot([], [], "o-", color=_EPOCH, label="training, per epoch")
            (self.lines[f"val_{metric}"],) = axes.plot([], [], "s--", color=_VALIDATION, label="validation (test set)")
            (self.lines[f"partial_{metric}"],) = axes.plot(
                [], [], "o", markersize=10, markerfacecolor="none", color=_PARTIAL, label="partial epoch (stopped)"
            )
            axes.set_xlabel("epoch")
            axes.set_title(metric)
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

"""The browser-drawn plots' shared part: when it is used, what it sends, and that closing leaves nothing open."""

from __future__ import annotations

import numpy as np
import pytest

from nnteach.widgets import ActivationExplorer, PerceptronView, _live_plot
from nnteach.widgets._live_plot import LivePlot


def test_plots_are_drawn_in_the_browser_unless_png_is_asked_for_or_bqplot_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NNTEACH_PLOTS", raising=False)
    assert _live_plot.enabled()
    monkeypatch.setenv("NNTEACH_PLOTS", " PNG ")
    assert not _live_plot.enabled()
    monkeypatch.delenv("NNTEACH_PLOTS")
    monkeypatch.setattr(_live_plot, "_installed", lambda: False)  # a light install: no bqplot
    assert not _live_plot.enabled()
    view = PerceptronView()
    try:
        assert view.plot.value[:4] == b"\x89PNG", "without bqplot the same widget draws a PNG"
    finally:
        view.close()


def test_close_releases_the_figure_its_marks_axes_and_scales() -> None:
    plot = LivePlot(x_label="x", y_label="y", css_class="nnteach-test-plot")
    line = plot.add(plot.lines(x=[0.0, 1.0], y=[1.0, 2.0]))
    dots = plot.add(plot.scatter(x=[0.5], y=[1.5]))
    heat = plot.add(
        plot.mark(
            "HeatMap",
            x=np.arange(2.0),
            y=np.arange(2.0),
            color=np.eye(2),
            scales={**plot.scales, "color": plot.color_scale(colors=["#ffffff", "#000000"])},
        )
    )
    parts = [plot.figure, plot.figure.layout, line, dots, heat, *plot.figure.axes, *plot.scales.values()]
    parts += [plot.figure.scale_x, plot.figure.scale_y, heat.scales["color"]]
    plot.close()
    assert [part for part in parts if part.comm is not None] == []


def test_the_axes_take_the_limits_given_and_the_figure_its_css_class() -> None:
    plot = LivePlot(x_label="epoch", y_label="loss", css_class="nnteach-test-plot", y_log=True)
    try:
        plot.set_limits(x=(1, 5), y=(0.01, 3))
        assert (plot.x_scale.min, plot.x_scale.max, plot.y_scale.min, plot.y_scale.max) == (1.0, 5.0, 0.01, 3.0)
        assert type(plot.y_scale).__name__ == "LogScale"
        assert {"nnteach-live-plot", "nnteach-test-plot"} <= set(plot.figure.get_state()["_dom_classes"])
        assert [axis.label for axis in plot.figure.axes] == ["epoch", "loss"]
    finally:
        plot.close()


def test_a_cursor_move_sends_only_the_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of drawing in the browser: a cursor move changes two small marks, not the curves."""
    monkeypatch.delenv("NNTEACH_PLOTS", raising=False)
    explorer = ActivationExplorer(selected=("sigmoid", "relu"), cursor=0.0)
    try:
        sent: list[str] = []
        for mark in explorer.plot.marks:
            mark.observe(lambda change, label=str(mark.labels): sent.append(f"{label}.{change['name']}"))
        explorer.controls["cursor"].set_state({"value": 1.0})
        assert sent and all(name.startswith("[].") for name in sent), sent  # the unlabelled cursor marks only
        dots = explorer.plot.marks[-1]
        np.testing.assert_allclose(dots.y, [1 / (1 + np.exp(-1.0)), 1.0])  # sigmoid(1), relu(1)
        assert dots.x.tolist() == [1.0, 1.0]
    finally:
        explorer.close()

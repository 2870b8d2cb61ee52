"""The parts of :class:`~nnteach.widgets.playground_view.PlaygroundView`: its controls and its picture area.

Each control is bound to a trait of the view (``NNTeachWidget.bind``), so a setting typed in
code and one picked on the page are the same thing; the parts only show what the view computed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from nnteach import _playground_draw as draw
from nnteach.i18n import N_, _
from nnteach.playground import ACTIVATIONS, DATASETS, PlaneData, parse_hidden
from nnteach.widgets._base import hold
from nnteach.widgets._long_work import LongWork

__all__ = ["PlaygroundParts", "build_controls"]

_SIZE = 300  # px: the decision-region picture
_LEGEND = N_(  # shown translated
    "<span class='nnteach-note'>● circle: class 0 (orange) · ■ square: class 1 (blue) · ▲ triangle: class 2 "
    "(green). Filled: training points; hollow: test points. The background is the class the network "
    "gives each spot (paler: less sure).</span>"
)


@dataclass
class PlaygroundParts:
    """The view's child widgets that change (the rest only sit in the layout)."""

    controls: dict[str, widgets.Widget]
    reset_button: widgets.Button
    code_button: widgets.ToggleButton
    region: widgets.Image
    points: widgets.HTML
    network: widgets.HTML
    curves: widgets.HTML
    summary: widgets.HTML
    code: widgets.HTML

    def show_frame(self, region: bytes, network: str, curves: str, summary: str) -> None:
        with hold(self.region, self.network, self.curves, self.summary):
            self.region.value = region
            self.network.value = network
            self.curves.value = curves
            self.summary.value = f"<span class='nnteach-playground-summary'>{html.escape(summary)}</span>"

    def show_points(self, data: PlaneData, show_test: bool) -> None:
        svg = draw.points_svg(data.x_train, data.y_train, size=_SIZE)
        if show_test:
            test = draw.points_svg(data.x_test, data.y_test, hollow=True, size=_SIZE)
            svg = svg.replace("</svg>", test[test.index(">") + 1 :])
        if self.points.value != svg:
            self.points.value = svg

    def show_code(self, code: str) -> None:
        text = f"<pre class='nnteach-playground-code'>{html.escape(code)}</pre>"
        if self.code.value != text:
            self.code.value = text


#: What the data picker shows for each data set (the values stay DATASETS' names, which links and lessons use).
_DATASET_LABELS = {"blobs": N_("blobs"), "circles": N_("circles"), "xor": "xor", "spiral": N_("spiral")}


def _slider(kind: type[widgets.Widget], description: str, **options: Any) -> widgets.Widget:
    control = kind(description=description, continuous_update=False, style={"description_width": "8em"}, **options)
    control.layout.width = "21em"
    return control


def build_controls(view: Any, work: LongWork) -> PlaygroundParts:
    """Make the controls (bound to ``view``'s traits) and the picture area, and compose ``view``."""
    controls: dict[str, widgets.Widget] = {
        "dataset": widgets.Dropdown(
            options=[(_(_DATASET_LABELS[name]), name) for name in DATASETS], description=_("Data")
        ),
        "classes": widgets.ToggleButtons(options=(2, 3), description=_("Classes"), style={"button_width": "3em"}),
        "noise": _slider(widgets.FloatSlider, _("Noise"), min=0.0, max=0.5, step=0.05),
        "train_fraction": _slider(widgets.FloatSlider, _("Training share"), min=0.1, max=0.9, step=0.1),
        "points": _slider(widgets.IntSlider, _("Points"), min=20, max=1000, step=20),
        "hidden_layers": widgets.Text(description=_("Hidden layers"), placeholder=_("e.g. 4, 2 (empty: none)")),
        "activation": widgets.Dropdown(options=ACTIVATIONS, description=_("Activation")),
        "learning_rate": widgets.BoundedFloatText(min=1e-5, max=1.0, step=0.01, description=_("Learning rate")),
        "batch_size": _slider(widgets.IntSlider, _("Batch size"), min=1, max=100),
        "l2": widgets.BoundedFloatText(min=0.0, max=1.0, step=0.001, description=_("L2 rate")),
        "epochs": widgets.BoundedIntText(min=1, max=1000, description=_("Epochs")),
    }
    for name, control in controls.items():
        control.add_class(f"nnteach-playground-{name.replace('_', '-')}")
        if name not in ("noise", "train_fraction", "points", "batch_size"):
            control.style.description_width = "8em"
            control.layout.width = "21em"
        if name == "hidden_layers":
            view.bind(control, name, parse=parse_hidden, show=lambda units: ", ".join(str(n) for n in units))
        else:
            view.bind(control, name)
        work.controls.append(control)
    reset = widgets.Button(description=_("New weights"), icon="refresh", tooltip=_("Reset: new random initial weights"))
    reset.add_class("nnteach-playground-reset")
    reset.on_click(lambda _button: view.reset())
    work.controls.append(reset)
    code_button = widgets.ToggleButton(description=_("Show Keras code"), icon="code")
    code_button.add_class("nnteach-playground-show-code")
    code = widgets.HTML(layout=widgets.Layout(display="none"))
    code.add_class("nnteach-playground-code-area")

    def toggle(change: dict[str, Any]) -> None:
        code.layout.display = None if change["new"] else "none"

    code_button.observe(toggle, names="value")
    region = widgets.Image(format="png", width=_SIZE, height=_SIZE)
    region.add_class("nnteach-playground-region")
    points = widgets.HTML()
    stack = widgets.Box([region, points])
    stack.add_class("nnteach-playground-stack")
    parts = PlaygroundParts(
        controls, reset, code_button, region, points, widgets.HTML(), widgets.HTML(), widgets.HTML(), code
    )
    parts.network.add_class("nnteach-playground-network-area")
    parts.curves.add_class("nnteach-playground-curves-area")
    parts.summary.add_class("nnteach-playground-summary-area")
    data_box = widgets.VBox([controls[name] for name in ("dataset", "classes", "noise", "train_fraction", "points")])
    network_box = widgets.VBox(
        [controls[name] for name in ("hidden_layers", "activation", "learning_rate", "batch_size", "l2", "epochs")]
    )
    view.compose(
        widgets.HBox([data_box, network_box]),
        widgets.HBox([work.start_button, work.stop_button, reset, work.state_label, work.progress_label]),
        view.errors,
        parts.summary,
        widgets.HBox([widgets.VBox([stack, widgets.HTML(_(_LEGEND), layout={"width": f"{_SIZE}px"})]), parts.network]),
        parts.curves,
        code_button,
        code,
    )
    return parts

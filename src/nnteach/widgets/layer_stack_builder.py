"""LayerStackBuilder: assemble the tutorials' MNIST models layer by layer and see what Keras would build.

A thin view over ``nnteach.layers``: every edit makes a new ``ModelSpec``; the summary table,
the diagram, the code and the problems are recomputed from it. TensorFlow is imported only
when ``builder.model`` is read.

Example:
    >>> builder = LayerStackBuilder("mlp")
    >>> builder.total_params
    101770
    >>> builder.add_layer(Dropout(1.0)); builder.error[:28]
    'Layer 5 (Dropout) has rate 1'
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import traitlets

from nnteach.activations import KERAS_NAMES
from nnteach.codegen import STYLES, to_code, to_keras
from nnteach.layers import (
    PRESETS,
    Activation,
    BatchNormalization,
    CompileSpec,
    Dense,
    Dropout,
    Flatten,
    Layer,
    ModelSpec,
    Problem,
    check_compile,
    validate,
)
from nnteach.summary import Summary, readable_memory_size, summary
from nnteach.widgets._parts import STYLE_CSS, ErrorArea

__all__ = ["LayerStackBuilder"]

PRESET_LABELS = {
    "softmax_regression": "Softmax regression: Flatten → Dense(10)",
    "mlp": "MLP: Flatten → Dense(128, relu) → Dropout(0.2) → Dense(10, softmax)",
    "mlp_batchnorm": "MLP with BatchNormalization",
    "mlp_sigmoid_relu": "MLP: Dense(256, sigmoid) → Dense(128, relu) → Dense(10, softmax)",
}
CUSTOM = "custom"
NEW_LAYERS: dict[str, Layer] = {
    "Dense": Dense(64, "relu"),
    "Dropout": Dropout(0.2),
    "Flatten": Flatten(),
    "BatchNormalization": BatchNormalization(),
    "Activation": Activation("relu"),
}
COLORS = {
    "Input": "#90a4ae",
    "Flatten": "#b0bec5",
    "Dense": "#1e88e5",
    "Dropout": "#ffb300",
    "BatchNormalization": "#8e24aa",
    "Activation": "#43a047",
}
NO_ACTIVATION = "none (linear)"

BUILDER_CSS = """
<style>
.nnteach-builder table.nnteach-summary-table { border-collapse: collapse; font-size: 14px; margin: 4px 0; }
.nnteach-builder .nnteach-summary-table th, .nnteach-builder .nnteach-summary-table td {
  border-bottom: 1px solid #ddd; padding: 3px 10px; text-align: left; white-space: nowrap; line-height: 1.4; }
.nnteach-builder .nnteach-summary-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.nnteach-builder .nnteach-summary-table td.how { color: #546e7a; font-size: 12px; }
.nnteach-builder .nnteach-problem-error { color: #8a1c1c; font-size: 13px; }
.nnteach-builder .nnteach-problem-warning { color: #7a4f01; font-size: 13px; }
.nnteach-builder .nnteach-ok { color: #1b5e20; font-weight: bold; }
.nnteach-builder .nnteach-bad { color: #8a1c1c; font-weight: bold; }
.nnteach-builder pre.nnteach-code-text { background: #f5f5f5; padding: 8px; font-size: 13px; }
.nnteach-builder table.nnteach-stack { border-collapse: collapse; font-size: 13px; }
.nnteach-builder .nnteach-stack td { padding: 2px 0; text-align: left; white-space: nowrap; }
.nnteach-builder .nnteach-stack td.nnteach-stack-track { width: 280px; }
.nnteach-builder .nnteach-stack-bar { height: 18px; border-radius: 3px; min-width: 3px; }
.nnteach-builder .nnteach-stack td.nnteach-stack-label { padding-left: 10px; }
</style>
"""


def _parse_number(text: str) -> Any:
    """What the learner typed, as a number when it is one (``validate`` explains anything else)."""
    stripped = text.strip()
    for convert in (int, float):
        try:
            return convert(stripped)
        except ValueError:
            continue
    return stripped


def _problem_html(problems: list[Problem]) -> str:
    parts = []
    for problem in problems:
        mark = "✗" if problem.blocking else "⚠"
        parts.append(
            f'<div class="nnteach-problem-{problem.severity}" role="alert">{mark} {html.escape(problem.message)}</div>'
        )
    return "".join(parts)


def summary_table_html(result: Summary) -> str:
    """The summary as an HTML table: Layer (type), Output shape, Param # and the arithmetic behind it."""
    rows = [
        '<table class="nnteach-summary-table"><tr><th>#</th><th>Layer (type)</th><th>Output shape</th>'
        "<th>Param #</th><th>How</th></tr>"
    ]
    for number, row in enumerate(result.rows, start=1):
        rows.append(
            f'<tr title="{html.escape(row.explanation)}"><td>{number}</td><td>{row.name} ({row.kind})</td>'
            f'<td>{row.output_shape}</td><td class="num">{row.params:,}</td>'
            f'<td class="how">{html.escape(row.arithmetic)}</td></tr>'
        )
    for title, count in (
        ("Total params", result.total_params),
        ("Trainable params", result.trainable_params),
        ("Non-trainable params", result.non_trainable_params),
    ):
        rows.append(
            f'<tr class="nnteach-total"><td></td><td colspan="2"><b>{title}</b></td>'
            f'<td class="num"><b>{count:,}</b></td><td class="how">{readable_memory_size(4 * count)}</td></tr>'
        )
    rows.append("</table>")
    return "".join(rows)


def diagram_html(spec: ModelSpec, result: Summary) -> str:
    """One bar per layer (and the input), widths proportional to the values each passes on (the units for Dense)."""
    entries = [("Input", f"Input {spec.input_shape}", _size(spec.input_shape))]
    for layer, row in zip(spec.layers, result.rows, strict=True):
        entries.append((layer.kind, f"{layer} → {row.output_shape}", _size(row.output_shape[1:])))
    widest = max(size for _, _, size in entries) or 1
    bars = ['<table class="nnteach-stack">']
    for kind, label, size in entries:
        width = 100.0 * size / widest
        bars.append(
            f'<tr class="nnteach-stack-row"><td class="nnteach-stack-track"><div class="nnteach-stack-bar" '
            f'style="width: {width:.2f}%; background: {COLORS[kind]}"></div></td>'
            f'<td class="nnteach-stack-label">{html.escape(label)}</td></tr>'
        )
    bars.append("</table>")
    return "".join(bars)


def _size(shape: tuple[Any, ...]) -> int:
    size = 1
    for n in shape:
        size *= int(n)
    return size


class _LayerRow(widgets.VBox):
    """One layer: its editors, up/down/remove buttons, and its problems underneath."""

    def __init__(self, builder: LayerStackBuilder, index: int, layer: Layer) -> None:
        self.builder = builder
        self.index = index
        self.kind = layer.kind
        self.number = widgets.HTML(f"<b>{index + 1}.</b>", layout=widgets.Layout(width="28px"))
        self.title = widgets.HTML(f"<b>{layer.kind}</b>", layout=widgets.Layout(width="150px"))
        self.editors: list[widgets.Widget] = []
        self.units: widgets.Text | None = None
        self.rate: widgets.Text | None = None
        self.activation: widgets.Dropdown | None = None
        if isinstance(layer, Dense):
            self.units = widgets.Text(
                description="units", continuous_update=False, layout=widgets.Layout(width="150px")
            )
            self.units.add_class("nnteach-units")
            self.activation = widgets.Dropdown(description="activation", layout=widgets.Layout(width="240px"))
            self.editors = [self.units, self.activation]
        elif isinstance(layer, Dropout):
            self.rate = widgets.Text(description="rate", continuous_update=False, layout=widgets.Layout(width="150px"))
            self.rate.add_class("nnteach-rate")
            self.editors = [self.rate]
        elif isinstance(layer, Activation):
            self.activation = widgets.Dropdown(description="function", layout=widgets.Layout(width="240px"))
            self.editors = [self.activation]
        if self.activation is not None:
            self.activation.add_class("nnteach-activation")
        self.update(index, layer)
        for editor in self.editors:
            editor.observe(self._edited, names="value")
        buttons = []
        for text, tip, action in (("↑", "Move up", "up"), ("↓", "Move down", "down"), ("✕", "Remove", "remove")):
            button = widgets.Button(description=text, tooltip=tip, layout=widgets.Layout(width="36px"))
            button.add_class(f"nnteach-{action}")
            button.on_click(lambda _button, action=action: self._button(action))
            buttons.append(button)
        self.problem = widgets.HTML("")
        self.problem.add_class("nnteach-row-problem")
        line = widgets.HBox([self.number, self.title, *self.editors, *buttons])
        super().__init__([line, self.problem])
        self.add_class("nnteach-layer-row")
        self.add_class(f"nnteach-layer-{layer.kind.lower()}")

    def update(self, index: int, layer: Layer) -> None:
        """Show ``layer`` (same kind) at position ``index`` without re-creating the editors."""
        self.index = index
        self.number.value = f"<b>{index + 1}.</b>"
        if isinstance(layer, Dense) and self.units is not None and self.activation is not None:
            self.units.value = str(layer.units)
            self._show_activation(layer.activation, allow_none=True)
        elif isinstance(layer, Dropout) and self.rate is not None:
            self.rate.value = str(layer.rate)
        elif isinstance(layer, Activation):
            self._show_activation(layer.name, allow_none=False)

    def close_all(self) -> None:
        """Close this row and every widget in it (their front-end views go away too)."""
        line = self.children[0]
        for widget in (*line.children, line, self.problem):
            widget.close()
        self.close()

    def _show_activation(self, name: Any, *, allow_none: bool) -> None:
        if self.activation is None:
            return
        options = [NO_ACTIVATION] if allow_none else []
        options += list(KERAS_NAMES)
        shown = NO_ACTIVATION if name is None else str(name)
        if shown not in options:
            options.append(shown)  # an unknown name stays visible, next to its explanation
        if list(self.activation.options) != options:
            self.activation.options = options
        self.activation.value = shown

    def layer(self) -> Layer:
        """The layer the editors currently describe."""
        if self.kind == "Dense" and self.units is not None and self.activation is not None:
            activation = None if self.activation.value == NO_ACTIVATION else self.activation.value
            return Dense(_parse_number(self.units.value), activation)
        if self.kind == "Dropout" and self.rate is not None:
            return Dropout(_parse_number(self.rate.value))
        if self.kind == "Activation" and self.activation is not None:
            return Activation(self.activation.value)
        return NEW_LAYERS[self.kind]

    def _edited(self, _change: dict[str, Any]) -> None:
        if self.builder._syncing:
            return
        with self.builder.error_area.guard("Could not apply that edit."):
            self.builder.replace_layer(self.index, self.layer())

    def _button(self, action: str) -> None:
        with self.builder.error_area.guard("Could not change the stack."):
            if action == "remove":
                self.builder.remove_layer(self.index)
            else:
                self.builder.move_layer(self.index, -1 if action == "up" else +1)


class LayerStackBuilder(widgets.VBox):
    """Build a Sequential model for MNIST from layers, with its Keras summary, diagram, code and problems.

    ``spec`` and ``compile_spec`` hold the model as data; ``problems`` lists every message;
    ``error`` says why the model cannot be built (empty when it can); ``model`` builds and
    compiles it with Keras (raising ``ValueError`` with ``error`` when it cannot).

    Example:
        >>> builder = LayerStackBuilder("softmax_regression")
        >>> builder.spec.layers
        (Flatten(), Dense(units=10, activation=None))
        >>> builder.problems[0][:26]
        'The model ends with no act'
    """

    spec = traitlets.Instance(ModelSpec, help="The model being built, as a ModelSpec (read and set).")
    compile_spec = traitlets.Instance(CompileSpec, help="The settings passed to model.compile.")
    problems = traitlets.Tuple(help="Every problem message (errors and warnings) for spec and compile_spec.")
    error = traitlets.Unicode("", help="Why the model cannot be built; empty when it can.")
    total_params = traitlets.Int(0, help="Total parameters of spec (0 while its shapes are unknown).")
    preset = traitlets.Unicode("mlp", help="The preset the spec equals, or 'custom'.")
    code_style = traitlets.Enum(STYLES, default_value="list", help="Style of the shown Keras code.")
    show_code = traitlets.Bool(False, help="Whether the Keras code is shown.")

    def __init__(self, spec: ModelSpec | str = "mlp", compile_spec: CompileSpec | None = None, **kwargs: Any) -> None:
        if isinstance(spec, str):
            if spec not in PRESETS:
                raise ValueError(f"Unknown preset {spec!r}; expected one of {', '.join(PRESETS)}, or a ModelSpec.")
            spec = PRESETS[spec]
        self._syncing = False
        self._rows: list[_LayerRow] = []
        self.error_area = ErrorArea()
        self.preset_picker = widgets.Dropdown(
            options=[(label, name) for name, label in PRESET_LABELS.items()] + [("Custom", CUSTOM)],
            description="Preset",
            layout=widgets.Layout(width="560px"),
        )
        self.preset_picker.add_class("nnteach-preset")
        self.input_line = widgets.HTML()
        self.rows_box = widgets.VBox()
        self.rows_box.add_class("nnteach-layers")
        self.new_kind = widgets.Dropdown(options=list(NEW_LAYERS), value="Dense", layout=widgets.Layout(width="190px"))
        self.new_kind.add_class("nnteach-new-kind")
        self.add_button = widgets.Button(description="Add layer", button_style="primary")
        self.add_button.add_class("nnteach-add")
        self.status = widgets.HTML()
        self.status.add_class("nnteach-status")
        self.table = widgets.HTML()
        self.table.add_class("nnteach-summary")
        self.diagram = widgets.HTML()
        self.diagram.add_class("nnteach-diagram")
        self.code_toggle = widgets.ToggleButton(description="Show Keras code")
        self.code_toggle.add_class("nnteach-code-toggle")
        self.style_picker = widgets.ToggleButtons(
            options=[("Sequential list", "list"), ("model.add", "add"), ("Functional", "functional")]
        )
        self.code = widgets.HTML()
        self.code.add_class("nnteach-code")
        self.code_box = widgets.VBox([self.style_picker, self.code], layout=widgets.Layout(display="none"))
        self.optimizer = widgets.Dropdown(options=["adam", "sgd"], description="optimizer")
        self.learning_rate = widgets.FloatText(description="learning rate", step=0.0005)
        self.loss = widgets.Dropdown(
            options=["sparse_categorical_crossentropy", "categorical_crossentropy"],
            description="loss",
            layout=widgets.Layout(width="380px"),
        )
        self.from_logits = widgets.Checkbox(description="from_logits")
        self.compile_problems = widgets.HTML()
        self.compile_problems.add_class("nnteach-compile-problems")
        super().__init__(**kwargs)
        self.add_class("nnteach-builder")
        self.children = (
            widgets.HTML(STYLE_CSS + BUILDER_CSS),
            widgets.HTML("<h3>Layer stack</h3>"),
            self.preset_picker,
            self.input_line,
            self.rows_box,
            widgets.HBox([self.new_kind, self.add_button]),
            self.status,
            self.error_area,
            widgets.HBox([self.table, self.diagram], layout=widgets.Layout(align_items="flex-start")),
            widgets.HTML("<b>Compile settings</b>"),
            widgets.HBox([self.optimizer, self.learning_rate]),
            widgets.HBox([self.loss, self.from_logits]),
            self.compile_problems,
            self.code_toggle,
            self.code_box,
        )
        self.table.layout.flex = "0 0 auto"
        self.diagram.layout.flex = "1 1 auto"
        self.diagram.layout.margin = "0 0 0 20px"
        widgets.link((self.code_toggle, "value"), (self, "show_code"))
        widgets.link((self.style_picker, "value"), (self, "code_style"))
        self.preset_picker.observe(self._preset_picked, names="value")
        self.add_button.on_click(self._add_clicked)
        for control in (self.optimizer, self.learning_rate, self.loss, self.from_logits):
            control.observe(self._compile_edited, names="value")
        self.compile_spec = compile_spec or CompileSpec()
        self.spec = spec
        self.observe(self._refresh, names=["spec", "compile_spec"])
        self.observe(self._refresh_code, names=["show_code", "code_style"])
        self._refresh()

    # --- editing (also the API the buttons use) ------------------------------------------------

    def add_layer(self, layer: Layer, index: int | None = None) -> None:
        """Insert ``layer`` at ``index`` (default: at the end)."""
        self.spec = self.spec.with_layer_added(layer, index)

    def remove_layer(self, index: int) -> None:
        """Remove the layer at ``index`` (0 is the top)."""
        self.spec = self.spec.without_layer(index)

    def move_layer(self, index: int, offset: int) -> None:
        """Move the layer at ``index`` by ``offset`` places (-1 is up)."""
        self.spec = self.spec.with_layer_moved(index, offset)

    def replace_layer(self, index: int, layer: Layer) -> None:
        """Replace the layer at ``index``."""
        self.spec = self.spec.with_layer_replaced(index, layer)

    def load_preset(self, name: str) -> None:
        """Show one of ``nnteach.layers.PRESETS``."""
        if name not in PRESETS:
            raise ValueError(f"Unknown preset {name!r}; expected one of {', '.join(PRESETS)}.")
        self.spec = PRESETS[name]

    def build_model(self) -> Any:
        """A new Keras model for ``spec``, compiled with ``compile_spec`` (imports TensorFlow).

        Every call builds a fresh, newly initialized model (``TrainingMonitor`` trains a fresh
        one on each Start): this is the :class:`nnteach.builders.ModelBuilder` protocol. Raises
        ``ValueError`` with the sentence shown in the builder when the model cannot be built.
        """
        if self.error:
            raise ValueError(self.error)
        return to_keras(self.spec, self.compile_spec)

    @property
    def model(self) -> Any:
        """``build_model()``: a fresh compiled Keras model on every read; keep it in a variable."""
        return self.build_model()

    # --- callbacks ------------------------------------------------------------------------------

    def _preset_picked(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] == CUSTOM:
            return
        with self.error_area.guard("Could not load that preset."):
            self.load_preset(change["new"])

    def _add_clicked(self, _button: widgets.Button) -> None:
        with self.error_area.guard("Could not add the layer."):
            self.add_layer(NEW_LAYERS[self.new_kind.value])

    def _compile_edited(self, _change: dict[str, Any]) -> None:
        if self._syncing:
            return
        with self.error_area.guard("Could not apply the compile settings."):
            self.compile_spec = CompileSpec(
                optimizer=self.optimizer.value,
                learning_rate=float(self.learning_rate.value),
                loss=self.loss.value,
                from_logits=bool(self.from_logits.value),
                metrics=self.compile_spec.metrics,
            )

    # --- rendering from state -------------------------------------------------------------------

    def _refresh(self, _change: dict[str, Any] | None = None) -> None:
        spec = self.spec
        layer_problems = validate(spec)
        compile_problems = check_compile(spec, self.compile_spec)
        blocking = [problem for problem in (*layer_problems, *compile_problems) if problem.blocking]
        try:
            result: Summary | None = summary(spec)
        except ValueError:
            result = None
        self._syncing = True
        try:
            self._sync_rows(spec, layer_problems)
            self._sync_compile_controls()
            preset = next((name for name, preset in PRESETS.items() if preset == spec), CUSTOM)
            self.preset_picker.value = preset
            self.preset = preset
        finally:
            self._syncing = False
        self.input_line.value = f"Input: one image of shape {spec.input_shape} → batches {(None, *spec.input_shape)}"
        model_level = [problem for problem in layer_problems if problem.layer_index is None]
        self.compile_problems.value = _problem_html([*compile_problems])
        if result is None:
            self.table.value = "<i>The summary appears when the problems marked in red are fixed.</i>"
            self.diagram.value = ""
            self.total_params = 0
        else:
            self.table.value = summary_table_html(result)
            self.diagram.value = diagram_html(spec, result)
            self.total_params = result.total_params
        self.error = blocking[0].message if blocking else ""
        if self.error:
            self.status.value = (
                f'<div class="nnteach-bad">✗ The model cannot be built: {html.escape(self.error)}</div>'
                + _problem_html([problem for problem in model_level if problem.message != self.error])
            )
        else:
            self.status.value = (
                f'<div class="nnteach-ok">✓ Ready to build: {self.total_params:,} parameters.</div>'
                + _problem_html(model_level)
            )
        self.problems = tuple(problem.message for problem in (*layer_problems, *compile_problems))
        self.error_area.clear()
        self._refresh_code()

    def _sync_rows(self, spec: ModelSpec, problems: list[Problem]) -> None:
        # Reuse rows: first a row already showing the same layer, then one of the same kind. An edit or a
        # move keeps the learner's widgets (and focus), an added layer creates one row, unused rows are closed.
        unused = list(self._rows)
        chosen: list[_LayerRow | None] = []
        for layer in spec.layers:
            match = next((row for row in unused if row.layer() == layer), None)
            if match is not None:
                unused.remove(match)
            chosen.append(match)
        rows = []
        for index, (layer, match) in enumerate(zip(spec.layers, chosen, strict=True)):
            row = match or next((row for row in unused if row.kind == layer.kind), None)
            if row is None:
                row = _LayerRow(self, index, layer)
            elif match is None:
                unused.remove(row)
            row.update(index, layer)
            rows.append(row)
        if rows != self._rows:
            self._rows = rows
            self.rows_box.children = tuple(rows)
        for row in unused:
            row.close_all()
        for index, row in enumerate(self._rows):
            row.problem.value = _problem_html([problem for problem in problems if problem.layer_index == index])

    def _sync_compile_controls(self) -> None:
        settings = self.compile_spec
        if settings.optimizer in self.optimizer.options:
            self.optimizer.value = settings.optimizer
        if isinstance(settings.learning_rate, int | float):
            self.learning_rate.value = float(settings.learning_rate)
        if settings.loss in self.loss.options:
            self.loss.value = settings.loss
        self.from_logits.value = bool(settings.from_logits)

    def _refresh_code(self, _change: dict[str, Any] | None = None) -> None:
        self.code_box.layout.display = "flex" if self.show_code else "none"
        if not self.show_code:
            return
        try:
            text = to_code(self.spec, self.code_style, compile_spec=self.compile_spec)
        except ValueError as error:
            self.code.value = f"<i>No code yet: {html.escape(str(error))}</i>"
            return
        self.code.value = f'<pre class="nnteach-code-text">{html.escape(text)}</pre>'

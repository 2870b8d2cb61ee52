"""LayerStackBuilder: assemble the tutorials' MNIST models layer by layer and see what Keras would build.

A thin view over ``nnteach.layers``: every edit makes a new ``ModelSpec``; the summary table,
the diagram, the code and the problems are recomputed from it (HTML from
``widgets._builder_html``, one row per layer from ``widgets._builder_rows``). TensorFlow is
imported only when ``builder.build_model()`` runs.

Example:
    >>> builder = LayerStackBuilder("mlp")
    >>> builder.total_params
    101770
    >>> builder.add_layer(Dropout(1.0)); builder.error[:28]
    'Layer 5 (Dropout) has rate 1'
    >>> builder.close()
"""

from __future__ import annotations

import html
import json
from types import MappingProxyType
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach.i18n import _
from nnteach.layers import PRESETS, CompileSpec, Dropout, Layer, ModelSpec, Problem, check_compile, summary, validate
from nnteach.layers.codegen import STYLES, to_code, to_keras
from nnteach.layers.model_summary import Summary
from nnteach.numbers import grouped
from nnteach.widgets._base import Choice, NNTeachWidget
from nnteach.widgets._builder_html import (
    COLORS,
    CUSTOM,
    NEW_LAYERS,
    NO_ACTIVATION,
    PRESET_LABELS,
    diagram_html,
    problem_html,
    summary_table_html,
)
from nnteach.widgets._builder_rows import LayerRow
from nnteach.widgets._canvas_compat import deprecated_alias

__all__ = ["LayerStackBuilder"]

# Names this module had before its parts moved out; they keep working.
_KEPT = (COLORS, NO_ACTIVATION, Dropout, diagram_html, summary_table_html)
# The Copy button selects the code and copies it (execCommand works on plain-http class servers too,
# where navigator.clipboard is missing); if the browser refuses, the code stays selected for Ctrl+C.
_COPY_JS = (  # not translated: JavaScript; its two messages are filled in translated
    "var code=this.parentNode.querySelector('pre'),range=document.createRange(),sel=window.getSelection();"  # not translated
    "range.selectNodeContents(code);sel.removeAllRanges();sel.addRange(range);var ok=false;"
    "try{ok=document.execCommand('copy')}catch(e){}this.textContent=ok?%s:%s;"
)
_VIEWS = ("input", "status", "table", "diagram", "compile_problems", "code")


def _control(name: str) -> Any:
    return deprecated_alias(f"controls[{name!r}]", lambda self: self.controls[name])


def _view(name: str) -> Any:
    return deprecated_alias(f"views[{name!r}]", lambda self: self.views[name])


class LayerStackBuilder(NNTeachWidget):
    """Build a Sequential model for MNIST from layers, with its Keras summary, diagram, code and problems.

    ``spec`` and ``compile_spec`` hold the model as data; ``problems`` lists every message;
    ``error`` says why the model cannot be built (empty when it can); ``build_model()`` builds
    and compiles it with Keras (the :class:`nnteach.builders.ModelBuilder` protocol).
    A learner (and the browser) may set ``preset``, ``layer_to_add``, ``show_code`` and
    ``code_style``; the other outputs are read-only.

    Stable parts: ``controls`` (by name: ``"preset"``, ``"layer_to_add"``, ``"add"``,
    ``"show_code"``, ``"code_style"``, ``"optimizer"``, ``"learning_rate"``, ``"loss"``,
    ``"from_logits"``), ``views`` (the HTML outputs: ``"input"``, ``"status"``, ``"table"``,
    ``"diagram"``, ``"compile_problems"``, ``"code"``) and ``rows`` (one
    :class:`~nnteach.widgets._builder_rows.LayerRow` per layer).

    Example:
        >>> builder = LayerStackBuilder("softmax_regression")
        >>> builder.spec.layers
        (Flatten(), Dense(units=10, activation=None))
        >>> builder.problems[0][:26]
        'The model ends with no act'
        >>> builder.close()
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("preset", "show_code", "code_style")

    frontend_writable = frozenset({"preset", "layer_to_add", "show_code", "code_style"})

    spec = traitlets.Instance(ModelSpec, help="The model being built, as a ModelSpec (read and set).")
    compile_spec = traitlets.Instance(CompileSpec, help="The settings passed to model.compile.")
    preset = Choice(
        (*PRESETS, CUSTOM), default_value="mlp", help="The preset the spec equals, or 'custom'; set it to load one."
    ).tag(sync=True)
    layer_to_add = Choice(tuple(NEW_LAYERS), default_value="Dense", help="The kind of layer Add layer appends.").tag(
        sync=True
    )
    show_code = traitlets.Bool(False, help="Whether the Keras code is shown.").tag(sync=True)
    code_style = Choice(STYLES, default_value="list", help="Style of the shown Keras code.").tag(sync=True)
    problems = traitlets.Tuple(
        read_only=True, help="Every problem message (errors and warnings) for spec and compile_spec."
    ).tag(sync=True)
    error = traitlets.Unicode("", read_only=True, help="Why the model cannot be built; empty when it can.").tag(
        sync=True
    )
    total_params = traitlets.Int(
        0, read_only=True, help="Total parameters of spec (0 while its shapes are unknown)."
    ).tag(sync=True)

    error_area = deprecated_alias("errors", lambda self: self.errors)
    rows_box = deprecated_alias("rows", lambda self: self._rows_box)
    code_box = deprecated_alias("show_code trait", lambda self: self._code_box)
    preset_picker = _control("preset")
    new_kind = _control("layer_to_add")
    add_button = _control("add")
    code_toggle = _control("show_code")
    style_picker = _control("code_style")
    optimizer = _control("optimizer")
    learning_rate = _control("learning_rate")
    loss = _control("loss")
    from_logits = _control("from_logits")
    input_line = _view("input")
    status = _view("status")
    table = _view("table")
    diagram = _view("diagram")
    compile_problems = _view("compile_problems")
    code = _view("code")

    def __init__(self, spec: ModelSpec | str = "mlp", compile_spec: CompileSpec | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(spec, str):
            if spec not in PRESETS:
                self.close()
                raise ValueError(
                    _("Unknown preset {spec}; expected one of {names}, or a ModelSpec.").format(
                        spec=repr(spec), names=", ".join(PRESETS)
                    )
                )
            spec = PRESETS[spec]
        self._rows: list[LayerRow] = []
        self._build()
        with self.render_once():
            self.compile_spec = compile_spec or CompileSpec()
            self.spec = spec
        self.observe(self._changed, names=["spec", "compile_spec", "show_code", "code_style"])
        self.observe(self._preset_chosen, names="preset")

    # --- parts ------------------------------------------------------------------------------------

    @property
    def controls(self) -> MappingProxyType[str, widgets.Widget]:
        """The learner's controls by name (a documented, stable part; see the class docstring)."""
        return MappingProxyType(self._controls)

    @property
    def views(self) -> MappingProxyType[str, widgets.HTML]:
        """The HTML outputs by name (a documented, stable part; see the class docstring)."""
        return MappingProxyType(self._views)

    @property
    def rows(self) -> tuple[LayerRow, ...]:
        """One row per layer, top first (a documented, stable part)."""
        return tuple(self._rows)

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
            raise ValueError(
                _("Unknown preset {name}; expected one of {names}.").format(name=repr(name), names=", ".join(PRESETS))
            )
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

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        preset = widgets.Dropdown(
            options=[(_(label), name) for name, label in PRESET_LABELS.items()] + [(_("Custom"), CUSTOM)],
            description=_("Preset"),
            layout=widgets.Layout(width="560px"),
        )
        layer_to_add = widgets.Dropdown(options=list(NEW_LAYERS), layout=widgets.Layout(width="190px"))
        add = widgets.Button(description=_("Add layer"), button_style="primary")
        show_code = widgets.ToggleButton(description=_("Show Keras code"))
        code_style = widgets.ToggleButtons(
            options=[(_("Sequential list"), "list"), ("model.add", "add"), (_("Functional"), "functional")]
        )
        optimizer = widgets.Dropdown(options=["adam", "sgd"], description="optimizer")  # not translated: Keras' name
        learning_rate = widgets.FloatText(description=_("learning rate"), step=0.0005)
        loss = widgets.Dropdown(
            options=["sparse_categorical_crossentropy", "categorical_crossentropy"],
            description="loss",  # not translated: Keras' name
            layout=widgets.Layout(width="380px"),
        )
        from_logits = widgets.Checkbox(description="from_logits")  # not translated: Keras' name
        self._controls = {
            "preset": preset, "layer_to_add": layer_to_add, "add": add, "show_code": show_code,
            "code_style": code_style, "optimizer": optimizer, "learning_rate": learning_rate, "loss": loss,
            "from_logits": from_logits,
        }  # fmt: skip
        css = {"layer_to_add": "new-kind", "show_code": "code-toggle", "code_style": "code-style"}
        for name, control in self._controls.items():
            control.add_class(f"nnteach-{css.get(name, name.replace('_', '-'))}")
        for name in ("preset", "layer_to_add", "show_code", "code_style"):
            self.bind(self._controls[name], name)
        add.on_click(lambda _button: self._add_clicked())
        for control in (optimizer, learning_rate, loss, from_logits):
            control.observe(self._compile_edited, names="value")

        self._views = {name: widgets.HTML() for name in _VIEWS}
        for name, view in self._views.items():
            view.add_class({"table": "nnteach-summary"}.get(name, f"nnteach-{name.replace('_', '-')}"))
        self._views["table"].layout.flex = "0 0 auto"
        self._views["diagram"].layout.flex = "1 1 auto"
        self._views["diagram"].layout.margin = "0 0 0 20px"
        self._rows_box = widgets.VBox()
        self._rows_box.add_class("nnteach-layers")
        self._code_box = widgets.VBox([code_style, self._views["code"]], layout=widgets.Layout(display="none"))
        self.add_class("nnteach-builder")
        self.compose(
            widgets.HTML("<h3>" + _("Layer stack") + "</h3>"),
            preset,
            self._views["input"],
            self._rows_box,
            widgets.HBox([layer_to_add, add]),
            self._views["status"],
            self.errors,
            widgets.HBox([self._views["table"], self._views["diagram"]], layout={"align_items": "flex-start"}),
            widgets.HTML("<b>" + _("Compile settings") + "</b>"),
            widgets.HBox([optimizer, learning_rate]),
            widgets.HBox([loss, from_logits]),
            self._views["compile_problems"],
            show_code,
            self._code_box,
        )

    # --- callbacks ------------------------------------------------------------------------------

    def _changed(self, _change: dict[str, Any]) -> None:
        with self.render_once():
            pass

    def _preset_chosen(self, change: dict[str, Any]) -> None:
        if not self.rendering and change["new"] != CUSTOM:
            self.load_preset(change["new"])

    def _add_clicked(self) -> None:
        with self.errors.guard(_("Could not add the layer.")):
            self.add_layer(NEW_LAYERS[self.layer_to_add])

    def _compile_edited(self, _change: dict[str, Any]) -> None:
        if self.rendering:
            return
        controls = self._controls
        with self.errors.guard(_("Could not apply the compile settings.")):
            self.compile_spec = CompileSpec(
                optimizer=controls["optimizer"].value,
                learning_rate=float(controls["learning_rate"].value),
                loss=controls["loss"].value,
                from_logits=bool(controls["from_logits"].value),
                metrics=self.compile_spec.metrics,
            )

    # --- rendering from state -------------------------------------------------------------------

    def _render(self) -> None:
        spec = self.spec
        layer_problems = validate(spec)
        compile_problems = check_compile(spec, self.compile_spec)
        blocking = [problem for problem in (*layer_problems, *compile_problems) if problem.blocking]
        try:
            result: Summary | None = summary(spec)
        except ValueError:
            result = None
        self._sync_rows(spec, layer_problems)
        self._sync_compile_controls()
        self.preset = next((name for name, preset in PRESETS.items() if preset == spec), CUSTOM)
        views = self._views
        views["input"].value = _("Input: one image of shape {shape} → batches {batches}").format(
            shape=spec.input_shape, batches=(None, *spec.input_shape)
        )
        model_level = [problem for problem in layer_problems if problem.layer_index is None]
        views["compile_problems"].value = problem_html([*compile_problems])
        views["table"].value = (
            summary_table_html(result)
            if result
            else "<i>" + _("The summary appears when the problems marked in red are fixed.") + "</i>"
        )
        views["diagram"].value = diagram_html(spec, result) if result else ""
        self.set_trait("total_params", result.total_params if result else 0)
        self.set_trait("error", blocking[0].message if blocking else "")
        if self.error:
            said = _("The model cannot be built: {error}").format(error=html.escape(self.error))
            others = problem_html([problem for problem in model_level if problem.message != self.error])
            views["status"].value = f'<div class="nnteach-bad">✗ {said}</div>{others}'
        else:
            said = _("Ready to build: {count} parameters.").format(count=grouped(self.total_params))
            views["status"].value = f'<div class="nnteach-ok">✓ {said}</div>{problem_html(model_level)}'
        self.set_trait("problems", tuple(problem.message for problem in (*layer_problems, *compile_problems)))
        self._render_code()

    def _sync_rows(self, spec: ModelSpec, problems: list[Problem]) -> None:
        # Reuse rows: first a row already showing the same layer, then one of the same kind. An edit or a
        # move keeps the learner's widgets (and focus), an added layer creates one row, unused rows are closed.
        unused = list(self._rows)
        chosen: list[LayerRow | None] = []
        for layer in spec.layers:
            match = next((row for row in unused if row.layer() == layer), None)
            if match is not None:
                unused.remove(match)
            chosen.append(match)
        rows = []
        for index, (layer, match) in enumerate(zip(spec.layers, chosen, strict=True)):
            row = match or next((row for row in unused if row.kind == layer.kind), None)
            if row is None:
                row = LayerRow(self, index, layer)
            elif match is None:
                unused.remove(row)
            row.update(index, layer)
            rows.append(row)
        if rows != self._rows:
            self._rows = rows
            self._rows_box.children = tuple(rows)
        for row in unused:
            row.close_all()
        for index, row in enumerate(self._rows):
            row.problem.value = problem_html([problem for problem in problems if problem.layer_index == index])

    def _sync_compile_controls(self) -> None:
        settings, controls = self.compile_spec, self._controls
        if settings.optimizer in controls["optimizer"].options:
            controls["optimizer"].value = settings.optimizer
        if isinstance(settings.learning_rate, int | float):
            controls["learning_rate"].value = float(settings.learning_rate)
        if settings.loss in controls["loss"].options:
            controls["loss"].value = settings.loss
        controls["from_logits"].value = bool(settings.from_logits)

    def _render_code(self) -> None:
        self._code_box.layout.display = "flex" if self.show_code else "none"
        if not self.show_code:
            return
        try:
            text = to_code(self.spec, self.code_style, compile_spec=self.compile_spec)
        except ValueError as error:
            self._views["code"].value = "<i>" + _("No code yet: {error}").format(error=html.escape(str(error))) + "</i>"
            return
        tip, label = _("Copy the code to paste it into a notebook"), _("Copy code")
        copy_js = _COPY_JS % (json.dumps(_("Copied")), json.dumps(_("Selected: press Ctrl+C")))
        self._views["code"].value = (
            f'<div class="nnteach-code-block"><button type="button" class="nnteach-copy-code jupyter-button" '
            f'title="{html.escape(tip)}" onclick="{html.escape(copy_js)}">{html.escape(label)}</button>'
            f'<pre class="nnteach-code-text">{html.escape(text)}</pre></div>'
        )

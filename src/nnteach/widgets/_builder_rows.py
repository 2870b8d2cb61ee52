"""One row of LayerStackBuilder: a layer's editors, its up/down/remove buttons and its problems.

A row is a documented part (``builder.rows``): ``kind``, ``index``, the editors ``units``,
``rate`` and ``activation`` (None where the layer has none), ``problem`` (the HTML line under
the row) and ``buttons`` (``"up"``, ``"down"``, ``"remove"``).
"""

from __future__ import annotations

from typing import Any, Protocol

import ipywidgets as widgets

from nnteach.activations import KERAS_NAMES
from nnteach.i18n import _
from nnteach.layers import Activation, Dense, Dropout, Layer
from nnteach.widgets._base import close_tree
from nnteach.widgets._builder_html import NEW_LAYERS, NO_ACTIVATION, parse_number
from nnteach.widgets._parts import ErrorArea

__all__ = ["LayerRow"]


class _Stack(Protocol):
    """What a row needs from its builder."""

    errors: ErrorArea

    @property
    def rendering(self) -> bool: ...

    def replace_layer(self, index: int, layer: Layer) -> None: ...

    def remove_layer(self, index: int) -> None: ...

    def move_layer(self, index: int, offset: int) -> None: ...


def _editor(description: str, css: str, width: str = "150px") -> widgets.Text:
    editor = widgets.Text(description=description, continuous_update=False, layout=widgets.Layout(width=width))
    editor.add_class(css)
    return editor


class LayerRow(widgets.VBox):
    """One layer: its editors, up/down/remove buttons, and its problems underneath."""

    def __init__(self, builder: _Stack, index: int, layer: Layer) -> None:
        self._builder = builder
        self.index = index
        self.kind = layer.kind
        self.number = widgets.HTML(f"<b>{index + 1}.</b>", layout=widgets.Layout(width="28px"))
        title = widgets.HTML(f"<b>{layer.kind}</b>", layout=widgets.Layout(width="150px"))
        self.units: widgets.Text | None = None
        self.rate: widgets.Text | None = None
        self.activation: widgets.Dropdown | None = None
        if isinstance(layer, Dense):
            self.units = _editor("units", "nnteach-units")
            keras_name = "activation"  # not translated: Keras' argument name
            self.activation = widgets.Dropdown(description=keras_name, layout=widgets.Layout(width="240px"))
        elif isinstance(layer, Dropout):
            self.rate = _editor("rate", "nnteach-rate")
        elif isinstance(layer, Activation):
            self.activation = widgets.Dropdown(description=_("function"), layout=widgets.Layout(width="240px"))
        if self.activation is not None:
            self.activation.add_class("nnteach-activation")
        editors = [editor for editor in (self.units, self.rate, self.activation) if editor is not None]
        self.update(index, layer)
        for editor in editors:
            editor.observe(self._edited, names="value")
        self.buttons: dict[str, widgets.Button] = {}
        for text, tip, action in (
            ("↑", _("Move up"), "up"),
            ("↓", _("Move down"), "down"),
            ("✕", _("Remove"), "remove"),
        ):
            button = widgets.Button(description=text, tooltip=tip, layout=widgets.Layout(width="36px"))
            button.add_class(f"nnteach-{action}")
            button.on_click(lambda _button, action=action: self._button(action))
            self.buttons[action] = button
        self.problem = widgets.HTML("")
        self.problem.add_class("nnteach-row-problem")
        line = widgets.HBox([self.number, title, *editors, *self.buttons.values()])
        super().__init__([line, self.problem])
        self.add_class("nnteach-layer-row")
        self.add_class(f"nnteach-layer-{layer.kind.lower()}")

    def update(self, index: int, layer: Layer) -> None:
        """Show ``layer`` (same kind) at position ``index`` without re-creating the editors."""
        self.index = index
        self.number.value = f"<b>{index + 1}.</b>"
        if isinstance(layer, Dense) and self.units is not None:
            self.units.value = str(layer.units)
            self._show_activation(layer.activation, allow_none=True)
        elif isinstance(layer, Dropout) and self.rate is not None:
            self.rate.value = str(layer.rate)
        elif isinstance(layer, Activation):
            self._show_activation(layer.name, allow_none=False)

    def close_all(self) -> None:
        """Close this row and every widget in it, layouts and styles included (their views leave the page)."""
        close_tree(self)
        layout = self.layout
        self.close()
        layout.close()

    def _show_activation(self, name: Any, *, allow_none: bool) -> None:
        if self.activation is None:
            return
        options = [(_(NO_ACTIVATION), NO_ACTIVATION)] if allow_none else []
        options += [(keras_name, keras_name) for keras_name in KERAS_NAMES]  # Keras' names, as Keras spells them
        shown = NO_ACTIVATION if name is None else str(name)
        if shown not in [value for _label, value in options]:
            options.append((shown, shown))  # an unknown name stays visible, next to its explanation
        if [tuple(option) for option in self.activation.options] != options:
            self.activation.options = options
        self.activation.value = shown

    def layer(self) -> Layer:
        """The layer the editors currently describe."""
        if self.kind == "Dense" and self.units is not None and self.activation is not None:
            activation = None if self.activation.value == NO_ACTIVATION else self.activation.value
            return Dense(parse_number(self.units.value), activation)
        if self.kind == "Dropout" and self.rate is not None:
            return Dropout(parse_number(self.rate.value))
        if self.kind == "Activation" and self.activation is not None:
            return Activation(self.activation.value)
        return NEW_LAYERS[self.kind]

    def _edited(self, _change: dict[str, Any]) -> None:
        if self._builder.rendering:
            return
        with self._builder.errors.guard(_("Could not apply that edit.")):
            self._builder.replace_layer(self.index, self.layer())

    def _button(self, action: str) -> None:
        with self._builder.errors.guard(_("Could not change the stack.")):
            if action == "remove":
                self._builder.remove_layer(self.index)
            else:
                self._builder.move_layer(self.index, -1 if action == "up" else +1)

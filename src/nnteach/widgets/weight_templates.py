"""WeightTemplates: each neuron's 784 weights drawn as a 28×28 picture, one per neuron.

For a softmax regression the ten output neurons' templates show what each digit's neuron
looks for. Red pixels raise the neuron's sum where there is ink, blue ones lower it (the
legend says it in words too). Set ``model`` to a trained model and the pictures follow.

Example:
    >>> from nnteach.models import reference_softmax_regression
    >>> view = WeightTemplates(model=reference_softmax_regression(), title="Packaged")
    >>> view.neurons, view.shown, round(view.limit, 2) > 0
    (10, 10, True)
    >>> view.close()
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach.i18n import N_, _
from nnteach.weights import first_dense_kernel, rgb_to_png, template_colors
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget, close_tree

__all__ = ["WeightTemplates"]

#: The share of the layer's absolute weights drawn below full colour (the rest are clipped).
LIMIT_PERCENTILE = 99

_LEGEND = N_(  # shown translated
    '<span class="nnteach-swatch nnteach-swatch-red"></span> red: ink here raises the neuron\'s sum · '
    '<span class="nnteach-swatch nnteach-swatch-blue"></span> blue: ink here lowers it · white: no effect'
)


class WeightTemplates(NNTeachWidget):
    """The first Dense layer's weights of ``model`` as pictures, one per neuron (at most ``max_shown``).

    Traits a lesson sets: ``model``, ``title``, ``captions`` (e.g. the digits), ``scale``,
    ``max_shown``. Read-only: ``neurons``, ``shown``, ``limit`` (the weight drawn at full colour).
    """

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    model = traitlets.Any(
        None, help="The model drawn: a packaged NumPy model, a Keras model, or a (784, n) weight array."
    )
    title = traitlets.Unicode("", help="A heading above the pictures.")
    captions = traitlets.Tuple(help="One caption per picture; empty: the digits 0–9 for ten neurons, else 'neuron i'.")
    scale = traitlets.Int(3, help="Screen pixels per weight (3: an 84-pixel picture).")
    max_shown = traitlets.Int(10, help="Draw at most this many neurons (the first ones).")
    neurons = traitlets.Int(0, read_only=True, help="How many neurons the layer has.")
    shown = traitlets.Int(0, read_only=True, help="How many pictures are drawn.")
    limit = traitlets.Float(
        0.0,
        read_only=True,
        help="The absolute weight drawn at full colour: the 99th percentile of the layer's absolute weights, "
        "so a few extreme weights do not wash the others out (computed).",
    )

    def __init__(self, model: Any = None, *, title: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-templates")
        self._title = widgets.HTML()
        self._title.add_class("nnteach-heading")
        self._grid = widgets.Box()
        self._grid.add_class("nnteach-templates-grid")
        self._legend = widgets.HTML(_(_LEGEND))
        self._legend.add_class("nnteach-note")
        self._tiles: list[tuple[widgets.VBox, widgets.Image, widgets.HTML]] = []
        self.compose(self._title, self._grid, self._legend, self.errors)
        with self.render_once():
            self.model, self.title = model, title

    @traitlets.validate("model")
    def _check_model(self, proposal: Any) -> Any:
        if proposal["value"] is not None:
            try:
                first_dense_kernel(proposal["value"])
            except (TypeError, ValueError) as error:
                raise NNTeachValueError(str(error)) from error
        return proposal["value"]

    @traitlets.validate("scale", "max_shown")
    def _check_positive(self, proposal: Any) -> int:
        value = int(proposal["value"])
        if not 1 <= value <= 100:
            raise NNTeachValueError(
                _(
                    "Expected a whole number from 1 to 100. Received: {name}={value}. Use e.g. scale=3 and max_shown=10."
                ).format(name=proposal["trait"].name, value=value)
            )
        return value

    @traitlets.observe("model", "title", "captions", "scale", "max_shown")
    def _on_change(self, _change: dict[str, Any]) -> None:
        if not self.rendering:
            with self.errors.guard(_("The weights could not be drawn.")), self.render_once():
                pass

    def _caption(self, neuron: int) -> str:
        if neuron < len(self.captions):
            return str(self.captions[neuron])
        return str(neuron) if self.neurons == 10 else f"neuron {neuron}"

    def _tiles_for(self, count: int) -> list[tuple[widgets.VBox, widgets.Image, widgets.HTML]]:
        """``count`` tiles (caption above picture), reusing the ones already made."""
        while len(self._tiles) < count:
            picture = widgets.Image(format="png", layout=widgets.Layout(flex="0 0 auto"))
            caption = widgets.HTML()
            caption.add_class("nnteach-template-caption")
            box = widgets.VBox([caption, picture])
            box.add_class("nnteach-template")
            self._tiles.append((box, picture, caption))
        extra, self._tiles = self._tiles[count:], self._tiles[:count]
        self._grid.children = tuple(box for box, _picture, _caption in self._tiles)
        for box, _picture, _caption in extra:
            close_tree(box)
            layout = box.layout
            box.close()
            layout.close()
        return self._tiles

    def _render(self) -> None:
        self._title.value = html.escape(self.title)
        kernel = None if self.model is None else first_dense_kernel(self.model)
        count = 0 if kernel is None else min(kernel.shape[1], self.max_shown)
        self.set_trait("neurons", 0 if kernel is None else int(kernel.shape[1]))
        tiles = self._tiles_for(count)
        if kernel is None:
            self.set_trait("shown", 0)
            return
        self.set_trait("limit", float(np.percentile(np.abs(kernel), LIMIT_PERCENTILE)))
        pictures = template_colors(kernel[:, :count], limit=self.limit)
        side = f"{28 * self.scale}px"
        for neuron, ((_box, picture, caption), colors) in enumerate(zip(tiles, pictures, strict=True)):
            picture.layout.width = picture.layout.height = side
            picture.value = rgb_to_png(colors, scale=self.scale)
            caption.value = html.escape(self._caption(neuron))
        self.set_trait("shown", count)

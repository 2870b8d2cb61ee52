"""``HiddenUnits``: what each hidden neuron of an MNIST network looks at, as 28×28 pictures.

The first Dense layer's 128 weight vectors of the packaged MLP (or a learner's model), drawn
as pictures (red: ink there raises the neuron's output, blue: lowers it), in neuron order or
sorted by how strongly each neuron responds to a chosen digit (its mean output over that
digit's images). The pictures are a :class:`~nnteach.widgets.WeightTemplates` part.

Example:
    >>> import numpy as np
    >>> from nnteach.widgets import HiddenUnits
    >>> images = np.zeros((3, 28, 28), np.uint8); images[0, 10:20, 12:16] = 255
    >>> view = HiddenUnits(images=images, labels=[1, 7, 7], shown=8)
    >>> view.units, view.order[:3]
    (128, (0, 1, 2))
    >>> view.digit = 1
    >>> len(view.responses), view.responses[view.order[0]] == max(view.responses)
    (128, True)
    >>> view.close()
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets
from numpy.typing import ArrayLike, NDArray

from nnteach.explain import first_layer_images, unit_responses
from nnteach.i18n import N_, _
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget
from nnteach.widgets._choices import digit_or_none
from nnteach.widgets.weight_templates import WeightTemplates

__all__ = ["HiddenUnits"]

_NEURON_ORDER = N_("neuron order")


class HiddenUnits(NNTeachWidget):
    """The first layer's weight pictures of ``model``, sortable by the response to ``digit``.

    Traits a lesson sets: ``model`` (None: the packaged MLP), ``digit`` (None: neuron order),
    ``shown``. Read-only: ``units``, ``order`` (the neurons shown, in order), ``responses``
    (each neuron's mean output for ``digit``, in neuron order; empty without a digit).
    ``images``/``labels`` (constructor) are the digits responses are measured on (default:
    the MNIST test set, loaded when a digit is first chosen). Parts: ``digit_picker``,
    ``templates``.
    """

    frontend_writable: ClassVar[frozenset[str]] = frozenset()
    #: What a teacher's link may set (``?units.digit=3``).
    shared_traits: ClassVar[tuple[str, ...]] = ("digit", "shown")

    model = traitlets.Any(None, help="The model whose first layer is drawn (None: the packaged reference MLP).")
    digit = traitlets.Int(None, allow_none=True, help="Sort by the response to this digit (0-9); None: neuron order.")
    shown = traitlets.Int(32, help="How many neurons are drawn (the first ones in the order).")
    units = traitlets.Int(0, read_only=True, help="How many neurons the first layer has.")
    order = traitlets.Tuple(read_only=True, help="The neurons drawn, in the order shown (strongest response first).")
    responses = traitlets.Tuple(read_only=True, help="Each neuron's mean output for `digit`, in neuron order.")

    def __init__(
        self,
        model: Any = None,
        *,
        images: ArrayLike | None = None,
        labels: ArrayLike | None = None,
        digit: int | None = None,
        shown: int = 32,
    ) -> None:
        super().__init__()
        self.add_class("nnteach-hidden-units")
        self._images, self._labels = images, labels
        self.digit_picker = widgets.Dropdown(
            options=[(_(_NEURON_ORDER), None), *((_("digit {d}: strongest first").format(d=d), d) for d in range(10))],
            description=_("Sort by"),
        )
        self.digit_picker.add_class("nnteach-hidden-units-digit")
        self.templates = WeightTemplates()  # scale set after: WeightTemplates draws before its parts exist
        self._caption = widgets.HTML()
        self._caption.add_class("nnteach-note")
        self.compose(self.digit_picker, self._caption, self.errors, self.templates)
        with self.render_once():
            self.model, self.digit, self.shown = model, digit, shown
        self.bind(self.digit_picker, "digit")

    @traitlets.validate("digit")
    def _check_digit(self, proposal: Any) -> int | None:
        return digit_or_none(proposal["value"])

    @traitlets.validate("shown")
    def _check_shown(self, proposal: Any) -> int:
        value = int(proposal["value"])
        if not 1 <= value <= 100:
            raise NNTeachValueError(
                _("Expected shown from 1 to 100. Received shown={value}; try 32.").format(value=value)
            )
        return value

    @traitlets.observe("model", "digit", "shown")
    def _on_change(self, _change: Any) -> None:
        if not self.rendering:
            with self.errors.guard(_("The neurons could not be drawn.")), self.render_once():
                pass

    def _data(self) -> tuple[Any, Any]:
        if self._images is None or self._labels is None:
            from nnteach.data import load_mnist

            _train, (self._images, self._labels) = load_mnist()
        return self._images, self._labels

    def _render(self) -> None:
        pictures = first_layer_images(self.model)
        units = len(pictures)
        responses: NDArray[np.float32] | None = None
        if self.digit is None:
            order = np.arange(units)
        else:
            responses = unit_responses(self.model, *self._data(), self.digit)
            order = np.argsort(-responses, kind="stable")
        self.set_trait("units", units)
        self.set_trait("order", tuple(int(unit) for unit in order[: self.shown]))
        self.set_trait("responses", () if responses is None else tuple(float(value) for value in responses))
        kernel = pictures.reshape(units, 784).T
        captions = [f"#{unit}" if responses is None else f"#{unit} · {responses[unit]:.2f}" for unit in self.order]
        with self.templates.render_once():
            self.templates.scale = 2
            self.templates.model = kernel[:, list(self.order)]
            self.templates.captions = tuple(captions)
            self.templates.max_shown = len(self.order)
        sentence = (
            _("The first {len} of {units} neurons, in neuron order.").format(len=len(self.order), units=units)
            if self.digit is None
            else _(
                "The {len} neurons (of {units}) whose output is largest on images of {digit}, strongest first; the number is the mean output."
            ).format(len=len(self.order), units=units, digit=self.digit)
        )
        self._caption.value = _("{sentence} Red: ink there raises the neuron's output; blue: lowers it.").format(
            sentence=sentence
        )

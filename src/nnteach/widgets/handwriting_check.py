"""``HandwritingCheck``: does the network read *your* handwriting as well as MNIST's test digits?

A ``DigitCanvas`` collects labelled examples ("Save as example"); **Compare with MNIST**
measures the canvas' model on them and on MNIST test digits, with
:func:`nnteach.examples.compare_handwriting`. MNIST is read on the first comparison, not
with the page.

Example:
    >>> import numpy as np
    >>> from nnteach.widgets import DigitCanvas, HandwritingCheck
    >>> canvas = DigitCanvas()
    >>> canvas.add_stroke([(140, 40), (140, 240)]); canvas.save_example(1)
    >>> mnist = (canvas.examples[0], np.array([1]))  # stands in for MNIST's test digits here
    >>> check = HandwritingCheck(canvas, mnist_test=mnist)
    >>> check.compare()
    >>> check.own_accuracy, check.summary
    (1.0, 'Your digits: 100% of 1 right · MNIST test digits: 100.0% of 1 right')
    >>> check.close(); canvas.close()
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import ipywidgets as widgets
import traitlets

from nnteach.examples import compare_handwriting
from nnteach.i18n import N_, _
from nnteach.numbers import grouped, percent
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget

__all__ = ["HandwritingCheck"]

PROMPT = N_("Save a few examples, then press Compare.")  # shown translated
MNIST_COUNT = 1000
MNIST_TEST_SIZE = 10_000


class HandwritingCheck(NNTeachWidget):
    """Compare the canvas' model on the learner's saved examples with MNIST test digits.

    ``canvas`` is a ``DigitCanvas`` (anything with ``examples`` and ``predictor``);
    ``mnist_test`` is ``(images, labels)``, by default the first ``count`` MNIST test digits
    (read on the first comparison). Read-only traits: ``own_accuracy``, ``mnist_accuracy``
    (None before a comparison), ``compared`` (how many own examples were measured) and
    ``summary`` (the sentence shown). Stable part: ``controls["compare"]``, the button.

    Example:
        >>> from nnteach.widgets import DigitCanvas
        >>> canvas = DigitCanvas(); check = HandwritingCheck(canvas)
        >>> check.compare()
        Traceback (most recent call last):
        ...
        ValueError: Expected some examples of your own handwriting. Received none; draw a digit, pick its label and press Save as example.
        >>> check.close(); canvas.close()
    """

    count = traitlets.Int(MNIST_COUNT, help="How many MNIST test digits to compare with (1 to 10,000).")
    own_accuracy = traitlets.Float(
        None, allow_none=True, read_only=True, help="Share of your examples read right (None before Compare)."
    ).tag(sync=True)
    mnist_accuracy = traitlets.Float(
        None, allow_none=True, read_only=True, help="Share of MNIST test digits read right (None before Compare)."
    ).tag(sync=True)
    compared = traitlets.Int(0, read_only=True, help="How many of your examples the last comparison measured.")
    class_accuracy = traitlets.Float(
        None, allow_none=True, read_only=True, help="Share of the class's shared digits read right (None before)."
    ).tag(sync=True)
    class_count = traitlets.Int(0, read_only=True, help="How many class digits the last class comparison measured.")
    summary = traitlets.Unicode(PROMPT, read_only=True, help="The sentence shown under the button.").tag(sync=True)

    @traitlets.validate("count")
    def _check_count(self, proposal: Any) -> int:
        value = proposal["value"]
        if not 1 <= value <= 10_000:
            raise NNTeachValueError(
                _("Expected 1 to {most} MNIST test digits. Received count={value}; try 1000.").format(
                    most=grouped(MNIST_TEST_SIZE), value=value
                )
            )
        return int(value)

    def __init__(
        self, canvas: Any, *, mnist_test: tuple[Any, Any] | None = None, count: int = MNIST_COUNT, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if not (hasattr(canvas, "examples") and hasattr(canvas, "predictor")):
            self.close()
            raise TypeError(
                _(
                    "Expected a DigitCanvas (something with examples and a predictor). Received "
                    "{kind}; pass the canvas the learner draws on."
                ).format(kind=type(canvas).__name__)
            )
        self.canvas = canvas
        self.count = count
        self._mnist = mnist_test
        self._own_line = ""
        self.set_trait("summary", _(PROMPT))
        button = widgets.Button(description=_("Compare with MNIST"), icon="balance-scale")
        button.add_class("nnteach-compare")
        with_class = widgets.Button(description=_("Compare with our class"), icon="users", layout={"width": "auto"})
        with_class.add_class("nnteach-compare-class")
        self._controls = {"compare": button, "compare_class": with_class}
        button.on_click(lambda _button: self._compare_clicked())
        with_class.on_click(lambda _button: self._compare_class_clicked())
        view = widgets.HTML()
        view.add_class("nnteach-handwriting-comparison")
        traitlets.dlink((self, "summary"), (view, "value"))
        self.add_class("nnteach-handwriting-check")
        self.compose(widgets.HBox([button, with_class]), view, self.errors)

    @property
    def controls(self) -> MappingProxyType[str, widgets.Widget]:
        """The learner's controls by name: ``"compare"``, ``"compare_class"`` (documented, stable parts)."""
        return MappingProxyType(self._controls)

    def compare(self) -> None:
        """Measure the canvas' model on the saved examples and on MNIST test digits; update the traits."""
        own = self.canvas.examples
        if len(own[1]) == 0:
            compare_handwriting(self.canvas.predictor, own, own)  # raises the sentence saying what to do
        if self._mnist is None:
            from nnteach.data import load_mnist

            x_test, y_test = load_mnist()[1]
            self._mnist = (x_test, y_test)
        images, labels = self._mnist
        result = compare_handwriting(self.canvas.predictor, own, (images[: self.count], labels[: self.count]))
        with self.hold_sync():
            self.set_trait("own_accuracy", result.own_accuracy)
            self.set_trait("mnist_accuracy", result.mnist_accuracy)
            self.set_trait("compared", result.own_count)
            self._own_line = result.sentence()
            self.set_trait("summary", self._own_line)

    def compare_class(self, store: Any = None) -> None:
        """Measure the canvas' model on the digits the class shared (the class space's store by default)."""
        if store is None:
            try:
                from nnteach.classroom.session import current_session
            except ImportError:
                raise ValueError(
                    _(
                        "Expected the class space. Received an installation without it; install it with: "
                        'pip install "nnteach[classroom]".'
                    )
                ) from None
            store = current_session().store
        images, labels = store.digit_arrays()
        if len(labels) == 0:
            raise ValueError(
                _(
                    "Expected digits shared by the class. Received none yet; ask the class to press Share with class "
                    "under their drawings, then compare again."
                )
            )
        predicted = self.canvas.predictor(images).probabilities.argmax(axis=1)
        accuracy = float((predicted == labels).mean())
        with self.hold_sync():
            self.set_trait("class_accuracy", accuracy)
            self.set_trait("class_count", len(labels))
            line = _("Our class's digits: {percent} of {count} right").format(
                percent=percent(accuracy), count=grouped(len(labels))
            )
            self.set_trait("summary", f"{self._own_line} · {line}" if self._own_line else line)

    def _compare_class_clicked(self) -> None:
        with self.errors.guard(_("The comparison with the class failed.")):
            self.compare_class()

    def _compare_clicked(self) -> None:
        with self.errors.guard(_("The comparison failed.")):
            self.compare()

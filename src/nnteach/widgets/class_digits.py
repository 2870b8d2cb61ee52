"""``ClassDigits``: all the 7s the class drew, beside MNIST's 7s — and where the network misreads the class.

Per digit 0–9: the class's drawings next to MNIST test images of the same digit, how many
the class shared of each digit, a model's accuracy on the class's digits and on MNIST, the
confusion matrix on the class's digits (the shared ``ConfusionMatrix``) and the misread
drawings. It refreshes by itself when learners share more.

Example:
    >>> import tempfile, numpy as np
    >>> from nnteach.classroom import ClassStore
    >>> from nnteach.data import load_mnist
    >>> _, (x_test, y_test) = load_mnist()
    >>> store = ClassStore(f"sqlite:///{tempfile.mkdtemp()}/class.db")
    >>> _ = store.join("hub:ken", "Ken")
    >>> for i in range(3):
    ...     _ = store.share_digit("hub:ken", int(y_test[i]), x_test[i])
    >>> view = ClassDigits(store=store, digit=int(y_test[0]))
    >>> view.counts[int(y_test[0])] >= 1, view.class_accuracy
    (True, 1.0)
    >>> view.close(); store.close()
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach.i18n import _
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget
from nnteach.widgets._class_polling import ClassPolling
from nnteach.widgets.confusion_matrix import ConfusionMatrix
from nnteach.widgets.digit_grid import DigitGrid

__all__ = ["ClassDigits"]

_MNIST_SAMPLES = 10


class ClassDigits(ClassPolling, NNTeachWidget):
    """The class's handwriting beside MNIST's, and how a model reads it (see the module docstring).

    Traits: ``digit`` the digit whose drawings show (0–9); ``model`` anything
    :func:`nnteach.predictors.as_predictor` takes (None: the packaged reference MLP);
    read-only outputs ``counts`` (drawings per digit), ``class_accuracy`` and
    ``mnist_accuracy`` (None until there is something to measure), ``misread`` (how many of
    the class's drawings the model reads wrong).
    """

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    digit = traitlets.Int(7, help="The digit whose drawings show, 0 to 9.")
    model = traitlets.Any(None, help="The model that reads the drawings (None: the packaged reference MLP).")
    counts = traitlets.Tuple(read_only=True, help="How many drawings the class shared of each digit 0–9.")
    class_accuracy = traitlets.Float(
        None, allow_none=True, read_only=True, help="The model's accuracy on the class's digits."
    )
    mnist_accuracy = traitlets.Float(
        None, allow_none=True, read_only=True, help="The model's accuracy on MNIST's test set."
    )
    misread = traitlets.Int(0, read_only=True, help="How many of the class's drawings the model reads wrong.")

    def __init__(self, *, store: Any = None, digit: int = 7, model: Any = None, refresh_seconds: float = 5.0) -> None:
        super().__init__()
        self.add_class("nnteach-class-digits")
        if store is None:
            from nnteach.classroom import ClassStore

            store = ClassStore()
        self._init_polling(store)
        self._predictor: Any = None
        self._images = np.zeros((0, 28, 28), np.uint8)
        self._labels = np.zeros(0, np.uint8)
        self._predicted = np.zeros(0, np.int64)
        self._picker = widgets.ToggleButtons(options=[(str(n), n) for n in range(10)], style={"button_width": "2.6em"})
        self.bind(self._picker, "digit", fallback=_("Could not show that digit."))
        self._summary = widgets.HTML()
        self._summary.add_class("nnteach-class-digits-summary")
        self.class_grid = DigitGrid(rows=2, columns=10, title=_("Drawn by the class"))
        self.mnist_grid = DigitGrid(rows=1, columns=10, title=_("From MNIST"))
        self.misread_grid = DigitGrid(rows=2, columns=10, title=_("The class's drawings the model misreads"))
        self.matrix = ConfusionMatrix(caption=_("The model on the class's drawings: rows true, columns read as"))
        self.compose(
            self.errors, self._picker, self._summary, self.class_grid, self.mnist_grid, self.matrix, self.misread_grid
        )
        self.set_trait("counts", (0,) * 10)
        self.set_trait("misread", 0)
        with self.render_once():
            self.digit, self.refresh_seconds, self.model = digit, refresh_seconds, model
        self.poll()
        self.start_polling()

    @traitlets.validate("digit")
    def _valid_digit(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if not 0 <= value <= 9:
            raise NNTeachValueError(
                _("Expected a digit from 0 to 9. Received digit={value}; pick one of the buttons.").format(value=value)
            )
        return int(value)

    @traitlets.observe("model")
    def _on_model(self, _change: Any) -> None:
        self._predictor = None
        self.set_trait("mnist_accuracy", None)
        if hasattr(self, "_summary"):
            self._stamp = None
            self.poll()

    @traitlets.observe("digit")
    def _on_digit(self, _change: Any) -> None:
        if hasattr(self, "_summary"):
            with self.render_once():
                pass

    def _read(self, images: Any) -> Any:
        if self._predictor is None:
            from nnteach.predictors import as_predictor

            self._predictor = as_predictor(self.model)
        return self._predictor(images).probabilities.argmax(axis=1)

    def reload(self) -> None:
        """Read the class's digits again, read them with the model, and redraw."""
        images, labels = self._store.digit_arrays()
        self._images, self._labels = images, labels
        self._predicted = self._read(images) if len(images) else np.zeros(0, np.int64)
        self.set_trait("counts", tuple(int(n) for n in np.bincount(labels, minlength=10)[:10]))
        right = self._predicted == labels
        self.set_trait("class_accuracy", float(right.mean()) if len(labels) else None)
        self.set_trait("misread", int((~right).sum()))
        if self.mnist_accuracy is None:
            from nnteach.data import load_mnist

            _train, (x_test, y_test) = load_mnist()
            self.set_trait("mnist_accuracy", float((self._read(x_test) == y_test).mean()))
        if len(labels):
            self.matrix.set_data(labels, self._predicted)
        else:
            self.matrix.set_matrix(np.zeros((10, 10), int))
        wrong = ~right
        self.misread_grid.set_data(images[wrong], labels=labels[wrong], predictions=self._predicted[wrong])
        with self.render_once():
            pass

    def _render(self) -> None:
        digit = self.digit
        mine = self._labels == digit
        self.class_grid.set_data(self._images[mine], labels=self._labels[mine], predictions=self._predicted[mine])
        from nnteach.data import load_mnist

        _train, (x_test, y_test) = load_mnist()
        self.mnist_grid.set_data(
            x_test[y_test == digit][:_MNIST_SAMPLES], labels=y_test[y_test == digit][:_MNIST_SAMPLES]
        )
        counts = " · ".join(f"{n}: {count}" for n, count in enumerate(self.counts))
        accuracy = "—" if self.class_accuracy is None else f"{self.class_accuracy:.1%}"
        mnist = "—" if self.mnist_accuracy is None else f"{self.mnist_accuracy:.1%}"
        self._summary.value = _(
            "<div class=\"nnteach-note\">The class shared {sum} drawings ({counts}). The model reads <b>{accuracy}</b> of the class's drawings right, and <b>{mnist}</b> of MNIST's test digits; it misreads {misread} drawings.</div>"
        ).format(sum=sum(self.counts), counts=counts, accuracy=accuracy, mnist=mnist, misread=self.misread)

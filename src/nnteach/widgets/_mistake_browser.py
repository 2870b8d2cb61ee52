"""``MistakeBrowser``: the confusion matrix on MNIST's test set, and the digits behind any cell.

Pick a cell (true digit, read as) — it starts at the most frequent mistake — and a
:class:`~nnteach.widgets.DigitGrid` shows those images with the network's confidence. The
matrix is the shared :class:`~nnteach.widgets.ConfusionMatrix`.

Example:
    >>> import numpy as np
    >>> from nnteach.widgets import MistakeBrowser
    >>> images = np.zeros((4, 28, 28), np.uint8)
    >>> view = MistakeBrowser(images=images, labels=[0, 0, 3, 1], predictions=[0, 1, 3, 1])
    >>> view.true_digit, view.read_as, view.cell_count
    (0, 1, 1)
    >>> view.close()
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets
from numpy.typing import ArrayLike, NDArray

from nnteach.i18n import _
from nnteach.predictors import as_predictor
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget
from nnteach.widgets.confusion_matrix import ConfusionMatrix
from nnteach.widgets.digit_grid import DigitGrid

__all__ = ["MistakeBrowser"]

_CHUNK = 2000


class MistakeBrowser(NNTeachWidget):
    """The confusion matrix of ``model`` on ``images`` and the images of the chosen cell.

    Without ``images`` the MNIST test set is used; without ``predictions`` the model (None:
    the packaged MLP) predicts them. Traits: ``true_digit`` and ``read_as`` (the cell);
    read-only ``cell_count`` and ``cell_indices`` (the images of the cell). Parts:
    ``true_picker``, ``read_as_picker``, ``matrix`` (ConfusionMatrix), ``grid`` (DigitGrid).
    """

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    true_digit = traitlets.Int(0, help="The cell's row: the digit the images really show.")
    read_as = traitlets.Int(0, help="The cell's column: the digit the network read.")
    cell_count = traitlets.Int(0, read_only=True, help="How many images are in the chosen cell.")
    cell_indices = traitlets.Tuple(read_only=True, help="Positions (in `images`) of the chosen cell's images.")

    def __init__(
        self,
        model: Any = None,
        *,
        images: ArrayLike | None = None,
        labels: ArrayLike | None = None,
        predictions: ArrayLike | None = None,
    ) -> None:
        super().__init__()
        self.add_class("nnteach-mistakes")
        if images is None or labels is None:
            from nnteach.data import load_mnist

            _train, (images, labels) = load_mnist()
        self._images = np.asarray(images)
        self._labels = np.asarray(labels).astype(np.int64).ravel()
        self._probabilities: NDArray[np.float32] | None = None
        if predictions is None:
            predictor = as_predictor(model)
            self._probabilities = np.concatenate(
                [
                    predictor(self._images[start : start + _CHUNK]).probabilities
                    for start in range(0, len(self._images), _CHUNK)
                ]
            )
            predictions = self._probabilities.argmax(axis=1)
        self._predictions = np.asarray(predictions).astype(np.int64).ravel()
        self.matrix = ConfusionMatrix(self._labels, self._predictions)
        options = [(str(digit), digit) for digit in range(10)]
        self.true_picker = widgets.Dropdown(options=options, description=_("True digit"))
        self.read_as_picker = widgets.Dropdown(options=options, description=_("Read as"))
        self.grid = DigitGrid(rows=2, columns=10)
        self.compose(self.matrix, widgets.HBox([self.true_picker, self.read_as_picker]), self.errors, self.grid)
        true_digit, read_as = self._worst_mistake()
        with self.render_once():
            self.true_digit, self.read_as = true_digit, read_as
        self.bind(self.true_picker, "true_digit")
        self.bind(self.read_as_picker, "read_as")

    def _worst_mistake(self) -> tuple[int, int]:
        counts = np.array(self.matrix.counts)
        np.fill_diagonal(counts, -1)
        true_digit, read_as = np.unravel_index(int(np.argmax(counts)), counts.shape)
        return int(true_digit), int(read_as)

    @traitlets.validate("true_digit", "read_as")
    def _check_digit(self, proposal: Any) -> int:
        value, name = proposal["value"], proposal["trait"].name
        if not 0 <= value <= 9:
            raise NNTeachValueError(
                _("Expected {name} from 0 to 9. Received {name}={value}; pick a digit.").format(name=name, value=value)
            )
        return int(value)

    @traitlets.observe("true_digit", "read_as")
    def _on_cell(self, _change: Any) -> None:
        if not self.rendering:
            with self.errors.guard(_("Could not show those images.")), self.render_once():
                pass

    def _render(self) -> None:
        chosen = np.flatnonzero((self._labels == self.true_digit) & (self._predictions == self.read_as))
        self.set_trait("cell_indices", tuple(int(index) for index in chosen))
        self.set_trait("cell_count", len(chosen))
        probabilities = None if self._probabilities is None else self._probabilities[chosen]
        self.grid.set_data(
            self._images[chosen],
            self._labels[chosen],
            probabilities=probabilities,
            predictions=None if probabilities is not None else self._predictions[chosen],
        )
        verb = _("read right") if self.true_digit == self.read_as else _("read wrong")
        self.grid.title = _("{len} images of {true_digit} read as {read_as} ({verb})").format(
            len=len(chosen), true_digit=self.true_digit, read_as=self.read_as, verb=verb
        )

"""``ConfusionMatrix``: how often each true digit was read as each digit, as a shaded table of counts.

Lesson 4 shows the packaged MLP's matrix with it, and ``TrainingMonitor`` shows the trained
model's. Exact counts are text in every cell (crisp on a projector, readable without
colour); the shade follows the page's theme (``nnteach-widgets.css``).

Example:
    >>> from nnteach.widgets import ConfusionMatrix
    >>> view = ConfusionMatrix(y_true=[0, 1, 1], y_pred=[0, 1, 0], labels=("cat", "dog"))
    >>> view.counts, view.correct, view.total
    (((1, 0), (1, 1)), 2, 3)
    >>> view.close()
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets
from numpy.typing import ArrayLike

from nnteach.confusion import DEFAULT_CAPTION, check_matrix, confusion_matrix, confusion_table
from nnteach.widgets._base import NNTeachWidget

__all__ = ["ConfusionMatrix"]


class ConfusionMatrix(NNTeachWidget):
    """A confusion matrix: rows are true classes, columns predicted ones, each cell a count.

    Give ``y_true`` and ``y_pred`` (class numbers), or a ready ``matrix``; ``set_data`` and
    ``set_matrix`` replace it later. Outputs (read-only traits): ``counts``, ``total``,
    ``correct`` and ``table_html`` (the HTML shown).

    Example:
        >>> import numpy as np
        >>> view = ConfusionMatrix(matrix=np.array([[3, 1], [0, 2]]))
        >>> ">3<" in view.table_html and 'title="true 0, predicted 1: 1"' in view.table_html
        True
    """

    counts = traitlets.Tuple(read_only=True, help="The matrix: counts[true][predicted] (read it).")
    total = traitlets.Int(0, read_only=True, help="How many examples the matrix counts.")
    correct = traitlets.Int(0, read_only=True, help="How many of them were predicted right (the diagonal).")
    labels = traitlets.Tuple(help="Class names for rows and columns; empty: 0, 1, 2, …")
    caption = traitlets.Unicode(DEFAULT_CAPTION, help="The sentence above the table.")
    table_html = traitlets.Unicode("", read_only=True, help="The table's HTML, as the page shows it (read it).")

    def __init__(
        self,
        y_true: ArrayLike | None = None,
        y_pred: ArrayLike | None = None,
        *,
        matrix: ArrayLike | None = None,
        labels: tuple[object, ...] | None = None,
        caption: str = DEFAULT_CAPTION,
        num_classes: int = 10,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-confusion-matrix")
        self.num_classes = num_classes
        self._table = widgets.HTML()
        self._table.add_class("nnteach-confusion-table")
        self.compose(self._table, self.errors)
        with self.render_once():
            self.labels = tuple(str(label) for label in labels) if labels is not None else ()
            self.caption = caption
            if matrix is not None:
                self.set_matrix(matrix)
            elif y_true is not None and y_pred is not None:
                self.set_data(y_true, y_pred)

    def set_data(self, y_true: ArrayLike, y_pred: ArrayLike) -> None:
        """Count the predictions ``y_pred`` against the true classes ``y_true``, and show the matrix."""
        classes = len(self.labels) or self.num_classes
        self.set_matrix(confusion_matrix(y_true, y_pred, num_classes=classes))

    def set_matrix(self, matrix: ArrayLike) -> None:
        """Show a ready matrix of counts (rows: true classes, columns: predicted)."""
        counts = check_matrix(matrix)
        with self.render_once():
            self.set_trait("counts", tuple(tuple(int(v) for v in row) for row in counts))

    @traitlets.observe("labels", "caption")
    def _on_change(self, _change: dict[str, Any]) -> None:
        with self.render_once():
            pass

    def _render(self) -> None:
        if not self.counts:
            self.set_trait("total", 0)
            self.set_trait("correct", 0)
            self.set_trait("table_html", "")
        else:
            labels = self.labels or None
            table = confusion_table(self.counts, labels, self.caption)
            self.set_trait("total", sum(sum(row) for row in self.counts))
            self.set_trait("correct", sum(row[i] for i, row in enumerate(self.counts)))
            self.set_trait("table_html", table)
        self._table.value = self.table_html

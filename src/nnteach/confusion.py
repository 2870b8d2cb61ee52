"""The confusion matrix as a shaded HTML table: exact counts as text, shade on a log scale.

UI-free: ``ConfusionMatrix`` (the widget lesson 4 and ``TrainingMonitor`` show) sets this
HTML. The counts are real text in every cell, so the meaning never rests on colour. The shade
is a CSS variable on the cell, and each count sits on a small chip in the theme's own
background and text colours, so it reads as well in a dark theme as in a light one, however
dark the cell. ``confusion_matrix`` (the counting) lives in ``nnteach.evaluation``.

Example:
    >>> import numpy as np
    >>> html = confusion_table(np.array([[5, 1], [0, 4]]))
    >>> '<td class="nnteach-cm-cell nnteach-cm-right" style="--nnteach-cm-shade: 0.90"' in html
    True
    >>> '<span class="nnteach-cm-count">5</span>' in html
    True
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnteach.evaluation import confusion_matrix
from nnteach.i18n import _

__all__ = ["DEFAULT_CAPTION", "check_matrix", "confusion_matrix", "confusion_table", "shades"]

DEFAULT_CAPTION = "Confusion matrix (test set): row = true digit, column = predicted digit"


def check_matrix(matrix: ArrayLike) -> NDArray[np.int64]:
    """A square matrix of counts (whole numbers ≥ 0), or one plain ValueError.

    Example:
        >>> check_matrix([[1, 0], [2, 3]]).tolist()
        [[1, 0], [2, 3]]
    """
    array = np.asarray(matrix)
    if array.ndim != 2 or array.shape[0] != array.shape[1]:
        raise ValueError(
            _(
                "Expected a square confusion matrix (classes × classes). Received shape {shape}. Pass nnteach.evaluation.confusion_matrix(y_true, y_pred)."
            ).format(shape=array.shape)
        )
    if array.size and (
        not np.issubdtype(array.dtype, np.number)
        or not np.all(np.isfinite(array))
        or np.any(array < 0)
        or np.any(array != np.round(array))
    ):
        raise ValueError(
            _(
                "Expected counts (whole numbers of 0 or more) in the confusion matrix. Received values such as {tolist}. Count predictions per (true, predicted) pair."
            ).format(tolist=array.ravel()[:3].tolist())
        )
    return array.astype(np.int64)


def shades(matrix: ArrayLike) -> NDArray[np.float64]:
    """How dark each cell is, 0…0.9, on a log scale so that small confusions stay visible.

    Example:
        >>> shades([[0, 9], [99, 0]]).round(2).tolist()
        [[0.0, 0.45], [0.9, 0.0]]
    """
    counts = check_matrix(matrix)
    top = counts.max() if counts.size else 0
    if top == 0:
        return np.zeros(counts.shape, np.float64)
    shade: NDArray[np.float64] = 0.9 * np.log1p(counts) / np.log1p(top)
    return shade


def confusion_table(matrix: ArrayLike, labels: Sequence[object] | None = None, caption: str = DEFAULT_CAPTION) -> str:
    """An HTML table of the counts: rows are true classes, columns predicted ones.

    Every cell carries its count as text and a ``title`` that says it in words; cells on the
    diagonal (right answers) are bold (class ``nnteach-cm-right``).
    """
    counts = check_matrix(matrix)
    names = [str(label) for label in (labels if labels is not None else range(len(counts)))]
    if len(names) != len(counts):
        raise ValueError(
            _(
                "Expected one label per class. Received {len} labels for {len2} classes. Pass as many labels as the matrix has rows."
            ).format(len=len(names), len2=len(counts))
        )
    shade = shades(counts)
    escaped = [html.escape(name) for name in names]
    header = "".join(f'<th scope="col">{name}</th>' for name in escaped)
    rows = []
    for true, true_name in enumerate(escaped):
        cells = []
        for predicted, predicted_name in enumerate(escaped):
            kinds = ["nnteach-cm-cell"]
            if true == predicted:
                kinds.append("nnteach-cm-right")
            count = int(counts[true, predicted])
            title = _("true {true_name}, predicted {predicted_name}: {count}").format(
                true_name=true_name, predicted_name=predicted_name, count=f"{count:,}"
            )
            cells.append(
                f'<td class="{" ".join(kinds)}" style="--nnteach-cm-shade: {shade[true, predicted]:.2f}" '
                f'title="{title}"><span class="nnteach-cm-count">{count:,}</span></td>'
            )
        rows.append(f'<tr><th scope="row">{true_name}</th>{"".join(cells)}</tr>')
    corner = html.escape(_("true digit"))
    return (
        f'<table class="nnteach-confusion"><caption>{html.escape(caption)}</caption>'
        f'<tr><th scope="col" aria-label="{corner}"></th>{header}</tr>{"".join(rows)}</table>'
    )

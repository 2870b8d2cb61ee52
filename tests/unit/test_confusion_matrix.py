"""ConfusionMatrix and nnteach.confusion: counts checked against scikit-learn on the real test set."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from nnteach.confusion import check_matrix, confusion_table, shades
from nnteach.models import reference_mlp
from nnteach.widgets import ConfusionMatrix
from nnteach.widgets._base import stylesheet

CELL = re.compile(
    r'<td class="([^"]+)" style="--nnteach-cm-shade: ([0-9.]+)" title="true (\w+), predicted (\w+): ([\d,]+)">'
    r'<span class="nnteach-cm-count">([\d,]+)</span></td>'
)


@pytest.mark.mnist
def test_the_table_shows_scikit_learns_counts_for_the_packaged_mlp(mnist: Any) -> None:
    _, (x_test, y_test) = mnist
    predicted = reference_mlp().predict(x_test).argmax(axis=1)
    expected = sklearn_confusion_matrix(y_test, predicted, labels=list(range(10)))
    view = ConfusionMatrix(y_test, predicted)
    assert np.array_equal(np.array(view.counts), expected)
    assert (view.total, view.correct) == (10_000, int(np.trace(expected)))
    cells = CELL.findall(view.table_html)
    assert len(cells) == 100, "every cell carries its count as text"
    for kinds, shade, true, answer, titled, shown in cells:
        count = expected[int(true), int(answer)]
        assert int(shown.replace(",", "")) == int(titled.replace(",", "")) == count
        assert ("nnteach-cm-right" in kinds.split()) == (true == answer)
        assert float(shade) == pytest.approx(0.9 * np.log1p(count) / np.log1p(expected.max()), abs=0.005)
    view.close()


def test_log_shades_keep_small_confusions_visible() -> None:
    np.testing.assert_allclose(shades([[0, 9], [99, 0]]), [[0.0, 0.45], [0.9, 0.0]])  # ln 10 / ln 100 = 1/2
    assert shades(np.zeros((3, 3), int)).tolist() == [[0.0] * 3] * 3


def test_bad_matrices_and_labels_are_refused_with_a_sentence() -> None:
    with pytest.raises(ValueError, match=r"square confusion matrix .* Received shape \(2, 3\)"):
        check_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="whole numbers of 0 or more"):
        check_matrix([[1, -1], [0, 2]])
    with pytest.raises(ValueError, match="whole numbers of 0 or more"):
        check_matrix([[1.5, 0], [0, 2]])
    with pytest.raises(ValueError, match="Received 3 labels for 2 classes"):
        confusion_table([[1, 0], [0, 1]], labels=("a", "b", "c"))
    view = ConfusionMatrix()
    with pytest.raises(ValueError, match="square confusion matrix"):
        view.set_matrix([1, 2, 3])
    assert view.counts == () and view.table_html == ""
    view.close()


def test_labels_are_escaped_and_outputs_cannot_be_written_from_the_browser() -> None:
    view = ConfusionMatrix([0, 1, 1], [0, 1, 0], labels=("<b>cat</b>", "dog"))
    assert "<b>cat</b>" not in view.table_html and "&lt;b&gt;cat&lt;/b&gt;" in view.table_html
    view.comm.handle_msg(
        {"content": {"data": {"method": "update", "state": {"table_html": "<script>", "total": 0}}}, "buffers": []}
    )
    assert view.total == 3 and "<script>" not in view.table_html
    view.caption = "Cats & dogs"
    assert "<caption>Cats &amp; dogs</caption>" in view.table_html
    view.close()


def test_counts_sit_on_the_themes_own_colours() -> None:
    """Dark theme: the count chip takes the theme's background and text colour, whatever the cell's shade."""
    rule = re.search(r"\.nnteach-confusion \.nnteach-cm-count \{([^}]*)\}", stylesheet())
    assert rule is not None
    assert "background: var(--nnteach-bg)" in rule.group(1) and "color: var(--nnteach-fg)" in rule.group(1)
    assert "var(--jp-layout-color1" in stylesheet() and "var(--jp-ui-font-color1" in stylesheet()


def test_the_tables_corner_is_named_in_the_language() -> None:
    from nnteach import set_language

    set_language("ja")
    try:
        assert '<th scope="col" aria-label="正解の数字"></th>' in confusion_table([[1, 0], [0, 1]])
    finally:
        set_language(None)

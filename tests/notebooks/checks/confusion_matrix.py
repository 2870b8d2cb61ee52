import sys

import numpy as np
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

expected = sklearn_confusion_matrix(y_test, predicted, labels=list(range(10)))
assert np.array_equal(np.array(matrix.counts), expected)
assert matrix.total == 10_000 and matrix.correct == int(np.trace(expected)) > 9_700
assert matrix.table_html.count('class="nnteach-cm-count"') == 100, "every cell shows its count as text"
assert "tensorflow" not in sys.modules, "the table and the reference model are NumPy only"

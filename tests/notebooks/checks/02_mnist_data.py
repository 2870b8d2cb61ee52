import sys

import numpy as np

assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
assert list(y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
assert counts.tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], counts
assert "label 5" in caption.value, caption.value
index.value = 1  # the learner moves the slider: the caption and picture follow
assert "label 0" in caption.value, caption.value
assert picture.value[:4] == b"\x89PNG"
assert np.array_equal(one_hot(y_train[:5]).argmax(axis=1), y_train[:5])
assert isinstance(grid, DigitGrid)
assert "tensorflow" not in sys.modules, "lesson 2 must not import TensorFlow"

import sys

import numpy as np

from nnteach.i18n import language
from nnteach.widgets import DigitGrid, DigitImage


def widgets_of(kind: type) -> list:
    """The lesson's widgets of one type, found in the namespace it left (not by variable name)."""
    return list({id(value): value for value in list(globals().values()) if isinstance(value, kind)}.values())


(browser,) = widgets_of(DigitGrid)
(digit,) = widgets_of(DigitImage)

# MNIST as keras.datasets.mnist.load_data() gives it (shapes, first labels, label counts).
assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
assert list(y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
assert counts.tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], counts
assert np.array_equal(one_hot(y_train[:5]).argmax(axis=1), y_train[:5])

english = language() == "en"  # a lessons/ja or lessons/de run: the widgets speak the folder's language

# The grid browses all 60,000 training images, the first page starting with the "5".
assert browser.count == 60_000 and (browser.captions()[0] == "label 5" if english else "5" in browser.captions()[0])

# One digit: the first training image, then image 500 as "Try it" asks; a 224-pixel picture.
assert digit.count == 60_000 and digit.label == 5 and "5" in digit.caption
assert digit.caption.startswith("label 5 · ") or not english, digit.caption
digit.index = 500
assert digit.label == y_train[500] and np.array_equal(digit.image, x_train[500])
assert digit.scale == 8 and digit.show_numbers

assert "tensorflow" not in sys.modules, "lesson 2 must not import TensorFlow"

import sys

import numpy as np

# The first training image is MNIST's "5"; sliding to image 1 shows the "0".
assert (digit.count, digit.index, digit.label) == (60_000, 0, 5), (digit.count, digit.label)
digit.index = 1
assert digit.label == int(y_train[1]) == 0 and np.array_equal(digit.image, x_train[1])
assert digit.caption.startswith("label 0 · ") and digit.caption.endswith("brightest pixel 255"), digit.caption
assert small.count == 1 and small.label is None and small.scale == 4
assert "tensorflow" not in sys.modules, "DigitImage is NumPy only"

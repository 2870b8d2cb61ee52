import sys

import numpy as np

expected = np.exp(np.array([0.5, -1.0, 1.0, 3.5, -0.5, 0.0, -2.0, 3.0, 0.0, 1.5]))
expected /= expected.sum()
assert bars.highlight == 3, bars.highlight
assert bars.true_class == 7
assert np.allclose(bars.values, expected)
assert f'<span class="nnteach-bar-value">{expected[3]:.3f}</span>' in bars.value
assert "◀ top" in bars.value and "✓ true" in bars.value
assert "tensorflow" not in sys.modules, "the ProbabilityBars gallery must not import TensorFlow"

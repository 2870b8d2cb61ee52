import sys

import numpy as np

assert tuple(explorer.selected) == ("sigmoid", "tanh", "relu") and explorer.show_derivative
# One neuron: 0.5·1.0 − 0.2 = 0.3, relu(0.3) = 0.3; a negative input switches relu off.
assert "<b>0.300</b>" in neuron_out.value, neuron_out.value
neuron_x.value = -2.0
assert "relu(z) = <b>0.000</b>" in neuron_out.value, neuron_out.value
# The seed's softmax example, in the widget.
assert np.allclose(np.round(softmax_view.probabilities, 2), [0.56, 0.03, 0.21, 0.21]), softmax_view.probabilities
assert abs(softmax_view.loss - (-np.log(softmax_view.probabilities[0]))) < 1e-6, softmax_view.loss
assert twice > right, (twice, right)  # the double softmax makes a confident right answer look worse
assert "tensorflow" not in sys.modules, "lesson 5 must not import TensorFlow"

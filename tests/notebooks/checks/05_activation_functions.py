import math
import sys

import numpy as np

from nnteach.widgets import ActivationExplorer, NeuronView, OneHotSoftmaxView


def widgets_of(kind: type) -> list:
    """The lesson's widgets of one type, found in the namespace it left (not by variable name)."""
    return list({id(value): value for value in list(globals().values()) if isinstance(value, kind)}.values())


(curves,) = widgets_of(ActivationExplorer)
(one_neuron,) = widgets_of(NeuronView)
(view,) = widgets_of(OneHotSoftmaxView)

assert tuple(curves.selected) == ("sigmoid", "tanh", "relu") and curves.show_derivative
# One neuron: relu(0.5·1.0 − 0.2) = 0.3; a negative input switches relu off (slope 0).
assert abs(one_neuron.y - 0.3) < 1e-9 and one_neuron.slope == 1.0
one_neuron.x = -2.0
assert one_neuron.y == 0.0 and one_neuron.slope == 0.0
# Try it: far right, the sigmoid's slope vanishes.
one_neuron.activation, one_neuron.x = "sigmoid", 5.0
z = 0.5 * 5.0 - 0.2
assert abs(one_neuron.slope - math.exp(-z) / (1 + math.exp(-z)) ** 2) < 1e-9 and one_neuron.slope < 0.1
# The tutorials' softmax example, in the widget; its loss is −log(p_true).
assert np.allclose(np.round(view.probabilities, 2), [0.56, 0.03, 0.21, 0.21]), view.probabilities
assert abs(view.loss - (-np.log(view.probabilities[0]))) < 1e-6, view.loss
assert twice > right, (twice, right)  # the double softmax makes a confident right answer look worse
assert "tensorflow" not in sys.modules, "lesson 5 must not import TensorFlow"

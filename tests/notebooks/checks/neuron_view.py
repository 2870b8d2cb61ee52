import math
import sys

# relu(0.5·1 − 0.2) = 0.3; with sigmoid the output is 1 / (1 + e^−0.3).
assert abs(neuron.y - 0.3) < 1e-9 and neuron.slope == 1.0, (neuron.y, neuron.slope)
neuron.activation = "sigmoid"
assert abs(neuron.y - 1 / (1 + math.exp(-0.3))) < 1e-9, neuron.y
assert "tensorflow" not in sys.modules, "NeuronView is NumPy only"

import sys

# The worked example: 0.8·1.5 + 0.3·(−2.0) − 0.2 = 0.4 > 0, so the step says 1: dog.
assert abs(weighted_sum - 0.4) < 1e-9 and answer == "dog", (weighted_sum, answer)
assert perceptron.activation == "step", perceptron.activation
assert len(perceptron.weights) == 2, perceptron.weights
perceptron.activation = "sigmoid"  # what the lesson asks the learner to do
assert perceptron.activation == "sigmoid"
assert tuple(explorer.selected) == ("step", "sigmoid") and explorer.show_derivative
assert "tensorflow" not in sys.modules, "lesson 1 must not import TensorFlow"

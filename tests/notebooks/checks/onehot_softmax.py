import sys

assert view.num_classes == 4
assert [round(p, 2) for p in view.probabilities] == [0.56, 0.03, 0.21, 0.21]
assert view.one_hot == (1.0, 0.0, 0.0, 0.0)
assert abs(view.loss - 0.5797) < 1e-4, view.loss
assert view.errors.message == ""
# The "from a real digit" mode works in a plain kernel too: MNIST test image 0 is a 7.
view.show_digit(0)
assert view.label == 7 and view.bars.highlight == 7, (view.label, view.bars.highlight)
assert view.errors.message == ""
assert "tensorflow" not in sys.modules, "the softmax gallery must not import TensorFlow"

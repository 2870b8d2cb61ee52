import sys

assert explorer.selected == ("step", "sigmoid", "relu")
assert explorer.show_derivative
assert explorer.plot.value[:4] == b"\x89PNG"
assert explorer.readout_text.startswith("x = 1.00")
explorer.controls["cursor"].value = 0.0
assert explorer.readout_text.startswith("x = 0.00")
assert "sigmoid: f(x) = 0.5000" in explorer.readout_text  # sigmoid(0)
assert explorer.errors.message == ""
assert "tensorflow" not in sys.modules, "the activation explorer must not import TensorFlow"

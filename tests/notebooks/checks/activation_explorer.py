import sys

assert explorer.selected == ("step", "sigmoid", "relu")
assert explorer.show_derivative
assert explorer.plot.value[:4] == b"\x89PNG"
assert "x = 1.00" in explorer.readout.value
explorer.cursor_slider.value = 0.0
assert "x = 0.00" in explorer.readout.value
assert "f(x) = 0.5000" in explorer.readout.value  # sigmoid(0)
assert explorer.errors.message == ""
assert "tensorflow" not in sys.modules, "the activation explorer must not import TensorFlow"

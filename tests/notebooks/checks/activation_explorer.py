import sys

assert explorer.selected == ("step", "sigmoid", "relu")
assert explorer.show_derivative
if type(explorer.plot).__module__.startswith("bqplot"):  # drawn in the browser: the curves' arrays were sent
    (curves,) = [mark for mark in explorer.plot.marks if list(mark.labels) == ["step", "sigmoid", "relu"]]
    assert curves.y.shape == (3, 1000)
else:  # the light install draws a PNG
    assert explorer.plot.value[:4] == b"\x89PNG"
assert explorer.readout_text.startswith("x = 1.00")
explorer.controls["cursor"].value = 0.0
assert explorer.readout_text.startswith("x = 0.00")
assert "sigmoid: f(x) = 0.5000" in explorer.readout_text  # sigmoid(0)
assert explorer.errors.message == ""
assert "tensorflow" not in sys.modules, "the activation explorer must not import TensorFlow"

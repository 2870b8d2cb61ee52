import sys

assert view.dataset == "dogs and cats"
assert view.activation == "step"
if type(view.plot).__module__.startswith("bqplot"):  # drawn in the browser: the points were sent
    marks = {mark.labels[0]: mark for mark in view.plot.marks}
    assert len(marks["class 0"].x) + len(marks["class 1"].x) == len(view.data.x)
else:  # the light install draws a PNG
    assert view.plot.value[:4] == b"\x89PNG"
wrong_before = view.misclassified_count
assert wrong_before > 0
for _ in range(200):
    view.controls["learn"].click()
    if view.learn_status.startswith("Done"):
        break
assert view.misclassified_count == 0, view.learn_status
assert view.steps > 0
assert view.errors.message == ""
assert "tensorflow" not in sys.modules, "the perceptron view must not import TensorFlow"

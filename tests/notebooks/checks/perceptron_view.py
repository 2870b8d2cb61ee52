import sys

assert view.dataset == "dogs and cats"
assert view.activation == "step"
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

import sys

from nnteach.widgets import ActivationExplorer, PerceptronView


def widgets_of(kind: type) -> list:
    """The lesson's widgets of one type, found in the namespace it left (not by variable name)."""
    return list({id(value): value for value in list(globals().values()) if isinstance(value, kind)}.values())


(view,) = widgets_of(PerceptronView)
(curves,) = widgets_of(ActivationExplorer)

# The worked example: 0.8·1.5 + 0.3·(−2.0) − 0.2 = 0.4 > 0, so the step says 1: dog.
assert abs(weighted_sum - 0.4) < 1e-9 and answer == "dog", (weighted_sum, answer)

# Try it: learning one step at a time puts every dog and cat on its side.
assert view.activation == "step" and view.dataset == "dogs and cats"
for _ in range(200):
    if view.misclassified_count == 0:
        break
    view.learn_step()
assert view.misclassified_count == 0, view.learn_status
# XOR: no line separates it, and the view says so instead of looping forever.
view.dataset = "XOR"
for _ in range(50):
    view.learn_step()
assert view.misclassified_count > 0
view.activation = "sigmoid"  # what the lesson asks the learner to do
assert view.activation == "sigmoid"
assert tuple(curves.selected) == ("step", "sigmoid") and curves.show_derivative
assert "tensorflow" not in sys.modules, "lesson 1 must not import TensorFlow"

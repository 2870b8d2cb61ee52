import sys

import numpy as np

from nnteach._playground_net import forward
from nnteach.playground import make_dataset
from nnteach.widgets import PlaygroundView

# The first screen: the untrained network drawn in NumPy, no TensorFlow imported yet.
assert "tensorflow" not in sys.modules, "PlaygroundView's first screen must not import TensorFlow"
assert view.state == "idle" and view.frames >= 1 and view.region_image.value[:4] == b"\x89PNG"
data = make_dataset("circles", classes=3, noise=0.05)
np.testing.assert_array_equal(view.data.x_test, data.x_test)
assert view.network_picture.value.count("<line") == 2 * 8 + 8 * 8 + 8 * 3  # one line per weight

# Training from code, as the notebook says; the numbers shown are Keras' own for the weights drawn.
await view.start()  # noqa: F704, PLE1142 - top-level await in the notebook's kernel
assert (view.state, view.epoch, len(view.loss_history)) == ("done", 50, 50), (view.state, view.epoch)
probabilities = np.asarray(view.model(data.x_test))
np.testing.assert_allclose(forward(view.weights, "tanh", data.x_test)[-1], probabilities, atol=1e-5)
assert abs(view.test_accuracy - float((probabilities.argmax(1) == data.y_test).mean())) < 1e-9
assert view.test_accuracy > 0.9, view.test_accuracy  # three rings: learnt in 50 epochs
assert view.progress == f"Done after 50 epochs: test accuracy {view.test_accuracy:.0%}.", view.progress
assert isinstance(view, PlaygroundView) and view.frames > 2

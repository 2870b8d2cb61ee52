import sys

import numpy as np

from nnteach.data import load_mnist
from nnteach.models import reference_mlp

(_, _), (x_test, y_test) = load_mnist()
model = reference_mlp()
kernel, bias, _ = model.layers[0]
relu = np.maximum((x_test[y_test == 7].astype(np.float32) / 255).reshape(-1, 784) @ kernel + bias, 0)
assert units.order == tuple(np.argsort(-relu.mean(axis=0), kind="stable")[:16]), units.order
np.testing.assert_allclose(units.responses, relu.mean(axis=0), atol=1e-4)

assert canvas.prediction == 7, canvas.probabilities
assert inside.prediction == 7 and where.target == 7 and where.saliency.shape == (28, 28)
assert fooling.prediction == 7 and np.abs(fooling.fooled - canvas.image).max() <= 0.1 + 1e-6
assert int(model.predict(fooling.fooled).argmax()) == fooling.fooled_prediction
predicted = model.predict(x_test).argmax(axis=1)
assert mistakes.matrix.correct == int((predicted == y_test).sum())
assert "tensorflow" not in sys.modules, "the lesson-9 views of packaged models are NumPy only"

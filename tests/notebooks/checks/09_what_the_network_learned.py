import sys

import numpy as np

from nnteach.data import load_mnist
from nnteach.i18n import language
from nnteach.models import reference_mlp
from nnteach.widgets import DigitCanvas, FoolingView, HiddenUnits, InsideView, MistakeBrowser, SaliencyView


def widgets_of(kind: type) -> list:
    """The lesson's widgets of one type, found in the namespace it left (not by variable name)."""
    found = {id(value): value for value in list(globals().values()) if isinstance(value, kind)}
    found |= {id(value): value for value in list(Out.values()) if isinstance(value, kind)}
    return list(found.values())


(units,) = widgets_of(HiddenUnits)
(drawing,) = widgets_of(DigitCanvas)
(inside,) = widgets_of(InsideView)
(where,) = widgets_of(SaliencyView)
(fooling,) = widgets_of(FoolingView)
(mistakes,) = widgets_of(MistakeBrowser)
assert "tensorflow" not in sys.modules, "lesson 9 needs no TensorFlow for its first screen"

# Hidden neurons as pictures, sorted by the mean output on the test zeros (the oracle: the weights).
(_, _), (x_test, y_test) = load_mnist()
model = reference_mlp()
kernel, bias, _ = model.layers[0]
relu = np.maximum((x_test.astype(np.float32) / 255).reshape(-1, 784) @ kernel + bias, 0)
means = relu[y_test == 0].mean(axis=0)
assert units.units == 128 and units.order[0] == int(np.argmax(means)), (units.order[:3], np.argsort(-means)[:3])
assert units.templates.shown == 32

# Draw a 1: every view follows the canvas.
drawing.add_stroke([(140, 40), (142, 140), (141, 240)])
assert drawing.prediction == 1, drawing.probabilities
assert inside.prediction == 1 and len(inside.activations) == 128 and len(inside.top_units) == 10
np.testing.assert_allclose(inside.activations, np.maximum(drawing.image.reshape(784) @ kernel + bias, 0), atol=1e-5)
assert where.target == 1 and where.saliency.shape == (28, 28)

# FGSM flips the correctly read 1 at some epsilon <= 0.3; the changed image moved each pixel by at most epsilon.
assert fooling.prediction == 1 and fooling.flip_at is not None and fooling.flip_at <= 0.3, fooling.flip_at
fooling.epsilon_slider.value = fooling.flip_at  # the learner slides to it
assert fooling.fooled_prediction != 1 and int(model.predict(fooling.fooled).argmax()) == fooling.fooled_prediction
assert np.abs(fooling.fooled - drawing.image).max() <= fooling.flip_at + 1e-6
assert str(fooling.shifted_prediction) in fooling.summary, fooling.summary
assert f"read as {fooling.shifted_prediction}" in fooling.summary or language() != "en", fooling.summary

# Mistakes: the matrix counts the packaged MLP's answers on the 10,000 test digits.
predicted = model.predict(x_test).argmax(axis=1)
assert mistakes.matrix.total == 10_000 and mistakes.matrix.correct == int((predicted == y_test).sum())
assert mistakes.cell_count == int(((y_test == mistakes.true_digit) & (predicted == mistakes.read_as)).sum()) > 0
assert mistakes.true_digit != mistakes.read_as
assert "tensorflow" not in sys.modules, "lesson 9 runs on the packaged NumPy model"

# The saliency map agrees with Keras' own gradient of the same model (TensorFlow only from here on).
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

logit_model = model.to_keras()
logit_model.layers[-1].activation = keras.activations.linear
x = tf.constant(drawing.image[np.newaxis])
with tf.GradientTape() as tape:
    tape.watch(x)
    score = logit_model(x)[0, 1]
np.testing.assert_allclose(where.saliency, tape.gradient(score, x).numpy()[0], atol=1e-5)

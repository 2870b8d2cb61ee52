import sys

import numpy as np

# A scripted "1": a vertical stroke in the middle of the canvas, as if drawn.
canvas.add_stroke([(140, 50), (140, 230)])
assert canvas.prediction == 1, (canvas.prediction, canvas.probabilities)
assert canvas.image is not None and canvas.image.shape == (28, 28)
assert model_picker.value == REFERENCE and model_picker.options == (REFERENCE,)  # a fresh work folder

# Comparing with no examples says what to do instead of failing.
compare()
assert "no examples yet" in compare_errors.message, compare_errors.message

# Keep the "1" as an example, draw and keep a "0", then compare with MNIST.
canvas.save_example(1)
canvas.clear()
angles = np.linspace(0, 2 * np.pi, 40)
canvas.add_stroke([(140 + 60 * np.sin(a), 140 - 90 * np.cos(a)) for a in angles])
assert canvas.prediction == 0, (canvas.prediction, canvas.probabilities)
canvas.save_example(0)
compare()
assert compare_errors.message == "", compare_errors.message
assert results["own"] == 1.0 and results["mnist"] > 0.95, results
assert "Your digits: 100%" in comparison.value and "of 2 right" in comparison.value, comparison.value

# The refresh button lists models saved in the work folder (none here) without importing Keras.
refresh_models()
assert model_picker.options == (REFERENCE,)
assert "tensorflow" not in sys.modules, "lesson 7 with the reference model must not import TensorFlow"

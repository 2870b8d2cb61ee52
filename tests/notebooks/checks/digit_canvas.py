import sys

import numpy as np

from nnteach.models import reference_mlp
from nnteach.paths import work_dir
from nnteach.preprocess import strokes_to_mnist
from nnteach.widgets import DigitCanvas

# The notebook's canvas, found by type (not by the variable name the notebook chose).
(canvas,) = {
    id(v): v for k, v in list(globals().items()) if not k.startswith("_") and isinstance(v, DigitCanvas)
}.values()

# The gallery page starts empty and says what to do.
assert canvas.image is None and canvas.prediction is None and canvas.probabilities == ()
assert canvas.caption == "Draw a digit", canvas.caption

# A scripted "1" and a scripted "0", as a teacher's demo would draw them.
canvas.add_stroke([(140, 45), (140, 235)])
assert canvas.prediction == 1, canvas.probabilities
np.testing.assert_allclose(canvas.probabilities, reference_mlp().predict(canvas.image)[0], atol=1e-6)
canvas.clear()
angles = np.linspace(0, 2 * np.pi, 40)
ring = [(140 + 60 * np.sin(a), 140 - 95 * np.cos(a)) for a in angles]
canvas.add_stroke(ring)
assert canvas.prediction == 0, canvas.probabilities
np.testing.assert_array_equal(canvas.image, strokes_to_mnist([ring]))
assert canvas.errors.message == ""

# Examples land in the learner's work folder (NNTEACH_WORKDIR), nowhere else; the label resets.
canvas.label = 0
canvas.controls["save_example"].click()
assert canvas.example_count == 1 and canvas.label is None, (canvas.example_count, canvas.label)
path = canvas.save("gallery check")
assert path.parent.resolve() == work_dir().resolve()
assert "tensorflow" not in sys.modules, "the gallery canvas with the reference model must not import TensorFlow"

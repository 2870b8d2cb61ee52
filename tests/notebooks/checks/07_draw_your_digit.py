import sys

import numpy as np

from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.widgets import DigitCanvas, HandwritingCheck, ModelPicker
from nnteach.widgets.model_picker import REFERENCE_MLP, SOFTMAX_REGRESSION


def widgets_of(kind: type) -> list:
    """The lesson's widgets of one type, found in the namespace it left (not by variable name)."""
    return list({id(value): value for value in list(globals().values()) if isinstance(value, kind)}.values())


(drawing,) = widgets_of(DigitCanvas)
(models,) = widgets_of(ModelPicker)
(handwriting,) = widgets_of(HandwritingCheck)

# A scripted "1": a vertical stroke in the middle of the canvas, as if drawn.
drawing.add_stroke([(140, 50), (140, 230)])
assert drawing.prediction == 1, (drawing.prediction, drawing.probabilities)
assert drawing.image is not None and drawing.image.shape == (28, 28)
assert models.options == (REFERENCE_MLP, SOFTMAX_REGRESSION) and drawing.model is reference_mlp()

# The picker drives the canvas: the softmax regression answers, then the MLP again.
models.choice = SOFTMAX_REGRESSION
assert drawing.model is reference_softmax_regression()
models.choice = REFERENCE_MLP

# "Draw a 1 in a corner": the 28×28 view centres it, as the lesson says.
drawing.clear()
drawing.add_stroke([(30, 20), (30, 100)])
rows, cols = np.nonzero(drawing.image)
assert abs(rows.mean() - 13.5) < 3 and abs(cols.mean() - 13.5) < 3, (rows.mean(), cols.mean())
# "Draw a tiny 1": it is scaled up to fill the 20-pixel box, with much thicker strokes than a large one.
drawing.clear()
drawing.add_stroke([(140, 50), (140, 230)])
large_ink = int(np.count_nonzero(drawing.image > 0.5))
drawing.clear()
drawing.add_stroke([(140, 130), (140, 148)])
tiny_rows = np.nonzero(drawing.image)[0]
assert np.ptp(tiny_rows) >= 15 and np.count_nonzero(drawing.image > 0.5) > 1.5 * large_ink, large_ink

# Comparing with no examples says what to do; with a "1" and a "0" kept, it compares with MNIST.
handwriting.controls["compare"].click()  # the button: errors become a sentence
assert handwriting.errors.message != "" and handwriting.compared == 0
drawing.clear()
drawing.add_stroke([(140, 50), (140, 230)])
drawing.save_example(1)
drawing.clear()
angles = np.linspace(0, 2 * np.pi, 40)
drawing.add_stroke([(140 + 60 * np.sin(a), 140 - 90 * np.cos(a)) for a in angles])
drawing.save_example(0)
handwriting.controls["compare"].click()  # the button: errors become a sentence
assert handwriting.errors.message == "", handwriting.errors.message
assert handwriting.own_accuracy == 1.0 and handwriting.compared == 2 and handwriting.mnist_accuracy > 0.95
assert handwriting.summary.startswith("Your digits: 100% of 2 right"), handwriting.summary

# "Save examples" under a name, then "Load examples" brings them back.
path = drawing.save("my digits")
drawing.load("my digits")
assert path.name == "my digits.npz" and len(drawing.examples[1]) == 2
assert "tensorflow" not in sys.modules, "lesson 7 with the packaged models must not import TensorFlow"

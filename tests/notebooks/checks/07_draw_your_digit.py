import sys

import numpy as np

from nnteach.i18n import language
from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.widgets import DigitCanvas, HandwritingCheck, ModelPicker, PipelineToggle
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
# "Draw a tiny 1 with a thick brush, then a huge one with the thinnest": both look alike to the network.
drawing.clear()
drawing.brush_width = 4
drawing.add_stroke([(140, 20), (140, 260)])
large = drawing.image.copy()
drawing.clear()
drawing.brush_width = 30
drawing.add_stroke([(140, 130), (140, 150)])
assert np.abs(drawing.image - large).max() < 1e-4 and drawing.prediction == 1, drawing.prediction
drawing.brush_width = 18

english = language() == "en"  # a lessons/ja or lessons/de run: the widgets speak the folder's language

# "Why your digits are harder": the toggle shows the drawing MNIST-style or just shrunk, with both answers.
(toggle,) = widgets_of(PipelineToggle)
assert toggle.mnist_prediction == drawing.prediction == 1 and toggle.shrunk_prediction is not None
np.testing.assert_array_equal(toggle.image, drawing.image)
toggle.controls["mode"].value = "shrunk"  # the learner's click
assert toggle.mode == "shrunk" and np.count_nonzero(toggle.image) < np.count_nonzero(drawing.image)
assert "1" in toggle.summary and (toggle.summary.startswith("MNIST-style: 1 (") or not english), toggle.summary
assert "just shrunk: " in toggle.summary or not english, toggle.summary

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
assert "100" in handwriting.summary and "2" in handwriting.summary, handwriting.summary
assert handwriting.summary.startswith("Your digits: 100% of 2 right") or not english, handwriting.summary

# "Save examples" under a name, then "Load examples" brings them back.
path = drawing.save("my digits")
drawing.load("my digits")
assert path.name == "my digits.npz" and len(drawing.examples[1]) == 2
assert "tensorflow" not in sys.modules, "lesson 7 with the packaged models must not import TensorFlow"

import sys

import numpy as np

from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.paths import work_dir
from nnteach.widgets import DigitCanvas, ModelPicker
from nnteach.widgets.model_picker import REFERENCE_MLP, SOFTMAX_REGRESSION


def _only(kind):
    found = {id(v): v for k, v in list(globals().items()) if not k.startswith("_") and isinstance(v, kind)}
    assert len(found) == 1, (kind.__name__, len(found))
    return next(iter(found.values()))


picker, canvas = _only(ModelPicker), _only(DigitCanvas)

# A fresh work folder: the two packaged models, the reference MLP answering.
assert picker.options == (REFERENCE_MLP, SOFTMAX_REGRESSION), picker.options
canvas.add_stroke([(140, 45), (140, 235)])
assert canvas.model is reference_mlp() and canvas.prediction == 1 and not canvas.from_logits

# The learner picks softmax regression: the canvas answers with it (logits, softmaxed for the bars).
picker.controls["choice"].value = SOFTMAX_REGRESSION
assert canvas.model is reference_softmax_regression() and canvas.from_logits, canvas.model

# An example file renamed .keras is one sentence naming the file in the work folder; the model stays.
np.savez(work_dir() / "digits.npz", images=np.zeros((1, 28, 28)), labels=np.array([1]))
(work_dir() / "digits.npz").rename(work_dir() / "digits.keras")
picker.controls["refresh"].click()
picker.controls["choice"].value = "digits"
assert picker.errors.message.startswith("Expected 'digits.keras' in your work folder"), picker.errors.message
assert str(work_dir()) not in picker.errors.value and picker.choice == SOFTMAX_REGRESSION
assert canvas.model is reference_softmax_regression()
assert "tensorflow" not in sys.modules, "the packaged models and a refused file must not import TensorFlow"

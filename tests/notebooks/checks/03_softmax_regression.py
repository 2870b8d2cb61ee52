import sys

import ipywidgets as widgets
import numpy as np

from nnteach._tf import import_keras
from nnteach.i18n import language
from nnteach.layers import CompileSpec
from nnteach.widgets import LayerStackBuilder, TrainingMonitor, WeightTemplates


def widgets_of(kind: type) -> list:
    """The lesson's widgets of one type, found in the namespace it left (not by variable name)."""
    return list({id(value): value for value in list(globals().values()) if isinstance(value, kind)}.values())


(shown_weights,) = widgets_of(WeightTemplates)
(stack,) = widgets_of(LayerStackBuilder)
(trainer,) = widgets_of(TrainingMonitor)
(accuracy_button,) = [
    value.widget
    for value in list(globals().values())
    if isinstance(getattr(value, "widget", None), widgets.interactive)
]

# The packaged softmax regression: logits out, softmax rows sum to 1, argmax right on the first 3.
assert logits.shape == (3, 10) and (logits < 0).any(), logits
assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
assert list(probabilities.argmax(axis=1)) == list(y_test[:3])
# scikit-learn and TensorFlow are imported only when the learner asks (they cost seconds of page load).
assert "sklearn" not in sys.modules and "tensorflow" not in sys.modules

# The oracle: Keras' own model.evaluate, on the real 10,000 MNIST test images, with the same weights.
keras = import_keras()
oracle = model.to_keras()
oracle.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
_, keras_accuracy = oracle.evaluate(x_test / 255.0, y_test, verbose=0, batch_size=1000)
by_hand = float(np.mean(predictions == y_test))
assert len(y_test) == 10_000 and abs(by_hand - keras_accuracy) < 1e-4, (by_hand, keras_accuracy)
assert 0.9 < by_hand < 0.95, by_hand  # softmax regression: about 92 %

# The button runs accuracy_two_ways on the packaged model (its printed line goes to the button's output).
assert accuracy_button.manual_button.description == "Check with accuracy_score and model.evaluate"
accuracy_button.f()

# Templates: the packaged model's first-layer weights; the builder holds a valid Dense(10) with logits.
assert shown_weights.model is model and (shown_weights.neurons, shown_weights.shown) == (10, 10)
assert trainer.state == "idle", trainer.state
assert stack.compile_spec.from_logits and not stack.problems, stack.problems
# Try it: without from_logits the builder explains the mistake, and taking it back clears it.
spec = stack.compile_spec
stack.compile_spec = CompileSpec(spec.optimizer, spec.learning_rate, spec.loss, from_logits=False)
assert stack.problems and (any("logits" in problem for problem in stack.problems) or language() != "en"), stack.problems
stack.compile_spec = spec
assert not stack.problems

# The learner trains (one small epoch here): the templates show the trained model's weights.
trainer.epochs, trainer.subset = 1, 1000
task = trainer.start()
assert task is not None, trainer.errors.message
await task  # noqa: F704, PLE1142 - the kernel (ipykernel) runs top-level await
assert trainer.state == "done", (trainer.state, trainer.errors.message)
assert shown_weights.model is trainer.model and shown_weights.title == "Weights of YOUR softmax regression"
kernel = trainer.model.layers[-1].get_weights()[0]
assert abs(shown_weights.limit - float(np.percentile(np.abs(kernel), 99))) < 1e-6
evaluated, scored = trainer.test_accuracy
assert abs(evaluated - scored) < 1e-4, trainer.test_accuracy

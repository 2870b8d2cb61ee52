import sys
from pathlib import Path

import nbformat
import numpy as np

from nnteach.evaluation import confusion_matrix
from nnteach.i18n import language
from nnteach.layers import Dense, Dropout
from nnteach.widgets import ConfusionMatrix, DigitGrid, LayerStackBuilder, TrainingMonitor


def widgets_of(kind: type) -> list:
    """The lesson's widgets of one type, found in the namespace it left (not by variable name)."""
    return list({id(value): value for value in list(globals().values()) if isinstance(value, kind)}.values())


(stack,) = widgets_of(LayerStackBuilder)
(trainer,) = widgets_of(TrainingMonitor)
(table,) = widgets_of(ConfusionMatrix)
grids = widgets_of(DigitGrid)

# The summary's arithmetic, as the lesson explains it; the builder shows the tutorials' MLP.
assert mlp.total_params == 101_770, mlp.total_params
assert [row.params for row in mlp.rows] == [0, 100_480, 0, 1_290], [row.params for row in mlp.rows]
assert stack.spec == PRESETS["mlp"] and stack.total_params == 101_770 and not stack.problems, stack.problems
assert summary(PRESETS["mlp_batchnorm"]).non_trainable_params == 1_568

# Nothing trains on page load, and the page never waited for TensorFlow (the Keras cell is
# tagged skip-execution: Voila and nbclient do not run it; JupyterLab does when the learner runs it).
assert trainer.state == "idle", trainer.state
assert "tensorflow" not in sys.modules, "lesson 4 must be interactive before TensorFlow is imported"

# The packaged MLP's grids: 100 predictions with their true labels, and 20 mistakes, most confident first.
(first_100,) = [grid for grid in grids if grid.count == 100]
(mistakes,) = [grid for grid in grids if grid.count == 20]
accuracy = float(np.mean(predictions == y_test))
assert accuracy > 0.97, accuracy
assert first_100.wrong_on_page == int(np.sum(predictions[:100] != y_test[:100]))
assert mistakes.wrong_on_page == 20 and np.all(np.diff(wrong.confidence) <= 0), "most confident mistakes first"
# The confusion matrix counts every test digit, with the right answers on the diagonal;
# the oracle is a plain NumPy count of (true, predicted) pairs.
counts = np.zeros((10, 10), dtype=int)
np.add.at(counts, (y_test, predictions), 1)
assert np.array_equal(np.array(table.counts), counts) and table.total == 10_000
assert table.correct == int(np.sum(predictions == y_test))
assert np.array_equal(confusion_matrix(y_test, predictions), counts)

# Try it, in the builder: a second Dense(128, relu) adds 128·128 + 128 parameters; a Dropout
# rate of 1.0 is explained (every neuron switched off), and the preset brings the MLP back.
stack.add_layer(Dense(128, "relu"), 2)
assert stack.total_params == 101_770 + 128 * 128 + 128 and not stack.problems, stack.problems
stack.load_preset("mlp")
stack.replace_layer(2, Dropout(1.0))
assert stack.problems and (
    any("1.0" in problem or "rate" in problem for problem in stack.problems) or language() != "en"
)
stack.load_preset("mlp")
assert stack.spec == PRESETS["mlp"] and not stack.problems

# In JupyterLab: the learner runs the Keras cell. The builder then shows that model, with
# Keras' own parameter count; an edited cell (64 neurons) shows the edit.
lesson = nbformat.read(Path("04_multilayer_perceptron.ipynb"), as_version=4)
(keras_cell,) = [cell.source for cell in lesson.cells if "skip-execution" in cell.metadata.get("tags", [])]
exec(keras_cell)  # noqa: S102 - the cell a learner runs in JupyterLab
assert stack.spec == PRESETS["mlp"] and stack.total_params == model.count_params() == 101_770
exec(keras_cell.replace("Dense(128", "Dense(64"))  # noqa: S102 - the learner's edit
assert stack.total_params == model.count_params() == 784 * 64 + 64 + 64 * 10 + 10, stack.total_params
assert not stack.problems, stack.problems

# ...and Start trains it (one small epoch here): the trained model is the edited architecture.
trainer.epochs, trainer.subset = 1, 1000
task = trainer.start()
assert task is not None, trainer.errors.message
await task  # noqa: F704, PLE1142 - the kernel (ipykernel) runs top-level await
assert trainer.state == "done", (trainer.state, trainer.errors.message)
assert trainer.model.count_params() == model.count_params()
assert [layer.__class__.__name__ for layer in trainer.model.layers] == [
    layer.__class__.__name__ for layer in model.layers
]

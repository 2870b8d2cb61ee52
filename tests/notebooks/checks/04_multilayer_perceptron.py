import sys

import numpy as np

# The summary's arithmetic, as the lesson explains it.
assert mlp.total_params == 101_770, mlp.total_params
assert [row.params for row in mlp.rows] == [0, 100_480, 0, 1_290], [row.params for row in mlp.rows]
assert builder.spec == PRESETS["mlp"] and not builder.problems, builder.problems
assert summary(PRESETS["mlp_batchnorm"]).non_trainable_params == 1_568

# Nothing trains on page load, and the page never waited for TensorFlow.
assert monitor.state == "idle", monitor.state
assert "tensorflow" not in sys.modules, "lesson 4 must be interactive before TensorFlow is imported"

# The packaged MLP's predictions, mistakes and confusion matrix agree with each other.
accuracy = float(np.mean(predictions == y_test))
assert accuracy > 0.97, accuracy
assert len(wrong) == 20 and np.all(wrong.predictions != wrong.labels)
assert np.all(np.diff(wrong.confidence) <= 0), "most confident mistakes first"
assert matrix.sum() == 10_000 and np.trace(matrix) == int(np.sum(predictions == y_test))
assert isinstance(prediction_grid, DigitGrid) and isinstance(wrong_grid, DigitGrid)

import numpy as np

# The packaged softmax regression: logits out, softmax rows sum to 1, argmax right on the first 3.
assert logits.shape == (3, 10) and (logits < 0).any(), logits
assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
assert list(probabilities.argmax(axis=1)) == list(y_test[:3])
score = float(np.mean(predictions == y_test))
assert abs(score - model.metadata["test_accuracy"]) < 1e-3, score
assert templates.value[:4] == b"\x89PNG"

# scikit-learn is imported only when the learner asks for accuracy_score (it costs ~1 s of page load).
assert "sklearn" not in __import__("sys").modules

# Nothing trained on page load; the builder holds a valid Dense(10) with from_logits=True.
assert monitor.state == "idle", monitor.state
assert builder.spec == PRESETS["softmax_regression"] and builder.compile_spec.from_logits
assert not builder.problems, builder.problems

# The button checks accuracy with Keras' model.evaluate: it agrees with accuracy_score.
check_with_keras()
assert evaluate_errors.message == "", evaluate_errors.message
evaluated, scored = results["two_ways"]
assert abs(evaluated - scored) < 1e-4 and abs(scored - score) < 1e-9, (evaluated, scored, score)
assert "model.evaluate:" in evaluate_result.value

# The learner trains (tiny under NNTEACH_QUICK): the trained model replaces the packaged one.
assert templates.figure.get_suptitle() == "Weights of the packaged softmax regression"
task = monitor.start()
assert task is not None, monitor.errors.message
await task  # noqa: F704, PLE1142 - the kernel (ipykernel) runs top-level await
assert monitor.state == "done", (monitor.state, monitor.errors.message)
assert results["trained_model"] is monitor.model
assert templates.figure.get_suptitle() == "Weights of YOUR softmax regression"
check_with_keras()
mine_evaluated, mine_scored = results["two_ways"]
assert abs(mine_evaluated - mine_scored) < 1e-4 and (mine_evaluated, mine_scored) != (evaluated, scored)

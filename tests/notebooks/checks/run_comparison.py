import sys

assert "tensorflow" not in sys.modules, "showing the comparison must not import TensorFlow"
assert comparison.run_names == ()
await comparison.run_experiment(rates=(0.0, 0.5), epochs=1, subset=300)  # noqa: F704, PLE1142
assert comparison.state == "done", comparison.errors.message
assert comparison.run_names == ("rate=0", "rate=0.5")
assert all(len(run.history) == 4 for run in comparison.runs)

import numpy as np

# The packaged experiment is shown at once: five rates, four curves, val_loss picked.
assert packaged_log.names == ["rate=0", "rate=0.2", "rate=0.4", "rate=0.6", "rate=0.8"], packaged_log.names
assert all(sorted(run.history) == ["accuracy", "loss", "val_accuracy", "val_loss"] for run in packaged_log)
no_dropout = np.array(packaged_log["rate=0"].history["val_loss"])
assert no_dropout[-1] > no_dropout.min() * 1.2, "overfitting: without dropout val_loss turns upward"
assert comparison.metric == "val_loss" and list(comparison.run_names) == packaged_log.names
assert comparison.state == "idle" and mine.state == "idle", "nothing trains on page load"

# The settings drive the learner's comparison; the full one is the tutorials' 100 epochs.
setting.value = "full"
assert (mine.epochs_box.value, mine.subset_box.value) == (100, 60_000)
setting.value = "quick"
assert (mine.epochs_box.value, mine.subset_box.value) == (SETTINGS["quick"]["epochs"], SETTINGS["quick"]["subset"])

# Saving before running says what to do; the quick run (tiny under NNTEACH_QUICK) fills the
# comparison with five runs, which round-trip through a file in the work folder.
save_log()
assert "run the experiment first" in log_errors.message, log_errors.message
task = mine.run_experiment()
assert task is not None, mine.errors.message
await task  # noqa: F704, PLE1142 - the kernel (ipykernel) runs top-level await
assert mine.state == "done", (mine.state, mine.errors.message)
assert len(mine.runs) == 5 and all(len(run.history["val_loss"]) == 1 for run in mine.runs)
save_log()
assert log_errors.message == "" and "Saved to dropout homework.json" in log_status.value, log_status.value
names = list(mine.runs.names)
mine.runs.clear()
load_log()
assert list(mine.runs.names) == names and list(mine.run_names) == names, mine.run_names
log_name.value = "../outside"
load_log()
assert "not allowed" in log_errors.message, log_errors.message

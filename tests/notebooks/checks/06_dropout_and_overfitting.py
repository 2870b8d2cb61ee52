import numpy as np

# The packaged full experiment is shown at once: five rates, four curves, val_loss picked.
assert packaged_log.names == ["rate=0", "rate=0.2", "rate=0.4", "rate=0.6", "rate=0.8"], packaged_log.names
assert all(sorted(run.history) == ["accuracy", "loss", "val_accuracy", "val_loss"] for run in packaged_log)
no_dropout = np.array(packaged_log["rate=0"].history["val_loss"])
assert no_dropout[-1] > no_dropout.min() * 1.2, "overfitting: without dropout val_loss turns upward"
assert comparison.metric == "val_loss"
assert setting.value == "quick" and SETTINGS["full"]["epochs"] == 100 and SETTINGS["full"]["subset"] is None

# Saving before running says what to do; the quick experiment (tiny under NNTEACH_QUICK) then
# fills the comparison with five fresh runs, which round-trip through a file in the work folder.
save_log()
assert "press Run first" in experiment_errors.message, experiment_errors.message
experiment_errors.clear()
run_experiment()
assert run_button.disabled and not stop_button.disabled, "Run is disabled while training"
await running["task"]  # noqa: F704, PLE1142 - the kernel (ipykernel) runs top-level await
assert experiment_errors.message == "", experiment_errors.message
assert "Done: 5 runs" in experiment_status.value and not run_button.disabled
assert len(logs["mine"]) == 5 and all(len(run.history["val_loss"]) == 1 for run in logs["mine"])
save_log()
saved = logs.pop("mine")
load_log()
assert logs["mine"].names == saved.names and experiment_errors.message == ""
log_name.value = "../outside"
load_log()
assert "not allowed" in experiment_errors.message, experiment_errors.message

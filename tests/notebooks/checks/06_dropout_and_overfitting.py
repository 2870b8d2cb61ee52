import numpy as np

from nnteach.i18n import language
from nnteach.widgets import RunComparison, RunLogFiles


def widgets_of(kind: type) -> list:
    """The lesson's widgets of one type, found in the namespace it left (not by variable name)."""
    return list({id(value): value for value in list(globals().values()) if isinstance(value, kind)}.values())


comparisons = widgets_of(RunComparison)
(shown,) = [view for view in comparisons if not view.can_run]  # the packaged, read-only one
(yours,) = [view for view in comparisons if view.can_run]
(files,) = widgets_of(RunLogFiles)
assert files.comparison is yours

# The packaged experiment is shown at once: five rates, four curves, val_loss picked.
assert packaged_log.names == ["rate=0", "rate=0.2", "rate=0.4", "rate=0.6", "rate=0.8"], packaged_log.names
assert all(sorted(run.history) == ["accuracy", "loss", "val_accuracy", "val_loss"] for run in packaged_log)
assert len(packaged_log["rate=0"].history["val_loss"]) == 100, "the packaged curves are the 100-epoch runs"
no_dropout = np.array(packaged_log["rate=0"].history["val_loss"])
assert no_dropout[-1] > no_dropout.min() * 1.2, "overfitting: without dropout val_loss turns upward"
assert shown.metric == "val_loss" and list(shown.run_names) == packaged_log.names
assert shown.state == "idle" and yours.state == "idle", "nothing trains on page load"
assert (yours.epochs, yours.subset) == (5, 5000), "the quick setting the lesson describes"

# Saving before running says what to do; a tiny run fills the learner's comparison with five
# runs, which round-trip through a file in the work folder. The packaged curves stay.
english = language() == "en"  # a lessons/ja or lessons/de run: the widgets speak the folder's language
files.controls["save"].click()
assert files.errors.message and ("run the experiment first" in files.errors.message or not english)
task = yours.run_experiment(epochs=1, subset=500)
assert task is not None, yours.errors.message
await task  # noqa: F704, PLE1142 - the kernel (ipykernel) runs top-level await
assert yours.state == "done", (yours.state, yours.errors.message)
assert len(yours.runs) == 5 and all(len(run.history["val_loss"]) == 1 for run in yours.runs)
assert list(shown.run_names) == packaged_log.names and len(shown.runs["rate=0"].history["val_loss"]) == 100
files.controls["save"].click()
assert files.errors.message == "" and "dropout homework.json" in files.status, files.status
assert "Saved to dropout homework.json" in files.status or not english, files.status
names = list(yours.run_names)
files.controls["load"].click()
assert list(yours.run_names) == names and "5" in files.status and ("Loaded 5 runs" in files.status or not english)
files.controls["name"].value = "../outside"
files.controls["load"].click()
assert files.errors.message and ("not allowed" in files.errors.message or not english), files.errors.message

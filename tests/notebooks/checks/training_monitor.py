import asyncio
import sys

assert "tensorflow" not in sys.modules, "showing the monitor must not import TensorFlow"
assert monitor.state == "idle"
assert (monitor.epochs, monitor.subset) == (5, 10_000)
monitor.epochs_box.value = "1"  # as the learner types: one epoch on 2,000 images keeps the check quick
monitor.subset = 2000
task = monitor.start()
assert isinstance(task, asyncio.Task), "in a kernel, training runs as a task on the running event loop"
assert (monitor.state, monitor.progress) == ("loading", "Loading Keras…"), "said at once, before Keras loads"
assert monitor.start_button.disabled
await task  # noqa: F704, PLE1142 - top-level await in the notebook kernel
assert monitor.state == "done", monitor.errors.message
assert monitor.epoch == 1
assert sorted(monitor.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
assert abs(monitor.test_accuracy[0] - monitor.test_accuracy[1]) <= 1e-4
assert monitor.mistakes.count > 0
assert monitor.confusion.total == 10_000
assert monitor.confusion.correct == round(monitor.test_accuracy[1] * 10_000)

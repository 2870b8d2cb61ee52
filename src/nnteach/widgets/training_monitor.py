"""``TrainingMonitor``: train on MNIST while watching the curves, stop any time, see the mistakes.

Start trains batch by batch as an asyncio task on the kernel's event loop, so the Stop
button is handled between two batches, in JupyterLab and in Voila. Progress bars show the
epoch and the whole run with the time left; the loss and accuracy curves (training and
validation) are redrawn in one reused figure. Afterwards the test accuracy is shown two ways
(``model.evaluate`` and ``accuracy_score``), with the confusion matrix and the most confident
mistakes. "Save model" writes a ``.keras`` file to the learner's work folder.

Example:
    >>> from nnteach.widgets import TrainingMonitor
    >>> monitor = TrainingMonitor(epochs=2, subset=2000)
    >>> monitor.state, monitor.epoch, monitor.history
    ('idle', 0, {})
"""

from __future__ import annotations

import asyncio
import html
import time
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach.evaluation import accuracy_two_ways, confusion_matrix, misclassified, predict_probabilities
from nnteach.hosting import HostedLimits, cap_message, hosted_limits
from nnteach.training import MAX_BATCH_SIZE, MAX_EPOCHS, MNIST_TRAIN_SIZE, Mnist, RunLog, TrainingRun, seed_mlp
from nnteach.widgets._parts import STYLE_CSS, ErrorArea, PlotImage
from nnteach.widgets.digit_grid import DigitGrid

__all__ = ["TrainingMonitor"]

# Drawing the curves may take at most this share of the training time (the rest is learning).
_PLOT_SHARE = 0.05
_PROGRESS_SECONDS = 0.1


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "…"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _is_builder(source: object) -> bool:
    # dir(), not hasattr(): reading `model` would build one
    return "spec" in dir(source) and "model" in dir(source) and "train_on_batch" not in dir(source)


class TrainingMonitor(widgets.VBox):
    """Start / Stop training of a Keras model on MNIST with live curves and an evaluation afterwards.

    ``model`` is a compiled Keras model (training continues from its weights), a
    ``LayerStackBuilder`` (each Start trains a fresh ``builder.model``), or None (each Start
    trains a fresh seed MLP). Finished runs are added to ``runs`` (a ``RunLog``) for
    ``RunComparison``. Traits: ``state`` ("idle", "training", "stopping", "done", "error"),
    ``epoch`` (epochs finished), ``history`` (Keras' ``History.history`` of the last run),
    ``epochs``, ``batch_size``, ``subset``, ``seed`` (the controls), ``test_accuracy``
    (evaluate, accuracy_score) after a run. ``monitor.model`` is the model trained last, ready
    for ``DigitCanvas(model=monitor.model)``. On a class server (``NNTEACH_HOSTED=1``) the
    controls stop at ``nnteach.hosting.hosted_limits()``, a note shows those caps, and a value
    set over a cap is lowered to it with one sentence in the error area.

    Example:
        >>> monitor = TrainingMonitor(epochs=2, subset=2000)  # doctest: +SKIP
        >>> task = monitor.start()  # in Jupyter: returns at once, training goes on  # doctest: +SKIP
        >>> monitor.stop()  # doctest: +SKIP
    """

    state = traitlets.Unicode("idle", help='"idle", "training", "stopping", "done" or "error".').tag(sync=True)
    epoch = traitlets.Int(0, help="Epochs finished in the current run.").tag(sync=True)
    history = traitlets.Dict(help="Per-epoch loss, accuracy, val_loss, val_accuracy of the last run.").tag(sync=True)
    epochs = traitlets.Int(5, help="Epochs to train.")
    batch_size = traitlets.Int(32, help="Images per batch.")
    subset = traitlets.Int(MNIST_TRAIN_SIZE, help="How many training images to use (the first n of 60,000).")
    seed = traitlets.Int(0, help="Random seed (initial weights, shuffling, dropout).")
    plot_every = traitlets.Int(50, help="Redraw the curves every this many batches (and after every epoch).")
    test_accuracy = traitlets.Tuple(help="(model.evaluate accuracy, accuracy_score) after the last run.")

    def __init__(
        self,
        model: Any = None,
        runs: RunLog | None = None,
        *,
        epochs: int = 5,
        batch_size: int = 32,
        subset: int = MNIST_TRAIN_SIZE,
        seed: int = 0,
        plot_every: int = 50,
        data: Mnist | None = None,
    ) -> None:
        super().__init__()
        self.add_class("nnteach-training-monitor")
        self.source = model
        self.runs = runs if runs is not None else RunLog()
        self.run: TrainingRun | None = None
        self.task: asyncio.Task[None] | None = None
        self._model: Any = model if hasattr(model, "train_on_batch") else None
        self.limits: HostedLimits | None = hosted_limits()
        if self.limits is not None and subset == MNIST_TRAIN_SIZE:  # "all images" means the cap
            subset = self.limits.max_subset
        self._data = data
        self._last_plot = 0.0
        self._plot_cost = 0.0
        self._last_progress = 0.0
        self._build_controls()
        self._build_views()
        with self.hold_trait_notifications():
            self.epochs, self.batch_size, self.subset, self.seed = epochs, batch_size, subset, seed
            self.plot_every = plot_every
        self._show_state()

    # -- layout -----------------------------------------------------------------------------
    def _build_controls(self) -> None:
        short = widgets.Layout(width="13em")
        style = {"description_width": "6em"}
        caps = self.limits or HostedLimits(MAX_EPOCHS, MNIST_TRAIN_SIZE, MAX_BATCH_SIZE)
        self.epochs_box = widgets.BoundedIntText(
            min=1, max=caps.max_epochs, description="Epochs", layout=short, style=style
        )
        self.batch_box = widgets.BoundedIntText(
            min=1, max=caps.max_batch_size, description="Batch size", layout=short, style=style
        )
        self.subset_box = widgets.BoundedIntText(
            min=100, max=caps.max_subset, step=1000, description="Images", layout=short, style=style
        )
        self.limits_note = widgets.HTML(
            f"<span class='nnteach-note'>{self.limits.describe()}</span>" if self.limits else ""
        )
        self.limits_note.add_class("nnteach-train-limits")
        self.seed_box = widgets.BoundedIntText(min=0, max=2**31 - 1, description="Seed", layout=short, style=style)
        for box, name in ((self.epochs_box, "epochs"), (self.batch_box, "batch_size"), (self.subset_box, "subset")):
            box.add_class(f"nnteach-train-{name.replace('_', '-')}")
            widgets.link((box, "value"), (self, name))
        widgets.link((self.seed_box, "value"), (self, "seed"))
        self.start_button = widgets.Button(description="Start", button_style="success", icon="play")
        self.start_button.add_class("nnteach-train-start")
        self.stop_button = widgets.Button(description="Stop", button_style="danger", icon="stop", disabled=True)
        self.stop_button.add_class("nnteach-train-stop")
        self.start_button.on_click(lambda _button: self.start())
        self.stop_button.on_click(lambda _button: self.stop())
        self.name_box = widgets.Text(placeholder="a name, e.g. my first mlp", layout=widgets.Layout(width="16em"))
        self.name_box.add_class("nnteach-train-save-name")
        self.save_button = widgets.Button(description="Save model", icon="save")
        self.save_button.add_class("nnteach-train-save")
        self.save_button.on_click(lambda _button: self._on_save())
        self.save_status = widgets.HTML()
        self.save_status.add_class("nnteach-train-save-status")

    def _build_views(self) -> None:
        self.state_label = widgets.HTML()
        self.state_label.add_class("nnteach-train-state")
        self.progress_label = widgets.HTML()
        self.progress_label.add_class("nnteach-train-progress")
        self.epoch_bar = widgets.IntProgress(value=0, min=0, max=1, description="Epoch", layout={"width": "32em"})
        self.overall_bar = widgets.IntProgress(value=0, min=0, max=1, description="All", layout={"width": "32em"})
        self.curves = PlotImage(width_inches=8, height_inches=3)
        self.curves.add_class("nnteach-train-curves")
        self._setup_curves()
        self.results = widgets.HTML()
        self.results.add_class("nnteach-train-results")
        self.confusion = PlotImage(width_inches=4.6, height_inches=4)
        self.confusion.add_class("nnteach-train-confusion")
        self.confusion.layout.display = "none"
        self.mistakes = DigitGrid(rows=2, columns=10, title="Most confident mistakes")
        self.mistakes.layout.display = "none"
        self.errors = ErrorArea()
        controls = widgets.HBox([self.epochs_box, self.batch_box, self.subset_box, self.seed_box])
        buttons = widgets.HBox([self.start_button, self.stop_button, self.state_label])
        saving = widgets.HBox([self.name_box, self.save_button, self.save_status])
        self.children = (
            widgets.HTML(STYLE_CSS),
            controls,
            self.limits_note,
            buttons,
            self.errors,
            self.epoch_bar,
            self.overall_bar,
            self.progress_label,
            self.curves,
            self.results,
            widgets.HBox([self.confusion]),
            self.mistakes,
            saving,
        )

    def _setup_curves(self) -> None:
        figure = self.curves.figure
        self._loss_axes, self._accuracy_axes = figure.subplots(1, 2)
        self._lines: dict[str, Any] = {}
        for axes, metric, label in ((self._loss_axes, "loss", "loss"), (self._accuracy_axes, "accuracy", "accuracy")):
            (self._lines[f"batch_{metric}"],) = axes.plot([], [], color="#90a4ae", lw=0.8, label="training (running)")
            (self._lines[metric],) = axes.plot([], [], "o-", color="#1565c0", label="training, per epoch")
            (self._lines[f"val_{metric}"],) = axes.plot([], [], "s--", color="#e65100", label="validation (test set)")
            axes.set_xlabel("epoch")
            axes.set_title(label)
            axes.grid(alpha=0.3)
        self._accuracy_axes.legend(loc="lower right", fontsize=8)
        self.curves.refresh()

    @traitlets.validate("epochs", "batch_size", "subset")
    def _within_hosted_caps(self, proposal: Any) -> int:
        value = int(proposal["value"])
        name = proposal["trait"].name
        if self.limits is None or value <= self.limits.cap(name):
            return value
        cap = self.limits.cap(name)
        if hasattr(self, "errors"):
            self.errors.show(f"{cap_message(name, value, cap)} This run uses {cap:,}.")
        return cap

    # -- public API -------------------------------------------------------------------------
    @property
    def model(self) -> Any:
        """The Keras model trained last (or the one given), None before the first Start."""
        return self._model

    def start(self) -> asyncio.Task[None] | None:
        """Start training: a task on the running event loop (Jupyter), or blocking without one."""
        if self.state in ("training", "stopping"):
            return self.task
        run = None
        with self.errors.guard("Training could not start.", on_error=lambda: self._set_state("error")):
            self.errors.clear()
            self.save_status.value = ""
            run = self._new_run()
        if run is None:
            return None
        self.run = run
        self._reset_views(run)
        self._set_state("training")
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._train_blocking(run)
            return None
        self.task = loop.create_task(self._train_async(run))
        return self.task

    def stop(self) -> None:
        """Stop after the current batch; the weights and the history so far are kept."""
        if self.run is not None and self.state == "training":
            self.run.stop()
            self._set_state("stopping")

    def save(self, name: str) -> str:
        """Save the trained model as ``<name>.keras`` in the work folder; returns the file name."""
        from nnteach.models import save_model

        if self.state in ("training", "stopping"):
            raise ValueError("The model is still training. Press Stop or wait until it is done, then save.")
        if self._model is None:
            raise ValueError("There is no trained model yet. Press Start first, then save.")
        path = save_model(self._model, name)
        return path.name

    # -- training ---------------------------------------------------------------------------
    def _new_run(self) -> TrainingRun:
        from nnteach._tf import import_keras

        keras = import_keras()
        if _is_builder(self.source):
            keras.utils.set_random_seed(self.seed)
            model = self.source.model
        elif self.source is None:
            model = seed_mlp(seed=self.seed)
        else:
            model = self.source
        run = TrainingRun(
            model,
            epochs=self.epochs,
            batch_size=self.batch_size,
            subset=self.subset,
            seed=self.seed,
            data=self._load_data(),
            on_batch=self._on_batch,
            on_epoch=self._on_epoch,
        )
        self._model = model
        return run

    def _load_data(self) -> Mnist:
        if self._data is None:
            from nnteach.data import load_mnist

            self._data = load_mnist()
        return self._data

    async def _train_async(self, run: TrainingRun) -> None:
        with self.errors.guard("Training stopped because of an error.", on_error=lambda: self._set_state("error")):
            await run.run_async()
            self._finish(run)
        self._show_state()

    def _train_blocking(self, run: TrainingRun) -> None:
        with self.errors.guard("Training stopped because of an error.", on_error=lambda: self._set_state("error")):
            run.run()
            self._finish(run)
        self._show_state()

    def _finish(self, run: TrainingRun) -> None:
        self._draw_curves(run)
        self._show_progress(run)
        if run.history:
            self.runs.add(
                f"run {len(self.runs) + 1} (batch {run.batch_size}, {run.subset or 60000:,} images)",
                run.settings,
                run.history,
            )
            self._evaluate(run)
        self._set_state("done")

    def _evaluate(self, run: TrainingRun) -> None:
        _, (x_test, y_test) = self._load_data()
        evaluated, scored = accuracy_two_ways(run.model, x_test, y_test)
        self.test_accuracy = (evaluated, scored)
        probabilities = predict_probabilities(run.model, x_test)
        predicted = probabilities.argmax(axis=1)
        matrix = confusion_matrix(y_test, predicted)
        self._draw_confusion(matrix)
        mistakes = misclassified(x_test, y_test, probabilities)
        self.mistakes.set_data(mistakes.images, mistakes.labels, mistakes.probabilities)
        self.mistakes.title = f"{len(mistakes):,} mistakes, most confident first"
        self.mistakes.layout.display = ""
        stopped = f"Stopped after {run.epoch} of {run.epochs} epochs. " if run.stopped else ""
        self.results.value = (
            f"<div class='nnteach-note nnteach-scale'>{stopped}Test accuracy on {len(y_test):,} images: "
            f"<b>{evaluated:.2%}</b> with <code>model.evaluate</code>, <b>{scored:.2%}</b> with "
            f"<code>accuracy_score(y_test, argmax(model.predict(x_test)))</code>.</div>"
        )

    def _on_batch(self, run: TrainingRun) -> None:
        now = time.perf_counter()
        if now - self._last_progress >= _PROGRESS_SECONDS or run.batch == run.batches_per_epoch:
            self._last_progress = now
            self._show_progress(run)
        due = run.batches_done % max(self.plot_every, 1) == 0
        if due and now - self._last_plot >= self._plot_cost / _PLOT_SHARE:
            self._draw_curves(run)

    def _on_epoch(self, run: TrainingRun) -> None:
        self.history = {name: list(values) for name, values in run.history.items()}
        self.epoch = run.epoch
        self._show_progress(run)
        self._draw_curves(run)

    # -- views ------------------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.state = state

    @traitlets.observe("state")
    def _on_state(self, _change: dict[str, Any]) -> None:
        if hasattr(self, "state_label"):
            self._show_state()

    def _show_state(self) -> None:
        busy = self.state in ("training", "stopping")
        self.start_button.disabled = busy
        self.stop_button.disabled = self.state != "training"
        self.save_button.disabled = busy
        for box in (self.epochs_box, self.batch_box, self.subset_box, self.seed_box):
            box.disabled = busy
        self.state_label.value = f"<span class='nnteach-note'>State: <b>{self.state}</b></span>"

    def _reset_views(self, run: TrainingRun) -> None:
        self.history = {}
        self.epoch = 0
        self.test_accuracy = ()
        self.results.value = ""
        self.confusion.layout.display = "none"
        self.mistakes.layout.display = "none"
        self._last_plot = self._last_progress = 0.0
        n = run.subset or MNIST_TRAIN_SIZE
        per_epoch = -(-n // run.batch_size)
        self.epoch_bar.max = per_epoch
        self.overall_bar.max = per_epoch * run.epochs
        self.epoch_bar.value = self.overall_bar.value = 0
        self.progress_label.value = "<span class='nnteach-note'>Starting…</span>"
        self._draw_curves(run)

    def _show_progress(self, run: TrainingRun) -> None:
        with self.hold_sync():
            self.epoch_bar.max = max(run.batches_per_epoch, 1)
            self.overall_bar.max = max(run.total_batches, 1)
            self.epoch_bar.value = min(run.batch, self.epoch_bar.max)
            self.overall_bar.value = min(run.batches_done, self.overall_bar.max)
        current = min(run.epoch + 1, run.epochs) if run.batch < run.batches_per_epoch else run.epoch
        loss = run.batch_history["loss"][-1] if run.batch_history["loss"] else None
        loss_text = f" · loss {loss:.4f}" if loss is not None else ""
        left = "done" if run.state == "done" else f"{_clock(run.seconds_left)} left"
        self.progress_label.value = (
            f"<span class='nnteach-note'>Epoch {current} of {run.epochs} · batch {run.batch:,} of "
            f"{run.batches_per_epoch:,}{loss_text} · {_clock(run.elapsed)} elapsed, {left}</span>"
        )

    def _draw_curves(self, run: TrainingRun) -> None:
        started = time.perf_counter()
        per_epoch = max(run.batches_per_epoch, 1)
        for metric in ("loss", "accuracy"):
            batch_values = np.asarray(run.batch_history[metric], dtype=np.float64)
            positions = np.arange(1, len(batch_values) + 1) / per_epoch
            breaks = np.arange(per_epoch, len(batch_values), per_epoch)  # running means restart each epoch
            self._lines[f"batch_{metric}"].set_data(
                np.insert(positions, breaks, np.nan), np.insert(batch_values, breaks, np.nan)
            )
            for name in (metric, f"val_{metric}"):
                values = run.history.get(name, [])
                self._lines[name].set_data(np.arange(1, len(values) + 1), values)
        for axes in (self._loss_axes, self._accuracy_axes):
            axes.relim()
            axes.autoscale_view()
            axes.set_xlim(0, max(run.epochs, 1) + 0.05)
        recent = run.batch_history["accuracy"][-per_epoch // 2 :]
        low = min([*recent, *run.history.get("accuracy", []), *run.history.get("val_accuracy", []), 0.9])
        self._accuracy_axes.set_ylim(max(0.0, low - 0.02) if np.isfinite(low) else 0.0, 1.0)
        self.curves.refresh()
        self._last_plot = time.perf_counter()
        self._plot_cost = self._last_plot - started

    def _draw_confusion(self, matrix: np.ndarray[Any, Any]) -> None:
        figure = self.confusion.figure
        figure.clear()
        axes = figure.add_subplot()
        axes.imshow(matrix, cmap="Blues")
        threshold = matrix.max() / 2 if matrix.size else 0
        for (row, column), count in np.ndenumerate(matrix):
            color = "white" if count > threshold else "black"
            axes.text(column, row, str(count), ha="center", va="center", fontsize=7, color=color)
        axes.set_xticks(range(10))
        axes.set_yticks(range(10))
        axes.set_xlabel("predicted digit")
        axes.set_ylabel("true digit")
        axes.set_title("Confusion matrix (test set)")
        self.confusion.refresh()
        self.confusion.layout.display = ""

    def _on_save(self) -> None:
        with self.errors.guard("The model could not be saved."):
            self.errors.clear()
            name = self.save(self.name_box.value)
            self.save_status.value = f"<span class='nnteach-note'>Saved as <b>{html.escape(name)}</b>.</span>"

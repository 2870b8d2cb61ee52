"""``TrainingMonitor``: train on MNIST while watching the curves, stop any time, see the mistakes.

Start shows "Loading Keras…" at once, then trains batch by batch as an asyncio task on the
kernel's event loop (``widgets._long_work``), so the Stop button is handled before the next
batch, in JupyterLab and in Voila. Progress bars show the epoch and the whole run (the time
left once a few batches have shown the speed); the loss and accuracy curves are redrawn in one
reused figure. Afterwards ("Measuring test accuracy…") the test accuracy is shown two ways
(``model.evaluate`` and ``accuracy_score``), with the confusion matrix and the most confident
mistakes. "Save model" writes a ``.keras`` file to the learner's work folder.

Example:
    >>> from nnteach.widgets import TrainingMonitor
    >>> monitor = TrainingMonitor(epochs=2, subset=2000)
    >>> monitor.state, monitor.epoch, monitor.history
    ('idle', 0, {})
    >>> monitor.close()
"""

from __future__ import annotations

import asyncio
import html
import time
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach.curves import training_curves
from nnteach.divergence import divergence_sentence
from nnteach.evaluation import accuracy_sentence, accuracy_two_ways, misclassified, predict_probabilities
from nnteach.i18n import _
from nnteach.predictors import PIXEL_SCALE_ATTRIBUTE
from nnteach.progress import RunProgress, batches_per_epoch
from nnteach.training import MNIST_TRAIN_SIZE, Mnist, RunLog, TrainingRun, seed_mlp
from nnteach.widgets import _live_plot
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget, hold
from nnteach.widgets._canvas_compat import deprecated_alias
from nnteach.widgets._long_work import LongWork, progress_trait, state_trait
from nnteach.widgets._monitor_plots import CurvesPlot, LiveCurvesPlot
from nnteach.widgets._monitor_sources import fresh_model as _fresh_model
from nnteach.widgets._monitor_sources import is_builder as _is_builder
from nnteach.widgets._monitor_sources import learning_rate as _learning_rate
from nnteach.widgets._monitor_sources import send_run as _send_run
from nnteach.widgets.confusion_matrix import ConfusionMatrix
from nnteach.widgets.digit_grid import DigitGrid
from nnteach.widgets.share_row import ShareRow

__all__ = ["TrainingMonitor"]


# Drawing the curves may take at most this share of the training time (the rest is learning).
_PLOT_SHARE = 0.05
_PROGRESS_SECONDS = 0.1


class TrainingMonitor(NNTeachWidget):
    """Start / Stop training of a Keras model on MNIST with live curves and an evaluation afterwards.

    ``model`` (the constructor argument) is a compiled Keras model (training continues from its
    weights), a builder such as ``LayerStackBuilder`` (each Start trains a fresh
    ``build_model()``), or None (each Start trains a fresh seed MLP). The ``model`` trait is the
    model trained last (or the one given), so ``dlink((monitor, "model"), (canvas, "model"))``
    hands it on. Finished runs are added to ``runs`` (a ``RunLog``) for ``RunComparison``. On a
    class server (``NNTEACH_HOSTED=1``) the controls stop at ``nnteach.hosting.hosted_limits()``,
    a note shows those caps, and a value set over a cap is lowered to it with one sentence.

    Stable parts (for lessons and tests): ``start_button``, ``stop_button``, ``epochs_box``,
    ``batch_box``, ``subset_box``, ``seed_box``, ``limits_note``, ``name_box``, ``save_button``, ``replace_button``, ``curves`` (the
    plot), ``confusion`` (a :class:`ConfusionMatrix`) and ``mistakes`` (a :class:`DigitGrid`).

    Example:
        >>> monitor = TrainingMonitor(epochs=2, subset=2000)  # doctest: +SKIP
        >>> task = monitor.start()  # in Jupyter: returns at once, training goes on  # doctest: +SKIP
        >>> monitor.stop()  # doctest: +SKIP
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("epochs", "batch_size", "subset", "seed")

    state = state_trait()
    progress = progress_trait()
    epoch = traitlets.Int(
        0, read_only=True, help="Epochs finished in the current run (a stopped, partial one counts)."
    ).tag(sync=True)
    history = traitlets.Dict(
        read_only=True, help="Per-epoch loss, accuracy, val_loss, val_accuracy of the last run (Keras' History)."
    ).tag(sync=True)
    epochs = traitlets.Int(5, help="Epochs to train.")
    batch_size = traitlets.Int(32, help="Images per batch.")
    subset = traitlets.Int(MNIST_TRAIN_SIZE, help="How many training images to use (the first n of 60,000).")
    seed = traitlets.Int(0, help="Random seed (initial weights, shuffling, dropout).")
    plot_every = traitlets.Int(50, help="Redraw the curves every this many batches (and after every epoch).")
    test_accuracy = traitlets.Tuple(
        read_only=True, help="(model.evaluate accuracy, accuracy_score) after the last run."
    )
    model = traitlets.Any(None, read_only=True, help="The Keras model trained last (or the one given); None before.")
    outcome = traitlets.Unicode(
        "", read_only=True, help="What the last run did, in sentences (where it stopped, accuracy)."
    )
    saved_as = traitlets.Unicode("", read_only=True, help="The file the model was saved to last ('' before saving).")
    runs = traitlets.Instance(RunLog, help="Every finished run, for RunComparison.")
    source = traitlets.Any(
        None, help="What Start trains: a compiled Keras model, a builder (build_model()), or None for the seed MLP."
    )

    # Old child-widget names: still working, with a DeprecationWarning naming the trait to read.
    state_label = deprecated_alias("state", lambda monitor: monitor._work.state_label)
    progress_label = deprecated_alias("progress", lambda monitor: monitor._work.progress_label)
    overall_bar = deprecated_alias("progress", lambda monitor: monitor._work.progress_bar)
    epoch_bar = deprecated_alias("progress", lambda monitor: monitor._epoch_bar)
    results = deprecated_alias("outcome", lambda monitor: monitor._results)
    save_status = deprecated_alias("saved_as", lambda monitor: monitor._save_status)

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
        self._run: TrainingRun | None = None
        self._last_plot = self._plot_cost = self._last_progress = 0.0
        self._work = LongWork(self, prepare=self._prepare, finish=self._finish, css="nnteach-train", data=data)
        self.limits = self._work.limits
        if self.limits is not None and subset == MNIST_TRAIN_SIZE:  # "all images" means the cap
            subset = self.limits.max_subset
        self._build(epochs, batch_size, subset, seed, plot_every)

    def _build(self, epochs: int, batch_size: int, subset: int, seed: int, plot_every: int) -> None:
        work = self._work
        self.epochs_box = work.number_box("epochs", _("Epochs"), "nnteach-train-epochs")
        self.batch_box = work.number_box("batch_size", _("Batch size"), "nnteach-train-batch-size")
        self.subset_box = work.number_box("subset", _("Images"), "nnteach-train-subset", low=100)
        self.seed_box = work.number_box("seed", _("Seed"), "nnteach-train-seed", low=0)
        self.start_button, self.stop_button, self.limits_note = work.start_button, work.stop_button, work.limits_note
        self.name_box = widgets.Text(placeholder=_("a name, e.g. my first mlp"), layout=widgets.Layout(width="16em"))
        self.name_box.add_class("nnteach-train-save-name")
        self.save_button = widgets.Button(description=_("Save model"), icon="save")
        self.save_button.add_class("nnteach-train-save")
        self.save_button.on_click(lambda _button: self._on_save())
        work.controls.append(self.save_button)
        self._save_status = widgets.HTML()
        self._save_status.add_class("nnteach-train-save-status")
        self.replace_button = widgets.Button(description=_("Replace it"), icon="refresh", layout={"display": "none"})
        self.replace_button.add_class("nnteach-train-replace")
        self.replace_button.on_click(lambda _button: self._on_save(replace=True))
        self._replacing = ""
        self._epoch_bar = widgets.IntProgress(value=0, min=0, max=1, description=_("Epoch"), layout={"width": "32em"})
        work.progress_bar.description = "All"
        self.curves: CurvesPlot | LiveCurvesPlot = LiveCurvesPlot() if _live_plot.enabled() else CurvesPlot()
        self._results = widgets.HTML()
        self._results.add_class("nnteach-train-results")
        self.confusion = ConfusionMatrix(caption=_("Confusion matrix (test set): row = true digit, column = predicted"))
        self.confusion.layout.display = "none"
        self.mistakes = DigitGrid(rows=2, columns=10, title=_("Most confident mistakes"))
        self.mistakes.layout.display = "none"
        self.share_row = ShareRow(_("Send to class board"), lambda session: _send_run(session, self._run))
        self.compose(
            widgets.HBox([self.epochs_box, self.batch_box, self.subset_box, self.seed_box]),
            self.limits_note,
            widgets.HBox([self.start_button, self.stop_button, work.state_label]),
            self.errors,
            self._epoch_bar,
            work.progress_bar,
            work.progress_label,
            self.curves,
            self._results,
            self.confusion,
            self.mistakes,
            widgets.HBox([self.name_box, self.save_button, self.replace_button, self._save_status]),
            self.share_row,
        )
        with self.render_once():
            self.epochs, self.batch_size, self.subset, self.seed = epochs, batch_size, subset, seed
            self.plot_every = plot_every

    @traitlets.validate("epochs", "batch_size", "subset")
    def _within_hosted_caps(self, proposal: Any) -> int:
        value = int(proposal["value"])
        if value < 1:
            name = proposal["trait"].name
            message = _("Expected {name} of at least 1. Received: {name}={value}. Use e.g. 5.")
            raise NNTeachValueError(message.format(name=name, value=value))
        work = getattr(self, "_work", None)
        return work.capped(proposal["trait"].name, value) if work is not None else value

    @traitlets.validate("seed")
    def _check_seed(self, proposal: Any) -> int:
        value = int(proposal["value"])
        if value < 0:
            raise NNTeachValueError(
                _(
                    "Expected a seed from 0 to 2,147,483,647. Received: seed={value}; kept {seed}. Type a whole number of 0 or more."
                ).format(value=f"{value:,}", seed=self.seed)
            )
        return value

    @traitlets.observe("source")
    def _on_source(self, change: dict[str, Any]) -> None:
        if change["new"] is not None and not _is_builder(change["new"]):
            self.set_trait("model", change["new"])  # a given model is the model until a Start trains it

    @traitlets.observe("epochs", "batch_size", "subset")
    def _on_settings(self, _change: dict[str, Any]) -> None:
        if not self._work.busy:
            with self.render_once():
                pass

    # -- public API -------------------------------------------------------------------------
    @property
    def run(self) -> TrainingRun | None:
        """The ``TrainingRun`` of the last Start (its counters and history), None before."""
        return self._run

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The asyncio task of the last Start in a kernel (await it to wait for the end)."""
        return self._work.task

    def start(self) -> asyncio.Task[None] | None:
        """Start training: a task on the running event loop (Jupyter), blocking without one.

        While a run is under way this returns its task: there is never a second run.
        """
        return self._work.start()

    def stop(self) -> None:
        """Stop before the next batch; the weights and the history so far are kept."""
        self._work.stop()

    def save(self, name: str, *, replace: bool = False) -> str:
        """Save the model as ``<name>.keras`` in the work folder; returns the file name.

        A taken name is refused (``NameTaken``): the box offers a free one, "Replace it" writes over.
        """
        from nnteach.models import save_model
        from nnteach.paths import NameTaken

        if self._work.busy:
            raise ValueError(_("The model is still training. Press Stop or wait until it is done, then save."))
        if self.model is None:
            raise ValueError(_("There is no trained model yet. Press Start first, then save."))
        try:
            path = save_model(self.model, name, replace=replace)
        except NameTaken as taken:
            self._replacing, self.name_box.value = name, taken.suggestion
            self.replace_button.layout.display = None
            said = _("The name box now says {suggestion}.").format(suggestion=repr(taken.suggestion))
            raise NameTaken(f"{taken} {said}", taken.suggestion) from None
        self.replace_button.layout.display = "none"
        self.set_trait("saved_as", path.name)
        return path.name

    # -- training ---------------------------------------------------------------------------
    def _prepare(self) -> TrainingRun:
        from nnteach._tf import import_keras

        keras = import_keras()
        if _is_builder(self.source):
            keras.utils.set_random_seed(self.seed)
            model = _fresh_model(self.source)
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
            data=self._work.data(),
            on_batch=self._on_batch,
            on_epoch=self._on_epoch,
        )
        setattr(model, PIXEL_SCALE_ATTRIBUTE, 1.0)  # TrainingRun divides by 255: kept by save and as_predictor
        self.set_trait("model", model)
        self._run = run
        self._reset_views(run)
        return run

    def _finish(self, run: Any, stopped: bool) -> None:
        progress = RunProgress.of(run)
        self._draw(run)
        if run.history:
            self.runs.add(
                _("run {value} (batch {batch_size}, {value2} images)").format(
                    value=len(self.runs) + 1, batch_size=run.batch_size, value2=f"{run.subset or MNIST_TRAIN_SIZE:,}"
                ),
                {**run.settings, "partial": progress.partial} if stopped else run.settings,
                run.history,
            )
            self._evaluate(run, progress.stopped_sentence() if stopped else "")
        elif stopped:
            self._set_outcome(progress.stopped_sentence())
        self._show_progress(run)  # after the evaluation: until then the page says "Measuring test accuracy…"

    def _evaluate(self, run: TrainingRun, stopped: str = "") -> None:
        _train, (x_test, y_test) = self._work.data()
        evaluated, scored = accuracy_two_ways(run.model, x_test, y_test)
        self.set_trait("test_accuracy", (evaluated, scored))
        probabilities = predict_probabilities(run.model, x_test)
        self.confusion.set_data(y_test, probabilities.argmax(axis=1))
        mistakes = misclassified(x_test, y_test, probabilities)
        self.mistakes.set_data(mistakes.images, mistakes.labels, mistakes.probabilities)
        self.mistakes.title = _("{len} mistakes, most confident first").format(len=f"{len(mistakes):,}")
        with hold(self.confusion, self.mistakes):
            self.confusion.layout.display = self.mistakes.layout.display = ""
        weights = _(" The weights are those after that batch; the history's last entry is that partial epoch.") * (
            RunProgress.of(run).partial
        )
        diverged = divergence_sentence(run.history, _learning_rate(run.model))
        accuracy = accuracy_sentence(len(y_test), evaluated, scored)
        self._set_outcome(f"{stopped}{weights} {accuracy} {diverged}".strip())

    def _set_outcome(self, text: str) -> None:
        self.set_trait("outcome", text)
        self._results.value = f"<div class='nnteach-note nnteach-scale'>{html.escape(text)}</div>" if text else ""

    def _on_batch(self, run: TrainingRun) -> None:
        now = time.perf_counter()
        if now - self._last_progress >= _PROGRESS_SECONDS or run.batch == run.batches_per_epoch:
            self._last_progress = now
            self._show_progress(run)
        due = run.batches_done % max(self.plot_every, 1) == 0
        if due and now - self._last_plot >= self._plot_cost / _PLOT_SHARE:
            self._draw(run)

    def _on_epoch(self, run: TrainingRun) -> None:
        with hold(self):  # history and epoch reach the page in one message
            self.set_trait("history", {name: list(values) for name, values in run.history.items()})
            self.set_trait("epoch", run.epoch)
        self._show_progress(run)
        self._draw(run)

    # -- views ------------------------------------------------------------------------------
    def _render(self) -> None:
        """Before a run: the empty plot spans the epochs the controls ask for."""
        if self._run is None or self.state in ("idle", "error"):
            self.curves.draw(training_curves({}, {}, epochs=self.epochs, batches_per_epoch=1))

    def _reset_views(self, run: TrainingRun) -> None:
        with hold(self):
            self.set_trait("history", {})
            self.set_trait("epoch", 0)
        self.set_trait("test_accuracy", ())
        self._set_outcome("")
        self._save_status.value = ""
        with hold(self.confusion, self.mistakes):
            self.confusion.layout.display = self.mistakes.layout.display = "none"
        self._last_plot = self._last_progress = 0.0
        per_epoch = batches_per_epoch(run.subset or MNIST_TRAIN_SIZE, run.batch_size)
        with hold(self._epoch_bar):
            self._epoch_bar.max, self._epoch_bar.value = per_epoch, 0
        self._work.show_progress(_("Loading the data and starting…"), 0, per_epoch * run.epochs)
        self.curves.draw(training_curves({}, {}, epochs=run.epochs, batches_per_epoch=per_epoch))

    def _show_progress(self, run: TrainingRun) -> None:
        total = max(run.total_batches, 1)
        left = self._work.seconds_left(run.batches_done, total)
        progress = RunProgress.of(run, seconds_left=left)
        with hold(self._epoch_bar):
            self._epoch_bar.max = max(run.batches_per_epoch, 1)
            self._epoch_bar.value = min(progress.batch, self._epoch_bar.max)
        line = progress.line()
        if progress.stopped:
            line = f"{progress.stopped_sentence()} {line}"
        self._work.show_progress(line, run.batches_done, total)

    def _draw(self, run: TrainingRun) -> None:
        started = time.perf_counter()
        progress = RunProgress.of(run)
        plan = training_curves(
            run.batch_history,
            run.history,
            epochs=run.epochs,
            batches_per_epoch=run.batches_per_epoch,
            partial_batches=progress.batch if progress.partial else 0,
        )
        self.curves.draw(plan)
        self._last_plot = time.perf_counter()
        self._plot_cost = self._last_plot - started

    def _on_save(self, *, replace: bool = False) -> None:
        with self.errors.guard(_("The model could not be saved.")):
            name = self.save(self._replacing if replace else self.name_box.value, replace=replace)
            saved = _("Saved as {name}.").format(name=f"<b>{html.escape(name)}</b>")
            self._save_status.value = f"<span class='nnteach-note'>{saved}</span>"

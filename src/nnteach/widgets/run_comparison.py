"""``RunComparison``: one metric of several runs on one plot, and the dropout experiment that fills it.

Each line is a run of a ``RunLog`` (legend = run name, e.g. ``rate=0.2``); the picker chooses
``accuracy``, ``loss``, ``val_accuracy`` or ``val_loss``. A comparison made without a log runs
the dropout experiment ("Run dropout experiment"): the seed MLP at each dropout rate, one after
another, as an asyncio task (Stop works between batches), into a new log of its own, so a
result shown before is never replaced in place. A comparison given a log (the packaged
100-epoch experiment, a homework log) shows it read-only.

Example:
    >>> from nnteach.training import RunLog
    >>> from nnteach.widgets import RunComparison
    >>> log = RunLog()
    >>> _ = log.add("rate=0.2", {}, {"val_accuracy": [0.95, 0.96]})
    >>> view = RunComparison(log, metric="val_accuracy")
    >>> view.run_names, view.can_run
    (('rate=0.2',), False)
    >>> view.close()
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach.curves import comparison_curves
from nnteach.i18n import N_, _
from nnteach.progress import RunProgress
from nnteach.run_checks import split_runs
from nnteach.training import METRICS, MNIST_TRAIN_SIZE, DropoutExperiment, Mnist, RunLog
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget
from nnteach.widgets._canvas_compat import deprecated_alias
from nnteach.widgets._long_work import LongWork, progress_trait, state_trait
from nnteach.widgets._parts import PlotImage
from nnteach.widgets.share_row import ShareRow

__all__ = ["RunComparison", "RunComparisonError"]


class RunComparisonError(NNTeachValueError):
    """RunComparison's bad values (kept for old code; every widget now raises :class:`NNTeachValueError`)."""


_TITLES = {
    "accuracy": N_("Training accuracy"),
    "loss": N_("Training loss"),
    "val_accuracy": N_("Validation accuracy (test set)"),
    "val_loss": N_("Validation loss (test set)"),
}


#: At most this many legend entries.
_LEGEND_MOST = 10


def _unlisten(log: RunLog, callback: Any) -> None:
    """Remove a change listener from ``log`` (RunLog has ``on_change`` but no way to undo it yet)."""
    listeners = getattr(log, "_listeners", None)
    if isinstance(listeners, list) and callback in listeners:
        listeners.remove(callback)


def _send_experiment(session: Any, runs: RunLog) -> str:
    from nnteach.classroom.board import send_experiment  # the class space only when a learner shares

    return send_experiment(session, runs)


class RunComparison(NNTeachWidget):
    """Overlay the same metric of several runs; run the dropout experiment into a comparison of its own.

    Traits: ``metric`` (an ``Enum`` of the four curves), ``ylim`` (None: accuracy from just
    below the lowest value to 1, loss from 0), ``epochs``, ``subset`` and ``rates`` of the
    experiment; read-only outputs ``run_names`` (the runs drawn), ``state`` (the experiment),
    ``progress``, ``outcome`` (what the last experiment left: complete and partial runs) and
    ``can_run``. ``runs`` is the ``RunLog`` shown; adding a run to it redraws the plot, and
    :meth:`load_runs` shows a loaded log with one redraw. Stable parts: ``metric_picker``,
    ``plot`` (its ``figure``), ``epochs_box``, ``subset_box``, ``start_button``, ``stop_button``.

    Example:
        >>> view = RunComparison()  # doctest: +SKIP
        >>> task = view.run_experiment(rates=(0.0, 0.5), epochs=2, subset=2000)  # doctest: +SKIP
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("metric", "epochs", "subset")

    metric = traitlets.Enum(METRICS, default_value="val_accuracy", help="The metric drawn for every run.")
    ylim = traitlets.Tuple(
        allow_none=True, default_value=None, help="(low, high) of the y axis, or None for automatic."
    )
    epochs = traitlets.Int(5, help="Epochs per run of the dropout experiment.")
    subset = traitlets.Int(60_000, help="Training images per run of the dropout experiment (the first n).")
    rates = traitlets.Tuple(help="The dropout rates the experiment trains, one run each.")
    runs = traitlets.Instance(RunLog, help="The runs shown.")
    run_names = traitlets.Tuple(read_only=True, help="Names of the runs drawn (read it).")
    can_run = traitlets.Bool(True, read_only=True, help="True when this comparison runs the dropout experiment.")
    outcome = traitlets.Unicode("", read_only=True, help="What the last experiment left: complete and partial runs.")
    state = state_trait()
    progress = progress_trait()
    #: The old progress line widget: still working, with a DeprecationWarning (read ``progress``).
    progress_label = deprecated_alias("progress", lambda view: view._work.progress_label)

    def __init__(
        self,
        runs: RunLog | None = None,
        metric: str = "val_accuracy",
        *,
        rates: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8),
        epochs: int = 5,
        subset: int = MNIST_TRAIN_SIZE,
        data: Mnist | None = None,
        experiment: bool | None = None,
    ) -> None:
        super().__init__()
        self.add_class("nnteach-run-comparison")
        self.set_trait("can_run", runs is None if experiment is None else experiment)
        self._experiment: DropoutExperiment | None = None
        self._work = LongWork(
            self,
            prepare=self._prepare,
            finish=self._finish,
            css="nnteach-compare",
            start_label=_("Run dropout experiment"),
            finish_text=_("Saving the runs…"),
            data=data,
        )
        self._work.available = self.can_run
        self.metric_picker = self.bind(widgets.Dropdown(options=list(METRICS), description=_("Metric")), "metric")
        self.metric_picker.add_class("nnteach-compare-metric")
        self.plot = PlotImage(width_inches=7, height_inches=3.6)
        self.plot.add_class("nnteach-compare-plot")
        self._axes = self.plot.figure.add_subplot()
        self.epochs_box = self._work.number_box("epochs", _("Epochs"), "nnteach-compare-epochs")
        self.subset_box = self._work.number_box("subset", _("Images"), "nnteach-compare-subset", low=100)
        self.start_button, self.stop_button = self._work.start_button, self._work.stop_button
        running = widgets.VBox(
            [
                widgets.HBox([self.epochs_box, self.subset_box]),
                self._work.limits_note,
                widgets.HBox([self.start_button, self.stop_button, self._work.state_label]),
                widgets.HBox([self._work.progress_bar, self._work.progress_label]),
            ]
        )
        running.layout.display = "" if self.can_run else "none"  # a read-only view offers no Run button
        self.share_row = ShareRow(_("Send to class board"), lambda session: _send_experiment(session, self.runs))
        self.share_row.layout.display = "" if self.can_run else "none"  # the learner's own runs, not packaged ones
        self.compose(self.metric_picker, self.plot, running, self.share_row, self.errors)
        self.on_close(lambda: _unlisten(self.runs, self._on_log_change))
        if self._work.limits is not None and subset == MNIST_TRAIN_SIZE:  # "all images" means the cap
            subset = self._work.limits.max_subset
        with self.render_once():
            self.runs = runs if runs is not None else RunLog()
            self.metric, self.rates = metric, tuple(rates)
            self.epochs, self.subset = epochs, subset

    # -- drawing ----------------------------------------------------------------------------
    @traitlets.validate("ylim")
    def _check_ylim(self, proposal: Any) -> tuple[float, float] | None:
        value = proposal["value"]
        if value is None:
            return None
        if (
            len(value) != 2
            or not all(isinstance(v, int | float) and math.isfinite(v) for v in value)
            or value[0] >= value[1]
        ):
            raise RunComparisonError(
                _("RunComparison expects ylim as (low, high) with low < high. Received {value}.").format(
                    value=f"{value!r}"
                )
            )
        return (float(value[0]), float(value[1]))

    @traitlets.validate("epochs", "subset")
    def _within_caps(self, proposal: Any) -> int:
        name, value = proposal["trait"].name, int(proposal["value"])
        if value < 1:
            raise RunComparisonError(
                _("Expected {name} of at least 1. Received: {name}={value}. Use e.g. 5.").format(name=name, value=value)
            )
        return self._work.capped(name, value)

    @traitlets.observe("runs")
    def _on_runs(self, change: dict[str, Any]) -> None:
        if isinstance(change["old"], RunLog):
            _unlisten(change["old"], self._on_log_change)
        change["new"].on_change(self._on_log_change)
        self._on_log_change()

    @traitlets.observe("metric", "ylim", "epochs")
    def _on_log_change(self, *_args: Any) -> None:
        with self.render_once():
            pass

    def _render(self) -> None:
        if not hasattr(self, "_axes"):
            return
        plan = comparison_curves(self.runs, self.metric, ylim=self.ylim, epochs=self.epochs)
        axes = self._axes
        axes.clear()
        for line in plan.lines:
            axes.plot(line.x, line.y, "o-", markersize=3, label=line.label)
        axes.set_xlabel(_("epoch"))
        axes.set_ylabel(self.metric)
        axes.set_title(_(_TITLES[self.metric]))
        axes.set_xlim(*plan.xlim)
        axes.set_xticks(plan.xticks)
        axes.set_ylim(*plan.ylim)
        axes.grid(alpha=0.3)
        if plan.lines:  # a legend of many runs would squeeze the plot away: the first few name the colours
            shown = len(plan.lines) if len(plan.lines) <= _LEGEND_MOST else _LEGEND_MOST - 1
            handles = axes.get_lines()[:shown]
            labels = [line.label for line in plan.lines[:shown]]
            if shown < len(plan.lines):
                (more,) = axes.plot([], [], " ")
                handles, labels = (
                    [*handles, more],
                    [*labels, _("… {value} more runs").format(value=len(plan.lines) - shown)],
                )
            axes.legend(handles, labels, fontsize=8, loc="best")
        else:
            axes.text(0.5, 0.5, plan.hint, ha="center", va="center", transform=axes.transAxes, color="#37474f")
        self.set_trait("run_names", tuple(line.label for line in plan.lines))
        self.plot.refresh()

    def redraw(self) -> None:
        """Draw ``metric`` of every run that has it (one line per run)."""
        with self.render_once():
            pass

    def load_runs(self, runs: Iterable[Any]) -> tuple[str, ...]:
        """Show ``runs`` (e.g. ``RunLog.load(path)``) in a new log, redrawn once; returns the names shown.

        A run that cannot be shown (an empty name, a history that is not numbers) is left out
        with one sentence in ``errors``; the others are shown. When none can be, the runs shown
        before stay and a ``ValueError`` says why.
        """
        good, refused = split_runs(runs)
        if not good:
            reasons = " ".join(refused) or _("The log has no runs.")
            raise ValueError(
                _("No run of that log can be shown. {reasons} The runs shown before stay.").format(reasons=reasons)
            )
        log = RunLog()
        log.runs = list(good)
        self.runs = log
        if refused:
            self.errors.show(
                _("Showing {len} runs; left out {len2}: {join}").format(
                    len=len(good), len2=len(refused), join=" ".join(refused)
                )
            )
        return self.run_names

    # -- the dropout experiment -------------------------------------------------------------
    @property
    def experiment(self) -> DropoutExperiment | None:
        """The ``DropoutExperiment`` of the last Run (its log and current run), None before."""
        return self._experiment

    @property
    def task(self) -> asyncio.Task[None] | None:
        return self._work.task

    def run_experiment(
        self, rates: tuple[float, ...] | None = None, epochs: int | None = None, subset: int | None = None
    ) -> asyncio.Task[None] | None:
        """Train the seed MLP at each dropout rate into a new log (task on the running loop, blocking without one)."""
        if not self.can_run:
            raise ValueError(
                _(
                    "This comparison shows a given run log, read-only. Received a request to run the experiment into it. Make a new RunComparison() and run the experiment there."
                )
            )
        with self.render_once():
            if rates is not None:
                self.rates = tuple(rates)
            if epochs is not None:
                self.epochs = epochs
            if subset is not None:
                self.subset = subset
        return self._work.start()

    def stop(self) -> None:
        """Stop the current run after its batch and skip the remaining rates."""
        self._work.stop()

    def _prepare(self) -> DropoutExperiment:
        experiment = DropoutExperiment(
            self.rates, self.epochs, self.subset, data=self._work.data(), log=RunLog(), on_batch=self._on_batch
        )
        self._experiment = experiment
        self.set_trait("outcome", "")
        self.runs = experiment.log  # a new comparison: what was shown before is not replaced in place
        return experiment

    def _on_batch(self, experiment: DropoutExperiment) -> None:
        run = experiment.current
        if run is None or (run.batch % 20 and run.batch != run.batches_per_epoch):
            return
        total = experiment.total_batches
        left = self._work.seconds_left(experiment.batches_done, total)
        rate = experiment.rates[experiment.finished]
        line = RunProgress.of(run, seconds_left=left).line()
        text = _("Run {value} of {len} (rate={rate}) · {line}").format(
            value=experiment.finished + 1, len=len(experiment.rates), rate=f"{rate:g}", line=line
        )
        self._work.show_progress(text, experiment.batches_done, total)

    def _finish(self, job: Any, stopped: bool) -> None:
        experiment: DropoutExperiment = job
        names = [experiment.run_name(rate) for rate in experiment.rates]
        if not stopped:
            text = _("Done: {len} runs.").format(len=len(experiment.log))
        else:
            current = experiment.current
            complete = names[: max(experiment.finished - 1, 0)]
            partial = ""
            if current is not None and current.history and current.batches_done < current.total_batches:
                name = names[experiment.finished - 1]
                run = experiment.log[name]
                experiment.log.runs = [kept for kept in experiment.log.runs if kept is not run]
                experiment.log.add(f"{name} (partial)", {**run.settings, "partial": True}, run.history)
                progress = RunProgress.of(current)
                where = (
                    _("stopped in epoch {epoch} at batch {batch} of {batches_per_epoch}").format(
                        epoch=progress.epoch,
                        batch=f"{progress.batch:,}",
                        batches_per_epoch=f"{progress.batches_per_epoch:,}",
                    )
                    if progress.partial
                    else _("stopped after epoch {epoch} of {epochs}").format(
                        epoch=progress.epoch, epochs=progress.epochs
                    )
                )
                partial = f" Partial: {name} ({where})."
            elif current is not None and current.history:
                complete = names[: experiment.finished]
            not_run = names[len(complete) + (1 if partial else 0) :]
            done = ", ".join(complete) if complete else "none"
            text = _("Stopped. Complete ({epochs} epochs each): {done}.{partial}").format(
                epochs=experiment.epochs, done=done, partial=partial
            )
            if not_run:
                text += _(" Not run: {join}.").format(join=", ".join(not_run))
        self.set_trait("outcome", text)
        self._work.show_progress(text, experiment.batches_done, experiment.total_batches)

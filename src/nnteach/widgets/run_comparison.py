"""``RunComparison``: one metric of several runs on one plot, and the dropout experiment that fills it.

Each line is a run of a ``RunLog`` (legend = run name, e.g. ``rate=0.2``); the picker chooses
``accuracy``, ``loss``, ``val_accuracy`` or ``val_loss``. "Run dropout experiment" trains the
seed MLP at each dropout rate, one after another, as an asyncio task (Stop works between
batches), and the plot grows as each run finishes.

Example:
    >>> from nnteach.training import RunLog
    >>> from nnteach.widgets import RunComparison
    >>> log = RunLog()
    >>> _ = log.add("rate=0.2", {}, {"val_accuracy": [0.95, 0.96]})
    >>> view = RunComparison(log, metric="val_accuracy")
    >>> view.run_names
    ('rate=0.2',)
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

import ipywidgets as widgets
import traitlets

from nnteach.training import METRICS, DropoutExperiment, Mnist, RunLog
from nnteach.widgets._parts import STYLE_CSS, ErrorArea, PlotImage

__all__ = ["RunComparison", "RunComparisonError"]


class RunComparisonError(traitlets.TraitError, ValueError):
    """A learner-facing ``ValueError`` from a trait validator (a ``TraitError``, so traitlets rolls back)."""


_TITLES = {
    "accuracy": "Training accuracy",
    "loss": "Training loss",
    "val_accuracy": "Validation accuracy (test set)",
    "val_loss": "Validation loss (test set)",
}


class RunComparison(widgets.VBox):
    """Overlay the same metric of several runs; run the dropout experiment into it.

    Traits: ``metric`` (one of ``accuracy``, ``loss``, ``val_accuracy``, ``val_loss``),
    ``ylim`` (None: accuracy from just below the lowest value to 1, loss from 0, as in the
    tutorials' plots), ``run_names`` (the runs shown), ``state`` of the experiment ("idle",
    "training", "stopping", "done", "error"). ``runs`` is the ``RunLog`` shown; adding a run
    to it redraws the plot.

    Example:
        >>> view = RunComparison()  # doctest: +SKIP
        >>> task = view.run_experiment(rates=(0.0, 0.5), epochs=2, subset=2000)  # doctest: +SKIP
    """

    metric = traitlets.Enum(METRICS, default_value="val_accuracy", help="The metric drawn for every run.")
    ylim = traitlets.Tuple(
        allow_none=True, default_value=None, help="(low, high) of the y axis, or None for automatic."
    )
    run_names = traitlets.Tuple(help="Names of the runs drawn (read it).")
    state = traitlets.Unicode("idle", help='The dropout experiment: "idle", "training", "stopping", "done", "error".')

    def __init__(
        self,
        runs: RunLog | None = None,
        metric: str = "val_accuracy",
        *,
        rates: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8),
        epochs: int = 5,
        subset: int = 60_000,
        data: Mnist | None = None,
    ) -> None:
        super().__init__()
        self.add_class("nnteach-run-comparison")
        self.runs = runs if runs is not None else RunLog()
        self.rates = tuple(rates)
        self.experiment: DropoutExperiment | None = None
        self.task: asyncio.Task[None] | None = None
        self._data = data
        self.metric_picker = widgets.Dropdown(options=list(METRICS), description="Metric")
        self.metric_picker.add_class("nnteach-compare-metric")
        widgets.link((self.metric_picker, "value"), (self, "metric"))
        self.plot = PlotImage(width_inches=7, height_inches=3.6)
        self.plot.add_class("nnteach-compare-plot")
        self._axes = self.plot.figure.add_subplot()
        self.epochs_box = widgets.BoundedIntText(value=epochs, min=1, max=1000, description="Epochs")
        self.subset_box = widgets.BoundedIntText(value=subset, min=100, max=60_000, step=1000, description="Images")
        self.start_button = widgets.Button(description="Run dropout experiment", button_style="success", icon="play")
        self.start_button.layout.width = "auto"
        self.start_button.add_class("nnteach-compare-start")
        self.stop_button = widgets.Button(description="Stop", button_style="danger", icon="stop", disabled=True)
        self.stop_button.add_class("nnteach-compare-stop")
        self.start_button.on_click(lambda _button: self.run_experiment())
        self.stop_button.on_click(lambda _button: self.stop())
        self.progress = widgets.IntProgress(value=0, min=0, max=1, layout={"width": "30em"})
        self.progress_label = widgets.HTML()
        self.progress_label.add_class("nnteach-compare-progress")
        self.errors = ErrorArea()
        self.children = (
            widgets.HTML(STYLE_CSS),
            self.metric_picker,
            self.plot,
            widgets.HBox([self.epochs_box, self.subset_box]),
            widgets.HBox([self.start_button, self.stop_button]),
            widgets.HBox([self.progress, self.progress_label]),
            self.errors,
        )
        self.runs.on_change(lambda _log: self.redraw())
        redrawn_by_change = metric != self.metric  # the change observer draws; render once, not twice
        with self.hold_trait_notifications():
            self.metric = metric
        if not redrawn_by_change:
            self.redraw()

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
            raise RunComparisonError(f"RunComparison expects ylim as (low, high) with low < high. Received {value!r}.")
        return (float(value[0]), float(value[1]))

    @traitlets.observe("metric", "ylim")
    def _on_change(self, _change: dict[str, Any]) -> None:
        if hasattr(self, "_axes"):
            self.redraw()

    def redraw(self) -> None:
        """Draw ``metric`` of every run that has it (one line per run)."""
        axes = self._axes
        axes.clear()
        shown = []
        values_seen: list[float] = []
        longest = 1
        for run in self.runs:
            values = run.history.get(self.metric)
            if not values:
                continue
            shown.append(run.name)
            epochs = range(1, len(values) + 1)
            axes.plot(epochs, values, "o-", markersize=3, label=run.name)
            values_seen += [v for v in values if math.isfinite(v)]
            longest = max(longest, len(values))
        axes.set_xlabel("epoch")
        axes.set_ylabel(self.metric)
        axes.set_title(_TITLES[self.metric])
        axes.set_xlim(0.5, longest + 0.5)
        axes.grid(alpha=0.3)
        if self.ylim is not None:
            axes.set_ylim(*self.ylim)
        elif values_seen and "accuracy" in self.metric:
            axes.set_ylim(max(0.0, math.floor(min(values_seen) * 20) / 20 - 0.01), 1.0)
        elif values_seen:
            axes.set_ylim(0.0, max(values_seen) * 1.05)
        if shown:
            axes.legend(fontsize=8, loc="best")
        else:
            axes.text(0.5, 0.5, "No runs yet", ha="center", va="center", transform=axes.transAxes, color="gray")
        self.run_names = tuple(shown)
        self.plot.refresh()

    # -- the dropout experiment -------------------------------------------------------------
    def run_experiment(
        self, rates: tuple[float, ...] | None = None, epochs: int | None = None, subset: int | None = None
    ) -> asyncio.Task[None] | None:
        """Train the seed MLP at each dropout rate (task on the running loop, blocking without one)."""
        if self.state in ("training", "stopping"):
            return self.task
        experiment = None
        with self.errors.guard("The experiment could not start.", on_error=lambda: self._set_state("error")):
            self.errors.clear()
            experiment = DropoutExperiment(
                rates if rates is not None else self.rates,
                epochs if epochs is not None else self.epochs_box.value,
                subset if subset is not None else self.subset_box.value,
                data=self._load_data(),
                log=self.runs,
                on_batch=self._on_batch,
            )
        if experiment is None:
            return None
        self.experiment = experiment
        self._set_state("training")
        self.progress.value = 0
        self.progress_label.value = "Starting…"
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            with self.errors.guard(
                "The experiment stopped because of an error.", on_error=lambda: self._set_state("error")
            ):
                experiment.run()
                self._done()
            return None
        self.task = loop.create_task(self._run_async(experiment))
        return self.task

    async def _run_async(self, experiment: DropoutExperiment) -> None:
        with self.errors.guard(
            "The experiment stopped because of an error.", on_error=lambda: self._set_state("error")
        ):
            await experiment.run_async()
            self._done()

    def stop(self) -> None:
        """Stop the current run after its batch and skip the remaining rates."""
        if self.experiment is not None and self.state == "training":
            self.experiment.stop()
            self._set_state("stopping")

    def _load_data(self) -> Mnist:
        if self._data is None:
            from nnteach.data import load_mnist

            self._data = load_mnist()
        return self._data

    def _on_batch(self, experiment: DropoutExperiment) -> None:
        run = experiment.current
        if run is None or (run.batch % 20 and run.batch != run.batches_per_epoch):
            return
        self.progress.max = max(experiment.total_batches, 1)
        self.progress.value = min(experiment.batches_done, self.progress.max)
        rate = experiment.rates[experiment.finished]
        self.progress_label.value = (
            f"<span class='nnteach-note'>Run {experiment.finished + 1} of {len(experiment.rates)} "
            f"(rate={rate:g}) · epoch {min(run.epoch + 1, run.epochs)} of {run.epochs}</span>"
        )

    def _done(self) -> None:
        experiment = self.experiment
        finished = len(experiment.log) if experiment is not None else 0
        self.progress.value = self.progress.max
        self.progress_label.value = f"<span class='nnteach-note'>Done: {finished} runs.</span>"
        self._set_state("done")

    def _set_state(self, state: str) -> None:
        self.state = state
        busy = state in ("training", "stopping")
        self.start_button.disabled = busy
        self.stop_button.disabled = state != "training"
        self.epochs_box.disabled = self.subset_box.disabled = busy

"""The class board's rows: the class's runs sorted and formatted for the teacher page (no UI here).

Example:
    >>> from nnteach.classroom.entries import RunFigures, SharedRun
    >>> run = SharedRun(1, 1, "Aiko", RunFigures("04", {}, "Flatten → Dense(10)", 7850, 3, 60000, 32,
    ...                 val_accuracy=0.9213), created_at=100.0)
    >>> row = board_rows([run], now=160.0)[0]
    >>> row.cells
    ('Aiko', 'Flatten → Dense(10)', '7,850', '3', '60,000', '92.13 %', '1 min ago')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nnteach.classroom.entries import RunFigures, SharedRun

__all__ = [
    "BOARD_COLUMNS",
    "SORT_KEYS",
    "BoardRow",
    "board_rows",
    "experiment_figures",
    "run_figures",
    "send_experiment",
    "send_run",
    "time_ago",
]

BOARD_COLUMNS = ("Learner", "Model", "Parameters", "Epochs", "Images", "val_accuracy", "Shared")
SORT_KEYS = ("val_accuracy", "accuracy", "params", "newest")


@dataclass(frozen=True)
class BoardRow:
    """One run as the board shows it: its id, its cells as text, and whether it is the newest."""

    run_id: int
    cells: tuple[str, ...]
    newest: bool


def time_ago(seconds: float) -> str:
    """``12 s ago``, ``3 min ago``, ``2 h ago``: how long ago, in the board's short words.

    Example:
        >>> time_ago(5), time_ago(125), time_ago(7300)
        ('5 s ago', '2 min ago', '2 h ago')
    """
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{int(seconds)} s ago"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    return f"{int(seconds // 3600)} h ago"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f} %"


def _key(sort_by: str, run: SharedRun) -> tuple[float, ...]:
    figures = run.figures
    if sort_by == "newest":
        return (-run.created_at, -run.id)
    if sort_by == "params":
        return (-figures.params, -run.id)
    value = figures.val_accuracy if sort_by == "val_accuracy" else figures.accuracy
    return (value is None, -(value or 0.0), -run.id)


def board_rows(runs: Sequence[SharedRun], *, sort_by: str = "val_accuracy", now: float) -> list[BoardRow]:
    """The board's rows, best first by ``sort_by`` (one of :data:`SORT_KEYS`); the newest run is marked."""
    if sort_by not in SORT_KEYS:
        raise ValueError(
            f"Expected a sort key from {', '.join(SORT_KEYS)}. Received {sort_by!r:.40}; pick one of those."
        )
    newest = max(runs, key=lambda run: (run.created_at, run.id)).id if runs else None
    return [
        BoardRow(
            run.id,
            (
                run.display_name,
                run.figures.model_line,
                f"{run.figures.params:,}",
                f"{run.figures.epochs:,}",
                f"{run.figures.images:,}",
                _percent(run.figures.val_accuracy),
                time_ago(now - run.created_at),
            ),
            run.id == newest,
        )
        for run in sorted(runs, key=lambda run: _key(sort_by, run))
    ]


def run_figures(run: Any, *, lesson: str) -> RunFigures:
    """A finished or stopped ``TrainingRun``'s figures for the class board: the model in one line, no weights.

    Example (needs Keras, so not run here):
        >>> run_figures(monitor.run, lesson="04_multilayer_perceptron").model_line  # doctest: +SKIP
        'Flatten() → Dense(128, relu) → Dropout(0.2) → Dense(10, softmax)'
    """
    from nnteach.layers import from_keras

    history = {name: [float(value) for value in values] for name, values in (run.history or {}).items()}
    if not history:
        raise ValueError("Expected a run with at least one epoch. Received none yet; press Start, then send it.")
    spec = from_keras(run.model)
    layers = [str(layer) for layer in spec.layers]

    def last(name: str) -> float | None:
        values = history.get(name) or []
        return values[-1] if values else None

    return RunFigures(
        lesson=lesson,
        spec={"input_shape": list(spec.input_shape), "layers": layers},
        model_line=" → ".join(layers),
        params=int(run.model.count_params()),
        epochs=len(history.get("loss", [])),
        images=int(run.subset or 60_000),
        batch_size=int(run.batch_size),
        accuracy=last("accuracy"),
        val_accuracy=last("val_accuracy"),
        loss=last("loss"),
        val_loss=last("val_loss"),
        history=history,
        seconds=float(run.elapsed),
    )


def send_run(session: Any, run: Any) -> str:
    """Send a TrainingMonitor's last run to the class board; the sentence to show."""
    if run is None:
        raise ValueError("Expected a training run to send. Received none yet; press Start first.")
    from nnteach.request import page_request

    page = page_request().get("SCRIPT_NAME", "").rsplit("/", 1)[-1].removesuffix(".ipynb") or "notebook"
    entry = session.share_run(run_figures(run, lesson=page[:80]))
    return f"Sent to the class board (run {entry})."


def _last(history: dict[str, list[float]], name: str) -> float | None:
    values = history.get(name) or []
    return values[-1] if values else None


def experiment_figures(run: Any, *, lesson: str) -> RunFigures:
    """A dropout-experiment run (a RunLog entry: the seed MLP at one rate) as class-board figures."""
    import dataclasses

    from nnteach.layers import PRESETS, Dropout, summary

    settings = dict(run.settings)
    if settings.get("partial"):
        raise ValueError("Expected a complete run. Received one stopped mid-way; send complete runs only.")
    preset = PRESETS["mlp"]  # the seed MLP the experiment trains: Flatten, Dense(128), Dropout(rate), Dense(10)
    rate = float(settings.get("rate", 0.0))
    layers = tuple(Dropout(rate) if isinstance(layer, Dropout) else layer for layer in preset.layers)
    spec = dataclasses.replace(preset, layers=layers)
    history = {name: [float(value) for value in values] for name, values in run.history.items()}
    return RunFigures(
        lesson=lesson,
        spec={"input_shape": list(spec.input_shape), "layers": [str(layer) for layer in layers]},
        model_line=" → ".join(str(layer) for layer in layers),
        params=int(summary(spec).total_params),
        epochs=len(history.get("loss", [])),
        images=int(settings.get("subset") or 60_000),
        batch_size=int(settings.get("batch_size", 32)),
        accuracy=_last(history, "accuracy"),
        val_accuracy=_last(history, "val_accuracy"),
        loss=_last(history, "loss"),
        val_loss=_last(history, "val_loss"),
        history=history,
        seconds=float(settings.get("minutes", 0.0)) * 60.0,
    )


def send_experiment(session: Any, runs: Any) -> str:
    """Send every complete run of a RunComparison's experiment to the class board; the sentence to show."""
    complete = [run for run in getattr(runs, "runs", []) if not dict(run.settings).get("partial")]
    if not complete:
        raise ValueError("Expected finished runs to send. Received none yet; run the experiment first.")
    from nnteach.request import page_request

    page = page_request().get("SCRIPT_NAME", "").rsplit("/", 1)[-1].removesuffix(".ipynb") or "notebook"
    entries = [session.share_run(experiment_figures(run, lesson=page[:80])) for run in complete]
    return f"Sent {len(entries)} runs to the class board."

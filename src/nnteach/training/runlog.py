"""Run logs: several training runs (name, settings, per-epoch history) to overlay, saved and loaded as JSON.

Homework runs (say 100 epochs) are saved at home and loaded in class; batch-level curves are
never stored. Loading needs no TensorFlow.

Example:
    >>> from nnteach.training.runlog import RunLog
    >>> log = RunLog()
    >>> _ = log.add("rate=0.2", {"rate": 0.2}, {"val_accuracy": [0.95, 0.97]})
    >>> RunLog.from_json(log.to_json()).names
    ['rate=0.2']
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nnteach._atomic import atomic_write_text
from nnteach.i18n import _
from nnteach.training.run import TrainingRun

__all__ = ["RUNLOG_FORMAT", "RUNLOG_VERSION", "Run", "RunLog"]

RUNLOG_FORMAT = "nnteach-runlog"
RUNLOG_VERSION = 1
MAX_RUNLOG_BYTES = 20 * 2**20  # a 100-epoch run with four metrics is ~10 KB; far below a kernel's memory


@dataclass
class Run:
    """One finished run: a name for the legend, the settings used, the per-epoch history."""

    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    history: dict[str, list[float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        history = {key: [None if not math.isfinite(v) else v for v in values] for key, values in self.history.items()}
        return {"name": self.name, "settings": self.settings, "history": history}


class RunLog:
    """Several runs (name, settings, history) to overlay, saved and loaded as JSON.

    Homework runs (say 100 epochs) are saved at home and loaded in class. Batch-level curves
    are never stored. ``on_change(callback)`` lets a view redraw when a run is added.

    Example:
        >>> log = RunLog()
        >>> _ = log.add("rate=0.2", {"rate": 0.2}, {"val_accuracy": [0.95, 0.97]})
        >>> RunLog.from_json(log.to_json()).names
        ['rate=0.2']
    """

    def __init__(self, runs: Sequence[Run] = ()) -> None:
        self.runs: list[Run] = list(runs)
        self._listeners: list[Callable[[RunLog], None]] = []

    def __len__(self) -> int:
        return len(self.runs)

    def __iter__(self) -> Iterator[Run]:
        return iter(self.runs)

    def __getitem__(self, name: str) -> Run:
        for run in self.runs:
            if run.name == name:
                return run
        raise KeyError(f"No run named {name!r}. Runs: {self.names}.")

    @property
    def names(self) -> list[str]:
        return [run.name for run in self.runs]

    def on_change(self, callback: Callable[[RunLog], None]) -> None:
        """Call ``callback(log)`` whenever runs are added or cleared."""
        self._listeners.append(callback)

    def _changed(self) -> None:
        for callback in list(self._listeners):
            callback(self)

    def add(self, name: str, settings: dict[str, Any], history: dict[str, list[float]]) -> Run:
        """Add a run (a run with the same name is replaced, so re-running an experiment updates it)."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(
                _("Expected a run name such as 'rate=0.2'. Received: name={name}.").format(name=f"{name!r}")
            )
        run = Run(name, dict(settings), {key: [float(v) for v in values] for key, values in history.items()})
        self.runs = [existing for existing in self.runs if existing.name != name]
        self.runs.append(run)
        self._changed()
        return run

    def add_run(self, name: str, run: TrainingRun) -> Run:
        """Add a finished ``TrainingRun`` under ``name``."""
        return self.add(name, run.settings, run.history)

    def clear(self) -> None:
        self.runs = []
        self._changed()

    def to_json(self) -> str:
        document = {"format": RUNLOG_FORMAT, "version": RUNLOG_VERSION, "runs": [run.to_dict() for run in self.runs]}
        return json.dumps(document, indent=1, allow_nan=False)

    @classmethod
    def from_json(cls, text: str, *, source: str = _("the text")) -> RunLog:
        """Read a log written by ``to_json``; a damaged or foreign file raises one clear ValueError."""
        hint = _("Expected a run log saved by RunLog.save(); save the runs again.")
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(
                _("{source} is not valid JSON ({msg}, line {lineno}). {hint}").format(
                    source=source, msg=error.msg, lineno=error.lineno, hint=hint
                )
            ) from None
        except RecursionError:
            raise ValueError(
                _("{source} is JSON nested too deeply to be a run log. {hint}").format(source=source, hint=hint)
            ) from None
        if not isinstance(document, dict) or document.get("format") != RUNLOG_FORMAT:
            raise ValueError(_("{source} is JSON but not an nnteach run log. {hint}").format(source=source, hint=hint))
        runs = document.get("runs")
        if not isinstance(runs, list):
            raise ValueError(_("{source} has no list of runs. {hint}").format(source=source, hint=hint))
        log = cls()
        for position, entry in enumerate(runs, start=1):
            log.runs.append(_run_from_dict(entry, f"{source}, run {position}", hint))
        return log

    def save(self, path: str | Path) -> Path:
        """Write the log as JSON (atomically: a half-written file never replaces a good one)."""
        target = Path(path).expanduser()
        atomic_write_text(target, self.to_json() + "\n")
        return target

    @classmethod
    def load(cls, path: str | Path) -> RunLog:
        """Read a log saved by ``save``."""
        source = Path(path).expanduser()
        name = source.name  # messages name the file, never the server's folders
        try:
            size = source.stat().st_size
            if source.is_dir():
                raise ValueError(
                    _("{name} is a folder, not a run log. Expected a .json file saved by RunLog.save().").format(
                        name=name
                    )
                )
            if size > MAX_RUNLOG_BYTES:
                raise ValueError(
                    _(
                        "Expected a run log of at most {value} MB. Received {name} of {value2} MB; load a smaller log."
                    ).format(value=MAX_RUNLOG_BYTES // 2**20, name=name, value2=f"{size / 2**20:.0f}")
                )
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ValueError(_("There is no run log called {name}. Check the file name.").format(name=name)) from None
        except UnicodeDecodeError:
            raise ValueError(
                _("{name} is not a text file. Expected a run log saved by RunLog.save().").format(name=name)
            ) from None
        except OSError as error:
            raise ValueError(
                _("{name} cannot be read ({name__}). Check the file name.").format(
                    name=name, name__=type(error).__name__
                )
            ) from None
        return cls.from_json(text, source=name)


def _run_from_dict(entry: object, where: str, hint: str) -> Run:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ValueError(_("{where} has no name. {hint}").format(where=where, hint=hint))
    settings = entry.get("settings", {})
    history = entry.get("history", {})
    if not isinstance(settings, dict) or not isinstance(history, dict):
        raise ValueError(
            _("{where} has settings or history that are not objects. {hint}").format(where=where, hint=hint)
        )
    clean: dict[str, list[float]] = {}
    for key, values in history.items():
        if not isinstance(values, list) or not all(
            value is None or (isinstance(value, int | float) and not isinstance(value, bool)) for value in values
        ):
            raise ValueError(
                _("{where}: history {key} must be a list of numbers. {hint}").format(
                    where=where, key=f"{key!r}", hint=hint
                )
            )
        clean[str(key)] = [math.nan if value is None else float(value) for value in values]
    return Run(entry["name"], settings, clean)

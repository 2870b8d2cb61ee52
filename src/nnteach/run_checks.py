"""Which runs of a loaded run log can be shown, and one sentence for each that cannot.

UI-free: ``RunComparison.load_runs`` keeps the good runs of a log and names the bad ones,
instead of letting one bad run (a name ``""``, a history that is not numbers) clear the runs
already shown.

Example:
    >>> from nnteach.training import Run
    >>> good, refused = split_runs([Run("rate=0", {}, {"loss": [0.3]}), Run("", {}, {"loss": [0.2]})])
    >>> [run.name for run in good], refused
    (['rate=0'], ['Run 2 has an empty name. Expected a name such as "rate=0.2".'])
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

__all__ = ["MAX_NAME", "run_problem", "split_runs"]

#: Longest run name shown in a legend.
MAX_NAME = 100


def run_problem(run: Any, position: int) -> str | None:
    """Why ``run`` (the ``position``-th of a log, from 1) cannot be shown, or None when it can.

    Example:
        >>> from nnteach.training import Run
        >>> run_problem(Run("ok", {}, {"loss": [0.5, float("nan")]}), 1) is None
        True
    """
    name = getattr(run, "name", None)
    history = getattr(run, "history", None)
    if not isinstance(name, str) or not name.strip():
        return f'Run {position} has an empty name. Expected a name such as "rate=0.2".'
    if len(name) > MAX_NAME:
        return f"Run {position} has a name of {len(name):,} characters. Expected at most {MAX_NAME}; shorten it."
    if not isinstance(history, dict):
        return f"Run {name!r} has no history. Expected curves such as loss and val_loss, saved by RunLog.save()."
    for key, values in history.items():
        if not isinstance(values, list | tuple) or not all(
            isinstance(value, int | float) and not isinstance(value, bool) and not math.isinf(value) for value in values
        ):
            return f"Run {name!r} has a {key!r} curve that is not a list of numbers. Save the run again."
    return None


def split_runs(runs: Iterable[Any]) -> tuple[list[Any], list[str]]:
    """The runs that can be shown (a repeated name keeps the last run), and a sentence for each refused one."""
    good: dict[str, Any] = {}
    refused = []
    for position, run in enumerate(runs, start=1):
        problem = run_problem(run, position)
        if problem is None:
            good.pop(run.name, None)
            good[run.name] = run
        else:
            refused.append(problem)
    return list(good.values()), refused

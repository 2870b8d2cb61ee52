"""nnteach.run_checks: a loaded run log's bad runs are named, the good ones kept."""

from __future__ import annotations

from nnteach.run_checks import run_problem, split_runs
from nnteach.training import Run, RunLog


def test_bad_runs_are_named_and_the_rest_kept_in_order() -> None:
    runs = [
        Run("rate=0", {}, {"val_loss": [0.3, 0.2]}),
        Run("", {}, {"val_loss": [0.1]}),
        Run("   ", {}, {}),
        Run("x" * 300, {}, {}),
        Run("bad curve", {}, {"val_loss": ["0.1"]}),  # type: ignore[list-item]
        Run("rate=0.2", {}, {"val_loss": [0.4, float("nan")]}),
        Run("rate=0", {}, {"val_loss": [0.35]}),  # the same name again: the later run is kept
    ]
    good, refused = split_runs(runs)
    assert [(run.name, run.history["val_loss"][0]) for run in good] == [("rate=0.2", 0.4), ("rate=0", 0.35)]
    assert refused == [
        'Run 2 has an empty name. Expected a name such as "rate=0.2".',
        'Run 3 has an empty name. Expected a name such as "rate=0.2".',
        "Run 4 has a name of 300 characters. Expected at most 100; shorten it.",
        "Run 'bad curve' has a 'val_loss' curve that is not a list of numbers. Save the run again.",
    ]


def test_a_log_read_from_json_with_an_empty_name_is_split() -> None:
    text = '{"format": "nnteach-runlog", "version": 1, "runs": [{"name": "", "history": {}}, {"name": "ok", "history": {"loss": [1]}}]}'
    good, refused = split_runs(RunLog.from_json(text))
    assert [run.name for run in good] == ["ok"] and len(refused) == 1
    assert run_problem(good[0], 2) is None

"""RunLogFiles: a comparison's runs round-trip through a named file in the work folder, nowhere else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nnteach.paths import work_dir
from nnteach.widgets import RunComparison, RunLogFiles


def _browser_update(widget: Any, state: dict[str, Any]) -> None:
    message = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    widget._handle_msg(message)  # noqa: SLF001, RUF100 - the entry point a comm message from the browser takes


@pytest.fixture
def comparison() -> Any:
    view = RunComparison(metric="val_loss")
    yield view
    view.close()


def test_save_then_load_in_another_comparison(comparison: Any) -> None:
    comparison.runs.add("rate=0", {"epochs": 2}, {"val_loss": [0.3, 0.2]})
    comparison.runs.add("rate=0.5", {"epochs": 2}, {"val_loss": [0.4, 0.25]})
    files = RunLogFiles(comparison, name="homework 3b")
    files.controls["save"].click()  # what the learner's button does
    path = work_dir() / "homework 3b.json"
    assert files.errors.message == "" and files.status == "Saved to homework 3b.json in your work folder."
    assert path.exists() and "rate=0.5" in json.dumps(json.loads(path.read_text()))
    other = RunComparison(metric="val_loss")
    loader = RunLogFiles(other)
    loader.controls["name"].value = "homework 3b"  # typed in the name box
    loader.controls["load"].click()
    assert loader.errors.message == "", loader.errors.message
    assert list(other.run_names) == ["rate=0", "rate=0.5"] and loader.status == "Loaded 2 runs from homework 3b.json."
    for widget in (files, loader, other):
        widget.close()


def test_saving_nothing_and_bad_names_are_sentences(comparison: Any, tmp_path: Path) -> None:
    files = RunLogFiles(comparison)
    files.controls["save"].click()
    assert files.errors.message.startswith("There is no run log to save yet"), files.errors.message
    with pytest.raises(ValueError, match="There is no run log to save yet"):
        files.save()
    files.name = "../outside"
    files.controls["load"].click()
    assert "not allowed" in files.errors.message and not list(tmp_path.parent.glob("outside.json"))
    files.name = "never saved"
    files.controls["load"].click()
    assert files.errors.message != "" and files.status.startswith("Run the experiment")
    files.close()


def test_refuses_what_is_not_a_comparison_and_browser_writes(comparison: Any) -> None:
    with pytest.raises(TypeError, match=r"Expected a RunComparison .* Received str"):
        RunLogFiles("runs")
    files = RunLogFiles(comparison)
    _browser_update(files, {"status": "forged", "name": "x"})
    assert files.status.startswith("Run the experiment") and files.name == "dropout homework"
    files.close()

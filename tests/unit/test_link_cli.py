"""`nnteach link`: a teacher link from the command line, checked against the lesson's widget names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nnteach import cli, link_cli


@pytest.fixture
def lessons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cell = "from nnteach.widgets import page_links\npage_links(softmax=view, explorer=explorer)\n"
    notebook = {"cells": [{"cell_type": "code", "source": cell, "metadata": {}, "outputs": []}], "nbformat": 4}
    (tmp_path / "05_activation_functions.ipynb").write_text(json.dumps(notebook))
    monkeypatch.setattr(link_cli, "lessons_dir", lambda: tmp_path)
    return tmp_path


def test_link_from_settings(lessons: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert link_cli.lesson_widget_names(lessons / "05_activation_functions.ipynb") == ["softmax", "explorer"]
    status = cli.main(
        ["link", "05_activation_functions", "softmax.logits=3,1,0.2", "lock=softmax.temperature", "--projector"]
    )
    assert status == 0
    assert capsys.readouterr().out.strip() == (
        "http://127.0.0.1:8866/voila/render/05_activation_functions.ipynb"
        "?projector=1&softmax.logits=3,1,0.2&lock=softmax.temperature"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["../../etc/passwd"], "Expected a lesson name. Received '../../etc/passwd'"),
        (["nope"], "Expected a lesson name. Received 'nope'; use one of: 05_activation_functions"),
        (["05_activation_functions", "oven.heat=3"], "oven: not a widget of 05_activation_functions"),
        (["05_activation_functions", "temperature=3"], "temperature was ignored: expected <widget>.<setting>"),
    ],
)
def test_bad_links_are_one_sentence(
    lessons: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert cli.main(["link", *arguments]) == 2
    assert message in capsys.readouterr().err

"""`nnteach class status|export|reset` against a real class database."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnteach import cli
from nnteach.classroom import ClassStore


def _class_with_two_digits(url: str) -> None:
    store = ClassStore(url)
    store.join("hub:a", "A")
    store.share_digit("hub:a", 1, np.full((28, 28), 11, np.uint8))
    store.share_digit("hub:a", 2, np.full((28, 28), 22, np.uint8))
    store.close()


def test_export_then_reset(class_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _class_with_two_digits(class_url)
    assert cli.main(["class", "status", "--db", class_url]) == 0
    assert "1 learners, 2 shared digits and 0 runs" in capsys.readouterr().out
    target = tmp_path / "our.npz"
    assert cli.main(["class", "export", "--db", class_url, str(target)]) == 0
    with np.load(target) as saved:
        assert saved["y"].tolist() == [1, 2]
        assert saved["x"][1].max() == 22
    assert cli.main(["class", "reset", "--db", class_url, "--yes"]) == 0
    assert "Removed 1 learners, 2 digits and 0 runs." in capsys.readouterr().out
    assert ClassStore(class_url).counts() == {"learners": 0, "digits": 0, "runs": 0}


def test_reset_asks_first_and_keeps_everything_unless_confirmed(
    class_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _class_with_two_digits(class_url)
    monkeypatch.setattr("builtins.input", lambda _prompt: "no")
    assert cli.main(["class", "reset", "--db", class_url]) == 1
    assert "Nothing was removed." in capsys.readouterr().err
    assert ClassStore(class_url).counts()["digits"] == 2


def test_an_unreachable_database_is_one_line_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["class", "status", "--db", "postgresql+psycopg://x:pw@127.0.0.1:9/none"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("nnteach class: The class space is not available right now")
    assert "pw" not in error

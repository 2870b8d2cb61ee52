"""Issue 15 item 2: learners on one server keep their own files, and no save silently replaces different work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnteach import paths
from nnteach.examples import ExampleSet, NameTaken, example_path
from nnteach.models import saved_models
from nnteach.paths import learner_dir, learner_folder_name, work_dir

SECRET_A = "a" * 43
SECRET_B = "b" * 43


@pytest.fixture(autouse=True)
def _fresh_page_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JUPYTERHUB_USER", "SERVER_SOFTWARE", "HTTP_COOKIE", "VOILA_PREHEAT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(paths, "_PAGE_IDENTITY", [])


def _as_learner(monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    """This kernel serves the Voila page of the browser holding ``secret``."""
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("HTTP_COOKIE", f"nnteach_learner={secret}")


def _digits(*labels: int) -> ExampleSet:
    rng = np.random.default_rng(sum(labels) + len(labels))
    return ExampleSet(rng.random((len(labels), 28, 28)).astype(np.float32), list(labels))


# -- which folder ---------------------------------------------------------------------------------


def test_a_learners_own_notebook_keeps_the_work_folder() -> None:
    assert learner_dir() == work_dir()
    assert example_path("class 3b") == work_dir() / "class 3b.npz"


def test_each_learner_on_a_server_gets_a_hashed_folder_of_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    _as_learner(monkeypatch, SECRET_A)
    mine = learner_dir()
    assert mine.parent == work_dir() / "learners" and mine.is_dir()
    assert mine.name == learner_folder_name(
        f"browser:{__import__('hashlib').sha256(SECRET_A.encode()).hexdigest()[:40]}"
    )
    assert SECRET_A not in str(mine), "the secret never becomes a path"
    _as_learner(monkeypatch, SECRET_B)
    assert learner_dir() != mine
    _as_learner(monkeypatch, SECRET_A)
    assert learner_dir() == mine, "the same browser finds its folder again"


def test_hub_users_get_folders_named_by_a_hash_not_by_their_name(tmp_path: Path) -> None:
    ken = learner_dir({"NNTEACH_WORKDIR": str(tmp_path), "JUPYTERHUB_USER": "ken"})
    mia = learner_dir({"NNTEACH_WORKDIR": str(tmp_path), "JUPYTERHUB_USER": "mia"})
    assert ken != mia and ken.parent == mia.parent == tmp_path / "learners"
    assert "ken" not in ken.name and ken.name.startswith("learner-")


def test_a_voila_page_without_a_secret_keeps_one_random_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    first = learner_dir()
    assert first.parent == work_dir() / "learners"
    assert learner_dir() == first, "the page finds its own files on every save"
    monkeypatch.setattr(paths, "_PAGE_IDENTITY", [])  # another page's kernel
    assert learner_dir() != first


# -- saves never silently replace different work -----------------------------------------------------


def test_a_different_set_is_refused_and_a_free_name_offered() -> None:
    path = _digits(1, 2, 3, 4, 5).save("class 3b")
    before = path.read_bytes()
    with pytest.raises(
        NameTaken,
        match=r"Received 2 examples for 'class 3b', which already holds a different set of 5 examples; save them as 'class 3b 2' instead",
    ) as refused:
        _digits(7, 7).save("class 3b")
    assert refused.value.suggestion == "class 3b 2"
    assert path.read_bytes() == before
    assert _digits(7, 7).save(refused.value.suggestion).name == "class 3b 2.npz"


def test_an_empty_set_never_replaces_saved_examples() -> None:
    path = _digits(1, 2, 3, 4, 5).save("class 3b")
    before = path.read_bytes()
    with pytest.raises(
        ValueError,
        match=r"Received an empty set, and 'class 3b' already holds saved examples, which an empty set never replaces",
    ):
        ExampleSet().save("class 3b")
    assert path.read_bytes() == before


def test_the_same_set_grown_is_saved_over_itself() -> None:
    mine = _digits(1, 2)
    mine.save("mine")
    mine.save("mine")  # the same examples again
    loaded = ExampleSet.load("mine")
    loaded.add(np.ones((28, 28), np.float32), 9)
    loaded.save("mine")
    assert ExampleSet.load("mine").arrays()[1].tolist() == [1, 2, 9]


def test_an_unreadable_file_is_not_replaced_either() -> None:
    path = example_path("damaged")
    path.write_bytes(b"not a zip")
    with pytest.raises(NameTaken, match="already holds a file nnteach cannot read"):
        _digits(3).save("damaged")
    assert path.read_bytes() == b"not a zip"


def test_the_canvas_offers_the_free_name_in_its_file_box(closing: Any) -> None:
    from nnteach.widgets import DigitCanvas

    _digits(1, 2, 3).save("class 3b")
    canvas = closing(DigitCanvas())
    canvas.example_set = _digits(4)
    canvas.examples_file = "class 3b"
    canvas.controls["save"].click()
    assert "save them as 'class 3b 2' instead" in canvas.errors.message
    assert canvas.examples_file == "class 3b 2" and canvas.controls["file"].value == "class 3b 2"
    canvas.controls["save"].click()
    assert canvas.examples_summary.startswith("Saved to class 3b 2.npz.") and canvas.errors.message == ""
    assert ExampleSet.load("class 3b").arrays()[1].tolist() == [1, 2, 3]


# -- learners keep their own examples, models and run logs -----------------------------------------


def test_two_learners_saving_the_same_name_keep_both(monkeypatch: pytest.MonkeyPatch) -> None:
    _as_learner(monkeypatch, SECRET_A)
    _digits(1, 2, 3, 4, 5).save("class 3b")
    _as_learner(monkeypatch, SECRET_B)
    ExampleSet().save("class 3b")  # a classmate's empty set: saved in their own folder
    assert len(ExampleSet.load("class 3b")) == 0
    _as_learner(monkeypatch, SECRET_A)
    assert ExampleSet.load("class 3b").arrays()[1].tolist() == [1, 2, 3, 4, 5]


def test_the_model_picker_lists_only_the_learners_own_models(monkeypatch: pytest.MonkeyPatch, closing: Any) -> None:
    from nnteach.widgets import ModelPicker

    _as_learner(monkeypatch, SECRET_A)
    (learner_dir() / "anna's mlp.keras").write_bytes(b"")
    _as_learner(monkeypatch, SECRET_B)
    (learner_dir() / "ben's mlp.keras").write_bytes(b"")
    assert saved_models() == ["ben's mlp"]
    picker = closing(ModelPicker())
    assert picker.options[2:] == ("ben's mlp",)


def test_run_logs_go_to_the_learners_folder(monkeypatch: pytest.MonkeyPatch, closing: Any) -> None:
    from nnteach.widgets import RunComparison, RunLogFiles

    _as_learner(monkeypatch, SECRET_A)
    files = closing(RunLogFiles(closing(RunComparison()), name="homework"))
    assert files.path == learner_dir() / "homework.json" and files.path.parent != work_dir()


def test_saving_a_run_log_over_different_runs_asks_for_a_new_name(closing: Any) -> None:
    from nnteach.training import RunLog
    from nnteach.widgets import RunComparison, RunLogFiles

    comparison = closing(RunComparison(metric="val_loss"))
    comparison.runs.add("rate=0", {"epochs": 2}, {"val_loss": [0.3, 0.2]})
    files = closing(RunLogFiles(comparison, name="homework"))
    files.save()
    files.save()  # the same runs again: nothing replaced, nothing asked
    assert files.status == "Saved to homework.json in your work folder."
    comparison.runs.add("rate=0.5", {"epochs": 2}, {"val_loss": [0.4, 0.25]})
    files.controls["save"].click()
    assert "already holds other runs" in files.errors.message and files.name == "homework 2"
    assert RunLog.load(learner_dir() / "homework.json").names == ["rate=0"]  # the saved log is untouched
    files.controls["save"].click()  # Save again keeps both
    assert files.errors.message == "" and files.status == "Saved to homework 2.json in your work folder."
    assert RunLog.load(learner_dir() / "homework 2.json").names == ["rate=0", "rate=0.5"]
    files.name = "homework"
    files.save(replace=True)  # on purpose
    assert RunLog.load(learner_dir() / "homework.json").names == ["rate=0", "rate=0.5"]

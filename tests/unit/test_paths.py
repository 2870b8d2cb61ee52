"""Every place nnteach reads or writes comes from nnteach.paths, and follows the environment it documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nnteach import paths


def test_caches_follow_their_environment_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNTEACH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    assert paths.cache_dir() == tmp_path / "cache"
    assert paths.mnist_cache_file() == tmp_path / "cache" / "mnist.npz"
    assert paths.keras_mnist_file() == tmp_path / "keras" / "datasets" / "mnist.npz"
    monkeypatch.delenv("NNTEACH_CACHE")
    assert paths.cache_dir().name == "nnteach"  # the platform's user cache folder


def test_work_dir_is_created_where_the_learner_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNTEACH_WORKDIR", str(tmp_path / "work"))
    assert paths.work_dir() == tmp_path / "work" and (tmp_path / "work").is_dir()
    given = paths.work_dir({"NNTEACH_WORKDIR": str(tmp_path / "given")}, create=False)
    assert given == tmp_path / "given" and not given.exists()
    assert paths.work_dir({}, create=False) == Path.home() / "nnteach-work"


@pytest.mark.parametrize("name", ["reference_mlp.npz", "reference_softmax_regression.npz", "dropout_experiment.json"])
def test_packaged_results_are_found(name: str) -> None:
    assert paths.packaged_file(name).is_file()


def test_packaged_run_log_is_what_the_file_holds() -> None:
    from nnteach.packaged import reference_dropout_runlog

    document = json.loads(paths.packaged_file("dropout_experiment.json").read_text(encoding="utf-8"))
    assert reference_dropout_runlog().names == [run["name"] for run in document["runs"]]

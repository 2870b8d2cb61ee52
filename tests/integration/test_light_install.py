"""A plain `pip install nnteach` (no extras): the NumPy widgets work, Keras and Voila are named extras."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_USE_NUMPY_WIDGETS = """
import importlib.util
import nnteach
from nnteach.widgets import OneHotSoftmaxView, PerceptronView, ProbabilityBars
from nnteach._tf import KerasMissing, import_keras

assert importlib.util.find_spec("tensorflow") is None and importlib.util.find_spec("keras") is None
view = OneHotSoftmaxView(logits=(2, -1, 1, 1))
print("softmax", [round(p, 2) for p in view.probabilities])
print("perceptron", type(PerceptronView()).__name__)
print("bars", ProbabilityBars(values=(0.2, 0.8)).highlight)
print("reference", nnteach.reference_mlp().count_params())
try:
    import_keras()
except KerasMissing as error:
    print("keras:", error)
"""


@pytest.fixture(scope="module")
def light_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with nnteach installed from its wheel without extras (dependencies from the registry)."""
    work = tmp_path_factory.mktemp("light")
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(work / "dist"), str(ROOT)], check=True, env=env, timeout=600)
    wheel = next((work / "dist").glob("nnteach-*.whl"))
    venv.create(work / "venv", with_pip=True)
    python = work / "venv" / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-c", str(ROOT / "constraints.txt"), str(wheel)],
        check=True,
        env=env,
        timeout=900,
    )
    return python


def test_numpy_widgets_work_without_tensorflow(light_venv: Path, tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [str(light_venv), "-c", _USE_NUMPY_WIDGETS],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "softmax [0.56, 0.03, 0.21, 0.21]" in result.stdout
    assert "perceptron PerceptronView" in result.stdout
    assert "bars 1" in result.stdout
    assert "reference 101770" in result.stdout
    assert "keras: This part of nnteach trains or loads a Keras model, but TensorFlow is not installed" in result.stdout
    assert 'pip install "nnteach[keras]"' in result.stdout


def test_serve_without_voila_names_the_lessons_extra(light_venv: Path, tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [str(light_venv.parent / "nnteach"), "serve", "--no-browser"],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2
    assert 'pip install "nnteach[lessons]"' in result.stderr
    assert "Traceback" not in result.stderr

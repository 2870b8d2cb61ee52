"""`import nnteach` and `import nnteach.widgets` never load TensorFlow or Keras (checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import clean_env, heavy_modules_after, modules_after


@pytest.mark.parametrize(
    "code",
    [
        "import nnteach",
        "import nnteach.widgets",
        "import nnteach; nnteach.reference_mlp().predict(__import__('numpy').zeros((28, 28)))",
        "import nnteach.cli, nnteach.data, nnteach.paths, nnteach.images",
    ],
)
def test_light_imports_do_not_load_tensorflow(code: str) -> None:
    assert "nnteach" in modules_after(code)
    assert heavy_modules_after(code) == []


def test_the_helper_names_heavy_modules_and_explains_a_failing_snippet() -> None:
    """The check above can fail: a module registered as ``keras.src`` counts as Keras (no real import needed)."""
    assert heavy_modules_after("import sys, json; sys.modules['keras.src'] = json; print('chatter')") == ["keras"]
    with pytest.raises(AssertionError, match=r"the snippet failed \(exit 1\)(?s:.*)ZeroDivisionError"):
        heavy_modules_after("1 / 0")


def test_clean_env_keeps_this_checkout_out_of_another_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "src")
    monkeypatch.setenv("VIRTUAL_ENV", ".venv")
    monkeypatch.setenv("NNTEACH_CACHE", "cache-folder")
    env = clean_env(PIP_NO_INDEX="1")
    assert "PYTHONPATH" not in env and "VIRTUAL_ENV" not in env
    assert (env["NNTEACH_CACHE"], env["PIP_NO_INDEX"]) == ("cache-folder", "1")


@pytest.mark.keras
def test_tensorflow_is_quiet_and_lazy() -> None:
    code = (
        "import os; os.environ.pop('TF_CPP_MIN_LOG_LEVEL', None); os.environ.pop('TF_ENABLE_ONEDNN_OPTS', None)\n"
        "from nnteach._tf import import_keras; keras = import_keras()\n"
        "print(os.environ['TF_CPP_MIN_LOG_LEVEL'], os.environ['TF_ENABLE_ONEDNN_OPTS'], keras.__version__[:2])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    assert result.stdout.split() == ["3", "0", "3."]


def test_user_settings_for_tensorflow_logging_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from nnteach import _tf

    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    _tf.quiet_tensorflow()
    import os

    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"

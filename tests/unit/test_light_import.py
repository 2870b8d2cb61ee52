"""`import nnteach` and `import nnteach.widgets` never load TensorFlow or Keras (checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import heavy_modules_after, modules_after


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

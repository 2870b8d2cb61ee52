"""Models for the lessons: the packaged reference models (NumPy, no TensorFlow) and the learner's saved ``.keras`` files.

One module per job: ``reference`` (``NumpyModel``, ``reference_mlp()``,
``reference_softmax_regression()``) and ``saved`` (``save_model``, ``load_saved``,
``saved_models``). ``as_pixels`` lives in :mod:`nnteach.pixels`. Everything is re-exported here.

Example:
    >>> from nnteach.models import reference_mlp
    >>> reference_mlp().count_params()
    101770
"""

from __future__ import annotations

from nnteach.models.reference import NumpyModel, reference_mlp, reference_softmax_regression
from nnteach.models.saved import load_saved, save_model, saved_models
from nnteach.pixels import as_pixels

__all__ = [
    "NumpyModel",
    "as_pixels",
    "load_saved",
    "reference_mlp",
    "reference_softmax_regression",
    "save_model",
    "saved_models",
]

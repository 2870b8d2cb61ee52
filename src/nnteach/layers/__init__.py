"""Model specs as plain data: the layers the MNIST tutorials use, checked and explained without TensorFlow.

One module per job: ``kinds`` (the layer dataclasses), ``spec`` (``ModelSpec``,
``CompileSpec``, the tutorials' ``PRESETS``), ``validation`` (``validate`` explains every
mistake in one sentence), ``model_summary`` (what Keras' ``model.summary()`` would print),
``codegen`` (``to_code`` writes the Keras code in the tutorials' three styles, ``to_keras``
builds it). Everything is re-exported here.

Example:
    >>> from nnteach.layers import Dense, Dropout, Flatten, ModelSpec, summary, validate
    >>> spec = ModelSpec((Flatten(), Dense(128, "relu"), Dropout(0.2), Dense(10, "softmax")))
    >>> validate(spec)
    []
    >>> summary(spec).total_params
    101770
    >>> [p.message for p in validate(ModelSpec((Flatten(), Dropout(1.0), Dense(10))))][0][:28]
    'Layer 2 (Dropout) has rate 1'
"""

from __future__ import annotations

from nnteach.layers.codegen import from_keras, to_code, to_keras
from nnteach.layers.kinds import Activation, BatchNormalization, Dense, Dropout, Flatten, Layer
from nnteach.layers.model_summary import Summary, SummaryRow, summary
from nnteach.layers.spec import PRESETS, CompileSpec, ModelSpec
from nnteach.layers.validation import (
    PARAM_BUDGET,
    Problem,
    budget_problem,
    check_compile,
    final_activation,
    output_shapes,
    validate,
)

__all__ = [
    "PARAM_BUDGET",
    "PRESETS",
    "Activation",
    "BatchNormalization",
    "CompileSpec",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "ModelSpec",
    "Problem",
    "Summary",
    "SummaryRow",
    "budget_problem",
    "check_compile",
    "final_activation",
    "from_keras",
    "output_shapes",
    "summary",
    "to_code",
    "to_keras",
    "validate",
]

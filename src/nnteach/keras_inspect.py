"""Reading a Keras model without running it: its image input, its labels, its outputs, whether it can train.

Every nnteach function that receives a learner's model asks here: which image shape it takes
(``(28, 28)``, ``(784,)`` or ``(28, 28, 1)``), whether its loss wants one-hot or sparse
labels, whether its outputs are logits or probabilities, whether it is compiled, and whether
it can be trained on MNIST in a classroom. Nothing here imports Keras.

Example:
    >>> class Compiled:
    ...     loss = "categorical_crossentropy"
    >>> wants_one_hot(Compiled())
    True
    >>> outputs_are_probabilities([[0.25, 0.75]]), outputs_are_probabilities([[2.0, -1.0]])
    (True, False)
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnteach.i18n import _
from nnteach.layers.validation import PARAM_BUDGET, budget_problem

__all__ = [
    "IMAGE_SHAPES",
    "check_trainable",
    "image_input_shape",
    "is_compiled",
    "is_keras_model",
    "outputs_are_probabilities",
    "shape_for_model",
    "wants_one_hot",
]

#: The shapes of one MNIST image a model may take.
IMAGE_SHAPES: tuple[tuple[int, ...], ...] = ((28, 28), (784,), (28, 28, 1))
# Rows of probabilities sum to 1 within float32 rounding; anything further off is logits.
_SUM_TOLERANCE = 1e-3


def is_keras_model(model: Any) -> bool:
    """True for a ``keras.Model``; never imports Keras (a Keras model exists only if Keras is imported).

    Example:
        >>> is_keras_model(object())
        False
    """
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(model, keras.Model)


def _name(model: Any) -> str:
    return str(getattr(model, "name", type(model).__name__))


def image_input_shape(model: Any) -> tuple[int, ...]:
    """The shape one image must have for ``model``: ``(28, 28)``, ``(784,)`` or ``(28, 28, 1)``.

    A model whose input is not known yet (subclassed, or not built) is trusted to take
    ``(28, 28)``. Raises ``ValueError`` for several inputs or another shape.

    Example:
        >>> image_input_shape(object())
        (28, 28)
    """
    try:
        inputs = list(getattr(model, "inputs", None) or ())
    except (AttributeError, ValueError):  # Keras raises when a model's inputs are not defined yet
        inputs = []
    if len(inputs) > 1:
        raise ValueError(
            _(
                "Expected a Keras model with one image input. Received model {name} with {count} "
                "inputs; give it a single input of shape (28, 28) or (784,)."
            ).format(name=repr(_name(model)), count=len(inputs))
        )
    try:
        shape = tuple(inputs[0].shape[1:]) if inputs else (28, 28)
    except (AttributeError, TypeError, ValueError):
        shape = (28, 28)
    if shape in IMAGE_SHAPES:
        return tuple(int(size) for size in shape)
    raise ValueError(
        _(
            "Expected a Keras model with input shape (28, 28) or (784,). Received model {name} with input "
            "shape {shape}; start it with keras.Input(shape=(28, 28))."
        ).format(name=repr(_name(model)), shape=shape)
    )


def shape_for_model(model: Any, pixels: NDArray[np.float32]) -> NDArray[np.float32]:
    """A batch of ``(n, 28, 28)`` images reshaped to what ``model`` takes (e.g. ``(n, 784)``).

    Example:
        >>> shape_for_model(object(), np.zeros((2, 784), np.float32)).shape
        (2, 28, 28)
    """
    return pixels.reshape((len(pixels), *image_input_shape(model)))


def _loss_name(loss: Any) -> str:
    if isinstance(loss, str):
        return loss
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    return str(name)


def wants_one_hot(model: Any) -> bool:
    """True when the model's loss expects one-hot labels (any loss whose name lacks "sparse").

    Example:
        >>> class Sparse:
        ...     loss = "sparse_categorical_crossentropy"
        >>> wants_one_hot(Sparse())
        False
    """
    loss = getattr(model, "loss", None)
    if isinstance(loss, dict | list | tuple):
        raise ValueError(
            _(
                "Expected a model with one output and one loss. Received losses {loss}. "
                "Compile the model with a single loss, e.g. loss='sparse_categorical_crossentropy'."
            ).format(loss=repr(loss))
        )
    return "sparse" not in _loss_name(loss).lower().replace("_", "")


def is_compiled(model: Any) -> bool:
    """True when ``model.compile(...)`` has been called (Keras sets ``compiled`` and an optimizer).

    Example:
        >>> is_compiled(object())
        False
    """
    return bool(getattr(model, "compiled", False)) and getattr(model, "optimizer", None) is not None


def outputs_are_probabilities(outputs: ArrayLike) -> bool:
    """True when every row is non-negative and sums to 1 (within float32 rounding); otherwise they are logits.

    Example:
        >>> outputs_are_probabilities([[0.1, 0.9], [0.5, 0.5]])
        True
    """
    array = np.asarray(outputs, dtype=np.float64)
    return bool(np.all(array >= 0.0) and np.allclose(array.sum(axis=-1), 1.0, rtol=0.0, atol=_SUM_TOLERANCE))


def check_trainable(model: Any) -> None:
    """Refuse, with one sentence, a model that cannot be trained on MNIST here (before any memory is spent).

    It must be a compiled Keras model with one loss, an image input, 10 outputs and at most
    the classroom's parameter budget.

    Example:
        >>> check_trainable(42)
        Traceback (most recent call last):
        ...
        TypeError: Expected a Keras model (or a LayerStackBuilder). Received int. Build one with keras.Sequential([...]) or nnteach.training.seed_mlp().
    """
    if not hasattr(model, "train_on_batch") or not hasattr(model, "count_params"):
        raise TypeError(
            _(
                "Expected a Keras model (or a LayerStackBuilder). Received {kind}. "
                "Build one with keras.Sequential([...]) or nnteach.training.seed_mlp()."
            ).format(kind=type(model).__name__)
        )
    if not is_compiled(model):
        raise ValueError(
            _(
                "Expected a compiled model. Received a model that was never compiled. Call "
                "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy']) first."
            )
        )
    wants_one_hot(model)
    image_input_shape(model)
    outputs = getattr(model, "outputs", None)
    if outputs:
        units = outputs[0].shape[-1]
        if units != 10:
            raise ValueError(
                _(
                    "Expected a model with 10 outputs, one per digit. Received {units} outputs. "
                    "End the model with Dense(10, activation='softmax')."
                ).format(units=units)
            )
    if getattr(model, "built", False):
        too_big = budget_problem(int(model.count_params()), PARAM_BUDGET)
        if too_big:
            raise ValueError(too_big)

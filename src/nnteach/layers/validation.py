"""Every mistake in a model spec or its compile settings, explained in one plain sentence each.

``validate`` checks a ``ModelSpec`` (shapes, settings, the 10 MNIST classes, the classroom
parameter budget), ``check_compile`` the compile settings against it. ``budget_problem`` is
the one wording of the parameter budget, also used for built Keras models.

Example:
    >>> from nnteach.layers.kinds import Dropout, Flatten, Dense
    >>> from nnteach.layers.spec import ModelSpec
    >>> [p.message for p in validate(ModelSpec((Flatten(), Dropout(1.0), Dense(10))))][0][:28]
    'Layer 2 (Dropout) has rate 1'
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Literal

from nnteach.activations import KERAS_NAMES
from nnteach.i18n import _
from nnteach.layers.kinds import LAYER_KINDS, Activation, BatchNormalization, Dense, Dropout, Flatten, Shape
from nnteach.layers.spec import LOSSES, METRICS, OPTIMIZERS, CompileSpec, ModelSpec
from nnteach.numbers import grouped

__all__ = [
    "PARAM_BUDGET",
    "Problem",
    "budget_problem",
    "check_compile",
    "final_activation",
    "output_shapes",
    "validate",
]

#: Models with more parameters than this are refused: a classroom kernel would run out of memory.
PARAM_BUDGET = 5_000_000


@dataclass(frozen=True)
class Problem:
    """One mistake explained in a plain sentence; ``layer_index`` is None when it concerns the whole model.

    ``severity`` is ``"error"`` (the model cannot be built or trained on MNIST) or ``"warning"``
    (Keras accepts it, but it is probably not what was meant).
    """

    layer_index: int | None
    message: str
    severity: Literal["error", "warning"] = "error"

    @property
    def blocking(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return self.message


def _label(index: int, layer: object) -> str:
    return _("Layer {number} ({kind})").format(number=index + 1, kind=getattr(layer, "kind", type(layer).__name__))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _activation_problem(index: int, layer: object, name: object, *, allow_none: bool) -> str | None:
    if name is None and allow_none:
        return None
    if isinstance(name, str) and name in KERAS_NAMES:
        return None
    known = ", ".join(KERAS_NAMES)
    hint = ""
    if isinstance(name, str):
        close = difflib.get_close_matches(name.lower(), KERAS_NAMES, n=1)
        hint = " " + _("Did you mean {name}?").format(name=repr(close[0])) if close else ""
    expected = _("{known} or None").format(known=known) if allow_none else known
    message = _("{layer} has an unknown activation {name}; expected one of {expected}.")
    return message.format(layer=_label(index, layer), name=repr(name), expected=expected) + hint


def _layer_problems(index: int, layer: object) -> tuple[list[Problem], bool]:
    """Problems of one layer's own settings, and whether its output shape can still be computed."""
    problems: list[Problem] = []
    shape_known = True
    if not isinstance(layer, Flatten | Dense | Dropout | BatchNormalization | Activation):
        message = _(
            "Layer {number} is a {kind}, but the builder knows {kinds}. Use one of those (from nnteach.layers)."
        ).format(number=index + 1, kind=type(layer).__name__, kinds=", ".join(LAYER_KINDS))
        return [Problem(index, message)], False
    if isinstance(layer, Dense):
        units = layer.units
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            message = _(
                "{layer} needs a positive whole number of units. Received: units={units}. "
                "Use for example 128 hidden units, or 10 for the output layer."
            ).format(layer=_label(index, layer), units=f"{units!r:.40}")
            problems.append(Problem(index, message))
            shape_known = False
        found = _activation_problem(index, layer, layer.activation, allow_none=True)
        if found:
            problems.append(Problem(index, found))
    elif isinstance(layer, Dropout):
        rate = layer.rate
        if _is_number(rate) and rate == 1:
            message = _(
                "{layer} has rate 1.0, which drops every unit, so nothing reaches the next layer "
                "(Keras 3 accepts it and silently outputs zeros). Use a rate from 0 up to but not including 1, "
                "such as 0.2."
            ).format(layer=_label(index, layer))
            problems.append(Problem(index, message))
        elif not _is_number(rate) or not math.isfinite(rate) or not 0 <= rate < 1:
            message = _(
                "{layer} needs a rate from 0 up to but not including 1 (the fraction of values "
                "dropped while training). Received: rate={rate}. Use for example 0.2."
            ).format(layer=_label(index, layer), rate=repr(rate))
            problems.append(Problem(index, message))
    elif isinstance(layer, Activation):
        found = _activation_problem(index, layer, layer.name, allow_none=False)
        if found:
            problems.append(Problem(index, found))
    return problems, shape_known


def _input_shape_problem(input_shape: object) -> str | None:
    if (
        isinstance(input_shape, tuple)
        and input_shape
        and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in input_shape)
    ):
        return None
    return _(
        "The input shape must be a tuple of positive whole numbers, such as (28, 28) for MNIST images. "
        "Received: input_shape={shape}."
    ).format(shape=repr(input_shape))


def output_shapes(spec: ModelSpec) -> list[Shape]:
    """Each layer's output shape for one example (no batch dimension), computed without TensorFlow.

    Raises ``ValueError`` with the first problem that stops the computation (for example a
    Dense layer with 0 units).

    Example:
        >>> from nnteach.layers.spec import PRESETS
        >>> output_shapes(PRESETS["mlp"])
        [(784,), (128,), (128,), (10,)]
    """
    message = _input_shape_problem(spec.input_shape)
    if message:
        raise ValueError(message)
    shapes: list[Shape] = []
    shape: Shape = spec.input_shape
    for index, layer in enumerate(spec.layers):
        problems, shape_known = _layer_problems(index, layer)
        if not shape_known:
            raise ValueError(problems[0].message)
        shape = layer.output_shape(shape)
        shapes.append(shape)
    return shapes


def _count_params(spec: ModelSpec, shapes: list[Shape]) -> int:
    inputs = [spec.input_shape, *shapes][: len(shapes)]
    return sum(sum(layer.param_counts(shape)) for layer, shape in zip(spec.layers, inputs, strict=True))


def _shape_text(shape: Shape) -> str:
    return str((None, *shape))


def validate(spec: ModelSpec, *, max_params: int | None = PARAM_BUDGET, n_classes: int | None = 10) -> list[Problem]:
    """Every problem of ``spec``, in order, each explained in one plain sentence.

    ``n_classes`` is the width the model must end with (10 for MNIST; None skips the check);
    ``max_params`` is the parameter budget (None: no budget). Errors mean the model cannot be
    built or trained on MNIST; warnings explain something Keras allows that may not be meant.

    Example:
        >>> [p.message for p in validate(ModelSpec(()))]
        ['The model has no layers. Add layers, or pick a preset such as "mlp".']
    """
    message = _input_shape_problem(spec.input_shape)
    if message:
        return [Problem(None, message)]
    if not spec.layers:
        return [Problem(None, _('The model has no layers. Add layers, or pick a preset such as "mlp".'))]
    problems: list[Problem] = []
    shapes: list[Shape] = []
    shape: Shape = spec.input_shape
    warned_multi_d = False
    for index, layer in enumerate(spec.layers):
        found, shape_known = _layer_problems(index, layer)
        problems.extend(found)
        if not shape_known or len(shapes) < index:
            continue  # shapes after this layer are unknown; later layers still get their own checks
        if isinstance(layer, Dense) and len(shape) > 1 and not warned_multi_d:
            warned_multi_d = True
            result = layer.output_shape(shape)
            message = _(
                "{layer} receives {dims}-D input {shape} without a Flatten first, "
                "so it works on each of the {rows} rows of {values} values separately and "
                "outputs {result}. Add Flatten() before it if you meant one vector of "
                "{size} values per image."
            ).format(
                layer=_label(index, layer),
                dims=len(shape),
                shape=_shape_text(shape),
                rows=math.prod(shape[:-1]),
                values=shape[-1],
                result=_shape_text(result),
                size=math.prod(shape),
            )
            problems.append(Problem(index, message, "warning"))
        shape = layer.output_shape(shape)
        shapes.append(shape)
    if len(shapes) < len(spec.layers):
        return problems
    if n_classes is not None:
        last = len(spec.layers) - 1
        if len(shape) != 1:
            problems.append(
                Problem(
                    None,
                    _(
                        "The model outputs {shape}, but MNIST needs one row of {n} scores per "
                        "image, shape (None, {n}). Add Flatten() before the first Dense layer."
                    ).format(shape=_shape_text(shape), n=n_classes),
                )
            )
        elif shape[0] != n_classes:
            problems.append(
                Problem(
                    last,
                    _(
                        "The last layer outputs {values} values per image, but MNIST has {n} classes "
                        "(the digits 0-9). End the model with Dense({n}, activation='softmax')."
                    ).format(values=shape[0], n=n_classes),
                )
            )
    over_budget = budget_problem(_count_params(spec, shapes), max_params)
    if over_budget:
        problems.append(Problem(None, over_budget))
    return problems


def budget_problem(total: int, max_params: int | None = PARAM_BUDGET) -> str | None:
    """The one sentence refusing a model of ``total`` parameters over ``max_params`` (None when it fits).

    Used for specs (``validate``) and for built Keras models before training.

    Example:
        >>> budget_problem(101_770) is None
        True
        >>> budget_problem(6_000_000)[:78]
        'The model asks for 6,000,000 parameters, more than the classroom budget of 5,0'
    """
    if max_params is None or total <= max_params:
        return None
    megabytes = total * 4 * 4 / 1e6  # float32 weights, gradients and two Adam slots
    return _(
        "The model asks for {total} parameters, more than the classroom budget of {budget} "
        "(training it would need about {megabytes} MB and could stop the kernel). "
        "Use fewer units in the widest Dense layers."
    ).format(total=grouped(total), budget=grouped(max_params), megabytes=grouped(round(megabytes)))


def final_activation(spec: ModelSpec) -> str | None:
    """The activation applied last (Dropout and Flatten do not change it); None means linear.

    Example:
        >>> from nnteach.layers.spec import PRESETS
        >>> final_activation(PRESETS["mlp"]), final_activation(PRESETS["softmax_regression"])
        ('softmax', None)
    """
    for layer in reversed(spec.layers):
        if isinstance(layer, Dense):
            return None if layer.activation == "linear" else layer.activation
        if isinstance(layer, Activation):
            return None if layer.name == "linear" else layer.name
        if isinstance(layer, BatchNormalization):
            return None
    return None


def check_compile(model_spec: ModelSpec, compile_spec: CompileSpec) -> list[Problem]:
    """Explain settings that do not fit together: wrong values are errors, mismatches are warnings.

    Example:
        >>> from nnteach.layers.spec import PRESETS
        >>> [p.message[:45] for p in check_compile(PRESETS["mlp"], CompileSpec(from_logits=True))]
        ['The model already ends with softmax, but from']
    """
    problems: list[Problem] = []
    spec = compile_spec
    if spec.optimizer not in OPTIMIZERS:
        problems.append(
            Problem(
                None,
                _("Unknown optimizer {name}; expected 'adam' or 'sgd'. Pick one of those.").format(
                    name=repr(spec.optimizer)
                ),
            )
        )
    rate = spec.learning_rate
    if not _is_number(rate) or not math.isfinite(rate) or rate <= 0:
        problems.append(
            Problem(
                None,
                _(
                    "The learning rate must be a positive number. Received: learning_rate={rate}. "
                    "Try 0.001 for adam or 0.01 for sgd."
                ).format(rate=repr(rate)),
            )
        )
    elif rate > 1:
        problems.append(
            Problem(
                None,
                _(
                    "A learning rate of {rate} is very large: training will probably jump around or diverge. "
                    "Try 0.001 for adam or 0.01 for sgd."
                ).format(rate=f"{rate:g}"),
                "warning",
            )
        )
    if spec.loss not in LOSSES:
        problems.append(
            Problem(
                None,
                _(
                    "Unknown loss {name}; expected 'sparse_categorical_crossentropy' or "
                    "'categorical_crossentropy'. Use sparse_categorical_crossentropy for MNIST's digit labels."
                ).format(name=repr(spec.loss)),
            )
        )
    elif spec.loss == "categorical_crossentropy":
        problems.append(
            Problem(
                None,
                _(
                    "categorical_crossentropy expects one-hot labels of shape (n, 10), and MNIST's labels are the "
                    "digits 0-9: TrainingMonitor turns them into one-hot rows for you, so nothing changes there. "
                    "In your own fit code convert them with keras.utils.to_categorical(y, 10), or use "
                    "sparse_categorical_crossentropy."
                ),
                "warning",
            )
        )
    unknown = [metric for metric in spec.metrics if metric not in METRICS]
    if unknown:
        problems.append(
            Problem(
                None,
                _("Unknown metrics {names}; expected names from {known}. Use ('accuracy',).").format(
                    names=unknown, known=", ".join(METRICS)
                ),
            )
        )
    if not isinstance(spec.from_logits, bool):
        problems.append(
            Problem(
                None,
                _("from_logits must be True or False. Received: from_logits={value}.").format(
                    value=repr(spec.from_logits)
                ),
            )
        )
    last = final_activation(model_spec)
    if spec.from_logits is True and last == "softmax":
        problems.append(
            Problem(
                None,
                _(
                    "The model already ends with softmax, but from_logits=True makes the loss apply softmax again "
                    "(softmax applied twice), which flattens the probabilities and slows learning. "
                    "Set from_logits=False, or remove the final softmax."
                ),
                "warning",
            )
        )
    elif spec.from_logits is False and last != "softmax" and model_spec.layers:
        ending = _("no activation") if last is None else _("a {name} activation").format(name=last)
        problems.append(
            Problem(
                None,
                _(
                    "The model ends with {ending}, so it outputs raw scores (logits), not probabilities, but "
                    "from_logits=False tells the loss they are probabilities. Set from_logits=True, or end the model "
                    "with Dense(10, activation='softmax')."
                ).format(ending=ending),
                "warning",
            )
        )
    return problems

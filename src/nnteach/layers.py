"""Model specs as plain data: the layers the MNIST tutorials use, checked and explained without TensorFlow.

A ``ModelSpec`` is a frozen tuple of layers plus an input shape. ``validate`` explains every
mistake in one sentence, ``summary`` computes what Keras' ``model.summary()`` would print,
``to_code`` writes the Keras code in the tutorials' three styles, ``to_keras`` builds it.

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

import difflib
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from nnteach.activations import KERAS_NAMES

if TYPE_CHECKING:  # re-exported lazily (see __getattr__) so the modules can import this one
    from nnteach.codegen import from_keras, to_code, to_keras
    from nnteach.summary import Summary, SummaryRow, summary

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
    "check_compile",
    "final_activation",
    "from_keras",
    "output_shapes",
    "summary",
    "to_code",
    "to_keras",
    "validate",
]

#: Models with more parameters than this are refused: a classroom kernel would run out of memory.
PARAM_BUDGET = 5_000_000

Shape = tuple[int, ...]  # one example's shape, without the batch dimension


@dataclass(frozen=True)
class Flatten:
    """Reshapes each example into one vector: ``(28, 28)`` becomes ``(784,)``. No parameters."""

    kind: ClassVar[str] = "Flatten"

    def output_shape(self, input_shape: Shape) -> Shape:
        return (math.prod(input_shape),)

    def param_counts(self, input_shape: Shape) -> tuple[int, int]:  # noqa: ARG002 - same signature for every layer
        return (0, 0)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind}

    def __str__(self) -> str:
        return "Flatten()"


@dataclass(frozen=True)
class Dense:
    """A fully connected layer: ``units`` neurons, each with one weight per input and a bias."""

    units: int
    activation: str | None = None
    kind: ClassVar[str] = "Dense"

    def output_shape(self, input_shape: Shape) -> Shape:
        return (*input_shape[:-1], self.units)

    def param_counts(self, input_shape: Shape) -> tuple[int, int]:
        return (input_shape[-1] * self.units + self.units, 0)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "units": self.units, "activation": self.activation}

    def __str__(self) -> str:
        return f"Dense({self.units})" if self.activation is None else f"Dense({self.units}, {self.activation})"


@dataclass(frozen=True)
class Dropout:
    """While training, sets a random fraction ``rate`` of the values to zero. No parameters."""

    rate: float
    kind: ClassVar[str] = "Dropout"

    def output_shape(self, input_shape: Shape) -> Shape:
        return input_shape

    def param_counts(self, input_shape: Shape) -> tuple[int, int]:  # noqa: ARG002
        return (0, 0)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rate": self.rate}

    def __str__(self) -> str:
        return f"Dropout({self.rate})"


@dataclass(frozen=True)
class BatchNormalization:
    """Normalizes each feature; learns a scale and shift (trainable) and keeps running statistics (not trainable)."""

    kind: ClassVar[str] = "BatchNormalization"

    def output_shape(self, input_shape: Shape) -> Shape:
        return input_shape

    def param_counts(self, input_shape: Shape) -> tuple[int, int]:
        features = input_shape[-1]
        return (2 * features, 2 * features)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind}

    def __str__(self) -> str:
        return "BatchNormalization()"


@dataclass(frozen=True)
class Activation:
    """Applies an activation function (``"relu"``, ``"softmax"``, ...) to each value. No parameters."""

    name: str
    kind: ClassVar[str] = "Activation"

    def output_shape(self, input_shape: Shape) -> Shape:
        return input_shape

    def param_counts(self, input_shape: Shape) -> tuple[int, int]:  # noqa: ARG002
        return (0, 0)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name}

    def __str__(self) -> str:
        return f"Activation({self.name})"


Layer = Flatten | Dense | Dropout | BatchNormalization | Activation
LAYER_KINDS: dict[str, type[Layer]] = {
    cls.kind: cls for cls in (Flatten, Dense, Dropout, BatchNormalization, Activation)
}


@dataclass(frozen=True)
class ModelSpec:
    """A Sequential model as data: its layers in order and the shape of one input example.

    Editing returns a new spec (``with_layer_added``, ``without_layer``, ``with_layer_moved``,
    ``with_layer_replaced``); ``to_dict``/``from_dict`` round-trip through JSON.

    Example:
        >>> spec = ModelSpec((Flatten(), Dense(10, "softmax")))
        >>> ModelSpec.from_dict(spec.to_dict()) == spec
        True
        >>> spec.with_layer_added(Dropout(0.2), 1).layers[1]
        Dropout(rate=0.2)
    """

    layers: tuple[Layer, ...]
    input_shape: tuple[int, ...] = (28, 28)

    def __post_init__(self) -> None:
        # Lists are accepted for convenience; tuples keep specs hashable and immutable.
        object.__setattr__(self, "layers", tuple(self.layers))
        object.__setattr__(self, "input_shape", tuple(self.input_shape))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: ``{"input_shape": [...], "layers": [{"kind": ..., ...}, ...]}``."""
        return {"input_shape": list(self.input_shape), "layers": [layer.to_dict() for layer in self.layers]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelSpec:
        """Read a spec written by ``to_dict`` (for example from a saved JSON file)."""
        if not isinstance(data, dict) or not isinstance(data.get("layers"), list):
            raise ValueError(
                f"Expected a dict with a 'layers' list, as written by ModelSpec.to_dict(). Received: {data!r:.80}"
            )
        layers = []
        for number, item in enumerate(data["layers"], start=1):
            kind = item.get("kind") if isinstance(item, dict) else None
            if kind not in LAYER_KINDS:
                raise ValueError(
                    f"Layer {number} has kind {kind!r}, but nnteach knows {', '.join(LAYER_KINDS)}. "
                    "Fix the 'kind' entry of that layer."
                )
            arguments = {key: value for key, value in item.items() if key != "kind"}
            try:
                layers.append(LAYER_KINDS[kind](**arguments))
            except TypeError as error:
                raise ValueError(f"Layer {number} ({kind}) has unexpected settings {arguments}: {error}.") from None
        return cls(tuple(layers), tuple(data.get("input_shape", (28, 28))))

    def with_layer_added(self, layer: Layer, index: int | None = None) -> ModelSpec:
        """A copy with ``layer`` inserted at ``index`` (default: at the end)."""
        position = len(self.layers) if index is None else index
        return ModelSpec((*self.layers[:position], layer, *self.layers[position:]), self.input_shape)

    def without_layer(self, index: int) -> ModelSpec:
        """A copy without the layer at ``index``."""
        self._check_index(index)
        return ModelSpec(self.layers[:index] + self.layers[index + 1 :], self.input_shape)

    def with_layer_moved(self, index: int, offset: int) -> ModelSpec:
        """A copy with the layer at ``index`` moved ``offset`` places (-1 is up); stays within the stack."""
        self._check_index(index)
        target = min(max(index + offset, 0), len(self.layers) - 1)
        layers = list(self.layers)
        layers.insert(target, layers.pop(index))
        return ModelSpec(tuple(layers), self.input_shape)

    def with_layer_replaced(self, index: int, layer: Layer) -> ModelSpec:
        """A copy with the layer at ``index`` replaced by ``layer``."""
        self._check_index(index)
        return ModelSpec((*self.layers[:index], layer, *self.layers[index + 1 :]), self.input_shape)

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self.layers):
            raise ValueError(
                f"Expected a layer index from 0 to {len(self.layers) - 1}. Received: {index}. "
                "Count layers from 0 at the top of the stack."
            )


#: The models the MNIST tutorials write by hand.
PRESETS: dict[str, ModelSpec] = {
    "softmax_regression": ModelSpec((Flatten(), Dense(10))),
    "mlp": ModelSpec((Flatten(), Dense(128, "relu"), Dropout(0.2), Dense(10, "softmax"))),
    "mlp_batchnorm": ModelSpec((Flatten(), BatchNormalization(), Dense(128, "relu"), Dense(10, "softmax"))),
    "mlp_sigmoid_relu": ModelSpec((Flatten(), Dense(256, "sigmoid"), Dense(128, "relu"), Dense(10, "softmax"))),
}


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
    return f"Layer {index + 1} ({getattr(layer, 'kind', type(layer).__name__)})"


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
        hint = f" Did you mean {close[0]!r}?" if close else ""
    none = " or None" if allow_none else ""
    return f"{_label(index, layer)} has an unknown activation {name!r}; expected one of {known}{none}.{hint}"


def _layer_problems(index: int, layer: object) -> tuple[list[Problem], bool]:
    """Problems of one layer's own settings, and whether its output shape can still be computed."""
    problems: list[Problem] = []
    shape_known = True
    if not isinstance(layer, Flatten | Dense | Dropout | BatchNormalization | Activation):
        message = (
            f"Layer {index + 1} is a {type(layer).__name__}, but the builder knows {', '.join(LAYER_KINDS)}. "
            "Use one of those (from nnteach.layers)."
        )
        return [Problem(index, message)], False
    if isinstance(layer, Dense):
        units = layer.units
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            message = (
                f"{_label(index, layer)} needs a positive whole number of units. Received: units={units!r}. "
                "Use for example 128 hidden units, or 10 for the output layer."
            )
            problems.append(Problem(index, message))
            shape_known = False
        found = _activation_problem(index, layer, layer.activation, allow_none=True)
        if found:
            problems.append(Problem(index, found))
    elif isinstance(layer, Dropout):
        rate = layer.rate
        if _is_number(rate) and rate == 1:
            message = (
                f"{_label(index, layer)} has rate 1.0, which drops every unit, so nothing reaches the next layer "
                "(Keras 3 accepts it and silently outputs zeros). Use a rate from 0 up to but not including 1, "
                "such as 0.2."
            )
            problems.append(Problem(index, message))
        elif not _is_number(rate) or not math.isfinite(rate) or not 0 <= rate < 1:
            message = (
                f"{_label(index, layer)} needs a rate from 0 up to but not including 1 (the fraction of values "
                f"dropped while training). Received: rate={rate!r}. Use for example 0.2."
            )
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
    return (
        f"The input shape must be a tuple of positive whole numbers, such as (28, 28) for MNIST images. "
        f"Received: input_shape={input_shape!r}."
    )


def output_shapes(spec: ModelSpec) -> list[Shape]:
    """Each layer's output shape for one example (no batch dimension), computed without TensorFlow.

    Raises ``ValueError`` with the first problem that stops the computation (for example a
    Dense layer with 0 units).

    Example:
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
        return [Problem(None, 'The model has no layers. Add layers, or pick a preset such as "mlp".')]
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
            message = (
                f"{_label(index, layer)} receives {len(shape)}-D input {_shape_text(shape)} without a Flatten first, "
                f"so it works on each of the {math.prod(shape[:-1])} rows of {shape[-1]} values separately and "
                f"outputs {_shape_text(result)}. Add Flatten() before it if you meant one vector of "
                f"{math.prod(shape)} values per image."
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
                    f"The model outputs {_shape_text(shape)}, but MNIST needs one row of {n_classes} scores per "
                    f"image, shape (None, {n_classes}). Add Flatten() before the first Dense layer.",
                )
            )
        elif shape[0] != n_classes:
            problems.append(
                Problem(
                    last,
                    f"The last layer outputs {shape[0]} values per image, but MNIST has {n_classes} classes "
                    f"(the digits 0-9). End the model with Dense({n_classes}, activation='softmax').",
                )
            )
    total = _count_params(spec, shapes)
    if max_params is not None and total > max_params:
        megabytes = total * 4 * 4 / 1e6  # float32 weights, gradients and two Adam slots
        problems.append(
            Problem(
                None,
                f"The model asks for {total:,} parameters, more than the classroom budget of {max_params:,} "
                f"(training it would need about {megabytes:,.0f} MB and could stop the kernel). "
                "Use fewer units in the widest Dense layers.",
            )
        )
    return problems


@dataclass(frozen=True)
class CompileSpec:
    """The settings passed to ``model.compile``, as data.

    Example:
        >>> CompileSpec(optimizer="sgd", learning_rate=0.1).loss
        'sparse_categorical_crossentropy'
    """

    optimizer: Literal["adam", "sgd"] = "adam"
    learning_rate: float = 0.001
    loss: Literal["sparse_categorical_crossentropy", "categorical_crossentropy"] = "sparse_categorical_crossentropy"
    from_logits: bool = False
    metrics: tuple[str, ...] = field(default=("accuracy",))

    def __post_init__(self) -> None:
        if isinstance(self.metrics, list):
            object.__setattr__(self, "metrics", tuple(self.metrics))

    def to_dict(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "learning_rate": self.learning_rate,
            "loss": self.loss,
            "from_logits": self.from_logits,
            "metrics": list(self.metrics),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CompileSpec:
        return cls(**data)


OPTIMIZERS = ("adam", "sgd")
LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy")
METRICS = ("accuracy", "sparse_categorical_accuracy", "categorical_accuracy")


def final_activation(spec: ModelSpec) -> str | None:
    """The activation applied last (Dropout and Flatten do not change it); None means linear.

    Example:
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
        >>> [p.message[:45] for p in check_compile(PRESETS["mlp"], CompileSpec(from_logits=True))]
        ['The model already ends with softmax, but from']
    """
    problems: list[Problem] = []
    spec = compile_spec
    if spec.optimizer not in OPTIMIZERS:
        problems.append(
            Problem(None, f"Unknown optimizer {spec.optimizer!r}; expected 'adam' or 'sgd'. Pick one of those.")
        )
    rate = spec.learning_rate
    if not _is_number(rate) or not math.isfinite(rate) or rate <= 0:
        problems.append(
            Problem(
                None,
                f"The learning rate must be a positive number. Received: learning_rate={rate!r}. "
                "Try 0.001 for adam or 0.01 for sgd.",
            )
        )
    elif rate > 1:
        problems.append(
            Problem(
                None,
                f"A learning rate of {rate:g} is very large: training will probably jump around or diverge. "
                "Try 0.001 for adam or 0.01 for sgd.",
                "warning",
            )
        )
    if spec.loss not in LOSSES:
        problems.append(
            Problem(
                None,
                f"Unknown loss {spec.loss!r}; expected 'sparse_categorical_crossentropy' or "
                "'categorical_crossentropy'. Use sparse_categorical_crossentropy for MNIST's digit labels.",
            )
        )
    elif spec.loss == "categorical_crossentropy":
        problems.append(
            Problem(
                None,
                "categorical_crossentropy expects one-hot labels of shape (n, 10), but MNIST's labels are the "
                "digits 0-9. Convert them with keras.utils.to_categorical(y, 10), or use "
                "sparse_categorical_crossentropy.",
                "warning",
            )
        )
    unknown = [metric for metric in spec.metrics if metric not in METRICS]
    if unknown:
        problems.append(
            Problem(
                None,
                f"Unknown metrics {unknown}; expected names from {', '.join(METRICS)}. Use ('accuracy',).",
            )
        )
    if not isinstance(spec.from_logits, bool):
        problems.append(
            Problem(None, f"from_logits must be True or False. Received: from_logits={spec.from_logits!r}.")
        )
    last = final_activation(model_spec)
    if spec.from_logits is True and last == "softmax":
        problems.append(
            Problem(
                None,
                "The model already ends with softmax, but from_logits=True makes the loss apply softmax again "
                "(softmax applied twice), which flattens the probabilities and slows learning. "
                "Set from_logits=False, or remove the final softmax.",
                "warning",
            )
        )
    elif spec.from_logits is False and last != "softmax" and model_spec.layers:
        ending = "no activation" if last is None else f"a {last} activation"
        problems.append(
            Problem(
                None,
                f"The model ends with {ending}, so it outputs raw scores (logits), not probabilities, but "
                "from_logits=False tells the loss they are probabilities. Set from_logits=True, or end the model "
                "with Dense(10, activation='softmax').",
                "warning",
            )
        )
    return problems


_LAZY = {
    "Summary": "nnteach.summary",
    "SummaryRow": "nnteach.summary",
    "summary": "nnteach.summary",
    "from_keras": "nnteach.codegen",
    "to_code": "nnteach.codegen",
    "to_keras": "nnteach.codegen",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nnteach.layers' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

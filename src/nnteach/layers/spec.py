"""A Sequential model and its compile settings as plain data, and the tutorials' models (``PRESETS``).

Example:
    >>> from nnteach.layers.spec import PRESETS
    >>> [str(layer) for layer in PRESETS["mlp"].layers]
    ['Flatten()', 'Dense(128, relu)', 'Dropout(0.2)', 'Dense(10, softmax)']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from nnteach.i18n import _
from nnteach.layers.kinds import LAYER_KINDS, BatchNormalization, Dense, Dropout, Flatten, Layer

__all__ = ["LOSSES", "METRICS", "OPTIMIZERS", "PRESETS", "CompileSpec", "ModelSpec"]


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
                _("Expected a dict with a 'layers' list, as written by ModelSpec.to_dict(). Received: {data}").format(
                    data=f"{data!r:.80}"
                )
            )
        layers = []
        for number, item in enumerate(data["layers"], start=1):
            kind = item.get("kind") if isinstance(item, dict) else None
            if kind not in LAYER_KINDS:
                raise ValueError(
                    _(
                        "Layer {number} has kind {kind}, but nnteach knows {join}. Fix the 'kind' entry of that layer."
                    ).format(number=number, kind=f"{kind!r}", join=", ".join(LAYER_KINDS))
                )
            arguments = {key: value for key, value in item.items() if key != "kind"}
            try:
                layers.append(LAYER_KINDS[kind](**arguments))
            except TypeError as error:
                raise ValueError(
                    _("Layer {number} ({kind}) has unexpected settings {arguments}: {error}.").format(
                        number=number, kind=kind, arguments=arguments, error=error
                    )
                ) from None
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
                _(
                    "Expected a layer index from 0 to {value}. Received: {index}. Count layers from 0 at the top of the stack."
                ).format(value=len(self.layers) - 1, index=index)
            )


#: The models the MNIST tutorials write by hand.
PRESETS: dict[str, ModelSpec] = {
    "softmax_regression": ModelSpec((Flatten(), Dense(10))),
    "mlp": ModelSpec((Flatten(), Dense(128, "relu"), Dropout(0.2), Dense(10, "softmax"))),
    "mlp_batchnorm": ModelSpec((Flatten(), BatchNormalization(), Dense(128, "relu"), Dense(10, "softmax"))),
    "mlp_sigmoid_relu": ModelSpec((Flatten(), Dense(256, "sigmoid"), Dense(128, "relu"), Dense(10, "softmax"))),
}


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

"""The layers the MNIST tutorials use, as frozen dataclasses: shape and parameter arithmetic, no TensorFlow.

Example:
    >>> from nnteach.layers.kinds import Dense, Flatten
    >>> Flatten().output_shape((28, 28)), Dense(128, "relu").param_counts((784,))
    ((784,), (100480, 0))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = ["LAYER_KINDS", "Activation", "BatchNormalization", "Dense", "Dropout", "Flatten", "Layer", "Shape"]

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

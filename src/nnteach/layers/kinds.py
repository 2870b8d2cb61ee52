"""The layers the MNIST tutorials use, as frozen dataclasses: shape and parameter arithmetic, no TensorFlow.

Example:
    >>> from nnteach.layers.kinds import Dense, Flatten
    >>> Flatten().output_shape((28, 28)), Dense(128, "relu").param_counts((784,))
    ((784,), (100480, 0))
    >>> str(Dense(10)), Dense(128, "relu").to_dict()
    ('Dense(10)', {'kind': 'Dense', 'units': 128, 'activation': 'relu'})
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, ClassVar

__all__ = ["LAYER_KINDS", "Activation", "BatchNormalization", "Dense", "Dropout", "Flatten", "Layer", "Shape"]

Shape = tuple[int, ...]  # one example's shape, without the batch dimension


@dataclass(frozen=True)
class _LayerBase:
    """What every layer shares: by default it keeps the shape, has no parameters, and is its fields as data."""

    kind: ClassVar[str] = ""

    def output_shape(self, input_shape: Shape) -> Shape:
        return input_shape

    def param_counts(self, input_shape: Shape) -> tuple[int, int]:  # noqa: ARG002 - same signature for every layer
        """(trainable, non-trainable) parameters for one input of ``input_shape``."""
        return (0, 0)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **{item.name: getattr(self, item.name) for item in fields(self)}}

    def __str__(self) -> str:
        settings = (getattr(self, item.name) for item in fields(self))
        return f"{self.kind}({', '.join(str(value) for value in settings if value is not None)})"


@dataclass(frozen=True)
class Flatten(_LayerBase):
    """Reshapes each example into one vector: ``(28, 28)`` becomes ``(784,)``. No parameters."""

    kind: ClassVar[str] = "Flatten"

    def output_shape(self, input_shape: Shape) -> Shape:
        return (math.prod(input_shape),)


@dataclass(frozen=True)
class Dense(_LayerBase):
    """A fully connected layer: ``units`` neurons, each with one weight per input and a bias."""

    units: int
    activation: str | None = None
    kind: ClassVar[str] = "Dense"

    def output_shape(self, input_shape: Shape) -> Shape:
        return (*input_shape[:-1], self.units)

    def param_counts(self, input_shape: Shape) -> tuple[int, int]:
        return (input_shape[-1] * self.units + self.units, 0)


@dataclass(frozen=True)
class Dropout(_LayerBase):
    """While training, sets a random fraction ``rate`` of the values to zero. No parameters."""

    rate: float
    kind: ClassVar[str] = "Dropout"


@dataclass(frozen=True)
class BatchNormalization(_LayerBase):
    """Normalizes each feature; learns a scale and shift (trainable) and keeps running statistics (not trainable)."""

    kind: ClassVar[str] = "BatchNormalization"

    def param_counts(self, input_shape: Shape) -> tuple[int, int]:
        features = input_shape[-1]
        return (2 * features, 2 * features)


@dataclass(frozen=True)
class Activation(_LayerBase):
    """Applies an activation function (``"relu"``, ``"softmax"``, ...) to each value. No parameters."""

    name: str
    kind: ClassVar[str] = "Activation"


Layer = Flatten | Dense | Dropout | BatchNormalization | Activation
LAYER_KINDS: dict[str, type[Layer]] = {
    cls.kind: cls for cls in (Flatten, Dense, Dropout, BatchNormalization, Activation)
}

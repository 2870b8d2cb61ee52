"""A small network learning a 2-D pattern: the data sets, the model as data, and the Keras code for it.

Like TensorFlow Playground, with what learners asked it for: the code behind the picture,
live weights, what hidden neurons draw, and three classes.

- :func:`make_dataset`: two (or three) blobs, circles, XOR or a spiral in the square
  ``[-1, 1]²``, with noise, split into training and test points;
- :class:`NetworkSettings`: hidden layers (0–4 of 1–8 neurons), activation, learning rate,
  batch size and L2 rate; ``model_spec()`` is the same :class:`~nnteach.layers.ModelSpec` the
  layer builder uses, ``keras_code()`` the code the same generator writes (plus the data and
  ``fit`` lines) and ``build_keras()`` the model itself.

The drawing (NumPy forward pass over a grid, PNG and SVG) lives in :mod:`nnteach._playground_net`
and :mod:`nnteach._playground_draw`. Nothing here imports TensorFlow until ``build_keras``.

Example:
    >>> data = make_dataset("xor", points=200, noise=0.0, train_fraction=0.5, seed=1)
    >>> data.x_train.shape, data.x_test.shape, sorted(set(data.y_train.tolist()))
    ((100, 2), (100, 2), [0, 1])
    >>> NetworkSettings(hidden=(4,), activation="tanh").model_spec().layers
    (Dense(units=4, activation='tanh'), Dense(units=2, activation='softmax'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach.i18n import _
from nnteach.layers.codegen import to_code, to_keras
from nnteach.layers.kinds import Dense
from nnteach.layers.spec import CompileSpec, ModelSpec

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "MAX_LAYERS",
    "MAX_NEURONS",
    "NetworkSettings",
    "PlaneData",
    "make_dataset",
    "parse_hidden",
]

#: The data sets, as TensorFlow Playground names them (blobs: "Gaussian").
DATASETS = ("blobs", "circles", "xor", "spiral")
#: Activations of the hidden layers (the output layer is always softmax).
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
MAX_LAYERS = 4
MAX_NEURONS = 8
FloatArray = NDArray[np.float32]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class PlaneData:
    """Points in ``[-1, 1]²`` with class labels, split into training and test points."""

    x_train: FloatArray
    y_train: IntArray
    x_test: FloatArray
    y_test: IntArray
    classes: int


def _check_choice(name: str, value: object, choices: tuple[Any, ...]) -> None:
    if value not in choices:
        listed = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"Expected {name} one of {listed}. Received {value!r:.40}; pick one of those.")


def _check_range(name: str, value: float, low: float, high: float, hint: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number) or not low <= value <= high:
        raise ValueError(f"Expected {name} from {low:g} to {high:g}. Received {value!r:.40}; {hint}.")


def _blobs(rng: np.random.Generator, labels: IntArray, classes: int) -> NDArray[np.float64]:
    angles = 2 * np.pi * labels / classes + np.pi / 4
    centres = 0.5 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return centres + rng.normal(0.0, 0.15, (len(labels), 2))


def _circles(rng: np.random.Generator, labels: IntArray, classes: int) -> NDArray[np.float64]:
    band = 0.95 / classes
    radius = band * (labels + rng.uniform(0.0, 0.7, len(labels)) + 0.3 * (labels > 0))
    angle = rng.uniform(0.0, 2 * np.pi, len(labels))
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)


def _spiral(rng: np.random.Generator, labels: IntArray, classes: int) -> NDArray[np.float64]:
    t = rng.uniform(0.05, 1.0, len(labels))
    angle = 1.75 * 2 * np.pi * t + 2 * np.pi * labels / classes
    spiral: NDArray[np.float64] = 0.9 * t[:, np.newaxis] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return spiral


def _xor(rng: np.random.Generator, count: int, classes: int) -> tuple[NDArray[np.float64], IntArray]:
    if classes == 2:  # quadrants, kept a little away from the axes as Playground does
        points = rng.uniform(0.06, 0.95, (count, 2)) * rng.choice([-1.0, 1.0], (count, 2))
        return points, (points[:, 0] * points[:, 1] < 0).astype(np.int64)
    points = rng.uniform(-0.95, 0.95, (count, 2))  # three classes: a 3×3 checkerboard, colours in turn
    cells = np.floor((points + 1.0) * 1.5).astype(np.int64)
    return points, (cells.sum(axis=1) % classes).astype(np.int64)


def make_dataset(
    kind: str = "xor",
    *,
    points: int = 200,
    classes: int = 2,
    noise: float = 0.0,
    train_fraction: float = 0.5,
    seed: int = 0,
) -> PlaneData:
    """``points`` labelled points of data set ``kind`` in ``[-1, 1]²``, shuffled and split.

    ``noise`` is the standard deviation of Gaussian noise added to each coordinate after the
    label is chosen (0 to 0.5: some points then sit on the other class' side);
    ``train_fraction`` of the points are for training, the rest for testing.

    Example:
        >>> data = make_dataset("spiral", points=90, classes=3, seed=0)
        >>> np.bincount(np.concatenate([data.y_train, data.y_test])).tolist()
        [30, 30, 30]
        >>> make_dataset("moons")
        Traceback (most recent call last):
        ...
        ValueError: Expected kind one of 'blobs', 'circles', 'xor', 'spiral'. Received 'moons'; pick one of those.
    """
    _check_choice("kind", kind, DATASETS)
    _check_choice("classes", classes, (2, 3))
    _check_range("points", points, 20, 2000, "try 200")
    _check_range("noise", noise, 0.0, 0.5, "try 0.1")
    _check_range("train_fraction", train_fraction, 0.1, 0.9, "try 0.5 (half the points for training)")
    rng = np.random.default_rng(seed)
    count = int(points)
    if kind == "xor":
        x, y = _xor(rng, count, classes)
    else:
        y = np.arange(count, dtype=np.int64) % classes
        x = {"blobs": _blobs, "circles": _circles, "spiral": _spiral}[kind](rng, y, classes)
    noisy: FloatArray = np.clip(x + rng.normal(0.0, 1.0, x.shape) * noise, -1.0, 1.0).astype(np.float32)
    order = rng.permutation(count)
    noisy, y = noisy[order], y[order]
    train = max(1, min(count - 1, round(count * train_fraction)))
    return PlaneData(noisy[:train], y[:train], noisy[train:], y[train:], classes)


def parse_hidden(text: str) -> tuple[int, ...]:
    """Read a compact layer list such as ``"4, 4"`` (neurons per hidden layer; empty: no hidden layer).

    PlaygroundView shows its refusals as they are, so they are in the language widgets speak.

    Example:
        >>> parse_hidden("8, 4 ,2"), parse_hidden("")
        ((8, 4, 2), ())
        >>> parse_hidden("4, 20")
        Traceback (most recent call last):
        ...
        ValueError: Expected 1 to 8 neurons per hidden layer. Received 20; use a smaller number.
    """
    parts = [part for part in re.split(r"[,\s]+", text.strip()) if part]
    if not all(part.isdigit() for part in parts):
        raise ValueError(
            _(
                "Expected neurons per hidden layer as whole numbers separated by commas, such as 4, 4. "
                "Received {text}; write only digits and commas."
            ).format(text=f"{text!r:.40}")
        )
    return check_hidden(tuple(int(part) for part in parts))


def check_hidden(hidden: tuple[int, ...]) -> tuple[int, ...]:
    """``hidden`` if it has at most 4 layers of 1 to 8 neurons each, else a ``ValueError``."""
    if len(hidden) > MAX_LAYERS:
        raise ValueError(
            _("Expected at most {most} hidden layers. Received {count}; remove a layer from the list.").format(
                most=MAX_LAYERS, count=len(hidden)
            )
        )
    for units in hidden:
        if isinstance(units, bool) or not isinstance(units, int | np.integer) or not 1 <= units <= MAX_NEURONS:
            raise ValueError(
                _("Expected 1 to {most} neurons per hidden layer. Received {units}; use a smaller number.").format(
                    most=MAX_NEURONS, units=units
                )
            )
    return tuple(int(units) for units in hidden)


@dataclass(frozen=True)
class NetworkSettings:
    """The playground's network and how it trains, as data (validated when made).

    Example:
        >>> NetworkSettings(hidden=(3,), l2=0.001).describe()
        '2 inputs → 3 relu → 2 softmax, Adam(learning_rate=0.03), batch 10, L2 0.001'
    """

    hidden: tuple[int, ...] = (4,)
    activation: str = "relu"
    learning_rate: float = 0.03
    batch_size: int = 10
    l2: float = 0.0
    classes: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", check_hidden(tuple(self.hidden)))
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("classes", self.classes, (2, 3))
        _check_range("learning_rate", self.learning_rate, 1e-5, 1.0, "try 0.03")
        _check_range("batch_size", self.batch_size, 1, 100, "try 10")
        _check_range("l2", self.l2, 0.0, 1.0, "try 0.001, or 0 for none")

    def describe(self) -> str:
        """The network in one line."""
        layers = " → ".join(f"{units} {self.activation}" for units in self.hidden)
        chain = " → ".join(part for part in ("2 inputs", layers, f"{self.classes} softmax") if part)
        regular = f", L2 {self.l2:g}" if self.l2 else ""
        return f"{chain}, Adam(learning_rate={self.learning_rate:g}), batch {self.batch_size}{regular}"

    def model_spec(self) -> ModelSpec:
        """The model as the layer builder's data: Dense hidden layers, then ``Dense(classes, softmax)``."""
        layers = tuple(Dense(units, self.activation) for units in self.hidden)
        return ModelSpec((*layers, Dense(self.classes, "softmax")), input_shape=(2,))

    def compile_spec(self) -> CompileSpec:
        """Adam at ``learning_rate``, sparse categorical cross-entropy, accuracy."""
        return CompileSpec(optimizer="adam", learning_rate=float(self.learning_rate))

    def keras_code(self, data_call: str | None = None, epochs: int = 100) -> str:
        """Runnable Keras code for this model (the builder's generator), its data and its training.

        ``data_call`` is the ``make_dataset(...)`` call that makes the data (default: XOR).
        """
        code = to_code(self.model_spec(), "list", compile_spec=self.compile_spec())
        if self.l2:
            regularizer = f", kernel_regularizer=keras.regularizers.L2({self.l2!r})"
            code = re.sub(r"(layers\.Dense\([^)]*)\)", rf"\1{regularizer})", code)
        call = data_call or 'make_dataset("xor")'
        return "\n".join(
            [
                "from nnteach.playground import make_dataset",
                "",
                code,
                "",
                f"data = {call}",
                "history = model.fit(",
                "    data.x_train,",
                "    data.y_train,",
                f"    batch_size={self.batch_size},",
                f"    epochs={epochs},",
                "    validation_data=(data.x_test, data.y_test),",
                "    verbose=0,",
                ")",
            ]
        )

    def build_keras(self) -> Any:
        """The compiled Keras model (imports TensorFlow), with L2 on every kernel when ``l2`` > 0."""
        model = to_keras(self.model_spec(), self.compile_spec(), max_params=None, n_classes=self.classes)
        if self.l2:
            from nnteach._tf import import_keras

            regularizers = import_keras().regularizers
            for layer in model.layers:
                layer.kernel.regularizer = regularizers.L2(self.l2)
        return model

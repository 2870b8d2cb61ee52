"""The models that ship with nnteach, answered by a NumPy forward pass (no TensorFlow needed).

Teachers cannot wait for training in class: ``reference_mlp()`` is the tutorials' MLP
(``Flatten, Dense(128, relu), Dropout(0.2), Dense(10, softmax)``) trained once by
``scripts/train_reference.py``; ``reference_softmax_regression()`` is ``Dense(10)`` trained
by the same script (logits out). Their weights are small ``.npz`` files in the package.

Example:
    >>> from nnteach.models.reference import reference_mlp
    >>> import numpy as np
    >>> model = reference_mlp()
    >>> model.count_params()
    101770
    >>> model.predict(np.zeros((28, 28), np.uint8)).shape
    (1, 10)
"""

from __future__ import annotations

import functools
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach._tf import import_keras
from nnteach.errors import PackagedFileError
from nnteach.paths import packaged_file
from nnteach.pixels import as_pixels
from nnteach.softmax import softmax

__all__ = ["NumpyModel", "reference_mlp", "reference_softmax_regression"]

FloatArray = NDArray[np.float32]


def _relu(z: FloatArray) -> FloatArray:
    return np.maximum(z, np.float32(0.0))


def _softmax(z: FloatArray) -> FloatArray:
    return softmax(z).astype(np.float32, copy=False)


def _linear(z: FloatArray) -> FloatArray:
    return z


_ACTIVATIONS = {"relu": _relu, "softmax": _softmax, "linear": _linear, None: _linear}


@dataclass(frozen=True)
class NumpyModel:
    """A flatten-then-dense network evaluated with NumPy; mirrors a Keras Sequential model.

    ``layers`` holds ``(kernel, bias, activation)`` per Dense layer; ``dropout`` the rate of
    the Dropout after each hidden layer (inactive at prediction, recreated by ``to_keras``).
    """

    name: str
    layers: tuple[tuple[FloatArray, FloatArray, str], ...]
    dropout: float
    metadata: dict[str, Any]

    @property
    def outputs_logits(self) -> bool:
        """True when the last layer has no softmax (the model returns logits)."""
        return self.layers[-1][2] != "softmax"

    def predict(self, x: Any) -> FloatArray:
        """Return the ``(n, 10)`` float32 outputs for images ``(n, 28, 28)`` or ``(28, 28)``.

        uint8 input is read as pixels 0..255 (divided by 255), float input must be in [0, 1]
        (see :func:`as_pixels`). The reference MLP returns probabilities, the softmax
        regression logits.
        """
        activations = as_pixels(x).reshape(-1, 784)
        for kernel, bias, activation in self.layers:
            activations = _ACTIVATIONS[activation](activations @ kernel + bias)
        return activations.astype(np.float32, copy=False)

    def __call__(self, x: Any) -> FloatArray:
        return self.predict(x)

    def count_params(self) -> int:
        """Number of weights and biases, as Keras' ``model.count_params()`` counts them."""
        return int(sum(kernel.size + bias.size for kernel, bias, _ in self.layers))

    def to_keras(self) -> Any:
        """Build the equivalent Keras model (imports TensorFlow) with these weights."""
        keras = import_keras()
        stack: list[Any] = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]
        for index, (kernel, _bias, activation) in enumerate(self.layers):
            stack.append(keras.layers.Dense(kernel.shape[1], activation=activation))
            if index < len(self.layers) - 1 and self.dropout > 0:
                stack.append(keras.layers.Dropout(self.dropout))
        model = keras.Sequential(stack, name=self.name)
        model.set_weights([array for kernel, bias, _ in self.layers for array in (kernel, bias)])
        return model


def _load_packaged(stem: str) -> NumpyModel:
    source = packaged_file(f"{stem}.npz")
    try:
        with source.open("rb") as stream, np.load(stream, allow_pickle=False) as npz:  # closed on errors too
            metadata = json.loads(str(npz["metadata"]))
            layers = tuple(
                (
                    npz[f"kernel_{index}"].astype(np.float32),
                    npz[f"bias_{index}"].astype(np.float32),
                    str(activation),
                )
                for index, activation in enumerate(metadata["activations"])
            )
    except (OSError, EOFError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as error:
        raise PackagedFileError(source.name, type(error).__name__) from None
    return NumpyModel(name=stem, layers=layers, dropout=float(metadata.get("dropout", 0.0)), metadata=metadata)


@functools.cache
def reference_mlp() -> NumpyModel:
    """The packaged, pre-trained seed MLP: probabilities out, ``count_params() == 101770``.

    Example:
        >>> reference_mlp().metadata["test_accuracy"] >= 0.975
        True
    """
    return _load_packaged("reference_mlp")


@functools.cache
def reference_softmax_regression() -> NumpyModel:
    """The packaged, pre-trained ``Dense(10)`` softmax regression: logits out (7,850 params).

    Example:
        >>> reference_softmax_regression().outputs_logits
        True
    """
    return _load_packaged("reference_softmax_regression")

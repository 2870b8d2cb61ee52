"""Models that ship with nnteach, answered by a NumPy forward pass (no TensorFlow needed).

Teachers cannot wait for training in class: ``reference_mlp()`` is the tutorials' MLP
(``Flatten, Dense(128, relu), Dropout(0.2), Dense(10, softmax)``) trained once by
``scripts/train_reference.py``; ``reference_softmax_regression()`` is ``Dense(10)`` trained
by the same script (logits out). Their weights are small ``.npz`` files in the package.

Example:
    >>> from nnteach.models import reference_mlp
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
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "NumpyModel",
    "as_pixels",
    "load_saved",
    "reference_mlp",
    "reference_softmax_regression",
    "save_model",
    "saved_models",
]

FloatArray = NDArray[np.float32]


def as_pixels(x: Any) -> FloatArray:
    """Return ``x`` as float32 images of shape ``(n, 28, 28)`` with values in [0, 1].

    Accepts one image ``(28, 28)`` or a batch ``(n, 28, 28)`` (also flattened: ``(784,)``,
    ``(n, 784)``). Integer arrays (such as MNIST's uint8) are read as pixel values 0..255 and
    divided by 255; float arrays must already be scaled to [0, 1].

    Example:
        >>> as_pixels(np.full((28, 28), 255, np.uint8)).max()
        np.float32(1.0)
    """
    array = np.asarray(x)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ValueError(
            f"Expected images as numbers (uint8 0..255 or float 0..1). Received an array of dtype {array.dtype}."
        )
    if array.shape in ((28, 28), (784,)):
        array = array[np.newaxis]
    if array.ndim == 2 and array.shape[1] == 784:
        array = array.reshape(-1, 28, 28)
    if array.ndim != 3 or array.shape[1:] != (28, 28):
        raise ValueError(
            f"Expected images of shape (28, 28) or (n, 28, 28). Received shape {array.shape}. "
            "Pass MNIST-sized images, e.g. x_test[:10]."
        )
    if np.issubdtype(array.dtype, np.integer):
        if array.size and (array.min() < 0 or array.max() > 255):
            raise ValueError(f"Expected integer pixels in 0..255. Received values from {array.min()} to {array.max()}.")
        return (array.astype(np.float32) / np.float32(255.0)).astype(np.float32)
    if not np.all(np.isfinite(array)):
        raise ValueError("Expected finite pixel values. Received NaN or infinity; check the image data.")
    if array.size and (array.min() < 0.0 or array.max() > 1.0):
        raise ValueError(
            f"Expected float pixels in [0, 1]. Received values from {array.min():g} to {array.max():g}. "
            "Divide 0..255 images by 255 first (x / 255), or pass them as uint8."
        )
    return array.astype(np.float32, copy=False)


def _relu(z: FloatArray) -> FloatArray:
    return np.maximum(z, np.float32(0.0))


def _softmax(z: FloatArray) -> FloatArray:
    shifted = z - z.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    result: FloatArray = (exp / exp.sum(axis=-1, keepdims=True)).astype(np.float32)
    return result


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
        from nnteach._tf import import_keras

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
    source = resources.files("nnteach") / "_weights" / f"{stem}.npz"
    with resources.as_file(source) as path, np.load(path, allow_pickle=False) as npz:
        metadata = json.loads(str(npz["metadata"]))
        layers = tuple(
            (
                npz[f"kernel_{index}"].astype(np.float32),
                npz[f"bias_{index}"].astype(np.float32),
                str(activation),
            )
            for index, activation in enumerate(metadata["activations"])
        )
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


def _model_file(name: str) -> Path:
    from nnteach.paths import safe_name, work_dir

    if not isinstance(name, str):
        raise TypeError(f"Expected the model name as text, e.g. 'my first mlp'. Received: name={name!r}.")
    cleaned = safe_name(name.strip().removesuffix(".keras"), what="model name")
    return work_dir() / f"{cleaned}.keras"


def saved_models() -> list[str]:
    """Names of the models saved in the learner's work folder (``.keras`` files), sorted.

    Each Voila page has its own kernel: a model trained on one page reaches another as a file.

    Example:
        >>> saved_models()  # doctest: +SKIP
        ['my first mlp']
    """
    from nnteach.paths import work_dir

    return sorted(path.stem for path in work_dir().glob("*.keras") if path.is_file() and not path.name.startswith("."))


def save_model(model: Any, name: str) -> Path:
    """Save a Keras model as ``<name>.keras`` in the work folder (atomically); returns the path.

    ``name`` is what a learner typed: a path separator or ``..`` is refused.

    Example:
        >>> save_model(model, "my first mlp").name  # doctest: +SKIP
        'my first mlp.keras'
    """
    import tempfile

    from nnteach._atomic import atomic_write_bytes

    target = _model_file(name)
    if not hasattr(model, "save") or not hasattr(model, "get_weights"):
        raise TypeError(f"Expected a Keras model to save. Received {type(model).__name__}.")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".saving-") as folder:
        temporary = Path(folder) / "model.keras"
        model.save(temporary)
        atomic_write_bytes(target, temporary.read_bytes())
    return target


def load_saved(name: str) -> Any:
    """Load a model saved in the work folder by name (as listed by :func:`saved_models`); imports Keras.

    Example:
        >>> model = load_saved("my first mlp")  # doctest: +SKIP
    """
    path = _model_file(name)
    if not path.is_file():
        available = ", ".join(repr(found) for found in saved_models()) or "none yet"
        raise ValueError(
            f"There is no saved model named {name!r} in {path.parent}. Saved models: {available}. "
            "Save one with the Save model button first."
        )
    from nnteach._tf import import_keras

    keras = import_keras()
    return keras.saving.load_model(path)

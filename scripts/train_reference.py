"""Train the packaged reference models on the real MNIST and write their weights as .npz.

Run from the repository root (about two minutes on 2 CPU cores):

    .venv/bin/python scripts/train_reference.py

It writes ``src/nnteach/_weights/reference_mlp.npz`` (the seed MLP: Flatten, Dense(128,
relu), Dropout(0.2), Dense(10, softmax); adam) and
``src/nnteach/_weights/reference_softmax_regression.npz`` (Flatten, Dense(10), logits;
``SparseCategoricalCrossentropy(from_logits=True)``), each with its test accuracy and the
command that made it.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
from pathlib import Path
from typing import Any

import numpy as np

from nnteach._atomic import atomic_write_bytes
from nnteach._tf import import_keras
from nnteach.data import load_mnist

WEIGHTS = Path(__file__).resolve().parents[1] / "src" / "nnteach" / "_weights"


def _save(model: Any, stem: str, activations: list[str], dropout: float, extra: dict[str, Any]) -> None:
    keras = import_keras()
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    arrays: dict[str, Any] = {}
    for index, layer in enumerate(dense):
        kernel, bias = layer.get_weights()
        arrays[f"kernel_{index}"] = kernel.astype(np.float32)
        arrays[f"bias_{index}"] = bias.astype(np.float32)
    metadata = {
        "activations": activations,
        "dropout": dropout,
        "keras_version": keras.__version__,
        "python": platform.python_version(),
        "command": "python scripts/train_reference.py " + " ".join(sys.argv[1:]),
        **extra,
    }
    arrays["metadata"] = np.array(json.dumps(metadata))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    atomic_write_bytes(WEIGHTS / f"{stem}.npz", buffer.getvalue())
    print(f"wrote {stem}.npz: {json.dumps(extra)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    keras = import_keras()
    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train, x_test = x_train / 255.0, x_test / 255.0

    keras.utils.set_random_seed(args.seed)
    mlp = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    mlp.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    mlp.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size, verbose=2)
    _, accuracy = mlp.evaluate(x_test, y_test, verbose=0)
    settings = {"seed": args.seed, "epochs": args.epochs, "batch_size": args.batch_size, "optimizer": "adam"}
    _save(mlp, "reference_mlp", ["relu", "softmax"], 0.2, {"test_accuracy": round(float(accuracy), 4), **settings})

    keras.utils.set_random_seed(args.seed)
    regression = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    regression.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    regression.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size, verbose=2)
    _, accuracy = regression.evaluate(x_test, y_test, verbose=0)
    _save(
        regression,
        "reference_softmax_regression",
        ["linear"],
        0.0,
        {"test_accuracy": round(float(accuracy), 4), **settings},
    )


if __name__ == "__main__":
    main()

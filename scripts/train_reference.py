"""Train the packaged reference models on the real MNIST and write their weights as .npz.

Run from the repository root (the README's "The reference model" gives the time):

    .venv/bin/python scripts/train_reference.py

It writes ``src/nnteach/_weights/reference_mlp.npz`` (the seed MLP: Flatten, Dense(128,
relu), Dropout(0.2), Dense(10, softmax); adam) and
``src/nnteach/_weights/reference_softmax_regression.npz`` (Flatten, Dense(10), logits;
``SparseCategoricalCrossentropy(from_logits=True)``), each with its test accuracy and the
command that made it; ``--models mlp`` or ``--models regression`` trains one.

The MLP learns from drawings as well as from MNIST: every epoch shows it the 60,000 training
digits and one of ``--copies`` augmented copies of them, each digit turned (up to
``--max-turn`` degrees either way), scaled (0.8 to 1.2, a little differently across and down),
sheared, shifted and made thinner or thicker, then normalised by ``nnteach.preprocess.to_mnist``
as the canvas does (cropped, fitted into 20×20, centred; with ``--deskew`` also stood upright,
as ``strokes_to_mnist`` does by default). The softmax regression learns from MNIST alone.

The packaged MLP was made with (README, "The reference model", has the time and the figures):

    .venv/bin/python scripts/train_reference.py --models mlp --epochs 15 --copies 4 --max-turn 30 --deskew
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from nnteach._atomic import atomic_write_bytes
from nnteach._tf import import_keras
from nnteach.data import load_mnist
from nnteach.preprocess import to_mnist

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


def augmented(
    images: Any, rng: np.random.Generator, max_turn: float = 20.0, deskew: bool = False, chunk: int = 5000
) -> Any:
    """Copies of ``images`` (uint8 ``(n, 28, 28)``) as a learner might draw them, float32 in [0, 1] after ``to_mnist``."""
    from scipy import ndimage

    out = np.empty(images.shape, np.float32)
    for start in range(0, len(images), chunk):
        batch = images[start : start + chunk].astype(np.float32) / 255.0
        n = len(batch)
        angle = np.deg2rad(rng.uniform(-max_turn, max_turn, n))
        scale = rng.uniform(0.8, 1.2, (n, 2))
        shear = rng.uniform(-0.3, 0.3, n)
        shift = rng.uniform(-2.0, 2.0, (n, 2))
        cos, sin = np.cos(angle), np.sin(angle)
        # output (row, col) -> input: rotate, shear and scale around the centre, then shift
        rows, cols = np.mgrid[0:28, 0:28].astype(np.float32) - 13.5
        r = (cos[:, None, None] * rows[None] - sin[:, None, None] * cols[None]) / scale[:, 0, None, None]
        c = (sin[:, None, None] * rows[None] + cos[:, None, None] * cols[None]) / scale[:, 1, None, None]
        c = c + shear[:, None, None] * r
        coordinates = np.stack(
            [
                np.broadcast_to(np.arange(n)[:, None, None], (n, 28, 28)).astype(np.float32),
                r + 13.5 + shift[:, 0, None, None],
                c + 13.5 + shift[:, 1, None, None],
            ]
        )
        moved = ndimage.map_coordinates(batch, coordinates, order=1, mode="constant")
        width = rng.choice(5, n, p=[0.2, 0.4, 0.2, 0.1, 0.1])  # thinner, as is, thicker, thicker, thickest
        thin = ndimage.grey_erosion(moved, size=(1, 2, 2))
        keep_thin = (width == 0) & (thin.max(axis=(1, 2)) > 0.5)
        moved[keep_thin] = thin[keep_thin]
        moved[width == 2] = ndimage.grey_dilation(moved[width == 2], size=(1, 2, 2))
        moved[width == 3] = ndimage.grey_dilation(moved[width == 3], size=(1, 3, 1))
        moved[width == 4] = ndimage.grey_dilation(moved[width == 4], size=(1, 3, 3))
        for index, image in enumerate(np.clip(moved, 0.0, 1.0)):
            out[start + index] = to_mnist(image, deskew=deskew) if image.max() >= 0.05 else batch[index]
    return out


def train_mlp(args: argparse.Namespace, data: Any) -> None:
    keras = import_keras()
    (x_train, y_train), (x_test, y_test) = data
    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    copies = [augmented(x_train, rng, args.max_turn, args.deskew) for _ in range(args.copies)]
    print(f"augmented {args.copies} copies in {time.perf_counter() - started:.0f} s", flush=True)
    plain = x_train.astype(np.float32) / 255.0
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
    for epoch in range(args.epochs):
        x = np.concatenate([plain, copies[epoch % args.copies]])
        y = np.concatenate([y_train, y_train])
        order = rng.permutation(len(x))
        mlp.fit(x[order], y[order], epochs=1, batch_size=args.batch_size, verbose=0, shuffle=False)
        _, accuracy = mlp.evaluate(x_test / 255.0, y_test, verbose=0)
        print(f"epoch {epoch + 1}/{args.epochs}: test accuracy {accuracy:.4f}", flush=True)
    _, accuracy = mlp.evaluate(x_test / 255.0, y_test, verbose=0)
    settings = {
        "seed": args.seed,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "optimizer": "adam",
        "augmented_copies": args.copies,
        "augmentation": f"rotation ±{args.max_turn:g}°, scale 0.8-1.2 per axis, shear ±0.3, shift ±2 px, stroke width -1..+2 px, to_mnist"
        + (" (deskew=True)" if args.deskew else ""),
        "training_seconds": round(time.perf_counter() - started),
        "trained": datetime.date.today().isoformat(),
    }
    _save(mlp, "reference_mlp", ["relu", "softmax"], 0.2, {"test_accuracy": round(float(accuracy), 4), **settings})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--copies", type=int, default=4, help="augmented copies of the training set for the MLP")
    parser.add_argument("--max-turn", type=float, default=20.0, help="largest rotation of an augmented digit, degrees")
    parser.add_argument("--deskew", action="store_true", help="deskew the augmented copies (to_mnist(deskew=True))")
    parser.add_argument("--models", default="mlp,regression", help="which to train: mlp, regression or both")
    args = parser.parse_args()

    keras = import_keras()
    (x_train, y_train), (x_test, y_test) = load_mnist()
    if "mlp" in args.models.split(","):
        train_mlp(args, ((x_train, y_train), (x_test, y_test)))
    if "regression" not in args.models.split(","):
        return
    x_train, x_test = x_train / 255.0, x_test / 255.0
    settings = {"seed": args.seed, "epochs": args.epochs, "batch_size": args.batch_size, "optimizer": "adam"}
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

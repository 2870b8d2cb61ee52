"""The seed model of the MNIST tutorials, built and compiled in Keras (imported lazily).

Example:
    >>> from nnteach.training.seed_model import seed_mlp
    >>> seed_mlp(1.5)
    Traceback (most recent call last):
    ...
    ValueError: The dropout rate must be at least 0 and below 1. Received: dropout_rate=1.5. Use a value such as 0.2.
"""

from __future__ import annotations

from typing import Any

from nnteach._tf import import_keras

__all__ = ["seed_mlp"]


def seed_mlp(dropout_rate: float = 0.2, *, learning_rate: float = 0.001, seed: int | None = None) -> Any:
    """The tutorials' MLP: ``Flatten, Dense(128, relu), Dropout(rate), Dense(10, softmax)``, compiled.

    Adam, sparse categorical cross-entropy and accuracy, as in the TensorFlow beginner
    tutorial. With ``seed`` the initial weights are reproducible
    (``keras.utils.set_random_seed``). Imports TensorFlow.

    Example:
        >>> seed_mlp().count_params()
        101770
    """
    if not 0.0 <= dropout_rate < 1.0:
        raise ValueError(
            f"The dropout rate must be at least 0 and below 1. Received: dropout_rate={dropout_rate}. "
            "Use a value such as 0.2."
        )
    keras = import_keras()
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(dropout_rate),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name=f"seed_mlp_dropout_{dropout_rate:g}",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model

"""The one place nnteach imports TensorFlow/Keras: lazily, quietly, and only when asked.

Keras and TensorFlow are an extra (``pip install "nnteach[keras]"``, included in
``nnteach[lessons]``): every NumPy widget works without them, and whatever needs them says
which extra to install.
"""

from __future__ import annotations

import os
from typing import Any

from nnteach.errors import PlainSentence

__all__ = ["KerasMissing", "import_keras", "import_tensorflow", "quiet_tensorflow"]

_QUIET_DEFAULTS = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


class KerasMissing(ImportError, PlainSentence):
    """Keras or TensorFlow is not installed: the message says which extra to install."""


def quiet_tensorflow() -> None:
    """Silence TensorFlow's start-up chatter (cpu_feature_guard, oneDNN) unless the user chose otherwise.

    ``import nnteach`` calls it, so a learner's own ``import keras`` after it is quiet too.

    Example:
        >>> quiet_tensorflow()
        >>> os.environ["TF_CPP_MIN_LOG_LEVEL"] in {"0", "1", "2", "3"}
        True
    """
    for name, value in _QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)


_quiet_environment = quiet_tensorflow


def _missing(package: str, error: ImportError) -> KerasMissing:
    return KerasMissing(
        f"This part of nnteach trains or loads a Keras model, but {package} is not installed "
        f'(received: {error}). Expected the Keras extra. Install it with: pip install "nnteach[keras]" '
        '(or "nnteach[lessons]", which includes it), then restart the kernel.'
    )


def import_tensorflow() -> Any:
    """Import TensorFlow with nnteach's quiet defaults (and one thread each in hosted mode)."""
    quiet_tensorflow()
    try:
        import tensorflow as tf  # type: ignore[import-untyped,unused-ignore]
    except ImportError as error:
        raise _missing("TensorFlow", error) from None

    if os.environ.get("NNTEACH_HOSTED") == "1":
        try:
            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:  # already initialized by earlier work in this kernel
            pass
    return tf


def import_keras() -> Any:
    """Import Keras 3 (TensorFlow backend) with nnteach's quiet defaults.

    Example:
        >>> keras = import_keras()  # doctest: +SKIP
        >>> keras.__version__.startswith("3.")  # doctest: +SKIP
        True
    """
    import_tensorflow()
    try:
        import keras
    except ImportError as error:
        raise _missing("Keras", error) from None
    return keras

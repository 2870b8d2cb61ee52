"""The one place nnteach imports TensorFlow/Keras: lazily, quietly, and only when asked."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["import_keras", "import_tensorflow"]

_QUIET_DEFAULTS = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def _quiet_environment() -> None:
    """Silence TensorFlow's start-up chatter unless the user chose otherwise."""
    for name, value in _QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)


def import_tensorflow() -> Any:
    """Import TensorFlow with nnteach's quiet defaults (and one thread each in hosted mode)."""
    _quiet_environment()
    import tensorflow as tf  # type: ignore[import-untyped,unused-ignore]

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
    import keras

    return keras

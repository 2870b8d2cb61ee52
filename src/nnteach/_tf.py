"""The one place nnteach imports Keras (and its backend): lazily, quietly, and only when asked.

Keras, TensorFlow and JAX are an extra (``pip install "nnteach[keras]"``, included in
``nnteach[lessons]``): every NumPy widget works without them, and whatever needs them says
which extra to install.

Which backend runs Keras is fixed per kernel, before Keras is first imported
(``KERAS_BACKEND``). nnteach leaves it to Keras (TensorFlow) everywhere except in a hosted
lesson kernel: a kernel that Voila started for a class server (``NNTEACH_HOSTED=1``) runs on
:data:`HOSTED_BACKEND`, JAX, which ``make bench`` measured lighter and faster there
(README, "Keras backend"). A ``KERAS_BACKEND`` the host or learner set always wins, and a
learner's own notebook stays on TensorFlow unless they set it.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
from collections.abc import MutableMapping
from typing import Any

from nnteach.errors import PlainSentence

__all__ = [
    "HOSTED_BACKEND",
    "KerasMissing",
    "chosen_backend",
    "import_keras",
    "import_tensorflow",
    "prepare_keras",
    "quiet_tensorflow",
]

#: The backend of hosted lesson kernels, chosen by measurement (bench/bench_backends.py).
HOSTED_BACKEND = "jax"

_QUIET_DEFAULTS = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
# JAX's equivalents: look for no GPU/TPU (the pinned jaxlib is CPU-only; probing costs time and
# prints warnings), and, in hosted mode, one XLA thread per kernel as TensorFlow gets below.
_JAX_QUIET_DEFAULTS = {"JAX_PLATFORMS": "cpu"}
_XLA_ONE_THREAD = ("--xla_cpu_multi_thread_eigen=false", "intra_op_parallelism_threads=1")


class KerasMissing(ImportError, PlainSentence):
    """Keras or its backend is not installed: the message says which extra to install."""


def quiet_tensorflow() -> None:
    """Silence TensorFlow's start-up chatter (cpu_feature_guard, oneDNN) unless the user chose otherwise.

    Example:
        >>> quiet_tensorflow()
        >>> os.environ["TF_CPP_MIN_LOG_LEVEL"] in {"0", "1", "2", "3"}
        True
    """
    for name, value in _QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)


_quiet_environment = quiet_tensorflow


def _hosted_lesson_kernel(env: MutableMapping[str, str]) -> bool:
    # Voila gives every kernel it starts (preheated ones too) VOILA_BASE_URL; JupyterLab does not.
    return env.get("NNTEACH_HOSTED") == "1" and "VOILA_BASE_URL" in env


def chosen_backend(environ: MutableMapping[str, str] | None = None) -> str:
    """The Keras backend of this kernel: Keras' own once imported, else what ``KERAS_BACKEND`` will give.

    Given an ``environ``, only that mapping is read.

    Example:
        >>> chosen_backend({"KERAS_BACKEND": "jax"}), chosen_backend({})
        ('jax', 'tensorflow')
    """
    env = os.environ if environ is None else environ
    if environ is None and sys.modules.get("keras") is not None:
        backend: str = sys.modules["keras"].backend.backend()
        return backend
    return env.get("KERAS_BACKEND", "tensorflow") or "tensorflow"


def prepare_keras(environ: MutableMapping[str, str] | None = None) -> str:
    """Set the environment Keras reads when first imported: quiet logs, the backend, thread limits.

    ``import nnteach`` calls it, so a learner's own ``import keras`` after it is quiet too. A
    hosted lesson kernel (Voila's, with ``NNTEACH_HOSTED=1``) gets ``KERAS_BACKEND=jax`` unless
    ``KERAS_BACKEND`` is already set or JAX is not installed; on JAX in hosted mode, XLA gets one
    thread. Returns the backend Keras will use. Values the user set are kept.

    Example:
        >>> env = {"NNTEACH_HOSTED": "1", "VOILA_BASE_URL": "/"}
        >>> prepare_keras(env) if importlib.util.find_spec("jax") else "jax"
        'jax'
        >>> prepare_keras({"NNTEACH_HOSTED": "1", "KERAS_BACKEND": "tensorflow"})
        'tensorflow'
        >>> prepare_keras({})  # a learner's own notebook
        'tensorflow'
    """
    env = os.environ if environ is None else environ
    for name, value in _QUIET_DEFAULTS.items():
        env.setdefault(name, value)
    if "KERAS_BACKEND" not in env and _hosted_lesson_kernel(env) and importlib.util.find_spec("jax") is not None:
        env["KERAS_BACKEND"] = HOSTED_BACKEND
    if environ is None and _hosted_lesson_kernel(env):
        _defer_keras_plots()
    backend = env.get("KERAS_BACKEND", "tensorflow") or "tensorflow"
    if backend == "jax":
        for name, value in _JAX_QUIET_DEFAULTS.items():
            env.setdefault(name, value)
        if env.get("NNTEACH_HOSTED") == "1":
            flags = env.get("XLA_FLAGS", "").split()
            known = {flag.split("=", 1)[0].lstrip("-") for flag in flags}
            flags += [flag for flag in _XLA_ONE_THREAD if flag.split("=", 1)[0].lstrip("-") not in known]
            env["XLA_FLAGS"] = " ".join(flags)
    return backend


class _LazyImport:
    """Stands for a module until first used, then imports it (``_LazyImport("matplotlib.pyplot").figure``)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


class _KerasWithoutEagerPlots(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import Keras without matplotlib (~30 MB per kernel); its plotting helpers load it when called.

    Keras 3 imports ``matplotlib.pyplot`` at start-up for ``keras.visualization`` alone. A hosted
    lesson kernel that never plots through Keras need not pay for it: while ``keras`` itself
    is first executed, ``import matplotlib`` fails (Keras expects that), and afterwards the two
    module globals Keras set to None become lazy stand-ins, so ``keras.visualization`` still works.
    """

    _PLOT_GLOBALS = (
        ("keras.src.visualization.plot_image_gallery", "plt", "matplotlib.pyplot"),
        ("keras.src.visualization.plot_bounding_box_gallery", "patches", "matplotlib.patches"),
    )

    def __init__(self) -> None:
        self._real: Any = None

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:  # noqa: ARG002 (the finder protocol)
        if fullname != "keras" or self._real is not None:
            return None
        sys.meta_path.remove(self)  # one use: find the real Keras, then stand aside
        spec = importlib.util.find_spec("keras")
        if spec is None or spec.loader is None or "matplotlib" in sys.modules:
            return spec
        self._real, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec: Any) -> Any:
        return self._real.create_module(spec)

    def exec_module(self, module: Any) -> None:
        module.__loader__ = module.__spec__.loader = self._real
        sys.modules["matplotlib"] = None  # type: ignore[assignment]
        try:
            self._real.exec_module(module)
        finally:
            if "matplotlib" in sys.modules and sys.modules["matplotlib"] is None:
                del sys.modules["matplotlib"]
        for owner, name, target in self._PLOT_GLOBALS:
            if owner in sys.modules and getattr(sys.modules[owner], name, True) is None:
                setattr(sys.modules[owner], name, _LazyImport(target))


def _defer_keras_plots() -> None:
    if sys.modules.get("keras") is None and not any(isinstance(f, _KerasWithoutEagerPlots) for f in sys.meta_path):
        sys.meta_path.insert(0, _KerasWithoutEagerPlots())


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
    """Import Keras 3 on this kernel's backend (see :func:`prepare_keras`) with nnteach's quiet defaults.

    Example:
        >>> keras = import_keras()  # doctest: +SKIP
        >>> keras.__version__.startswith("3."), keras.backend.backend()  # doctest: +SKIP
        (True, 'tensorflow')
    """
    backend = prepare_keras() if sys.modules.get("keras") is None else chosen_backend()
    if backend == "tensorflow":
        import_tensorflow()
    elif backend == "jax":
        try:
            import jax  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
        except ImportError as error:
            raise _missing("JAX", error) from None
    try:
        import keras
    except ImportError as error:
        raise _missing("Keras", error) from None
    if backend != "tensorflow" and sys.modules.get("tensorflow") is None:
        _keep_tensorflow_out()
    return keras


def _keep_tensorflow_out() -> None:
    """On JAX, stop Keras from importing TensorFlow for its optional extras (~400 MB per kernel).

    Where TensorFlow is installed, Keras loads it on any backend from ``set_random_seed``
    (``tf.random.set_seed``) and ``clear_session``, through one lazy handle. Marking that handle
    unavailable keeps a JAX kernel free of TensorFlow; ``import tensorflow`` itself still works.
    """
    from keras.src.utils import module_utils

    handle = module_utils.tensorflow
    if getattr(handle, "module", None) is None:
        handle._available = False

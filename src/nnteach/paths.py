"""Every place nnteach reads or writes: notebooks, packaged results, the learner's work folder, caches.

A wheel carries ``lessons/`` and ``widgets/`` inside the package (``nnteach/_bundled``); an
editable install from a clone finds them at the repository root. The learner's files go to
``NNTEACH_WORKDIR`` (default ``~/nnteach-work``), nnteach's cache to ``NNTEACH_CACHE``
(default the platform's user cache folder); Keras' own MNIST cache is read, never written.

Example:
    >>> from nnteach.paths import lessons_dir
    >>> (lessons_dir() / "index.ipynb").exists()
    True
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = [
    "cache_dir",
    "gallery_dir",
    "keras_mnist_file",
    "lessons_dir",
    "mnist_cache_file",
    "packaged_file",
    "safe_name",
    "work_dir",
]

_PACKAGE = Path(__file__).resolve().parent
_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")


def _bundled_or_repo(folder: str) -> Path:
    bundled = _PACKAGE / "_bundled" / folder
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parents[1] / folder


def lessons_dir() -> Path:
    """The folder of lesson notebooks that ``nnteach serve`` serves by default."""
    return _bundled_or_repo("lessons")


def gallery_dir() -> Path:
    """The folder of one-widget gallery notebooks."""
    return _bundled_or_repo("widgets")


def work_dir(environ: Mapping[str, str] | None = None, *, create: bool = True) -> Path:
    """The learner's work folder (``NNTEACH_WORKDIR``, default ``~/nnteach-work``), created on use.

    ``environ`` replaces ``os.environ`` (for code that is handed its environment);
    ``create=False`` only names the folder.

    Example:
        >>> work_dir({"NNTEACH_WORKDIR": "/tmp/class work"}, create=False)
        PosixPath('/tmp/class work')
    """
    env = os.environ if environ is None else environ
    folder = Path(env.get("NNTEACH_WORKDIR") or Path.home() / "nnteach-work").expanduser()
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def cache_dir() -> Path:
    """nnteach's own cache folder: ``NNTEACH_CACHE`` or the platform's user cache dir (not created here).

    Example:
        >>> import os
        >>> os.environ["NNTEACH_CACHE"] = "/tmp/nnteach-cache"
        >>> cache_dir(), mnist_cache_file().name
        (PosixPath('/tmp/nnteach-cache'), 'mnist.npz')
        >>> del os.environ["NNTEACH_CACHE"]
    """
    configured = os.environ.get("NNTEACH_CACHE")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("nnteach", appauthor=False))


def mnist_cache_file() -> Path:
    """Where nnteach keeps its converted MNIST (a Keras-style ``.npz``)."""
    return cache_dir() / "mnist.npz"


def keras_mnist_file() -> Path:
    """Keras' own MNIST cache file (``$KERAS_HOME/datasets/mnist.npz``), read when present and never written."""
    keras_home = os.environ.get("KERAS_HOME") or str(Path.home() / ".keras")
    return Path(keras_home).expanduser() / "datasets" / "mnist.npz"


def packaged_file(name: str) -> Traversable:
    """A result shipped inside the package (``nnteach/_weights/<name>``): reference weights, run logs.

    Example:
        >>> packaged_file("reference_mlp.npz").is_file()
        True
    """
    return resources.files("nnteach") / "_weights" / name


def safe_name(name: str, *, what: str = "name") -> str:
    """Check a file name a learner typed: no folders, no ``..``, plain characters only.

    A page served to a class must never read or write outside the work folder.

    Example:
        >>> safe_name("my digits")
        'my digits'
        >>> safe_name("../secret")
        Traceback (most recent call last):
        ...
        ValueError: The name '../secret' is not allowed: use letters, digits, spaces, '-', '_' or '.', without '/' or '..'.
    """
    cleaned = name.strip()
    if not _NAME_PATTERN.match(cleaned) or ".." in cleaned or cleaned.startswith("."):
        raise ValueError(
            f"The {what} {name!r} is not allowed: use letters, digits, spaces, '-', '_' or '.', without '/' or '..'."
        )
    return cleaned

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

import hashlib
import os
import unicodedata
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from nnteach.i18n import _

__all__ = [
    "MAX_NAME_LENGTH",
    "NameTaken",
    "cache_dir",
    "free_name",
    "gallery_dir",
    "keras_mnist_file",
    "learner_dir",
    "learner_folder_name",
    "lessons_dir",
    "mnist_cache_file",
    "packaged_file",
    "safe_name",
    "work_dir",
]

_PACKAGE = Path(__file__).resolve().parent


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


_PAGE_IDENTITY: list[str] = []  # a Voila page's random identity, drawn once per kernel


def learner_folder_name(identity: str) -> str:
    """The folder name of a learner identity: a hash, so nothing typed on a page ever becomes a path.

    Example:
        >>> learner_folder_name("hub:ken")
        'learner-5d78ae828238176b236a'
    """
    return "learner-" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


def _page_identity(environ: Mapping[str, str] | None) -> str:
    from nnteach.classroom.session import page_identity  # the one definition of who a learner is

    if environ is not None:
        return page_identity(environ)
    if _PAGE_IDENTITY:
        return _PAGE_IDENTITY[0]
    identity = page_identity()
    if identity.startswith("page:"):  # random: the same page must keep finding its own files
        _PAGE_IDENTITY.append(identity)
    return identity


def learner_dir(environ: Mapping[str, str] | None = None, *, create: bool = True) -> Path:
    """Where this page's learner's files go: the work folder, or their own subfolder of it on a shared server.

    In a learner's own notebook (no Voila, no JupyterHub) this is :func:`work_dir` itself. On a
    Voila page or under JupyterHub, learners share one work folder, so each gets
    ``<work folder>/learners/<learner_folder_name(identity)>``, keyed by
    :func:`nnteach.classroom.session.page_identity` (the hub user, the browser's
    ``nnteach_learner`` secret, or a random identity per page) and never by a typed name.

    Example:
        >>> learner_dir({"NNTEACH_WORKDIR": "/tmp/w"}, create=False)
        PosixPath('/tmp/w')
        >>> learner_dir({"NNTEACH_WORKDIR": "/tmp/w", "JUPYTERHUB_USER": "ken"}, create=False)
        PosixPath('/tmp/w/learners/learner-5d78ae828238176b236a')
    """
    base = work_dir(environ, create=create)
    identity = _page_identity(environ)
    if identity.startswith("notebook:"):
        return base
    folder = base / "learners" / learner_folder_name(identity)
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


class NameTaken(ValueError):
    """A save refused because the name already holds different saved content; ``suggestion`` is a free name."""

    def __init__(self, message: str, suggestion: str) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def free_name(folder: Path, stem: str, suffix: str) -> str:
    """The first of ``stem 2``, ``stem 3``… with no ``<name><suffix>`` file in ``folder`` (kept a valid name).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "class 3b.npz").write_bytes(b"")
        >>> free_name(folder, "class 3b", ".npz")
        'class 3b 2'
    """
    for number in range(2, 10_000):
        tail = f" {number}"
        candidate = stem[: MAX_NAME_LENGTH - len(tail)].rstrip() + tail
        if not (folder / f"{candidate}{suffix}").exists():
            return candidate
    raise ValueError(
        _(
            "Expected a free name near {stem} in your folder. Received 9,999 taken ones; choose a different name."
        ).format(stem=f"{stem!r}")
    )


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
    """Check a file name a learner typed: letters of any language, digits, spaces, ``-``, ``_``, ``.``; never a path.

    A page served to a class must never read or write outside the work folder, so a folder
    separator, ``..``, a leading dot and invisible or control characters are refused; a name
    longer than :data:`MAX_NAME_LENGTH` characters is refused with that reason. The name is
    kept in Unicode's composed form (NFC), so "ü" typed two ways names one file.

    Example:
        >>> safe_name("my digits"), safe_name("Klasse 3b ü"), safe_name("数字 1")
        ('my digits', 'Klasse 3b ü', '数字 1')
        >>> safe_name("../secret")
        Traceback (most recent call last):
        ...
        ValueError: The name '../secret' is not allowed: use letters, digits, spaces, '-', '_' or '.', without '/' or '..'.
        >>> safe_name("x" * 300)
        Traceback (most recent call last):
        ...
        ValueError: The name 'xxxxxxxxxxxxxxxxxxxxxxxx…' is too long: 300 characters. Expected at most 64; choose a shorter name.
    """
    cleaned = unicodedata.normalize("NFC", name.strip())
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ValueError(
            _(
                "The {what} {value} is too long: {len} characters. Expected at most {MAX_NAME_LENGTH}; choose a shorter name."
            ).format(
                what=what, value=f"{cleaned[:24] + '…'!r}", len=f"{len(cleaned):,}", MAX_NAME_LENGTH=MAX_NAME_LENGTH
            )
        )
    if not cleaned or not _allowed_name(cleaned):
        raise ValueError(
            _(
                "The {what} {name} is not allowed: use letters, digits, spaces, '-', '_' or '.', without '/' or '..'."
            ).format(what=what, name=f"{name[:80]!r}")
        )
    return cleaned


#: The longest file name a learner may type (characters, before ``.npz``/``.keras``).
MAX_NAME_LENGTH = 64
_NAME_PUNCTUATION = frozenset(" _.-")


def _allowed_name(cleaned: str) -> bool:
    """Letters and digits of any script plus `` _.-``, starting with a letter or digit, with no ``..``."""
    if ".." in cleaned or not cleaned[0].isalnum():
        return False
    return all(char.isalnum() or char in _NAME_PUNCTUATION for char in cleaned)

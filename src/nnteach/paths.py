"""Where nnteach's notebooks and the learner's files live.

A wheel carries ``lessons/`` and ``widgets/`` inside the package (``nnteach/_bundled``); an
editable install from a clone finds them at the repository root.

Example:
    >>> from nnteach.paths import lessons_dir
    >>> (lessons_dir() / "index.ipynb").exists()
    True
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["gallery_dir", "lessons_dir", "safe_name", "work_dir"]

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


def work_dir() -> Path:
    """The learner's work folder (``NNTEACH_WORKDIR``, default ``~/nnteach-work``), created on use."""
    folder = Path(os.environ.get("NNTEACH_WORKDIR") or Path.home() / "nnteach-work").expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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

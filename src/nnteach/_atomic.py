"""Write files so that nothing a user saves is ever half-written: temp file, fsync, rename.

A save that is interrupted (the kernel killed mid-write) leaves its temp file behind. Temp
files are named ``.<target>.nnteach-partial-<pid>.<random>.tmp`` so they are recognisable:
:func:`remove_stale_partials` deletes those older than a few minutes whose writing process is
gone, at the next save into the same folder and when ``nnteach serve`` starts. On a class
server (hosted mode) a learner's work folder has a size cap (``NNTEACH_MAX_WORK_MB``); a save
past it is refused with a plain sentence.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

__all__ = ["PARTIAL_MARK", "STALE_AFTER_S", "atomic_write_bytes", "atomic_write_text", "remove_stale_partials"]

PARTIAL_MARK = ".nnteach-partial-"
STALE_AFTER_S = 300.0  # a save of a few hundred MB takes seconds; five minutes is long dead
_PARTIAL = re.compile(r"^\..+" + re.escape(PARTIAL_MARK) + r"(?P<pid>\d+)\.[^./]+\.tmp$")
_LEGACY = re.compile(r"^\.(?P<target>.+)\.[A-Za-z0-9_]{8}\.tmp$")  # nnteach 0.1's unmarked temp files


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _stale(path: Path, now: float, older_than_s: float) -> bool:
    try:
        old = now - path.stat().st_mtime > older_than_s
    except FileNotFoundError:
        return False
    if not old:
        return False
    found = _PARTIAL.match(path.name)
    if found:
        return not _alive(int(found["pid"]))
    legacy = _LEGACY.match(path.name)
    return bool(legacy and (path.parent / legacy["target"]).exists())


def remove_stale_partials(folder: Path, *, recursive: bool = False, older_than_s: float = STALE_AFTER_S) -> list[Path]:
    """Delete the temp files of interrupted saves in ``folder``: old, and their writer gone.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> remove_stale_partials(folder)
        []
    """
    if not folder.is_dir():
        return []
    now = time.time()
    candidates: Iterable[Path] = folder.rglob("*.tmp") if recursive else folder.glob(".*.tmp")
    removed = []
    for path in candidates:
        if path.is_file() and _stale(path, now, older_than_s):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _folder_bytes(folder: Path, leaving_out: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        if path != leaving_out and path.is_file() and PARTIAL_MARK not in path.name:
            total += path.stat().st_size
    return total


def _check_work_quota(target: Path, size: int) -> None:
    """Refuse a save that would put a learner's work folder over the class server's cap."""
    from nnteach.hosting import hosted_limits
    from nnteach.paths import learner_dir

    limits = hosted_limits()
    if limits is None:
        return
    folder = learner_dir(create=False).resolve()  # each learner's own files, not the whole class's
    if not target.resolve().is_relative_to(folder):
        return
    cap = limits.max_work_mb * 1024 * 1024
    total = _folder_bytes(folder, target.resolve()) + size
    if total > cap:
        raise ValueError(
            f"Your work folder may hold at most {limits.max_work_mb} MB on this class server. "
            f"Received: {target.name} ({size / 2**20:.1f} MB), which would bring it to {total / 2**20:.1f} MB. "
            "Delete saved models or runs you no longer need from your work folder, then save again."
        )


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then rename.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
        >>> atomic_write_bytes(path, b"hello")
        >>> path.read_bytes()
        b'hello'
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(target.parent)
    _check_work_quota(target, len(data))
    prefix = f".{target.name}{PARTIAL_MARK}{os.getpid()}."
    handle, temp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temp = Path(temp_name)
        temp.chmod(0o644)  # mkstemp makes 0600; saved files are ordinary files
        temp.replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def atomic_write_text(target: Path, text: str) -> None:
    """Like :func:`atomic_write_bytes`, for UTF-8 text."""
    atomic_write_bytes(target, text.encode("utf-8"))

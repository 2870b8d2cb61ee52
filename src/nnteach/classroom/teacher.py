"""Is this page the teacher's? A random key, exchanged by the server for an HttpOnly cookie.

``nnteach serve --class`` makes a key, prints a teacher link carrying it once, and gives the
kernels only the key's SHA-256 (``NNTEACH_TEACHER_KEY_SHA256``). The server swaps the link's
key for the ``nnteach_teacher`` cookie (so the key leaves the address bar, shared links and
the access log) and the page's kernel compares the cookie's hash with the one it was given, in
constant time. On a hub, the hub's own groups decide instead: a user in one of
``NNTEACH_TEACHER_GROUPS`` (the hub's spawner passes the user's groups as ``JUPYTERHUB_GROUPS``).

Example:
    >>> key = "k" * 43
    >>> env = {"NNTEACH_TEACHER_KEY_SHA256": key_hash(key), "HTTP_COOKIE": f"nnteach_teacher={key}"}
    >>> is_teacher_page(env)
    True
    >>> is_teacher_page({**env, "HTTP_COOKIE": "nnteach_teacher=guess"})
    False
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from nnteach.classroom.identity import same_key
from nnteach.classroom.session import read_cookie
from nnteach.request import page_request

__all__ = ["TEACHER_COOKIE", "is_teacher_page", "key_hash"]

TEACHER_COOKIE = "nnteach_teacher"


def key_hash(key: str) -> str:
    """The SHA-256 of a teacher key, as the kernels receive it."""
    return hashlib.sha256(key.encode()).hexdigest()


def is_teacher_page(env: Mapping[str, str] | None = None) -> bool:
    """Whether the browser that opened this page holds the teacher's cookie (or the hub says teacher)."""
    env = page_request(env)
    expected = env.get("NNTEACH_TEACHER_KEY_SHA256", "")
    given = env.get("HTTP_X_NNTEACH_TEACHER") or read_cookie(env, TEACHER_COOKIE)  # the server's header
    if expected and given:
        return same_key(key_hash(given), expected)
    groups = {group.strip() for group in env.get("JUPYTERHUB_GROUPS", "").split(",") if group.strip()}
    teacher_groups = {group.strip() for group in env.get("NNTEACH_TEACHER_GROUPS", "").split(",") if group.strip()}
    return bool(env.get("JUPYTERHUB_USER") and groups & teacher_groups)

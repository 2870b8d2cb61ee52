"""Who a learner is, apart from the name they type: entries belong to the identity, not the name.

- Served by JupyterHub: the hub user (``JUPYTERHUB_USER``), ``hub:<user>``.
- On a single Voila server: a random per-browser secret the server issues in an HttpOnly
  cookie; the store keeps only its SHA-256, ``browser:<hash>``.
- In a learner's own notebook: the operating-system user, ``notebook:<user>``.

A teacher key is compared in constant time.

Example:
    >>> identity_from_environment({"JUPYTERHUB_USER": "aiko"})
    'hub:aiko'
    >>> browser_identity(new_secret()).startswith("browser:")
    True
    >>> same_key("abc", "abc"), same_key("abc", "abd")
    (True, False)
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping

__all__ = [
    "browser_identity",
    "hub_identity",
    "identity_from_environment",
    "new_secret",
    "notebook_identity",
    "same_key",
]

_USER = re.compile(r"^[\w.@+-]{1,64}$")


def new_secret() -> str:
    """A fresh random secret (browser identity or teacher key): 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def same_key(given: str, expected: str) -> bool:
    """Whether two keys are equal, compared in constant time."""
    return hmac.compare_digest(given.encode(), expected.encode())


def hub_identity(user: str) -> str:
    """The identity of a JupyterHub user."""
    if not _USER.match(user):
        raise ValueError(
            f"Expected a JupyterHub user name (letters, digits, . @ + - _). Received {user!r:.70}; "
            "check JUPYTERHUB_USER in the kernel's environment."
        )
    return f"hub:{user}"


def browser_identity(secret: str) -> str:
    """The identity of a browser holding ``secret`` (only its hash is stored)."""
    if len(secret) < 16:
        raise ValueError(
            "Expected a browser secret of at least 16 characters. Received a shorter one; "
            "reload the page so the server issues a new one."
        )
    return "browser:" + hashlib.sha256(secret.encode()).hexdigest()[:40]


def notebook_identity() -> str:
    """The identity of whoever runs this notebook kernel (the operating-system user)."""
    return f"notebook:{getpass.getuser()[:64]}"


def identity_from_environment(env: Mapping[str, str], browser_secret: str | None = None) -> str:
    """The hub user if served by a hub, else the browser's secret if a page gave one, else the OS user."""
    if env.get("JUPYTERHUB_USER"):
        return hub_identity(env["JUPYTERHUB_USER"])
    if browser_secret:
        return browser_identity(browser_secret)
    return notebook_identity()

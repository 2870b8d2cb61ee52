"""This kernel's learner in the class space: who they are, the name they typed, and the store.

Identity comes from where the page runs (see :mod:`nnteach.classroom.identity`): the hub
user; on an nnteach Voila server the browser's own secret (the ``nnteach_learner`` cookie,
passed to the kernel with the page's request); in a learner's own notebook the OS user. A
Voila page that received no secret (an older server) gets a random identity of its own, so
two learners' pages never share one.

Example:
    >>> import tempfile
    >>> from nnteach.classroom import ClassStore
    >>> session = ClassSession(ClassStore(f"sqlite:///{tempfile.mkdtemp()}/c.db"), identity="hub:mia")
    >>> session.join("Mia").display_name
    'Mia'
    >>> session.display_name
    'Mia'
    >>> session.store.close()
"""

from __future__ import annotations

from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie
from typing import Any

from nnteach.classroom.identity import browser_identity, hub_identity, new_secret, notebook_identity
from nnteach.request import page_request

__all__ = [
    "LEARNER_COOKIE",
    "ClassSession",
    "current_session",
    "page_identity",
    "read_cookie",
    "reset_current_session",
]

LEARNER_COOKIE = "nnteach_learner"


def read_cookie(env: Mapping[str, str], name: str) -> str | None:
    """A cookie of the page's request, as Voila passed it to the kernel (``HTTP_COOKIE``), or None."""
    try:
        jar = SimpleCookie(env.get("HTTP_COOKIE", ""))
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def page_identity(env: Mapping[str, str] | None = None) -> str:
    """The identity of whoever this kernel serves (see the module docstring).

    Example:
        >>> page_identity({"JUPYTERHUB_USER": "ken"})
        'hub:ken'
        >>> page_identity({"SERVER_SOFTWARE": "voila/0.5.13"}).startswith("page:")
        True
    """
    env = page_request(env)
    if env.get("JUPYTERHUB_USER"):
        return hub_identity(env["JUPYTERHUB_USER"])
    secret = env.get("HTTP_X_NNTEACH_LEARNER") or read_cookie(env, LEARNER_COOKIE)  # the server's header
    if secret and len(secret) >= 16:
        return browser_identity(secret)
    if env.get("SERVER_SOFTWARE", "").startswith("voila/"):
        return "page:" + browser_identity(new_secret()).removeprefix("browser:")
    return notebook_identity()


class ClassSession:
    """One learner's way into the class space: join with a name, then share digits and runs."""

    def __init__(self, store: Any = None, *, identity: str | None = None) -> None:
        if store is None:
            from nnteach.classroom.store import ClassStore

            store = ClassStore()
        self.store = store
        self.identity = identity or page_identity()
        self._name: str | None = None

    @property
    def display_name(self) -> str | None:
        """The name this learner shows the class, once joined (or found from an earlier page)."""
        if self._name is None:
            learner = self.store.learner(self.identity)
            self._name = learner.display_name if learner is not None else None
        return self._name

    def join(self, display_name: str) -> Any:
        """Join the class (or change the name shown); entries stay this learner's whatever the name."""
        learner = self.store.join(self.identity, display_name)
        self._name = learner.display_name
        return learner

    def share_digit(self, label: object, image: object) -> int:
        """Share a labelled drawing with the class; return its id."""
        return int(self.store.share_digit(self.identity, label, image))

    def share_run(self, figures: Any) -> int:
        """Send a run's figures (not its weights) to the class board; return its id."""
        return int(self.store.share_run(self.identity, figures))


_CURRENT: list[ClassSession] = []


def current_session() -> ClassSession:
    """This kernel's session, made on first use (the class database from ``NNTEACH_CLASS_DB`` or the work folder)."""
    if not _CURRENT:
        _CURRENT.append(ClassSession())
    return _CURRENT[0]


def reset_current_session(session: ClassSession | None = None) -> None:
    """Replace (or forget) this kernel's session: for tests, and for a notebook switching class databases."""
    _CURRENT[:] = [session] if session is not None else []

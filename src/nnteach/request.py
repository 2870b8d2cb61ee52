"""The page's request, as Voila hands it to the kernel: the one way lessons read it.

Voila puts the page's query string (``QUERY_STRING``) and chosen headers (``HTTP_COOKIE``…)
into the kernel's environment. A preheated kernel (issue "A class arrives at once") ran its
notebook before any browser asked for it, and receives them only through
``voila.utils.wait_for_request()``. Teacher links, the learner's identity and the language all
read the request through :func:`page_request`, which waits once when needed.

Example:
    >>> page_request({"QUERY_STRING": "monitor.epochs=3"})["QUERY_STRING"]
    'monitor.epochs=3'
    >>> page_query({"QUERY_STRING": "a=1"})
    'a=1'
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["page_query", "page_request"]

_WAITED: list[bool] = []


def page_request(env: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """The request's variables (the environment); in a preheated Voila kernel, after the page asked for it."""
    if env is not None:
        return env
    if os.environ.get("VOILA_PREHEAT", "False") != "False" and not _WAITED:
        from voila.utils import wait_for_request

        wait_for_request()
        _WAITED.append(True)
    return os.environ


def page_query(env: Mapping[str, str] | None = None) -> str:
    """The page's query string (empty outside Voila)."""
    return page_request(env).get("QUERY_STRING", "") or ""

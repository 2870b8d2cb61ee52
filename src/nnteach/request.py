"""The page's request, as Voila hands it to the kernel: the one way lessons read it.

Voila puts the page's query string (``QUERY_STRING``) and chosen headers (``HTTP_X_NNTEACH_LEARNER``…)
into the kernel's environment. A preheated kernel (``nnteach serve --warm``) ran its notebook
before any browser asked for it, and receives them only when a page takes it: it waits at the
first cell that reads the request. Teacher links, the learner's identity and the language all
read it through :func:`page_request`, which waits once when needed, so a lesson should read the
request as late as it can (``lesson_links`` in its last cell): every cell before runs ahead.
What a widget needs from the request earlier (ModelPicker: the learner's own saved models) it
asks for with :func:`when_requested`, which runs once the page is known, in the background.

On nnteach's class server the kernel proves who it is with the key its kernel manager gave it
(``NNTEACH_QUERY_KEY``): the request carries the learner's secret, and no one else may read it.
Elsewhere Voila's own ``voila.utils.wait_for_request`` fetches it.

Example:
    >>> page_request({"QUERY_STRING": "monitor.epochs=3"})["QUERY_STRING"]
    'monitor.epochs=3'
    >>> page_query({"QUERY_STRING": "a=1"})
    'a=1'
    >>> query_socket_url({"VOILA_APP_PORT": "8900", "VOILA_KERNEL_ID": "k1"})
    'ws://127.0.0.1:8900/voila/query/k1'
    >>> query_socket_url({"VOILA_APP_IP": "fd00::7", "VOILA_KERNEL_ID": "k1"})
    'ws://[fd00::7]:8866/voila/query/k1'
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import traceback
from collections.abc import Callable, Mapping

__all__ = ["QUERY_KEY_ENV", "page_query", "page_request", "query_socket_url", "request_pending", "when_requested"]

#: The environment variable holding a warm kernel's key (set by ``ClassKernelManager``).
QUERY_KEY_ENV = "NNTEACH_QUERY_KEY"
_QUERY_KEY_HEADER = "X-Nnteach-Query-Key"  # nnteach._voila.handlers.QUERY_KEY (the kernel side cannot import it)
_WAITED: list[bool] = []


def query_socket_url(env: Mapping[str, str]) -> str:
    """Where a preheated kernel reads its page's request (Voila's ``/voila/query/<kernel id>``)."""
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    host = env.get("VOILA_APP_IP", "127.0.0.1")
    host = f"[{host}]" if ":" in host else host
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"


def _fetch_with_key(url: str, key: str) -> dict[str, str] | None:
    """Open the query socket with the kernel's key and wait for the page's request (in a thread of its own)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    found: list[dict[str, str]] = []

    async def fetch() -> None:
        request = HTTPRequest(url, headers={_QUERY_KEY_HEADER: key}, connect_timeout=10, request_timeout=10)
        connection = await websocket_connect(request)
        message = await connection.read_message()  # until a page takes this kernel
        connection.close()
        if isinstance(message, str | bytes):
            payload = json.loads(message)
            if isinstance(payload, dict):
                found.append({str(name): str(value) for name, value in payload.items()})

    def run() -> None:  # the kernel's own event loop is busy running this cell
        try:
            asyncio.run(fetch())
        except Exception:  # noqa: BLE001 - no request: the page works with the defaults
            return

    thread = threading.Thread(target=run, name="nnteach-page-request", daemon=True)
    thread.start()
    thread.join()
    return found[0] if found else None


def request_pending(env: Mapping[str, str] | None = None) -> bool:
    """True in a preheated kernel no page has asked for yet: reading the request now would wait.

    Example:
        >>> request_pending({"VOILA_PREHEAT": "False"}), request_pending({})
        (False, False)
    """
    environ = os.environ if env is None else env
    return environ.get("VOILA_PREHEAT", "False") != "False" and not _WAITED


def when_requested(callback: Callable[[], object]) -> None:
    """Call ``callback`` once the page's request is known: now, or in a thread when a page takes this warm kernel.

    What only a page's request decides (the learner's own files, say) waits there, while the
    cells after it run ahead. An exception from ``callback`` is the callback's to show.

    Example:
        >>> when_requested(lambda: print("now"))
        now
    """
    if not request_pending():
        callback()
        return
    _LATER.append(callback)
    if len(_LATER) == 1:
        threading.Thread(target=_run_later, name="nnteach-when-requested", daemon=True).start()


_LATER: list[Callable[[], object]] = []


def _run_later() -> None:
    page_request()  # waits for the page, once, for every callback
    while _LATER:
        try:
            _LATER.pop(0)()
        except Exception:  # noqa: BLE001 - one failing callback must not keep the others from running
            traceback.print_exc()  # the kernel's log: a widget shows its own errors itself


def page_request(env: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """The request's variables (the environment); in a preheated Voila kernel, after the page asked for it."""
    if env is not None:
        return env
    with _WAITING:
        if request_pending():
            _wait_for_page()
        return os.environ


_WAITING = threading.Lock()  # a cell and a when_requested thread may both ask: one waits, the other after it


def _wait_for_page() -> None:
    """Fetch the page's request into ``os.environ`` (a preheated kernel, once)."""
    key = os.environ.pop(QUERY_KEY_ENV, "")
    if key:
        payload = _fetch_with_key(query_socket_url(os.environ), key)
        os.environ.update(payload or {})
    else:
        from voila.utils import wait_for_request

        wait_for_request()
    _WAITED.append(True)


def page_query(env: Mapping[str, str] | None = None) -> str:
    """The page's query string (empty outside Voila)."""
    return page_request(env).get("QUERY_STRING", "") or ""

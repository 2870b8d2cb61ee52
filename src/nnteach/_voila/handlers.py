"""nnteach's Voila handlers: a kernel belongs to the browser that rendered its page, and speaks v1.

``nnteach serve`` runs :class:`nnteach._voila.app.ClassVoila`, which swaps these in for
Voila's own handlers of the page, the kernel API, the kernel websocket, the shutdown beacon
and the preheating query socket. Two faults of a class server (issue 14) are fixed here:

* **One websocket message froze the whole server.** Upstream reproduction (Voila 0.5.13,
  jupyter_server 2.x): render a notebook that shows a widget with binary state (an
  ``ipywidgets.Image``, an ipycanvas ``Canvas``), take ``kernelId`` from the page's HTML,
  open ``ws://HOST/api/kernels/<id>/channels`` *without* the
  ``v1.kernel.websocket.jupyter.org`` subprotocol (the legacy protocol), send a shell
  ``comm_info_request`` and then ``comm_msg {"method": "request_state"}`` to each comm. For a
  legacy client jupyter_server packs replies with buffers with ``serialize_binary_message``
  (a 4-byte big-endian offset count); ``VoilaKernelWebsocketHandler.write_message`` then runs
  ``read_header_from_binary_message`` on those bytes as if they were v1 (an 8-byte
  little-endian count), reads a count in the billions and builds a list that long: the event
  loop never returns, memory grows by ~8 MB/s and SIGTERM is not handled. Workaround: refuse
  the websocket handshake unless the client offers the v1 subprotocol, which Voila's own page
  always does (:class:`OwnedKernelWebsocketHandler`).
  Hub mode (Voila as a Jupyter server extension, ``deploy/``) does not register Voila's
  websocket handler: ``/api/kernels/<id>/channels`` is jupyter_server's own
  ``KernelWebsocketHandler``, which packs and reads both protocols consistently, and only the
  signed-in learner reaches their own single-user server, so neither fault applies there.
* **Anyone with a kernel id controlled that kernel.** The page handler sets a random secret in
  an HttpOnly cookie named after the kernel id (so a second tab does not overwrite the first
  tab's), and every kernel request (``/api/kernels/<id>``, its websocket, the shutdown beacon,
  ``/voila/query/<id>``) must carry it, or gets 403.
"""

from __future__ import annotations

import hmac
import inspect
import secrets
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from tornado import web
from tornado.log import app_log
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from nnteach._voila.class_identity import give_class_identity
from nnteach._voila.page_text import class_full_message, page_language, too_many_starts_message
from nnteach.i18n import translator

__all__ = [
    "COOKIE_PREFIX",
    "QUERY_KEY",
    "V1_PROTOCOL",
    "KernelOwners",
    "OwnedKernelHandler",
    "OwnedKernelWebsocketHandler",
    "OwnedQuerySocketHandler",
    "OwnedShutdownHandler",
    "OwningPageHandler",
    "offers_v1",
]

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
QUERY_KEY = "X-Nnteach-Query-Key"
COOKIE_PREFIX = "nnteach-kernel-"
_SETTING = "nnteach_kernel_owners"

LEGACY_REFUSED = (
    f"This kernel websocket needs the {V1_PROTOCOL} subprotocol. Received a handshake offering "
    "{offered}. Connect with Voila's own page (it offers it), or offer it in Sec-WebSocket-Protocol."
)
NOT_YOURS = (
    "This lesson page's kernel belongs to the browser that opened the page. Received a request "
    "without that browser's key for kernel {kernel_id}. Open the lesson yourself to get your own kernel."
)


def offers_v1(header: str | None) -> bool:
    """Whether a ``Sec-WebSocket-Protocol`` header offers the v1 kernel protocol.

    Example:
        >>> offers_v1("v1.kernel.websocket.jupyter.org"), offers_v1(None), offers_v1("a, b")
        (True, False, False)
    """
    return V1_PROTOCOL in {part.strip() for part in (header or "").split(",")}


class KernelOwners:
    """Which browser owns which kernel: one random secret per kernel, kept by its page's cookie.

    Example:
        >>> owners = KernelOwners()
        >>> secret = owners.claim("k1")
        >>> owners.owns("k1", secret), owners.owns("k1", "guess"), owners.owns("k2", secret)
        (True, False, False)
    """

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def claim(self, kernel_id: str) -> str:
        """A new secret for ``kernel_id`` (replacing any earlier one)."""
        secret = secrets.token_urlsafe(32)
        self._secrets[kernel_id] = secret
        return secret

    def owns(self, kernel_id: str, secret: str | None) -> bool:
        """True when ``secret`` is the one given out for ``kernel_id``."""
        known = self._secrets.get(kernel_id)
        return known is not None and secret is not None and hmac.compare_digest(known, secret)

    def forget_all_but(self, live: set[str]) -> None:
        """Drop the secrets of kernels that are gone."""
        for kernel_id in set(self._secrets) - live:
            del self._secrets[kernel_id]


def _owners(handler: web.RequestHandler) -> KernelOwners:
    owners: KernelOwners = handler.settings.setdefault(_SETTING, KernelOwners())
    return owners


class _OwnerCheck(web.RequestHandler):
    """After the base handler's own checks, refuse a request for a kernel this browser does not own."""

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        result = super().prepare(*args, **kwargs)
        if inspect.isawaitable(result):
            await result
        if self._finished:
            return
        kernel_id = self.path_kwargs.get("kernel_id") or (self.path_args[0] if self.path_args else "")
        if kernel_id not in self.settings["kernel_manager"]:
            raise web.HTTPError(404, f"Kernel does not exist: {kernel_id}")
        if not _owners(self).owns(kernel_id, self.get_cookie(COOKIE_PREFIX + kernel_id)):
            log = getattr(self, "log", app_log)
            log.warning("nnteach: refused a request for kernel %s from a browser that does not own it.", kernel_id)
            raise web.HTTPError(403, NOT_YOURS.format(kernel_id=kernel_id))


class OwnedKernelHandler(_OwnerCheck, KernelHandler):
    """``GET``/``DELETE /api/kernels/<id>`` for the owning browser only."""


class OwnedShutdownHandler(_OwnerCheck, VoilaShutdownKernelHandler):  # type: ignore[misc]
    """The page's shutdown beacon (``POST /voila/api/shutdown/<id>``) for the owning browser only.

    Voila's page sends the beacon with the ``_xsrf`` value it reads from ``document.cookie``;
    a Voila page has no such cookie, so Jupyter Server refused every beacon (voila#1458) and a
    closed tab kept its seat. The kernel's key cookie is ``SameSite=Strict``: no other site can
    make a browser send it, which is the protection ``_xsrf`` gives, so the owner check replaces it.
    """

    def check_xsrf_cookie(self) -> None:
        """The owner check in ``prepare`` stands in for it (see the class)."""


class OwnedQuerySocketHandler(_OwnerCheck, RequestInfoSocketHandler):  # type: ignore[misc]
    """Preheating's ``/voila/query/<id>`` socket: the page's request for its warm kernel, and no one else.

    The kernel proves who it is with the key its kernel manager gave it (``X-Nnteach-Query-Key``,
    see :func:`nnteach.request.page_request`); the browser that owns the kernel may connect too.
    Anyone else gets 403: the request carries the learner's secret.
    """

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        kernel_id = self.path_kwargs.get("kernel_id") or (self.path_args[0] if self.path_args else "")
        manager = self.settings["kernel_manager"]
        matches = getattr(manager, "query_key_matches", None)
        if matches is not None and kernel_id in manager and matches(kernel_id, self.request.headers.get(QUERY_KEY)):
            return
        await super().prepare(*args, **kwargs)


class OwnedKernelWebsocketHandler(_OwnerCheck, VoilaKernelWebsocketHandler):  # type: ignore[misc]
    """The kernel websocket: the owning browser only, and only in the v1 protocol (see the module)."""

    async def get(self, *args: Any, **kwargs: Any) -> None:
        offered = self.request.headers.get("Sec-WebSocket-Protocol")
        if not offers_v1(offered):
            self.log.warning("nnteach: refused a kernel websocket without the v1 subprotocol.")
            self.set_status(400)
            await self.finish(LEGACY_REFUSED.format(offered=repr(offered) if offered else "no subprotocol"))
            return
        opened = super().get(*args, **kwargs)
        if inspect.isawaitable(opened):
            await opened


class _RecordingKernels:
    """The kernel manager as one page request sees it: notes the kernel its page gets."""

    def __init__(self, inner: Any, client: str) -> None:
        self._inner = inner
        self._client = client
        self.kernel_id: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __contains__(self, kernel_id: object) -> bool:
        return kernel_id in self._inner

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        admit = getattr(self._inner, "admit", None)
        if admit is not None:
            admit(self._client)
        kernel_id: str = await ensure_async(self._inner.start_kernel(*args, **kwargs))
        self.kernel_id = kernel_id
        return kernel_id

    def _ready(self, notebook_name: str) -> list[Any]:
        """The pool's entries whose kernel has started (Voila's pool also lists refills not started yet)."""
        pool = getattr(self._inner, "_pools", {}).get(notebook_name, [])
        return [task for task in pool if task.done() and not task.cancelled() and task.exception() is None]

    def get_pool_size(self, notebook_name: str) -> int:
        """Warm kernels ready for ``notebook_name``: a page never waits for a refill still in its turn."""
        return len(self._ready(notebook_name)) if self._inner.get_pool_size(notebook_name) else 0

    async def get_rendered_notebook(self, *args: Any, notebook_name: str, **kwargs: Any) -> Any:
        admit = getattr(self._inner, "admit", None)
        if admit is not None:
            admit(self._client)
        check_room = getattr(self._inner, "check_room", None)
        if check_room is not None:
            check_room()  # a warm kernel becomes a learner's seat: the class may be full
        ready = self._ready(notebook_name)
        if ready:  # Voila takes the pool's first entry: make it a started one
            pool = self._inner._pools[notebook_name]  # Voila 0.5.13 has no public way to pick one
            pool.remove(ready[0])
            pool.insert(0, ready[0])
        rendered = await self._inner.get_rendered_notebook(*args, notebook_name=notebook_name, **kwargs)
        self.kernel_id = rendered[2]
        taken = getattr(self._inner, "kernel_taken", None)
        if taken is not None:
            taken(self.kernel_id)
        return rendered


class OwningPageHandler(TornadoVoilaHandler):  # type: ignore[misc]
    """Voila's page handler that gives the rendering browser its kernel's key (an HttpOnly cookie)."""

    _recording: _RecordingKernels | None = None

    @property
    def kernel_manager(self) -> Any:
        return self._recording if self._recording is not None else self.settings["kernel_manager"]

    def initialize(self, **kwargs: Any) -> None:
        super().initialize(**kwargs)
        configured = getattr(self, "page_config_hook", None)  # Voila's configured hook, if any

        def with_language(page_config: dict[str, Any], **hook_kwargs: Any) -> dict[str, Any]:
            if configured is not None:
                page_config = configured(page_config, **hook_kwargs)
            page_config["nnteachLanguage"] = self.page_language()  # read by static/nnteach.js
            return page_config

        self.page_config_hook = with_language

    def page_language(self) -> str:
        """This page's language: ``?lang=``, its folder (``ja/``), ``nnteach serve --lang``, the browser's."""
        return page_language(
            self.request.query, self.request.headers.get("Accept-Language", ""), path=self.request.path
        )

    def should_use_rendered_notebook(self, *args: Any, **kwargs: Any) -> bool:
        """Voila's check, and: a warm kernel ran its lesson in the language of a page asking for none."""
        if not super().should_use_rendered_notebook(*args, **kwargs):
            return False
        return self.page_language() == page_language("", "", path=self.request.path)

    def render_template(self, name: str, **ns: Any) -> Any:
        """Voila's template rendering, with the page's language (``nnteach_lang``, ``nnteach_text``) for error.html."""
        lang = self.page_language()
        manager = self.settings["kernel_manager"]
        status = ns.get("status_code")
        if status == 503 and hasattr(manager, "max_kernels"):
            ns["message"] = class_full_message(manager.max_kernels, manager.reconnect_grace, lang)
        elif status == 429 and hasattr(manager, "max_starts_per_minute"):
            ns["message"] = too_many_starts_message(manager.max_starts_per_minute, lang)
        return super().render_template(name, nnteach_lang=lang, nnteach_text=translator(lang).gettext, **ns)

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        give_class_identity(self)  # the learner's secret and the teacher's key, as headers the kernel sees
        manager = self.settings["kernel_manager"]
        self._recording = recording = _RecordingKernels(manager, self.request.remote_ip or "")
        owned = False
        try:
            async for html in self.get_generator(path=path):
                if not owned and recording.kernel_id is not None:
                    self._give_key(recording.kernel_id)
                    owned = True
                self.write(html)
                self.flush()
        finally:
            rendered = getattr(manager, "page_rendered", None)
            if recording.kernel_id is not None and rendered is not None:
                rendered(recording.kernel_id)

    def _give_key(self, kernel_id: str) -> None:
        owners = _owners(self)
        live = set(self.settings["kernel_manager"].list_kernel_ids())
        owners.forget_all_but(live)
        for name in self.request.cookies:  # keys of this browser's closed pages: drop them
            if name.startswith(COOKIE_PREFIX) and name[len(COOKIE_PREFIX) :] not in live:
                self.clear_cookie(name, path=self.base_url)
        self.set_cookie(
            COOKIE_PREFIX + kernel_id,
            owners.claim(kernel_id),
            path=self.base_url,
            httponly=True,
            samesite="Strict",
            secure=self.request.protocol == "https",
        )

"""A kernel manager that caps how many lesson pages run at once and gives seats to learners.

Each Voila page starts its own kernel (one that trained lesson 4's MLP peaks near 660 MB on JAX,
the Keras backend of hosted lesson kernels; see README "Keras backend"). Past the cap, the
next learner gets a plain "the class is full" page (HTTP 503, shown by the ``nnteach``
template's ``error.html``) instead of the machine swapping to death. Seats follow learners,
not page views (:mod:`nnteach._voila.seats`): a page that never connects, or whose tab was
closed, frees its seat after a grace; one client address starts at most a few kernels a
minute (HTTP 429); idle culling never takes a kernel whose page has not connected yet.

Preheated ("warm") kernels, started by Voila's pools (``nnteach serve --warm``), do not count
against ``max_kernels``: that cap counts learners' pages, and a warm kernel becomes a learner's
seat when a page takes it (:meth:`ClassKernelManager.check_room` refuses that too when the class
is full). The pools' sizes bound the warm ones, so the machine holds at most ``max_kernels`` plus
the pools' total. Warm kernels start one at a time, ``warm_interval`` seconds apart, never
while a learner's page is rendering and not until ``warm_quiet`` seconds after a page last took
one, so refilling a pool cannot starve a class that is arriving or working. Each gets a
random key (``NNTEACH_QUERY_KEY``) with which only it may read its page's request
(:func:`nnteach.request.page_request`).

Voila uses it through ``voila.json``:

    {"VoilaConfiguration": {"multi_kernel_manager_class": "nnteach._voila.kernels.ClassKernelManager"},
     "ClassKernelManager": {"max_kernels": 40, "connect_grace": 120, "reconnect_grace": 30}}
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import secrets
import time
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from tornado.ioloop import PeriodicCallback
from traitlets import Bool, Float, Integer

from nnteach._voila.page_text import class_full_message, too_many_starts_message  # in each language
from nnteach._voila.seats import SeatBook, StartLimit

__all__ = ["ClassKernelManager", "class_full_message", "too_many_starts_message"]


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class ClassKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` with a seat cap, seats that follow learners and a start limit."""

    max_kernels = Integer(
        0,
        config=True,
        help="Most kernels (lesson pages) running at once; 0 means no cap. Past it, new pages get 'the class is full'.",
    )
    connect_grace = Float(
        120.0,
        config=True,
        help="Seconds a rendered page has to connect its websocket before its kernel is shut down.",
    )
    reconnect_grace = Float(
        30.0,
        config=True,
        help="Seconds a page whose websocket closed has to reconnect before its kernel is shut down.",
    )
    max_starts_per_minute = Integer(
        10,
        config=True,
        help="Most kernels one client address may start in a minute; 0 means no limit (HTTP 429 past it).",
    )
    limit_loopback = Bool(
        False,
        config=True,
        help="Apply max_starts_per_minute to clients on this machine too (off: tests, benchmarks and a "
        "reverse proxy on the same machine all come from 127.0.0.1).",
    )
    seat_check_interval = Float(2.0, config=True, help="Seconds between checks for seats to free.")
    warm_interval = Float(
        2.0,
        config=True,
        help="Seconds between starts of preheated (warm) kernels; none starts while a learner's page renders.",
    )
    warm_quiet = Float(
        10.0,
        config=True,
        help="Seconds after a page last took a warm kernel before refills start: a class arriving gets the CPU first.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self._book = SeatBook(self.connect_grace, self.reconnect_grace)
        self._limit = StartLimit(self.max_starts_per_minute)
        self._seat_check: PeriodicCallback | None = None
        self._freeing: set[str] = set()
        self._warm: set[str] = set()  # preheated kernels no page has taken yet
        self._query_keys: dict[str, str] = {}
        self._warm_turn = asyncio.Lock()
        self._last_warm = -float("inf")
        self._last_taken = -float("inf")

    def admit(self, client: str) -> None:
        """Count a kernel start for ``client`` (an address); HTTP 429 past ``max_starts_per_minute``."""
        if not self.limit_loopback and _is_loopback(client):
            return
        if not self._limit.allow(client, time.monotonic()):
            self.log.warning(
                "nnteach: %s started more than %d kernels in a minute.", client, self.max_starts_per_minute
            )
            message = too_many_starts_message(self.max_starts_per_minute)
            raise web.HTTPError(429, reason="Too many pages", log_message=message)

    def learner_pages(self) -> int:
        """Kernels that count against ``max_kernels``: running, not being freed, not waiting warm in a pool."""
        return len(set(self.list_kernel_ids()) - self._freeing - self._warm)

    def check_room(self) -> None:
        """HTTP 503 "the class is full" when ``max_kernels`` learners' pages already run."""
        if self.max_kernels > 0 and self.learner_pages() >= self.max_kernels:
            self.log.warning("nnteach: the class is full (%d kernels running); refusing a new page.", self.max_kernels)
            message = class_full_message(self.max_kernels, self.reconnect_grace)
            raise web.HTTPError(503, reason="The class is full", log_message=message)

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel: a learner's (refused with 503 past ``max_kernels``) or a warm one (in its turn)."""
        env = kwargs.get("env") or {}
        warm = kernel_id is None and env.get("VOILA_PREHEAT") == "True"
        key = ""
        if warm:
            await self._wait_for_warm_turn()
            key = secrets.token_urlsafe(32)
            kwargs["env"] = {**env, "NNTEACH_QUERY_KEY": key}
        elif kernel_id is None:
            self.check_room()
        started: str = await super().start_kernel(kernel_id=kernel_id, **kwargs)
        if kernel_id is None:
            self._book.started(started, time.monotonic())
        if warm:
            self._warm.add(started)
            self._query_keys[started] = key
        if self._seat_check is None:
            self._seat_check = PeriodicCallback(self.free_seats, 1000 * self.seat_check_interval)
            self._seat_check.start()
        return started

    async def _wait_for_warm_turn(self) -> None:
        """Return when a warm kernel may start: ``warm_interval`` after the last, ``warm_quiet`` after a page
        took one, and no learner's page rendering."""
        async with self._warm_turn:
            while (
                time.monotonic() - self._last_warm < self.warm_interval
                or time.monotonic() - self._last_taken < self.warm_quiet
                or self._book.rendering(exclude=self._warm | self._freeing) > 0
            ):
                await asyncio.sleep(0.25)
            self._last_warm = time.monotonic()

    def kernel_taken(self, kernel_id: str) -> None:
        """A page took warm kernel ``kernel_id`` from its pool: from now on it is that learner's seat."""
        self._warm.discard(kernel_id)
        self._last_taken = time.monotonic()

    def query_key_matches(self, kernel_id: str, key: str | None) -> bool:
        """Whether ``key`` is the one warm kernel ``kernel_id`` was given to read its page's request."""
        known = self._query_keys.get(kernel_id)
        return known is not None and key is not None and hmac.compare_digest(known, key)

    def page_rendered(self, kernel_id: str) -> None:
        """The page of ``kernel_id`` was sent to its browser: its connect grace starts now."""
        self._book.rendered(kernel_id, time.monotonic())

    def notify_connect(self, kernel_id: str) -> None:
        """A websocket to the kernel opened."""
        super().notify_connect(kernel_id)  # type: ignore[no-untyped-call]
        delay = self._book.connected(kernel_id, time.monotonic())
        if delay is not None:
            self.log.info("nnteach: kernel %s: its page connected %.1f s after loading.", kernel_id, delay)

    def notify_disconnect(self, kernel_id: str) -> None:
        """A websocket closed: when it was the last, the reconnect grace starts."""
        super().notify_disconnect(kernel_id)  # type: ignore[no-untyped-call]
        self._book.disconnected(kernel_id, time.monotonic(), self._kernel_connections.get(kernel_id, 0))

    async def free_seats(self) -> None:
        """Shut down the kernels of pages that never connected or that left (see ``seats``)."""
        for kernel_id, reason in self._book.to_free(time.monotonic(), dict(self._kernel_connections)):
            if kernel_id in self._freeing:
                continue
            self.log.warning("nnteach: freeing the seat of kernel %s: %s.", kernel_id, reason)
            self._freeing.add(kernel_id)  # while it shuts down, the idle culler must not take it too
            try:
                await self.shutdown_kernel(kernel_id)
            except Exception:  # a kernel that is already gone has freed its seat too
                self.log.exception("nnteach: could not shut kernel %s down.", kernel_id)
                self._book.forget(kernel_id)
            finally:
                self._freeing.discard(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Jupyter's idle culling, except for a live kernel whose page has not connected yet."""
        kernel = self._kernels.get(kernel_id)
        if kernel_id in self._freeing:
            return
        if getattr(kernel, "execution_state", None) != "dead" and not self._book.may_cull(kernel_id):
            return
        await super().cull_kernel_if_idle(kernel_id)  # type: ignore[no-untyped-call]

    async def shutdown_kernel(self, kernel_id: str, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
        """Shut a kernel down and, when a cap is set, log that its seat is free again."""
        if restart:
            await super().shutdown_kernel(kernel_id, now=now, restart=restart)  # type: ignore[no-untyped-call]
            return
        leaving = kernel_id not in self._freeing
        self._freeing.add(kernel_id)  # its seat counts as free while it shuts down
        try:
            await super().shutdown_kernel(kernel_id, now=now, restart=restart)  # type: ignore[no-untyped-call]
        finally:
            if leaving:
                self._freeing.discard(kernel_id)
        self._book.forget(kernel_id)
        self._warm.discard(kernel_id)
        self._query_keys.pop(kernel_id, None)
        if self.max_kernels > 0:
            self.log.info(
                "nnteach: a seat is free (%d of %d lesson pages running).",
                self.learner_pages(),
                self.max_kernels,
            )

"""Who holds a seat of the class server, as plain bookkeeping (no server, no clock of its own).

A seat is a running kernel. It follows a learner's open page, not a page view:

* while its page renders, a kernel is never freed nor culled;
* a rendered page whose websocket never connects frees its seat ``connect_grace`` seconds
  after the render ended (a ``curl`` of the page, a tab closed while loading);
* a page whose last websocket closed frees its seat when no websocket came back within
  ``reconnect_grace`` seconds (a closed tab, whatever became of its shutdown beacon);
* idle culling (Jupyter Server's) may only take a kernel whose page has connected once.

:class:`StartLimit` caps how many kernels one client address starts per minute.

Example:
    >>> book = SeatBook(connect_grace=60, reconnect_grace=20)
    >>> book.started("k", now=0.0); book.rendered("k", now=5.0)
    >>> book.to_free(now=60.0, connections={"k": 0})
    []
    >>> book.to_free(now=66.0, connections={"k": 0})
    [('k', 'its page never connected within 60 s of loading')]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Seat", "SeatBook", "StartLimit"]


@dataclass
class Seat:
    """One kernel's page: when it rendered, whether it ever connected, when its last socket closed."""

    started_at: float
    rendered_at: float | None = None
    connected_once: bool = False
    left_at: float | None = None


class SeatBook:
    """The seats of one server, updated by the kernel manager and read by its seat check."""

    def __init__(self, connect_grace: float, reconnect_grace: float) -> None:
        self.connect_grace = connect_grace
        self.reconnect_grace = reconnect_grace
        self._seats: dict[str, Seat] = {}

    def started(self, kernel_id: str, now: float) -> None:
        """A kernel started (its page is about to render, or it waits in a preheated pool)."""
        self._seats[kernel_id] = Seat(started_at=now)

    def rendered(self, kernel_id: str, now: float) -> None:
        """The kernel's page has been sent: from now on it has ``connect_grace`` to connect."""
        seat = self._seats.get(kernel_id)
        if seat is not None and seat.rendered_at is None:
            seat.rendered_at = now

    def connected(self, kernel_id: str, now: float) -> float | None:
        """A websocket to the kernel opened; returns seconds since the page loaded, on its first connect.

        A browser may connect while its page is still arriving (Voila streams it): that is 0 s.
        """
        seat = self._seats.get(kernel_id)
        if seat is None:
            return None
        first = not seat.connected_once
        seat.connected_once = True
        seat.left_at = None
        if not first:
            return None
        return 0.0 if seat.rendered_at is None else now - seat.rendered_at

    def disconnected(self, kernel_id: str, now: float, connections: int) -> None:
        """A websocket closed; ``connections`` are the ones still open."""
        seat = self._seats.get(kernel_id)
        if seat is not None and connections <= 0:
            seat.left_at = now

    def forget(self, kernel_id: str) -> None:
        """The kernel was shut down."""
        self._seats.pop(kernel_id, None)

    def rendering(self, exclude: set[str] | frozenset[str] = frozenset()) -> int:
        """How many pages are rendering now (started, not yet sent), leaving out the kernels in ``exclude``.

        Example:
            >>> book = SeatBook(60, 20); book.started("a", 0.0); book.started("b", 0.0); book.rendered("b", 1.0)
            >>> book.rendering(), book.rendering(exclude={"a"})
            (1, 0)
        """
        return sum(
            1 for kernel_id, seat in self._seats.items() if seat.rendered_at is None and kernel_id not in exclude
        )

    def may_cull(self, kernel_id: str) -> bool:
        """Whether idle culling may take this kernel: only once its page has connected."""
        seat = self._seats.get(kernel_id)
        return seat is None or seat.connected_once

    def to_free(self, now: float, connections: Mapping[str, int]) -> list[tuple[str, str]]:
        """Kernels whose seat is free again at ``now``, each with the reason, for the log."""
        free = []
        for kernel_id, seat in self._seats.items():
            if seat.rendered_at is None or connections.get(kernel_id, 0) > 0:
                continue
            if not seat.connected_once and now - seat.rendered_at > self.connect_grace:
                free.append((kernel_id, f"its page never connected within {self.connect_grace:g} s of loading"))
            elif seat.left_at is not None and now - seat.left_at > self.reconnect_grace:
                free.append((kernel_id, f"its page left and did not come back within {self.reconnect_grace:g} s"))
        return free


class StartLimit:
    """At most ``per_minute`` kernel starts per client in any 60 seconds (0: no limit).

    Example:
        >>> limit = StartLimit(per_minute=2)
        >>> [limit.allow("10.0.0.7", now) for now in (0.0, 1.0, 2.0, 61.0)]
        [True, True, False, True]
    """

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._starts: dict[str, deque[float]] = {}

    def allow(self, client: str, now: float) -> bool:
        """Record a start for ``client`` at ``now`` if it is within the limit; False if not."""
        if self.per_minute <= 0:
            return True
        for key in [key for key, times in self._starts.items() if not times or now - times[-1] >= 60]:
            del self._starts[key]  # forget clients quiet for a minute
        times = self._starts.setdefault(client, deque())
        while times and now - times[0] >= 60:
            times.popleft()
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        return True

"""What the class widgets share: a class store, and a cheap "anything new?" check every few seconds.

The check is one small query (:meth:`nnteach.classroom.ClassStore.stamp`) from an asyncio
task that sleeps between checks — never a busy loop — and reloads only when the class
changed. With no event loop (a plain script, a test) call :meth:`ClassPolling.poll` yourself.
"""

from __future__ import annotations

import asyncio
from typing import Any

import traitlets

from nnteach.i18n import _
from nnteach.widgets._base import NNTeachValueError

__all__ = ["ClassPolling"]


class ClassPolling(traitlets.HasTraits):
    """Mixin for class widgets (with ``errors``, ``on_close``): a store, a stamp, a polling task."""

    refresh_seconds = traitlets.Float(3.0, help="Seconds between two checks for new class entries (1 to 600).")
    available = traitlets.Bool(False, read_only=True, help="Whether the class database answered the last check.")

    def _init_polling(self, store: Any) -> None:
        self._store = store
        self._stamp: tuple[int, ...] | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def store(self) -> Any:
        """The :class:`nnteach.classroom.ClassStore` this widget shows."""
        return self._store

    @traitlets.validate("refresh_seconds")
    def _valid_refresh(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if not 1.0 <= value <= 600.0:
            raise NNTeachValueError(
                _(
                    "Expected a refresh interval from 1 to 600 seconds. Received refresh_seconds={value}; use e.g. 3."
                ).format(value=value)
            )
        return value

    def start_polling(self) -> bool:
        """Check for new entries every ``refresh_seconds`` on the running event loop; False without one."""
        if self._task is not None and not self._task.done():
            return True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        self._task = loop.create_task(self._poll_forever())
        self.on_close(self.stop_polling)  # type: ignore[attr-defined]
        return True

    def stop_polling(self) -> None:
        """Stop the periodic check."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _poll_forever(self) -> None:
        while True:
            self.poll()
            await asyncio.sleep(self.refresh_seconds)

    def poll(self) -> bool:
        """Reload if anything was shared or removed since the last check; return whether it reloaded."""
        changed = False
        with self.errors.guard(_("Could not read the class space.")):  # type: ignore[attr-defined]
            stamp = self._store.stamp()
            self.set_trait("available", True)
            if stamp != self._stamp:
                self._stamp = stamp
                self.reload()
                changed = True
        if self.errors.message:  # type: ignore[attr-defined]
            self.set_trait("available", False)
        return changed

    def reload(self) -> None:
        """Read the class's entries again and redraw. Subclasses override."""

"""A kernel manager that caps how many lesson pages run at once on one machine.

Each Voila page starts its own kernel (a TensorFlow lesson holds ~550 MB). Past the cap, the
next learner gets a plain "the class is full, try again in a minute" page (HTTP 503, shown by
the ``nnteach`` template's ``error.html``) instead of the machine swapping to death.

Voila uses it through ``voila.json``:

    {"VoilaConfiguration": {"multi_kernel_manager_class": "nnteach._voila.kernels.ClassKernelManager"},
     "ClassKernelManager": {"max_kernels": 40}}
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

__all__ = ["ClassKernelManager", "class_full_message"]


def class_full_message(max_kernels: int) -> str:
    """The sentence a learner reads when the class is full.

    Example:
        >>> class_full_message(30)[:41]
        'This server already runs 30 lesson pages,'
    """
    return (
        f"This server already runs {max_kernels} lesson pages, as many as it is set up to hold. "
        "Try again in a minute, when a classmate has closed a page."
    )


class ClassKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` with ``max_kernels``: new kernels past it get HTTP 503."""

    max_kernels = Integer(
        0,
        config=True,
        help="Most kernels (lesson pages) running at once; 0 means no cap. Past it, new pages get 'the class is full'.",
    )

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel, or refuse with 503 when ``max_kernels`` kernels already run."""
        if kernel_id is None and self.max_kernels > 0 and len(self.list_kernel_ids()) >= self.max_kernels:
            self.log.warning("nnteach: the class is full (%d kernels running); refusing a new page.", self.max_kernels)
            raise web.HTTPError(503, reason="The class is full", log_message=class_full_message(self.max_kernels))
        started: str = await super().start_kernel(kernel_id=kernel_id, **kwargs)
        return started

    async def shutdown_kernel(self, kernel_id: str, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
        """Shut a kernel down and, when a cap is set, log that its seat is free again."""
        await super().shutdown_kernel(kernel_id, now=now, restart=restart)  # type: ignore[no-untyped-call]
        if self.max_kernels > 0 and not restart:
            self.log.info(
                "nnteach: a seat is free (%d of %d lesson pages running).",
                len(self.list_kernel_ids()),
                self.max_kernels,
            )

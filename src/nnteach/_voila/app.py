"""The Voila application ``nnteach serve`` runs: Voila with nnteach's kernel handlers.

Voila has no setting that swaps its request handlers, so :class:`ClassVoila` replaces them in
``init_handlers`` (see :mod:`nnteach._voila.handlers` for why). Everything else, including
``voila.json`` and the command-line options, is Voila's own.

Example:
    $ python -m nnteach._voila --port=8866 --template=nnteach lessons/
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from nnteach._voila import handlers
from nnteach._voila.class_identity import TeacherKeyHandler

__all__ = ["BROKEN_EXTENSIONS", "ClassVoila", "main"]

_REPLACEMENTS: dict[type, type] = {
    KernelHandler: handlers.OwnedKernelHandler,
    VoilaKernelWebsocketHandler: handlers.OwnedKernelWebsocketHandler,
    VoilaShutdownKernelHandler: handlers.OwnedShutdownHandler,
    RequestInfoSocketHandler: handlers.OwnedQuerySocketHandler,
    TornadoVoilaHandler: handlers.OwningPageHandler,
}


#: Lab extensions that break Voila 0.5's pages when installed next to it: Notebook 7.6's
#: ``@jupyter-notebook/lab-extension`` needs JupyterLab ^4.6 while Voila's page bundles 4.2, and
#: with it loaded the widget manager fails ("No provider for jupyterWidgetRegistry"): every
#: widget shows as plain text.
BROKEN_EXTENSIONS = ["@jupyter-notebook/lab-extension"]


class ClassVoila(Voila):  # type: ignore[misc]
    """Voila whose kernels belong to the browser that rendered their page and speak only v1."""

    def initialize(self, argv: Any = None) -> None:
        """Voila's own set-up; then, unless ``voila.json`` chose lab extensions, leave out the broken ones."""
        super().initialize(argv)
        chosen = self.voila_configuration
        if not chosen.extension_allowlist and not chosen.extension_denylist:
            chosen.extension_denylist = list(BROKEN_EXTENSIONS)

    def init_handlers(self) -> list[Any]:
        """Voila's handlers, with nnteach's owned variants swapped in."""
        routes = super().init_handlers()
        found = {route[1] for route in routes}
        missing = set(_REPLACEMENTS) - found - {RequestInfoSocketHandler}  # that one only when preheating
        if missing:  # a Voila upgrade renamed a handler: refuse to serve unprotected kernels
            names = sorted(handler.__name__ for handler in missing)
            raise RuntimeError(f"nnteach expected Voila's handlers {names}; update nnteach._voila.app for this Voila.")
        swapped = [(pattern, _REPLACEMENTS.get(handler, handler), *rest) for pattern, handler, *rest in routes]
        teacher = url_path_join(self.server_url, "nnteach/teacher")  # the teacher link's key exchange
        return [(teacher, TeacherKeyHandler), *swapped]


main = ClassVoila.launch_instance

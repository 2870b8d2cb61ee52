"""The Voila application ``nnteach serve`` runs: Voila with nnteach's kernel handlers.

Voila has no setting that swaps its request handlers, so :class:`ClassVoila` replaces them in
``init_handlers`` (see :mod:`nnteach._voila.handlers` for why). Everything else, including
``voila.json`` and the command-line options, is Voila's own.

``ClassVoila.warm`` (``nnteach serve --warm 07_draw_your_digit=30``, or ``{"ClassVoila": {"warm":
"..."}}`` in ``voila.json``) turns on Voila's preheated kernel pools for the lessons named, and
only those (``default_pool_size`` 0). Voila refuses preheating together with a
``prelaunch_hook`` or ``progressive_rendering``; ``ClassVoila`` says so in a sentence instead.

Example:
    $ python -m nnteach._voila --port=8866 --template=nnteach lessons/
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from traitlets import Unicode
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from nnteach import serving
from nnteach._voila import handlers
from nnteach._voila.class_identity import TeacherKeyHandler
from nnteach._voila.templates import share_compiled_templates

__all__ = ["BROKEN_EXTENSIONS", "ClassVoila", "main", "preheat_conflict"]

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


_CLASS_KERNELS = "nnteach._voila.kernels.ClassKernelManager"
_ANY_ADDRESS = {"", "0.0.0.0", "::", "localhost", "127.0.0.1"}  # noqa: S104 - recognized, not bound here


def preheat_conflict(*, prelaunch_hook: object, progressive_rendering: bool) -> str | None:
    """Why Voila 0.5.13 would refuse preheated kernels with these settings, as a sentence (None: it would not).

    Example:
        >>> print(preheat_conflict(prelaunch_hook=None, progressive_rendering=True))  # doctest: +ELLIPSIS
        Warm kernels (--warm) need Voila's preheated kernels, ... Remove progressive_rendering, or serve without --warm.
        >>> preheat_conflict(prelaunch_hook=None, progressive_rendering=False) is None
        True
    """
    setting = "prelaunch_hook" if prelaunch_hook else "progressive_rendering" if progressive_rendering else ""
    if not setting:
        return None
    return (
        "Warm kernels (--warm) need Voila's preheated kernels, which Voila 0.5.13 refuses together with "
        f"VoilaConfiguration.{setting}. Received {setting} set in voila.json or on the command line. "
        f"Remove {setting}, or serve without --warm."
    )


class ClassVoila(Voila):  # type: ignore[misc]
    """Voila whose kernels belong to the browser that rendered their page and speak only v1."""

    warm = Unicode(
        "",
        config=True,
        help="Preheated kernel pools, lesson=count,...: e.g. 07_draw_your_digit=30,05_activation_functions=10.",
    )

    def initialize(self, argv: Any = None) -> None:
        """Voila's own set-up; then, unless ``voila.json`` chose lab extensions, leave out the broken ones."""
        super().initialize(argv)
        share_compiled_templates()  # one compile per server, not per page (nnteach._voila.templates)
        chosen = self.voila_configuration
        if not chosen.extension_allowlist and not chosen.extension_denylist:
            chosen.extension_denylist = list(BROKEN_EXTENSIONS)
        if self.warm.strip():
            self._preheat(serving.parse_warm(self.warm, None if self.notebook_path else Path(self.root_dir)))

    def _preheat(self, pools: dict[str, int]) -> None:
        """Preheated pools for ``pools`` only; their kernels on nnteach's class kernel manager."""
        chosen = self.voila_configuration
        conflict = preheat_conflict(
            prelaunch_hook=chosen.prelaunch_hook, progressive_rendering=chosen.progressive_rendering
        )
        if conflict:
            raise ValueError(conflict)
        chosen.preheat_kernel = True
        chosen.default_pool_size = 0
        manager = chosen.multi_kernel_manager_class
        if not isinstance(manager, str) or manager.rsplit(".", 1)[-1] != "ClassKernelManager":
            chosen.multi_kernel_manager_class = _CLASS_KERNELS  # warm kernels need its query keys
        settings = self.config.VoilaKernelManager
        configured = dict(settings.get("kernel_pools_config", {}))
        # A warm kernel reads its page's request from this server: at its own address when bound to one.
        address = {} if self.ip in _ANY_ADDRESS else {"kernel_env_variables": {"VOILA_APP_IP": self.ip}}
        for notebook, size in pools.items():
            configured[notebook] = {**configured.get(notebook, {}), **address, "pool_size": size}
        configured.setdefault("default", {"pool_size": 0})
        settings.kernel_pools_config = configured
        self.log.info("nnteach: warm kernel pools: %s", serving.format_warm(pools))

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

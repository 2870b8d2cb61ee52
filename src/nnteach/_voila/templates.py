"""Compile Voila's page templates once per server, not once per page.

Voila 0.5 makes a new ``VoilaExporter`` for every page request, and with it a new Jinja
environment that lexes, parses and compiles ``index.html.j2`` and everything it includes
again: about 65 ms of the server's one event-loop thread per page, most of a page's rendering.
When a class arrives at once, 30 pages wait for each other's compiles. :func:`share_compiled_templates`
gives every exporter's environment one in-memory Jinja bytecode cache, keyed (by Jinja) on the
template's name and a checksum of its source, so an edited template is compiled again.

Example:
    >>> share_compiled_templates()
    >>> from voila.exporter import VoilaExporter
    >>> VoilaExporter().environment.bytecode_cache is COMPILED
    True
"""

from __future__ import annotations

from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

__all__ = ["COMPILED", "MemoryBytecodeCache", "share_compiled_templates"]


class MemoryBytecodeCache(BytecodeCache):
    """Jinja bytecode kept in this process's memory (Jinja checks each entry's source checksum).

    Example:
        >>> from jinja2 import DictLoader, Environment
        >>> cache = MemoryBytecodeCache()
        >>> def page():
        ...     environment = Environment(loader=DictLoader({"p": "Hi {{ name }}"}), bytecode_cache=cache)
        ...     return environment.get_template("p").render(name="class")
        >>> page(), len(cache), page()
        ('Hi class', 1, 'Hi class')
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


#: The one cache of this server's Voila pages (every environment is async with ``jinja2.ext.do``).
COMPILED = MemoryBytecodeCache()


def share_compiled_templates() -> None:
    """Make every ``VoilaExporter`` environment use :data:`COMPILED` (idempotent)."""
    from voila.exporter import VoilaExporter

    if getattr(VoilaExporter, "_nnteach_shares_templates", False):
        return
    create = VoilaExporter._create_environment

    def _create_environment(self: Any) -> Any:
        environment = create(self)
        environment.bytecode_cache = COMPILED
        return environment

    VoilaExporter._create_environment = _create_environment
    VoilaExporter._nnteach_shares_templates = True

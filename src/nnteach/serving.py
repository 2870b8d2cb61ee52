"""How ``nnteach serve`` prepares Voila: nnteach's page template and where Voila finds it.

The ``nnteach`` template (package data under ``nnteach/_voila``) extends Voila's ``lab``
template. It serves every asset locally (no CDN: Font Awesome comes from Voila's own bundle,
MathJax from JupyterLab's bundled MathJax 3), sends ``/`` to ``voila/render/index.ipynb`` when
the served folder has an index, adds projector mode (``?projector=1``) and says plainly when
a page's kernel has stopped. Voila finds templates on ``JUPYTER_PATH``, so the package's
``_voila`` folder goes first on it: that works for a wheel and an editable install alike.

Example:
    >>> from nnteach import serving
    >>> serving.voila_arguments()
    ['--template=nnteach']
    >>> env = serving.voila_environment({"JUPYTER_PATH": "/elsewhere"})
    >>> env["JUPYTER_PATH"].split(os.pathsep)[0] == str(serving.template_root())
    True
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["TEMPLATE", "index_url", "template_dir", "template_root", "voila_arguments", "voila_environment"]

TEMPLATE = "nnteach"
_ANY_ADDRESS = {"0.0.0.0", "::", ""}  # noqa: S104 - recognized, not bound here


def template_root() -> Path:
    """The Jupyter data folder holding ``voila/templates/nnteach`` (inside the installed package)."""
    return Path(__file__).resolve().parent / "_voila"


def template_dir() -> Path:
    """The ``nnteach`` Voila template's own folder."""
    return template_root() / "voila" / "templates" / TEMPLATE


def voila_arguments() -> list[str]:
    """Command-line options that make Voila render with the ``nnteach`` template."""
    return [f"--template={TEMPLATE}"]


def voila_environment(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` (e.g. ``os.environ``) with nnteach's template folder first on ``JUPYTER_PATH``."""
    env = dict(base)
    existing = [part for part in env.get("JUPYTER_PATH", "").split(os.pathsep) if part]
    root = str(template_root())
    env["JUPYTER_PATH"] = os.pathsep.join([root, *(part for part in existing if part != root)])
    return env


def index_url(host: str, port: int, folder: Path | None) -> str:
    """The address to open: the rendered ``index.ipynb`` when ``folder`` has one, else the listing.

    Example:
        >>> index_url("127.0.0.1", 8866, None)
        'http://127.0.0.1:8866/'
    """
    shown = "<this machine's address>" if host in _ANY_ADDRESS else (f"[{host}]" if ":" in host else host)
    page = "voila/render/index.ipynb" if folder is not None and (folder / "index.ipynb").is_file() else ""
    return f"http://{shown}:{port}/{page}"

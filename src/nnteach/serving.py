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
    >>> serving.parse_warm("07_draw_your_digit=30, 05_activation_functions.ipynb=10")
    {'07_draw_your_digit.ipynb': 30, '05_activation_functions.ipynb': 10}
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "MAX_WARM",
    "TEMPLATE",
    "format_warm",
    "index_url",
    "parse_warm",
    "template_dir",
    "template_root",
    "voila_arguments",
    "voila_environment",
]

TEMPLATE = "nnteach"
_ANY_ADDRESS = {"0.0.0.0", "::", ""}  # noqa: S104 - recognized, not bound here
#: Most preheated kernels one lesson may keep waiting (each holds a lesson's memory).
MAX_WARM = 100
_WARM_EXAMPLE = "07_draw_your_digit=30,05_activation_functions=10"


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


def index_url(host: str, port: int, folder: Path | None, lang: str | None = None) -> str:
    """The address to open: the rendered ``index.ipynb`` when ``folder`` has one, else the listing.

    With ``lang`` (``nnteach serve --lang ja``) and a ``<folder>/<lang>/index.ipynb``, the index
    in that language.

    Example:
        >>> index_url("127.0.0.1", 8866, None)
        'http://127.0.0.1:8866/'
        >>> from nnteach.paths import lessons_dir
        >>> index_url("127.0.0.1", 8866, lessons_dir(), "ja")
        'http://127.0.0.1:8866/voila/render/ja/index.ipynb'
    """
    shown = "<this machine's address>" if host in _ANY_ADDRESS else (f"[{host}]" if ":" in host else host)
    page = ""
    if folder is not None and (folder / "index.ipynb").is_file():
        translated = lang is not None and lang.isalpha() and (folder / lang / "index.ipynb").is_file()
        page = f"voila/render/{lang}/index.ipynb" if translated else "voila/render/index.ipynb"
    return f"http://{shown}:{port}/{page}"


def parse_warm(spec: str, folder: Path | None = None) -> dict[str, int]:
    """``--warm``'s ``lesson=count,...`` as ``{notebook file: count}``; with ``folder``, each lesson must be in it.

    Example:
        >>> parse_warm("07_draw_your_digit=3")
        {'07_draw_your_digit.ipynb': 3}
        >>> parse_warm("07_draw_your_digit=lots")
        Traceback (most recent call last):
        ...
        ValueError: Expected a whole number of warm kernels from 1 to 100 after '='. Received '07_draw_your_digit=lots'. Write it like 07_draw_your_digit=30,05_activation_functions=10.
    """
    pools: dict[str, int] = {}
    for part in (piece.strip() for piece in spec[:2000].split(",")):
        if not part:
            continue
        name, _, count = part.partition("=")
        name, count = name.strip(), count.strip()
        notebook = name if name.endswith(".ipynb") else f"{name}.ipynb"
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(
                f"Expected a lesson's file name before '=' (no folders). Received {part!r}. "
                f"Write it like {_WARM_EXAMPLE}."
            )
        if not count.isdigit() or not 1 <= int(count) <= MAX_WARM:
            raise ValueError(
                f"Expected a whole number of warm kernels from 1 to {MAX_WARM} after '='. Received {part!r}. "
                f"Write it like {_WARM_EXAMPLE}."
            )
        if folder is not None and not (folder / notebook).is_file():
            found = sorted(path.stem for path in folder.glob("*.ipynb"))
            raise ValueError(
                f"Expected a lesson of {folder}. Received {name!r}, which is not there. "
                f"Choose among: {', '.join(found) or 'no notebooks'}."
            )
        pools[notebook] = int(count)
    if not pools:
        raise ValueError(f"Expected at least one lesson=count. Received {spec[:80]!r}. Write it like {_WARM_EXAMPLE}.")
    return pools


def format_warm(pools: Mapping[str, int]) -> str:
    """The ``--warm`` text for ``pools`` (what :func:`parse_warm` reads back).

    Example:
        >>> format_warm({"07_draw_your_digit.ipynb": 30})
        '07_draw_your_digit=30'
    """
    return ",".join(f"{name.removesuffix('.ipynb')}={count}" for name, count in pools.items())

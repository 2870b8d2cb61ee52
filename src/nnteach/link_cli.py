"""``nnteach link LESSON key=value …``: print a teacher link without typing a query string.

The lesson's widget names are the ones its notebook gives ``page_links(...)``; a setting for
a widget the lesson does not name, or a malformed one, is refused with a sentence.

Example:
    >>> main(["05_activation_functions", "softmax.temperature=2", "--port", "8866"])  # doctest: +SKIP
    http://127.0.0.1:8866/voila/render/05_activation_functions.ipynb?softmax.temperature=2
    0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from urllib.parse import urlencode

from nnteach.lesson_widgets import lesson_widget_names
from nnteach.links import parse_query
from nnteach.paths import lessons_dir

__all__ = ["add_link_command", "lesson_widget_names", "main"]


def _link(args: argparse.Namespace) -> int:
    stem = args.lesson.removesuffix(".ipynb")
    notebook = lessons_dir() / f"{stem}.ipynb"
    if "/" in stem or "\\" in stem or not notebook.is_file():
        known = ", ".join(sorted(path.stem for path in lessons_dir().glob("*.ipynb")))
        print(
            f"nnteach link: Expected a lesson name. Received {args.lesson!r:.60}; use one of: {known}.", file=sys.stderr
        )
        return 2
    query = "&".join(args.settings)
    request = parse_query(query)
    names = set(lesson_widget_names(notebook))
    unknown = sorted({*request.settings, *request.hide, *request.lock} - names)
    problems = list(request.notes)
    if unknown:
        problems.append(
            f"{', '.join(unknown)}: not a widget of {stem} (it names: {', '.join(sorted(names)) or 'none'})."
        )
    if problems:
        print("nnteach link: " + " ".join(problems), file=sys.stderr)
        return 2
    pairs = [(key, value) for key, _, value in (setting.partition("=") for setting in args.settings)]
    if args.projector:
        pairs.insert(0, ("projector", "1"))
    address = f"http://{args.host}:{args.port}/voila/render/{stem}.ipynb"
    print(f"{address}?{urlencode(pairs, safe=',')}" if pairs else address)
    return 0


def add_link_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``nnteach link`` to the ``nnteach`` command line."""
    link = commands.add_parser("link", help="print a teacher link: a lesson opened with chosen settings")
    link.add_argument("lesson", help="the lesson, e.g. 04_multilayer_perceptron")
    link.add_argument("settings", nargs="*", help="widget.setting=value, hide=widget.control, lock=widget.control")
    link.add_argument("--host", default="127.0.0.1")
    link.add_argument("--port", type=int, default=8866)
    link.add_argument("--projector", action="store_true", help="open in projector mode")
    link.set_defaults(run=_link)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``nnteach link …`` on its own."""
    parser = argparse.ArgumentParser(prog="nnteach")
    add_link_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["link", *(argv or [])])
    status: int = args.run(args)
    return status

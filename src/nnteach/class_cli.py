"""``nnteach class …``: the teacher's commands for the class space (status, export, reset).

Example:
    >>> import tempfile
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/class.db"
    >>> main(["status", "--db", url])
    The class space has 0 learners, 0 shared digits and 0 runs.
    0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["add_class_commands", "main"]


def _status(args: argparse.Namespace) -> int:
    from nnteach.classroom import ClassStore

    store = ClassStore(args.db)
    counts = store.counts()
    store.close()
    print(
        f"The class space has {counts['learners']} learners, {counts['digits']} shared digits and {counts['runs']} runs."
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from nnteach.classroom import ClassStore, export_digits

    store = ClassStore(args.db)
    count = export_digits(store, Path(args.path).expanduser())
    store.close()
    print(f"Wrote {count} digits to {args.path} (x: uint8 (n, 28, 28), y: uint8 labels, as load_mnist() gives them).")
    return 0


def _reset(args: argparse.Namespace) -> int:
    from nnteach.classroom import ClassStore

    store = ClassStore(args.db)
    counts = store.counts()
    if not args.yes:
        answer = input(
            f"This removes {counts['learners']} learners, {counts['digits']} digits and {counts['runs']} runs "
            "from the class space. Type 'reset' to go on: "
        )
        if answer.strip() != "reset":
            print("Nothing was removed.", file=sys.stderr)
            store.close()
            return 1
    removed = store.clear()
    store.close()
    print(f"Removed {removed['learners']} learners, {removed['digits']} digits and {removed['runs']} runs.")
    return 0


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def guarded(args: argparse.Namespace) -> int:
        from nnteach.classroom import ClassroomUnavailable

        try:
            return run(args)
        except (ClassroomUnavailable, ValueError, OSError) as error:
            print(f"nnteach class: {error}", file=sys.stderr)
            return 2

    return guarded


def add_class_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``nnteach class`` with its subcommands to the ``nnteach`` command line."""
    group = commands.add_parser("class", help="the class space: status, export the class's digits, reset")
    actions = group.add_subparsers(dest="class_command", required=True)
    for name, help_text, run in (
        ("status", "how many learners, digits and runs the class space holds", _status),
        ("export", "write the class's digits to an .npz (load_mnist's layout) for homework", _export),
        ("reset", "empty the class space (asks first)", _reset),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("--db", help="the class database URL (default: NNTEACH_CLASS_DB or the work folder)")
        if name == "export":
            action.add_argument("path", help="the .npz file to write")
        if name == "reset":
            action.add_argument("--yes", action="store_true", help="do not ask")
        action.set_defaults(run=_guarded(run))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``nnteach class …`` on its own (``nnteach class`` calls the same commands)."""
    parser = argparse.ArgumentParser(prog="nnteach")
    add_class_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["class", *(argv or [])])
    status: int = args.run(args)
    return status

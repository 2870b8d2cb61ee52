"""Helpers shared by every test tier (importable as ``helpers``: ``tests`` is on pytest's ``pythonpath``).

- :func:`heavy_modules_after` runs code in a fresh interpreter and names the heavy modules
  (TensorFlow, Keras) it left loaded: the one way to check that something stays light.
- :func:`clean_env` is the caller's environment without what would make a fresh venv import
  this checkout instead of what was installed into it (``PYTHONPATH``, ``VIRTUAL_ENV``, ...).
- :class:`RecordingComm` is a comm that records every message a widget sends, as
  ipywidgets' own tests do (``ipywidgets/widgets/tests/utils.py``), and knows which comms
  are still open; ``tests/unit/conftest.py`` installs it for every unit test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, ClassVar

from comm.base_comm import BaseComm

HEAVY = frozenset({"tensorflow", "keras"})
_MARKER = "@@nnteach-loaded-modules@@"


def heavy_loaded() -> set[str]:
    """The heavy top-level modules already imported in this process (a ``None`` entry blocks an import)."""
    return {name for name in HEAVY if sys.modules.get(name) is not None}


def modules_after(code: str, *, timeout: float = 120) -> set[str]:
    """Run ``code`` in a fresh Python process and return the top-level modules it left imported.

    The code may print: the module list is read from a marked last line. A failing snippet
    raises ``AssertionError`` with its stderr, so the test shows why it failed.
    """
    script = f"{code}\nimport sys as _sys\nprint({_MARKER!r}, *sorted({{m.split('.')[0] for m in _sys.modules}}))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise AssertionError(f"the snippet failed (exit {result.returncode}):\n{code}\n--- stderr ---\n{result.stderr}")
    line = next(line for line in reversed(result.stdout.splitlines()) if line.startswith(_MARKER))
    return set(line.split()[1:])


def heavy_modules_after(code: str, *, timeout: float = 120) -> list[str]:
    """The heavy modules (sorted) that ``code`` imported in a fresh process: ``[]`` when it stays light.

    >>> heavy_modules_after("import json")
    []
    """
    return sorted(modules_after(code, timeout=timeout) & HEAVY)


_LEAKY = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV", "PIP_TARGET", "PIP_PREFIX")


def clean_env(**extra: str) -> dict[str, str]:
    """``os.environ`` minus the variables that leak this checkout or this venv into another Python, plus ``extra``.

    >>> "VIRTUAL_ENV" in clean_env(), clean_env(NNTEACH_MNIST="")["NNTEACH_MNIST"]
    (False, '')
    """
    return {**{key: value for key, value in os.environ.items() if key not in _LEAKY}, **extra}


class RecordingComm(BaseComm):
    """A comm with no kernel behind it that records what a widget sends (``comm_open``, ``comm_msg``, ...).

    ``kernel`` is truthy so ipywidgets sends state updates, as in ipywidgets' ``DummyComm``.
    ``open_comms`` holds every comm opened and not yet closed, in this process.
    """

    kernel = "recording"
    open_comms: ClassVar[dict[str, RecordingComm]] = {}
    made: ClassVar[list[RecordingComm]] = []  # since the last forget_messages()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []
        RecordingComm.made.append(self)
        super().__init__(*args, **kwargs)
        if not self._closed:
            RecordingComm.open_comms[self.comm_id] = self

    def publish_msg(
        self, msg_type: str, data: Any = None, metadata: Any = None, buffers: Any = None, **keys: Any
    ) -> None:
        self.messages.append((msg_type, {"data": data or {}, "metadata": metadata or {}, "buffers": buffers, **keys}))
        if msg_type == "comm_close":
            RecordingComm.open_comms.pop(self.comm_id, None)

    @classmethod
    def forget_messages(cls) -> None:
        """Drop what the comms made so far recorded (comms stay registered for the session: keep it small)."""
        for made in cls.made:
            made.messages.clear()
        cls.made.clear()

    def sent_states(self) -> list[dict[str, Any]]:
        """The ``state`` of every ``update`` message sent, oldest first."""
        return [
            body["data"]["state"]
            for kind, body in self.messages
            if kind == "comm_msg" and body["data"].get("method") == "update"
        ]

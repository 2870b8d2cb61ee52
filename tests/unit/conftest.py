"""Unit tests run without a kernel: every widget talks to a :class:`helpers.RecordingComm`.

Each comm records the messages its widget sends during the test (``widget.comm.messages``,
``widget.comm.sent_states()``), as in ipywidgets' own tests. After each test, the comms it
opened and did not close are listed at the end of the run; with ``--strict-comms`` such a
test fails instead (``widget.close()`` must release everything the widget made).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import comm
import pytest

from helpers import RecordingComm

_LEAKS = pytest.StashKey[dict[str, list[str]]]()


def _describe(comm_ids: set[str]) -> list[str]:
    """Class names of the widgets behind ``comm_ids`` (model names for widgets already collected)."""
    from ipywidgets.widgets import widget

    instances = widget._instances  # noqa: SLF001 - ipywidgets keeps its open widgets only here
    names = []
    for comm_id in sorted(comm_ids):
        if comm_id in instances:
            names.append(type(instances[comm_id]).__name__)
        else:
            opened = RecordingComm.open_comms[comm_id].messages[0][1]["data"]
            names.append(str(opened.get("state", {}).get("_model_name", "comm")))
    return sorted(names)


@pytest.fixture(autouse=True)
def recording_comm(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[type[RecordingComm]]:
    """Widgets made in the test open a :class:`RecordingComm`; comms left open are reported (or fail)."""
    monkeypatch.setattr(comm, "create_comm", RecordingComm)
    before = set(RecordingComm.open_comms)
    yield RecordingComm
    left_open = set(RecordingComm.open_comms) - before
    if left_open:
        from nnteach.widgets._base import page_style

        style = page_style()  # the one stylesheet of the page stays open on purpose, with its layout and style
        left_open -= {part.comm.comm_id for part in (style, style.layout, style.style) if part.comm is not None}
    names = _describe(left_open)
    RecordingComm.forget_messages()
    if not names:
        return
    if request.config.getoption("--strict-comms"):
        pytest.fail(f"{len(names)} widget comms left open: {', '.join(names)}. Close the widgets the test made.")
    request.config.stash.setdefault(_LEAKS, {})[request.node.nodeid] = names


_W = TypeVar("_W")


@pytest.fixture
def closing() -> Iterator[Callable[[_W], _W]]:
    """``closing(widget)`` gives ``widget`` back and closes it after the test (before the open-comm check)."""
    made: list[Any] = []

    def keep(widget: _W) -> _W:
        made.append(widget)
        return widget

    yield keep
    for widget in reversed(made):
        widget.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    leaks = config.stash.get(_LEAKS, {})
    if not leaks:
        return
    terminalreporter.section("widget comms left open (report only; --strict-comms fails these tests)")
    files: dict[str, int] = {}
    for nodeid in leaks:
        files[nodeid.split("::")[0]] = files.get(nodeid.split("::")[0], 0) + 1
    terminalreporter.write_line(f"tests that left widget comms open ({len(leaks)} in {len(files)} files):")
    for path, count in sorted(files.items()):
        terminalreporter.write_line(f"  {path}: {count} test{'s' * (count != 1)}")
    if config.get_verbosity() > 0:
        for nodeid, names in leaks.items():
            terminalreporter.write_line(f"  {nodeid}: {', '.join(names)}")

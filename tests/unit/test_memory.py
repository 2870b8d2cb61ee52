"""A hosted kernel gives the memory it freed back to the machine (``nnteach.memory``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nnteach import memory

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")

_FREE_THEN_RELEASE = """
import json, numpy as np
from nnteach.memory import release_free_memory
def rss():
    return int(next(row.split()[1] for row in open("/proc/self/status") if row.startswith("VmRSS"))) / 1024
before = rss()
pieces = [np.ones(8_000) for _ in range(20_000)]  # 64 KB each: below malloc's mmap threshold, so in the heap
keep = np.ones(8_000)  # allocated last: the heap's top stays in use, so free() alone cannot shrink it
del pieces
freed = rss()
released = release_free_memory()
print(json.dumps([before, freed, rss(), released]))
"""


@linux_only
def test_freed_heap_goes_back_to_the_machine() -> None:
    result = subprocess.run([sys.executable, "-c", _FREE_THEN_RELEASE], capture_output=True, text=True, check=True)
    before, freed, after, released = json.loads(result.stdout)
    assert released is True
    assert freed - before > 1000, "the test's 1.3 GB of pieces should have stayed in the heap after free()"
    assert freed - after > 1000, f"malloc_trim gave back only {freed - after:.0f} MB of {freed - before:.0f} MB"


class _Events:
    def __init__(self) -> None:
        self.hooks: list[tuple[str, object]] = []

    def register(self, event: str, hook: object) -> None:
        self.hooks.append((event, hook))


class _Shell:
    def __init__(self) -> None:
        self.events = _Events()


def test_a_hosted_kernel_releases_after_every_cell_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNTEACH_HOSTED", "1")
    shell = _Shell()
    assert memory.release_after_each_cell(shell) and memory.release_after_each_cell(shell)
    assert [event for event, _hook in shell.events.hooks] == ["post_run_cell"]


def test_a_learners_own_kernel_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NNTEACH_HOSTED", raising=False)
    shell = _Shell()
    assert memory.release_after_each_cell(shell) is False
    assert shell.events.hooks == []


def test_a_real_ipython_shell_runs_the_hook_after_a_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setenv("NNTEACH_HOSTED", "1")
    calls: list[object] = []
    monkeypatch.setattr(memory, "release_free_memory", lambda: calls.append("released") or True)
    shell = InteractiveShell()
    try:
        assert memory.release_after_each_cell(shell)
        shell.run_cell("x = 1")
    finally:
        InteractiveShell.clear_instance()
    assert calls == ["released"]


def test_hosted_mode_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(memory, "release_free_memory", lambda: calls.append("released") or True)
    monkeypatch.setenv("NNTEACH_HOSTED", "0")
    memory.release_if_hosted()
    monkeypatch.setenv("NNTEACH_HOSTED", "1")
    memory.release_if_hosted()
    assert calls == ["released"]

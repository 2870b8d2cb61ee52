"""Fault 5 of issue 14: interrupted saves left hidden temp files forever.

A child process saves in a loop and is killed with SIGKILL mid-write, again and again: every
saved file stays whole (old or new), and the temp files left behind carry a recognisable name,
so the next save (or ``nnteach serve`` starting) removes those whose writer is gone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from class_client import stop_hard
from ui_helpers import start_voila

from nnteach._atomic import PARTIAL_MARK, atomic_write_bytes, remove_stale_partials

SIZE = 8 * 2**20
SAVER = f"""
import sys
from pathlib import Path
from nnteach._atomic import atomic_write_bytes
target = Path(sys.argv[1])
i = 0
while True:
    i += 1
    atomic_write_bytes(target, bytes([i % 256]) * {SIZE})
"""


def partials(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.name.endswith(".tmp"))


def ten_minutes_old(path: Path) -> None:
    old = time.time() - 600
    os.utime(path, (old, old))


def a_dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    return int(done.stdout)


@pytest.mark.timeout(300)
def test_killed_saves_leave_whole_files_and_recognisable_temp_files_that_the_next_save_removes(tmp_path: Path) -> None:
    target = tmp_path / "model.keras"
    kills = 0
    while kills < 12:
        saver = subprocess.Popen([sys.executable, "-c", SAVER, str(target)])
        deadline = time.monotonic() + 60
        while not any(PARTIAL_MARK in p.name for p in tmp_path.iterdir() if p.stat().st_size > 0):
            assert time.monotonic() < deadline, "the saver never started writing"
            assert saver.poll() is None
            time.sleep(0.01)  # polling the folder, not a page
        saver.kill()
        saver.wait(timeout=30)
        kills += 1
        if target.exists():  # old or new, never half-written
            data = target.read_bytes()
            assert len(data) == SIZE and data == data[:1] * SIZE
    left = partials(tmp_path)
    assert left, "SIGKILL mid-write leaves a temp file: this test must see some"
    assert all(path.name.startswith(f".{target.name}{PARTIAL_MARK}") for path in left), left

    young_dead = tmp_path / f".notes.txt{PARTIAL_MARK}{a_dead_pid()}.abcd1234.tmp"
    young_dead.write_bytes(b"just interrupted")
    old_live = tmp_path / f".other.txt{PARTIAL_MARK}{os.getpid()}.abcd1234.tmp"
    old_live.write_bytes(b"a slow save still writing")
    for path in [*left, old_live]:
        ten_minutes_old(path)
    atomic_write_bytes(tmp_path / "notes.txt", b"the next save")
    assert partials(tmp_path) == sorted([young_dead, old_live])  # too young, or its writer alive
    assert (tmp_path / "notes.txt").read_bytes() == b"the next save"


@pytest.mark.timeout(300)
def test_serve_removes_stale_temp_files_from_the_work_folder_when_it_starts(tmp_path: Path) -> None:
    work = tmp_path / "work" / "runs"
    work.mkdir(parents=True)
    stale = work / f".run.json{PARTIAL_MARK}{a_dead_pid()}.x1y2z3w4.tmp"
    stale.write_bytes(b"{")
    ten_minutes_old(stale)
    kept = work / "run.json"
    kept.write_text("{}")
    folder = tmp_path / "site"
    folder.mkdir()
    server = start_voila(folder, tmp_path / "voila.log", {"NNTEACH_WORKDIR": str(tmp_path / "work")})
    try:
        assert not stale.exists()
        assert kept.read_text() == "{}"
        assert "removed 1 temp files of interrupted saves" in server.log.read_text(errors="replace")
    finally:
        stop_hard(server)
    assert remove_stale_partials(work, recursive=True) == []

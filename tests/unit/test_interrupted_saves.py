"""Issue 16's ``kill -9`` loop, at a small size: a save interrupted at any moment leaves the old or the new file.

A child process saves a growing example set or run log again and again; the test kills it with
SIGKILL part-way (after a varying number of saves, so the kill lands at different points of a
save), then checks that the file left is complete and one the child wrote, and that the temp
files of the killed saves are recognised and removed at the next save.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from nnteach._atomic import PARTIAL_MARK, remove_stale_partials
from nnteach.examples import ExampleSet
from nnteach.training.runlog import RunLog

KILLS = 10
FIRST = {"examples": 500, "runlog": 200}  # sizes that take a while to write (1.5 MB, 0.6 MB)
_CHILD = {
    # Each save holds one more item than the last; the child prints the count before each save.
    "examples": """
import sys, numpy as np
from nnteach.examples import ExampleSet
images = np.random.default_rng(0).random((2000, 28, 28)).astype(np.float32)
start = int(sys.argv[1])
for count in range(start, 2000):
    print(count, flush=True)
    ExampleSet(images[:count], np.arange(count) % 10).save("kill test")
""",
    "runlog": """
import sys
from nnteach.training.runlog import RunLog
start = int(sys.argv[1])
for count in range(start, 5000):
    log = RunLog()
    for index in range(count):
        log.add(f"run {index}", {"rate": index}, {"loss": [float(index)] * 400})
    print(count, flush=True)
    log.save(sys.argv[2])
""",
}


def _kill_while_saving(kind: str, target: Path, env: dict[str, str], start: int, saves_before_kill: int) -> int:
    """Start the child, let it begin ``saves_before_kill`` saves, SIGKILL it; return the last count it began."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD[kind], str(start), str(target)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    began = start
    try:
        for _ in range(saves_before_kill):
            began = int(child.stdout.readline())
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    return began


@pytest.mark.parametrize("kind", ["examples", "runlog"])
def test_kill_9_during_saves_leaves_old_or_new_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setenv("NNTEACH_WORKDIR", str(tmp_path))
    env = {**os.environ, "NNTEACH_WORKDIR": str(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)}
    target = tmp_path / ("kill test.npz" if kind == "examples" else "kill test.json")
    images = np.random.default_rng(0).random((2000, 28, 28)).astype(np.float32)
    deadline = time.monotonic() + 120
    count = FIRST[kind]
    for kill in range(KILLS):
        began = _kill_while_saving(kind, target, env, count, saves_before_kill=1 + kill % 3)
        if not target.exists():  # killed during the very first save: there was no old file
            assert began == count == FIRST[kind]
            continue
        if kind == "examples":
            left = ExampleSet.load("kill test").arrays()
            saved = len(left[1])
            assert np.array_equal(left[0], images[:saved]) and np.array_equal(left[1], np.arange(saved) % 10)
        else:
            log = RunLog.load(target)
            saved = len(log.runs)
            assert all(run.history["loss"] == [float(index)] * 400 for index, run in enumerate(log.runs))
        assert saved >= began - 1, "the file is the last complete save or a later one"
        count = saved + 1
        assert time.monotonic() < deadline, f"{kill + 1} interrupted saves took over two minutes"
    partials = [path for path in tmp_path.iterdir() if PARTIAL_MARK in path.name]
    assert len(partials) <= KILLS, "at most one temp file per killed save"
    for path in partials:  # the writers are dead; make the files as old as stale ones are
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    if kind == "examples":
        ExampleSet(images[: count + 1], np.arange(count + 1) % 10).save("kill test")
    else:
        RunLog.load(target).save(target)
    assert target.exists()
    assert [path for path in tmp_path.iterdir() if PARTIAL_MARK in path.name] == []
    assert remove_stale_partials(tmp_path) == []


_MODEL_CHILD = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
from nnteach.models import save_model
start = int(sys.argv[1])
for units in range(start, 10_000):
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(units), keras.layers.Dense(10)])
    print(units, flush=True)
    save_model(model, "kill test", replace=True)
"""


@pytest.mark.keras
def test_kill_9_during_model_saves_leaves_old_or_new_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nnteach.models import load_saved

    monkeypatch.setenv("NNTEACH_WORKDIR", str(tmp_path))
    env = {**os.environ, "NNTEACH_WORKDIR": str(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)}
    deadline = time.monotonic() + 300
    units = 64
    for kill in range(5):  # each child imports TensorFlow: five kills keep this under a few minutes
        child = subprocess.Popen(
            [sys.executable, "-c", _MODEL_CHILD, str(units)], stdout=subprocess.PIPE, text=True, env=env
        )
        assert child.stdout is not None
        try:
            for _ in range(1 + kill % 3):
                began = int(child.stdout.readline())
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=60)
        if not (tmp_path / "kill test.keras").exists():
            assert kill == 0 and began == units
            continue
        saved = load_saved("kill test").layers[0].units
        assert saved >= began - 1
        units = saved + 1
        assert time.monotonic() < deadline
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == [
        path.name for path in tmp_path.iterdir() if PARTIAL_MARK in path.name
    ], "only the atomic writer's recognisable temp files can be left"

"""Faults of the class database are one sentence; sharing resumes when the database is back; nothing committed is lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from postgres_server import start_postgres

from conftest import new_database
from nnteach.classroom import ClassroomUnavailable, ClassStore

_SENTENCE = r"The class space is not available right now: the class database {}\..*Your own work here is not affected"


def _joined(url: str, **options: float) -> ClassStore:
    store = ClassStore(url, **options)  # type: ignore[arg-type]
    store.join("hub:a", "A")
    return store


def test_a_damaged_sqlite_file_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "class.db").write_bytes(os.urandom(8192))
    store = ClassStore(f"sqlite:///{tmp_path / 'class.db'}")
    with pytest.raises(ClassroomUnavailable, match=_SENTENCE.format("is damaged")) as raised:
        store.join("hub:a", "A")
    assert str(tmp_path) not in str(raised.value), "no server path in a learner's sentence"


def test_a_read_only_sqlite_database_is_one_sentence_even_as_root(tmp_path: Path) -> None:
    store = _joined(f"sqlite:///{tmp_path / 'class.db'}")
    store.close()
    read_only = ClassStore(f"sqlite:///file:{tmp_path / 'class.db'}?mode=ro&uri=true")
    assert read_only.counts()["learners"] == 1, "reading still works"
    with pytest.raises(ClassroomUnavailable, match=_SENTENCE.format("is read-only")):
        read_only.share_digit("hub:a", 1, np.zeros((28, 28)))


def test_a_locked_sqlite_database_is_one_sentence_then_sharing_resumes(tmp_path: Path) -> None:
    path = tmp_path / "class.db"
    store = _joined(f"sqlite:///{path}", busy_timeout=0.2)
    blocker = sqlite3.connect(path, timeout=0.1)
    blocker.execute("BEGIN EXCLUSIVE")
    with pytest.raises(ClassroomUnavailable, match=_SENTENCE.format(r"is busy \(locked by another writer\)")):
        store.share_digit("hub:a", 1, np.zeros((28, 28)))
    blocker.rollback()
    blocker.close()
    store.share_digit("hub:a", 1, np.zeros((28, 28)))
    assert store.counts()["digits"] == 1


def test_a_postgresql_server_that_goes_away_mid_class_and_comes_back() -> None:
    server = start_postgres()
    try:
        store = _joined(new_database(server))
        store.share_digit("hub:a", 1, np.zeros((28, 28)))
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(server.bin / "pg_ctl"), "-D", str(server.folder / "data"),
             "-m", "fast", "stop"] if os.geteuid() == 0 else
            [str(server.bin / "pg_ctl"), "-D", str(server.folder / "data"), "-m", "fast", "stop"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        with pytest.raises(ClassroomUnavailable, match=_SENTENCE.format("cannot be reached")) as raised:
            store.share_digit("hub:a", 2, np.zeros((28, 28)))
        assert "127.0.0.1" not in str(raised.value) and "postgres" not in str(raised.value).replace("PostgreSQL", "")
        options = f"-p {server.port} -k {server.folder} -c listen_addresses=127.0.0.1"
        start = [str(server.bin / "pg_ctl"), "-D", str(server.folder / "data"), "-o", options, "-w", "start",
                 "-l", str(server.folder / "log")]  # fmt: skip
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *start] if os.geteuid() == 0 else start,
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        store.share_digit("hub:a", 3, np.zeros((28, 28)))
        assert sorted(d.label for d in store.digits()) == [1, 3]
        store.close()
    finally:
        server.stop()


def test_a_postgresql_server_that_is_down_is_one_sentence() -> None:
    store = ClassStore("postgresql+psycopg://nnteach:secret@127.0.0.1:9/class")
    with pytest.raises(ClassroomUnavailable, match=_SENTENCE.format("cannot be reached")) as raised:
        store.counts()
    assert "secret" not in str(raised.value)


_SHARE_FOREVER = textwrap.dedent(
    """
    import sys, numpy as np
    from nnteach.classroom import ClassStore
    store = ClassStore(sys.argv[1], digits_per_minute=10**6)
    store.join("hub:loop", "Loop")
    for n in range(10**6):
        entry = store.share_digit("hub:loop", n % 10, np.full((28, 28), n % 256))
        print(entry, n, flush=True)
    """
)


def test_kill_9_while_sharing_loses_nothing_committed(class_url: str) -> None:
    child = subprocess.Popen([sys.executable, "-c", _SHARE_FOREVER, class_url], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    committed = [tuple(map(int, child.stdout.readline().split())) for _ in range(25)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    store = ClassStore(class_url)
    stored = {digit.id: digit for digit in store.digits()}
    for entry, n in committed:  # every entry reported as shared is there, whole
        assert stored[entry].label == n % 10
        assert np.all(stored[entry].image == n % 256)
    store.join("hub:after", "After")
    store.share_digit("hub:after", 1, np.zeros((28, 28)))  # the database is readable and writable after the kill
    store.close()


_SHARE_SOME = textwrap.dedent(
    """
    import sys, numpy as np
    from nnteach.classroom import ClassStore, RunFigures
    url, who = sys.argv[1], sys.argv[2]
    store = ClassStore(url)
    store.join(f"hub:{who}", who)
    for n in range(20):
        store.share_digit(f"hub:{who}", n % 10, np.full((28, 28), n))
    for n in range(5):
        store.share_run(f"hub:{who}", RunFigures("04", {"n": n}, "Dense(10)", 7850, 1, 100, 32, val_accuracy=n / 10))
    """
)


def test_many_learners_sharing_at_once_lose_and_duplicate_nothing(class_url: str) -> None:
    ClassStore(class_url).counts()  # the schema exists before the class arrives
    learners = [f"learner{n}" for n in range(8)]
    children = [subprocess.Popen([sys.executable, "-c", _SHARE_SOME, class_url, who]) for who in learners]
    assert [child.wait(timeout=300) for child in children] == [0] * len(learners)
    store = ClassStore(class_url)
    assert store.counts() == {"learners": 8, "digits": 160, "runs": 40}
    per_learner = {}
    for digit in store.digits():
        per_learner.setdefault(digit.display_name, []).append(int(digit.image[0, 0]))
    assert {name: sorted(values) for name, values in per_learner.items()} == {who: list(range(20)) for who in learners}
    store.close()

"""ClassBoard and ClassDigits over a real class database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
from ipywidgets import widget as widget_module

import nnteach
from nnteach.classroom import ClassStore, RunFigures
from nnteach.data import load_mnist
from nnteach.widgets import ClassBoard, ClassDigits

_SCRIPT = "<img src=x onerror=alert(1)>"


def _run(val_accuracy: float, line: str = "Flatten → Dense(10, softmax)") -> RunFigures:
    return RunFigures("04_multilayer_perceptron", {}, line, 7850, 3, 60000, 32, val_accuracy=val_accuracy)


def _browser_update(widget: object, state: dict[str, object]) -> None:
    message = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    widget._handle_msg(message)  # type: ignore[attr-defined]  # noqa: SLF001, RUF100 - what a comm message does


def test_board_best_first_newest_marked_names_escaped(class_url: str) -> None:
    store = ClassStore(class_url)
    store.join("hub:a", _SCRIPT)
    store.join("hub:b", "Ben")
    store.share_run("hub:a", _run(0.91, line=_SCRIPT))
    store.share_run("hub:b", _run(0.97))
    board = ClassBoard(store=store)
    assert board.runs_shown == 2
    html = board.table_html
    assert html.index("Ben") < html.index("&lt;img"), "best val_accuracy first"
    assert _SCRIPT not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count("★ new") == 1 and html.index("★ new") < html.index("&lt;img"), "the newest run is Ben's"
    board.sort_by = "newest"
    assert board.table_html.index("Ben") < board.table_html.index("&lt;img")
    board.close()
    store.close()


def test_board_reloads_only_when_the_class_changed(class_url: str) -> None:
    store = ClassStore(class_url)
    store.join("hub:a", "A")
    board = ClassBoard(store=store)
    assert board.runs_shown == 0 and "No runs shared yet" in board.table_html
    assert board.poll() is False
    store.share_run("hub:a", _run(0.5))
    assert board.poll() is True
    assert board.runs_shown == 1
    board.lesson = "06_dropout_and_overfitting"
    assert board.runs_shown == 0
    board.close()
    store.close()


def test_board_refreshes_by_itself_on_the_event_loop(tmp_path: Path) -> None:
    store = ClassStore(f"sqlite:///{tmp_path / 'class.db'}")
    store.join("hub:a", "A")

    async def scenario() -> int:
        board = ClassBoard(store=store, refresh_seconds=1)
        store.share_run("hub:a", _run(0.8))
        for _ in range(50):  # waits on the board's own task, bounded
            if board.runs_shown:
                break
            await asyncio.sleep(0.1)
        shown = board.runs_shown
        board.close()
        return shown

    assert asyncio.run(scenario()) == 1
    store.close()


def test_teacher_actions_only_on_the_teachers_page(class_url: str) -> None:
    store = ClassStore(class_url)
    store.join("hub:a", "A")
    run_id = store.share_run("hub:a", _run(0.5))
    learner_page = ClassBoard(store=store)
    _browser_update(learner_page, {"teacher": True})
    assert learner_page.teacher is False, "the browser cannot make a page the teacher's"
    with pytest.raises(PermissionError, match="Only the teacher's page"):
        learner_page.remove_run(run_id)
    assert "(run " not in learner_page.table_html
    teacher_page = ClassBoard(store=store, teacher=True)
    assert f"(run {run_id})" in teacher_page.table_html
    assert teacher_page.remove_run(run_id) is True
    assert teacher_page.runs_shown == 0
    learner_page.close()
    teacher_page.close()
    store.close()


def test_a_damaged_database_is_a_sentence_and_the_board_stays(tmp_path: Path) -> None:
    (tmp_path / "class.db").write_bytes(b"not a database" * 500)
    board = ClassBoard(store=ClassStore(f"sqlite:///{tmp_path / 'class.db'}"))
    assert board.available is False
    assert board.errors.message.startswith("The class space is not available right now: the class database is damaged")
    assert "<details>" not in board.errors.value
    board.close()


def test_close_cancels_polling_and_leaves_no_comm(tmp_path: Path) -> None:
    store = ClassStore(f"sqlite:///{tmp_path / 'class.db'}")

    async def scenario() -> bool:
        before = set(widget_module._instances)  # noqa: SLF001, RUF100 - the live comms of this kernel
        board = ClassBoard(store=store, refresh_seconds=1)
        task = board._task  # noqa: SLF001, RUF100
        board.close()
        await asyncio.sleep(0)
        leaked = set(widget_module._instances) - before  # noqa: SLF001, RUF100
        return task is not None and task.cancelled() and not leaked

    assert asyncio.run(scenario())
    store.close()


def test_class_digits_read_the_class_beside_mnist(class_url: str) -> None:
    _, (x_test, y_test) = load_mnist()
    store = ClassStore(class_url, digits_per_minute=1000)
    store.join("hub:a", "A")
    chosen = np.arange(40)
    for index in chosen:
        store.share_digit("hub:a", int(y_test[index]), x_test[index])
    view = ClassDigits(store=store, digit=int(y_test[0]))
    reference = nnteach.reference_mlp()
    read = reference.predict(x_test[chosen]).argmax(axis=1)
    assert view.counts == tuple(int(n) for n in np.bincount(y_test[chosen], minlength=10))
    assert view.class_accuracy == pytest.approx(float((read == y_test[chosen]).mean()))
    assert view.misread == int((read != y_test[chosen]).sum())
    assert view.mnist_accuracy == pytest.approx(float((reference.predict(x_test).argmax(axis=1) == y_test).mean()))
    assert view.class_grid.count == int((y_test[chosen] == y_test[0]).sum())
    assert view.mnist_grid.count == 10
    assert view.matrix.total == len(chosen) and view.matrix.correct == int((read == y_test[chosen]).sum())
    view.digit = 1
    assert view.class_grid.count == int((y_test[chosen] == 1).sum())
    view.close()
    store.close()

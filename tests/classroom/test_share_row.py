"""ShareRow and ClassSession: the first share asks for a name; identities never collide; sharing off is a sentence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnteach.classroom import ClassStore, new_secret
from nnteach.classroom.session import ClassSession, page_identity
from nnteach.widgets.share_row import ShareRow


def _share_blank(session: ClassSession) -> str:
    entry = session.share_digit(4, np.zeros((28, 28), np.uint8))
    return f"Shared your 4 with the class (entry {entry})."


def test_first_share_asks_for_a_name_then_shares_under_it(class_url: str) -> None:
    session = ClassSession(ClassStore(class_url), identity="hub:aiko")
    row = ShareRow("Share with class", _share_blank, session=session)
    assert row.share() == ""
    assert row.errors.message.startswith("Expected your name before sharing")
    assert session.store.counts()["digits"] == 0
    row.name = "  Aiko  "
    assert row.share() == "Shared your 4 with the class (entry 1)."
    assert row.errors.message == "", "the old sentence goes after a success"
    assert row.name == "Aiko" and row.shared == 1
    assert [d.display_name for d in session.store.digits()] == ["Aiko"]
    again = ShareRow("Share with class", _share_blank, session=session)
    assert again.share() == "Shared your 4 with the class (entry 2).", "the name is asked once per learner"
    assert again.name == "Aiko"
    row.close()
    again.close()
    session.store.close()


def test_a_damaged_class_database_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "class.db").write_bytes(b"\x00garbage" * 1000)
    session = ClassSession(ClassStore(f"sqlite:///{tmp_path / 'class.db'}"), identity="hub:a")
    row = ShareRow("Share with class", _share_blank, session=session)
    row.name = "A"
    assert row.share() == ""
    assert row.errors.message.startswith("The class space is not available right now")
    assert not row.share_button.disabled, "the learner can try again later"
    row.close()


def test_identity_comes_from_the_browser_secret_and_never_collides() -> None:
    secret = new_secret()
    page = {"SERVER_SOFTWARE": "voila/0.5.13", "HTTP_COOKIE": f"_xsrf=abc; nnteach_learner={secret}"}
    assert page_identity(page) == page_identity(dict(page)), "the same browser is the same learner"
    assert page_identity(page).startswith("browser:") and secret not in page_identity(page)
    bare = {"SERVER_SOFTWARE": "voila/0.5.13"}
    assert page_identity(bare) != page_identity(bare), "pages without a secret never share an identity"
    assert page_identity({"JUPYTERHUB_USER": "ken", "HTTP_COOKIE": f"nnteach_learner={secret}"}) == "hub:ken"
    assert page_identity({"HTTP_COOKIE": "nnteach_learner=short"}).startswith("notebook:")


def test_without_the_classroom_extra_sharing_is_off_with_a_sentence(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['sqlalchemy'] = None\n"
        "from nnteach.widgets.share_row import ShareRow\n"
        "row = ShareRow('Share with class', lambda s: 'x')\n"
        "shared = row.share()\n"
        "print(row.errors.message)\n"
        "print(repr(shared))\n"
    )
    env = {**os.environ, "NNTEACH_WORKDIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Sharing with the class is off here")
    assert 'pip install "nnteach[classroom]"' in lines[0]
    assert lines[1] == "''"


def test_digit_canvas_shares_the_labelled_drawing(class_url: str) -> None:
    from nnteach.classroom.session import reset_current_session
    from nnteach.widgets import DigitCanvas

    session = ClassSession(ClassStore(class_url), identity="browser:canvas-test")
    reset_current_session(session)
    try:
        canvas = DigitCanvas()
        canvas.share_row.name = "Mia"
        assert canvas.share_row.share() == ""
        assert "Received an empty canvas" in canvas.share_row.errors.message
        canvas.add_stroke([(140, 40), (140, 240)])  # a "1"
        assert canvas.share_row.share() == ""
        assert "pick it in 'It is a' first" in canvas.share_row.errors.message
        canvas.label = 1
        assert canvas.share_row.share() == "Shared your 1 with the class (entry 1)."
        (digit,) = session.store.digits()
        assert (digit.display_name, digit.label) == ("Mia", 1)
        np.testing.assert_array_equal(digit.image, np.rint(np.asarray(canvas.image, np.float64) * 255))
        canvas.close()
    finally:
        reset_current_session()
        session.store.close()


def test_handwriting_check_compares_with_the_class(class_url: str) -> None:
    import pytest

    from nnteach.classroom.session import reset_current_session
    from nnteach.data import load_mnist
    from nnteach.widgets import DigitCanvas, HandwritingCheck

    _, (x_test, y_test) = load_mnist()
    session = ClassSession(ClassStore(class_url), identity="hub:a")
    reset_current_session(session)
    canvas = DigitCanvas()
    check = HandwritingCheck(canvas)
    try:
        with pytest.raises(ValueError, match=r"Expected digits shared by the class\. Received none yet"):
            check.compare_class()
        check.controls["compare_class"].click()
        assert check.errors.message.startswith("Expected digits shared by the class"), "the button says it plainly"
        session.join("A")
        for index in range(12):
            session.share_digit(int(y_test[index]), x_test[index])
        check.controls["compare_class"].click()
        read = canvas.predictor(x_test[:12]).probabilities.argmax(axis=1)
        assert check.errors.message == ""
        assert check.class_accuracy == float((read == y_test[:12]).mean())
        assert check.class_count == 12
        assert check.summary.startswith("Our class's digits:") and "of 12 right" in check.summary
    finally:
        check.close()
        canvas.close()
        reset_current_session()
        session.store.close()


@pytest.mark.keras
def test_training_monitor_sends_its_run_to_the_class_board(class_url: str) -> None:
    import asyncio

    from nnteach.classroom.session import reset_current_session
    from nnteach.widgets import ClassBoard, TrainingMonitor

    session = ClassSession(ClassStore(class_url), identity="browser:trainer")
    reset_current_session(session)

    async def train() -> TrainingMonitor:
        monitor = TrainingMonitor(epochs=1, subset=500)
        monitor.start_button.click()
        assert monitor.task is not None
        await monitor.task
        return monitor

    try:
        monitor = TrainingMonitor(epochs=1, subset=500)
        monitor.share_row.name = "Ken"
        assert monitor.share_row.share() == ""
        assert "press Start first" in monitor.share_row.errors.message
        monitor.close()
        monitor = asyncio.run(train())
        monitor.share_row.name = "Ken"
        assert monitor.share_row.share() == "Sent to the class board (run 1)."
        (shared,) = session.store.runs()
        figures = shared.figures
        assert figures.params == monitor.run.model.count_params()  # Keras' own count
        assert figures.model_line.startswith("Flatten() → Dense(")
        assert figures.model_line.count("→") == len(monitor.run.model.layers) - 1
        assert figures.epochs == 1 and figures.images == 500 and figures.batch_size == monitor.batch_size
        assert figures.val_accuracy == pytest.approx(monitor.history["val_accuracy"][-1])
        board = ClassBoard(store=session.store)
        assert board.runs_shown == 1 and "Ken" in board.table_html and "Flatten() → Dense(" in board.table_html
        board.close()
        monitor.close()
    finally:
        reset_current_session()
        session.store.close()


def test_run_comparison_sends_the_complete_runs_of_the_experiment(class_url: str) -> None:
    from nnteach.classroom.session import reset_current_session
    from nnteach.layers import PRESETS, summary
    from nnteach.packaged import reference_dropout_runlog
    from nnteach.training import RunLog
    from nnteach.widgets import RunComparison

    session = ClassSession(ClassStore(class_url), identity="browser:experimenter")
    reset_current_session(session)
    packaged = reference_dropout_runlog()
    mine = RunLog()
    for name in ("rate=0", "rate=0.4"):
        mine.add(name, packaged[name].settings, packaged[name].history)
    mine.add("rate=0.8 (stopped)", {**packaged["rate=0.8"].settings, "partial": True}, packaged["rate=0.8"].history)
    try:
        assert RunComparison(runs=packaged).share_row.layout.display == "none", "packaged runs are not the learner's"
        comparison = RunComparison(runs=mine, experiment=True)
        comparison.share_row.name = "Mia"
        assert comparison.share_row.share() == "Sent 2 runs to the class board."
        board = {run.figures.model_line: run.figures for run in session.store.runs()}
        assert set(board) == {
            "Flatten() → Dense(128, relu) → Dropout(0.0) → Dense(10, softmax)",
            "Flatten() → Dense(128, relu) → Dropout(0.4) → Dense(10, softmax)",
        }
        figures = board["Flatten() → Dense(128, relu) → Dropout(0.4) → Dense(10, softmax)"]
        assert figures.params == summary(PRESETS["mlp"]).total_params == 101_770
        assert figures.epochs == 100 and figures.images == 60_000
        assert figures.val_loss == packaged["rate=0.4"].history["val_loss"][-1]
        comparison.close()
    finally:
        reset_current_session()
        session.store.close()

"""ClassStore on SQLite and on a real PostgreSQL server: sharing, reading, ownership, limits, upgrades."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sqlalchemy as sa

from nnteach.classroom import (
    SCHEMA_VERSION,
    ClassStore,
    RunFigures,
    SharingTooFast,
    clean_display_name,
    export_digits,
)
from nnteach.classroom import schema as class_schema
from nnteach.data import load_mnist


class Clock:
    """A clock the test moves by hand (for the per-minute limits)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _figures(val_accuracy: float | None, lesson: str = "04_multilayer_perceptron", **changes: object) -> RunFigures:
    values: dict[str, object] = {
        "lesson": lesson,
        "spec": {"layers": [{"kind": "Flatten"}, {"kind": "Dense", "units": 10}]},
        "model_line": "Flatten → Dense(10, softmax)",
        "params": 7850,
        "epochs": 3,
        "images": 60000,
        "batch_size": 32,
        "accuracy": 0.9,
        "val_accuracy": val_accuracy,
        "loss": 0.3,
        "val_loss": 0.31,
        "history": {"loss": [0.5, 0.4, 0.3]},
        "seconds": 12.5,
    }
    values.update(changes)
    return RunFigures(**values)  # type: ignore[arg-type]


def test_real_mnist_digits_round_trip_exactly(class_url: str) -> None:
    _, (x_test, y_test) = load_mnist()
    store = ClassStore(class_url)
    store.join("notebook:aiko", "Aiko")
    for index in range(5):
        store.share_digit("notebook:aiko", int(y_test[index]), x_test[index])
    images, labels = store.digit_arrays()
    np.testing.assert_array_equal(images, x_test[:5])
    np.testing.assert_array_equal(labels, y_test[:5])
    assert images.dtype == np.uint8 and labels.dtype == np.uint8
    assert [d.label for d in store.digits(label=int(y_test[0]))] == [int(y_test[0])]
    store.close()


def test_entries_belong_to_the_identity_not_the_name(class_url: str) -> None:
    store = ClassStore(class_url)
    first = store.join("browser:abc", "Aiko")
    store.share_digit("browser:abc", 1, np.zeros((28, 28)))
    renamed = store.join("browser:abc", "  Aiko   T. ")
    assert renamed.id == first.id and renamed.display_name == "Aiko T."
    assert [d.display_name for d in store.digits()] == ["Aiko T."]
    impostor = store.join("browser:xyz", "Aiko T.")
    assert impostor.id != first.id, "the same name is another learner"
    assert store.remove_digit(store.digits()[0].id, "browser:xyz") is False
    assert store.counts() == {"learners": 2, "digits": 1, "runs": 0}
    assert store.remove_digit(store.digits()[0].id, "browser:abc") is True
    store.close()


def test_teacher_removes_any_entry_and_clears_the_class(class_url: str) -> None:
    store = ClassStore(class_url)
    store.join("hub:aiko", "Aiko")
    run_id = store.share_run("hub:aiko", _figures(0.95))
    assert store.remove_run(run_id, "hub:teacher", teacher=True) is True
    store.share_digit("hub:aiko", 2, np.zeros((28, 28)))
    assert store.clear() == {"learners": 1, "digits": 1, "runs": 0}
    assert store.counts() == {"learners": 0, "digits": 0, "runs": 0}
    store.close()


def test_board_is_best_validation_accuracy_first(class_url: str) -> None:
    store = ClassStore(class_url)
    store.join("hub:a", "A")
    store.join("hub:b", "B")
    store.share_run("hub:a", _figures(0.91))
    store.share_run("hub:b", _figures(None))
    store.share_run("hub:b", _figures(0.97, lesson="06_dropout_and_overfitting"))
    board = store.runs()
    assert [(run.display_name, run.figures.val_accuracy) for run in board] == [("B", 0.97), ("A", 0.91), ("B", None)]
    assert board[0].figures.history == {"loss": [0.5, 0.4, 0.3]}
    assert board[0].figures.model_line == "Flatten → Dense(10, softmax)"
    assert [run.figures.lesson for run in store.runs(lesson="06_dropout_and_overfitting")] == [
        "06_dropout_and_overfitting"
    ]
    store.close()


def test_stamp_changes_when_anything_is_added_or_removed(class_url: str) -> None:
    store = ClassStore(class_url)
    empty = store.stamp()
    store.join("hub:a", "A")
    joined = store.stamp()
    digit = store.share_digit("hub:a", 5, np.zeros((28, 28)))
    shared = store.stamp()
    store.remove_digit(digit, "hub:a")
    removed = store.stamp()
    assert empty != joined != shared != removed, "every step is seen by a page comparing with its last stamp"
    assert store.stamp() == removed, "nothing new: the same stamp"
    store.close()


@pytest.mark.parametrize(
    ("label", "image", "message"),
    [
        (10, np.zeros((28, 28)), r"Expected a label from 0 to 9\. Received 10"),
        (True, np.zeros((28, 28)), r"Expected a label from 0 to 9\. Received True"),
        ("7", np.zeros((28, 28)), r"Expected a label from 0 to 9\. Received '7'"),
        (3, np.zeros((200_000, 28, 28), np.uint8), r"Expected a 28×28 picture\. Received shape \(200000, 28, 28\)"),
        (3, np.full((28, 28), 256), r"Expected pixel values from 0 to 255"),
        (3, np.full((28, 28), np.nan), r"Expected pixel values from 0 to 255"),
        (3, "<img src=x onerror=alert(1)>", r"Expected a 28×28 picture"),
        (3, [["a"] * 28] * 28, r"Expected a 28×28 picture of numbers"),
    ],
)
def test_only_28x28_images_0_255_and_labels_0_9_are_accepted(
    class_url: str, label: object, image: object, message: str
) -> None:
    store = ClassStore(class_url)
    store.join("hub:a", "A")
    with pytest.raises(ValueError, match=message):
        store.share_digit("hub:a", label, image)
    assert store.counts()["digits"] == 0
    store.close()


def test_a_run_with_non_finite_figures_is_refused(class_url: str) -> None:
    store = ClassStore(class_url)
    store.join("hub:a", "A")
    with pytest.raises(ValueError, match=r"Expected a finite loss\. Received nan"):
        store.share_run("hub:a", _figures(0.5, loss=math.nan))
    with pytest.raises(ValueError, match=r"Expected the batch size from 1"):
        store.share_run("hub:a", _figures(0.5, batch_size=0))
    store.close()


def test_sharing_before_joining_says_to_type_a_name(class_url: str) -> None:
    store = ClassStore(class_url)
    with pytest.raises(ValueError, match="type your name first"):
        store.share_digit("hub:nobody", 1, np.zeros((28, 28)))
    store.close()


def test_a_learner_sharing_in_a_loop_is_slowed_down(class_url: str) -> None:
    clock = Clock()
    store = ClassStore(class_url, digits_per_minute=5, clock=clock)
    store.join("hub:a", "A")
    store.join("hub:b", "B")
    for _ in range(5):
        store.share_digit("hub:a", 1, np.zeros((28, 28)))
        clock.now += 1
    with pytest.raises(SharingTooFast, match=r"You shared 5 digits in the last minute\. Expected at most 5"):
        store.share_digit("hub:a", 1, np.zeros((28, 28)))
    store.share_digit("hub:b", 1, np.zeros((28, 28)))  # a classmate is not slowed down
    clock.now += 61
    store.share_digit("hub:a", 1, np.zeros((28, 28)))
    assert store.counts()["digits"] == 7
    store.close()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("  Klasse 3b   ü ", "Klasse 3b ü"), ("さくら", "さくら"), ("<b>Max</b>", "<b>Max</b>")],
)
def test_display_names_are_trimmed_and_kept_as_text(typed: str, expected: str) -> None:
    assert clean_display_name(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", r"Received an empty name"),
        ("   ", r"Received an empty name"),
        ("x" * 300, r"Expected a name of at most 40 characters\. Received 300 characters"),
        ("a\x00b", r"invisible control characters"),
        (None, r"Expected a name as text\. Received NoneType"),
    ],
)
def test_bad_names_get_one_sentence(typed: object, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        clean_display_name(typed)


def test_upgrade_from_the_first_schema_keeps_every_entry(class_url: str) -> None:
    engine = sa.create_engine(class_url)
    with engine.begin() as connection:
        class_schema.create_version_1(connection)
        connection.execute(
            sa.text("INSERT INTO nnteach_learners (identity, display_name, created_at) VALUES ('hub:old', 'Old', 1.0)")
        )
        connection.execute(
            sa.text("INSERT INTO nnteach_digits (learner_id, label, image, created_at) VALUES (1, 4, :image, 2.0)"),
            {"image": bytes(range(256)) * 3 + bytes(16)},
        )
    engine.dispose()
    store = ClassStore(class_url)
    digits = store.digits()
    assert [(d.display_name, d.label) for d in digits] == [("Old", 4)]
    assert digits[0].image.tobytes() == bytes(range(256)) * 3 + bytes(16)
    store.share_digit("hub:old", 5, np.zeros((28, 28)))
    store.close()
    engine = sa.create_engine(class_url)
    with engine.connect() as connection:
        assert class_schema.schema_version(connection) == SCHEMA_VERSION == 2
        columns = {column["name"] for column in sa.inspect(connection).get_columns("nnteach_digits")}
        assert "owner" in columns
    engine.dispose()


def test_a_database_from_a_newer_nnteach_is_not_written(class_url: str) -> None:
    store = ClassStore(class_url)
    store.counts()
    store.close()
    engine = sa.create_engine(class_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE nnteach_meta SET value = '99' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(ValueError, match=r"schema version 99, newer than this nnteach understands"):
        ClassStore(class_url).counts()


def test_export_writes_load_mnist_style_arrays(class_url: str, tmp_path: object) -> None:
    from pathlib import Path

    store = ClassStore(class_url)
    store.join("hub:a", "A")
    store.share_digit("hub:a", 9, np.full((28, 28), 200, np.uint8))
    target = Path(str(tmp_path)) / "homework.npz"
    assert export_digits(store, target) == 1
    with np.load(target) as saved:
        assert saved["x"].shape == (1, 28, 28) and saved["x"].dtype == np.uint8
        assert saved["y"].tolist() == [9] and saved["y"].dtype == np.uint8
    store.close()

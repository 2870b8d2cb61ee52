"""Issue 15 item 16: a training number box that changes what was typed says what and why, in one sentence."""

from __future__ import annotations

from typing import Any

import pytest

from nnteach.widgets import RunComparison, TrainingMonitor


@pytest.fixture
def monitor(closing: Any) -> Any:
    return closing(TrainingMonitor(epochs=2, subset=2000))


def test_too_many_epochs_are_lowered_with_a_sentence(monitor: Any) -> None:
    monitor.epochs_box.set_state({"value": "99999999"})  # what the learner typed reaches the kernel
    assert monitor.epochs == 1000 and monitor.epochs_box.value == "1000"
    assert monitor.errors.message == (
        "Changed epochs from 99,999,999 to 1,000, the most allowed: more would train for days."
    )
    monitor.epochs_box.set_state({"value": "99999999"})  # again: the trait does not change, the box still shows 1000
    assert monitor.epochs_box.value == "1000"


def test_too_few_images_are_raised_with_a_sentence(monitor: Any) -> None:
    monitor.subset_box.set_state({"value": "5"})
    assert monitor.subset == 100 and monitor.subset_box.value == "100"
    assert (
        monitor.errors.message
        == "Changed training images from 5 to 100, the fewest allowed: fewer images cannot show learning."
    )


@pytest.mark.parametrize(("box", "typed"), [("epochs_box", -3), ("batch_box", 0)])
def test_a_value_below_one_is_refused_and_the_old_one_kept(monitor: Any, box: str, typed: int) -> None:
    before = monitor.epochs, monitor.batch_size
    getattr(monitor, box).set_state({"value": str(typed)})
    assert (monitor.epochs, monitor.batch_size) == before
    assert f"Received: {'epochs' if box == 'epochs_box' else 'batch_size'}={typed}." in monitor.errors.message
    assert getattr(monitor, box).value == str(before[0] if box == "epochs_box" else before[1])


def test_a_negative_seed_is_refused_with_a_sentence(monitor: Any) -> None:
    monitor.seed_box.set_state({"value": "-5"})
    assert monitor.seed == 0 and monitor.seed_box.value == "0"
    assert monitor.errors.message.startswith("Expected a seed from 0 to 2,147,483,647. Received: seed=-5; kept 0.")


def test_the_comparison_says_so_too(closing: Any) -> None:
    view = closing(RunComparison())
    view.epochs_box.set_state({"value": "5000"})
    assert view.epochs == 1000 and "Changed epochs from 5,000 to 1,000" in view.errors.message


@pytest.mark.parametrize("typed", ["abc", "2.5", "1e3", "", "½", "3 epochs"])
def test_text_that_is_not_a_whole_number_is_answered_and_the_box_shows_the_kept_value(monitor: Any, typed: str) -> None:
    monitor.epochs_box.set_state({"value": typed})  # the browser sends what was typed; it no longer reverts it silently
    assert monitor.epochs == 2 and monitor.epochs_box.value == "2"
    assert monitor.errors.message.startswith(
        f"Expected a whole number for Epochs. Received {typed!r}; type digits only"
    )


def test_numbers_typed_with_group_separators_or_a_typographic_minus_are_read(monitor: Any) -> None:
    monitor.subset_box.set_state({"value": "12,000"})
    assert monitor.subset == 12_000 and monitor.subset_box.value == "12000" and monitor.errors.message == ""
    monitor.seed_box.set_state({"value": "−5"})  # U+2212, as some keyboards type it: refused for being negative
    assert monitor.seed == 0 and "Received: seed=-5" in monitor.errors.message
    monitor.epochs_box.set_state({"value": "3"})  # a later success clears the old sentence
    assert monitor.epochs == 3 and monitor.errors.message == ""

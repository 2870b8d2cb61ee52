"""Issue 15 item 16: a training number box that changes what was typed says what and why, in one sentence."""

from __future__ import annotations

from typing import Any

import pytest

from nnteach.widgets import RunComparison, TrainingMonitor


@pytest.fixture
def monitor(closing: Any) -> Any:
    return closing(TrainingMonitor(epochs=2, subset=2000))


def test_too_many_epochs_are_lowered_with_a_sentence(monitor: Any) -> None:
    monitor.epochs_box.set_state({"value": 99999999})  # what the learner typed reaches the kernel
    assert monitor.epochs == monitor.epochs_box.value == 1000
    assert monitor.errors.message == (
        "Changed epochs from 99,999,999 to 1,000, the most allowed: more would train for days."
    )
    monitor.epochs_box.set_state({"value": 99999999})  # again: the trait does not change, the box still shows 1000
    assert monitor.epochs_box.value == 1000


def test_too_few_images_are_raised_with_a_sentence(monitor: Any) -> None:
    monitor.subset_box.set_state({"value": 5})
    assert monitor.subset == monitor.subset_box.value == 100
    assert (
        monitor.errors.message
        == "Changed training images from 5 to 100, the fewest allowed: fewer images cannot show learning."
    )


@pytest.mark.parametrize(("box", "typed"), [("epochs_box", -3), ("batch_box", 0)])
def test_a_value_below_one_is_refused_and_the_old_one_kept(monitor: Any, box: str, typed: int) -> None:
    before = monitor.epochs, monitor.batch_size
    getattr(monitor, box).set_state({"value": typed})
    assert (monitor.epochs, monitor.batch_size) == before
    assert f"Received: {'epochs' if box == 'epochs_box' else 'batch_size'}={typed}." in monitor.errors.message
    assert getattr(monitor, box).value == (before[0] if box == "epochs_box" else before[1])


def test_a_negative_seed_is_refused_with_a_sentence(monitor: Any) -> None:
    monitor.seed_box.set_state({"value": -5})
    assert monitor.seed == monitor.seed_box.value == 0
    assert monitor.errors.message.startswith("Expected a seed from 0 to 2,147,483,647. Received: seed=-5; kept 0.")


def test_the_comparison_says_so_too(closing: Any) -> None:
    view = closing(RunComparison())
    view.epochs_box.set_state({"value": 5000})
    assert view.epochs == 1000 and "Changed epochs from 5,000 to 1,000" in view.errors.message

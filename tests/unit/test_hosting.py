"""Hosted mode (``NNTEACH_HOSTED=1``): training caps read from the environment, enforced by
``TrainingRun`` / ``DropoutExperiment`` and visible in ``TrainingMonitor``'s controls."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from nnteach._atomic import atomic_write_bytes
from nnteach.hosting import DEFAULT_LIMITS, HostedLimits, cap_message, hosted, hosted_limits
from nnteach.training import DropoutExperiment, TrainingRun, seed_mlp


@pytest.fixture
def hosted_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("NNTEACH_HOSTED", "1")
    for name in ("NNTEACH_MAX_EPOCHS", "NNTEACH_MAX_SUBSET", "NNTEACH_MAX_BATCH_SIZE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def not_hosted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NNTEACH_HOSTED", raising=False)


def test_no_caps_unless_hosted() -> None:
    assert hosted_limits({}) is None
    assert hosted_limits({"NNTEACH_HOSTED": "0", "NNTEACH_MAX_EPOCHS": "2"}) is None
    assert not hosted({"NNTEACH_HOSTED": "yes"})
    assert hosted({"NNTEACH_HOSTED": "1"})


def test_defaults_and_host_overrides() -> None:
    assert hosted_limits({"NNTEACH_HOSTED": "1"}) == DEFAULT_LIMITS == HostedLimits(10, 10_000, 512)
    limits = hosted_limits(
        {"NNTEACH_HOSTED": "1", "NNTEACH_MAX_EPOCHS": "3", "NNTEACH_MAX_SUBSET": " 2000 ", "NNTEACH_MAX_BATCH_SIZE": ""}
    )
    assert limits == HostedLimits(max_epochs=3, max_subset=2000, max_batch_size=512)
    assert limits.cap("subset") == 2000
    assert "at most 3 epochs, 2,000 training images and batches of 512" in limits.describe()


@pytest.mark.parametrize("bad", ["0", "-3", "ten", "2.5"])
def test_a_bad_cap_in_the_environment_is_one_plain_sentence(bad: str) -> None:
    with pytest.raises(
        ValueError, match=rf"Expected NNTEACH_MAX_EPOCHS to be a whole number .* Received: NNTEACH_MAX_EPOCHS='{bad}'"
    ):
        hosted_limits({"NNTEACH_HOSTED": "1", "NNTEACH_MAX_EPOCHS": bad})


def test_check_passes_values_within_the_cap_and_names_the_cap_otherwise() -> None:
    limits = HostedLimits(max_epochs=4, max_subset=1000, max_batch_size=64)
    assert limits.check("epochs", 4) == 4
    with pytest.raises(ValueError, match=r"caps the batch size at 64\. Received: batch_size=65\. Ask for 64 or fewer"):
        limits.check("batch_size", 65)
    with pytest.raises(ValueError, match="Expected one of"):
        limits.cap("learning_rate")
    assert cap_message("subset", 60_000, 10_000).startswith("The class server caps training images (subset) at 10,000.")


class _NotAModel:
    """Caps are checked before the model is: this never reaches ``check_model``."""


@pytest.mark.parametrize(
    ("settings", "pattern"),
    [
        ({"epochs": 11}, r"caps epochs at 10\. Received: epochs=11"),
        ({"batch_size": 1024}, r"caps the batch size at 512\. Received: batch_size=1024"),
        ({"subset": 60_000}, r"caps training images \(subset\) at 10,000\. Received: subset=60000"),
    ],
)
def test_training_run_refuses_more_than_the_caps(
    hosted_env: pytest.MonkeyPatch, settings: dict[str, int], pattern: str
) -> None:
    with pytest.raises(ValueError, match=pattern):
        TrainingRun(_NotAModel(), **settings)


def test_training_run_outside_hosted_mode_has_no_caps(not_hosted: None) -> None:
    with pytest.raises(TypeError, match="Expected a Keras model"):  # got past the settings to the model check
        TrainingRun(_NotAModel(), epochs=500, subset=60_000, batch_size=2048)


def test_dropout_experiment_refuses_the_homework_setting_at_once(hosted_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match=r"caps epochs at 10\. Received: epochs=100"):
        DropoutExperiment(epochs=100, subset=60_000)
    hosted_env.setenv("NNTEACH_MAX_SUBSET", "4000")
    with pytest.raises(ValueError, match=r"at 4,000\. Received: subset=5000"):
        DropoutExperiment(epochs=5, subset=5000)
    assert DropoutExperiment(epochs=5, subset=4000).epochs == 5


def test_monitor_controls_show_the_caps(hosted_env: pytest.MonkeyPatch) -> None:
    from nnteach.widgets import TrainingMonitor

    hosted_env.setenv("NNTEACH_MAX_EPOCHS", "3")
    monitor = TrainingMonitor()
    # The boxes take what the learner types (the browser would clamp silently); the kernel caps it with a sentence.
    monitor.batch_box.set_state({"value": "5000"})
    assert (
        monitor.batch_size == 512
        and monitor.batch_box.value == "512"
        and "caps the batch size at 512" in monitor.errors.message
    )
    assert "at most 3 epochs, 10,000 training images" in monitor.limits_note.value
    assert monitor.subset == 10_000 and monitor.subset_box.value == "10000"  # "all images" means the cap, silently
    assert monitor.epochs == 3  # the default 5 is over this host's cap
    monitor.errors.clear()

    monitor.subset_box.set_state({"value": "2000"})  # as the learner types it
    assert monitor.subset == 2000 and monitor.errors.message == ""
    monitor.subset = 50_000  # as code in a cell would
    assert monitor.subset == 10_000 and monitor.subset_box.value == "10000"
    assert monitor.errors.message.startswith("The class server caps training images (subset) at 10,000.")
    assert "This run uses 10,000." in monitor.errors.message
    monitor.batch_size = 4096
    assert monitor.batch_size == 512 and "caps the batch size at 512" in monitor.errors.message


def test_monitor_outside_hosted_mode_keeps_the_full_ranges(not_hosted: None) -> None:
    from nnteach.widgets import TrainingMonitor

    monitor = TrainingMonitor(epochs=50)
    assert monitor.epochs == 50 and monitor.subset == 60_000
    assert monitor.limits_note.value == "" and monitor.errors.message == ""
    monitor.subset_box.set_state({"value": "70_000"})  # the full range ends at MNIST's 60,000, said in a sentence
    assert (
        monitor.subset == 60_000
        and monitor.subset_box.value == "60000"
        and "MNIST has 60,000" in monitor.errors.message
    )


@pytest.mark.keras
@pytest.mark.mnist
def test_a_hosted_run_trains_on_the_capped_subset(hosted_env: pytest.MonkeyPatch, mnist: Any) -> None:
    """Keras really trains on the capped number of images: batches per epoch follow the cap."""
    from nnteach.widgets import TrainingMonitor

    hosted_env.setenv("NNTEACH_MAX_SUBSET", "200")
    (x_train, y_train), (x_test, y_test) = mnist
    data = (x_train[:1000], y_train[:1000]), (x_test[:500], y_test[:500])

    async def scenario() -> TrainingMonitor:
        monitor = TrainingMonitor(epochs=1, data=data)
        monitor.subset_box.set_state({"value": "900"})  # the browser would clamp; the kernel clamps too
        monitor.start_button.click()
        assert monitor.task is not None
        await monitor.task
        return monitor

    monitor = asyncio.run(scenario())
    assert monitor.state == "done", monitor.errors.message
    assert monitor.run is not None and monitor.run.subset == 200
    assert monitor.run.batches_per_epoch == 7  # ceil(200 / 32)
    assert len(monitor.history["accuracy"]) == 1

    direct = TrainingRun(seed_mlp(seed=0), epochs=1, subset=None, data=data, validation=False)
    assert direct.subset == 200
    direct.run()
    assert direct.batches_per_epoch == 7


def test_a_learners_work_folder_has_a_size_cap_on_a_class_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    monkeypatch.setenv("NNTEACH_WORKDIR", str(work))
    monkeypatch.setenv("NNTEACH_MAX_WORK_MB", "1")
    monkeypatch.delenv("NNTEACH_HOSTED", raising=False)
    big = b"x" * (600 * 1024)
    atomic_write_bytes(work / "a.keras", big)
    atomic_write_bytes(work / "b.keras", big)  # at home: no cap
    (work / "b.keras").unlink()

    monkeypatch.setenv("NNTEACH_HOSTED", "1")
    assert hosted_limits() is not None and hosted_limits().max_work_mb == 1  # type: ignore[union-attr]
    atomic_write_bytes(work / "a.keras", big)  # replacing a file counts its new size only
    with pytest.raises(ValueError, match=r"may hold at most 1 MB.*Received: b.keras \(0.6 MB\).*Delete saved models"):
        atomic_write_bytes(work / "runs" / "b.keras", big)
    assert not (work / "runs" / "b.keras").exists()
    atomic_write_bytes(tmp_path / "cache" / "b.bin", big)  # outside the work folder: not capped

"""TrainingRun against Keras' own fit, stopping, errors, RunLog files, the dropout helper, saved models."""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnteach.training import (
    METRICS,
    DropoutExperiment,
    RunLog,
    TrainingRun,
    dropout_experiment,
    seed_mlp,
    wants_one_hot,
)


def _small(mnist: Any, n_train: int = 600, n_test: int = 1000) -> Any:
    (x_train, y_train), (x_test, y_test) = mnist
    return (x_train[:n_train], y_train[:n_train]), (x_test[:n_test], y_test[:n_test])


def _keras() -> Any:
    from nnteach._tf import import_keras

    return import_keras()


@pytest.mark.keras
@pytest.mark.mnist
@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy", "categorical_crossentropy"])
def test_history_matches_keras_fit_for_the_same_model_and_batches(mnist: Any, loss: str) -> None:
    keras = _keras()
    data = _small(mnist)
    (x_train, y_train), (x_test, y_test) = data

    def build() -> Any:
        model = seed_mlp(seed=3)
        model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
        return model

    def targets(y: Any) -> Any:
        return keras.utils.to_categorical(y, 10) if loss.startswith("categorical") else y

    expected = build().fit(
        x_train / 255,
        targets(y_train),
        batch_size=32,
        epochs=2,
        shuffle=False,
        verbose=0,
        validation_data=(x_test / 255, targets(y_test)),
    )
    run = TrainingRun(build(), epochs=2, batch_size=32, shuffle=False, seed=None, data=data)
    history = run.run()

    assert set(history) == set(METRICS) == set(expected.history)
    for name in METRICS:
        np.testing.assert_allclose(history[name], expected.history[name], rtol=1e-5, err_msg=name)
    assert run.state == "done"
    assert run.epoch == 2
    assert run.batches_done == 2 * math.ceil(600 / 32) == len(run.batch_history["loss"])
    # batch curves are Keras' running means: the last one of an epoch is the epoch's value
    assert run.batch_history["loss"][run.batches_per_epoch - 1] == pytest.approx(history["loss"][0])


@pytest.mark.keras
@pytest.mark.mnist
def test_stop_mid_epoch_ends_before_the_next_batch_and_keeps_weights_and_history(mnist: Any) -> None:
    model = seed_mlp(seed=0)
    before = [weights.copy() for weights in model.get_weights()]
    seen: list[int] = []

    def on_batch(run: TrainingRun) -> None:
        seen.append(run.batches_done)
        if run.batches_done == 5:
            run.stop()
            assert run.state == "stopping"

    run = TrainingRun(model, epochs=3, subset=600, data=_small(mnist), on_batch=on_batch)
    history = run.run()
    assert seen == [1, 2, 3, 4, 5]
    assert run.state == "done"
    assert run.stopped
    assert run.epoch == 1
    assert {name: len(values) for name, values in history.items()} == dict.fromkeys(METRICS, 1)
    assert not all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


@pytest.mark.keras
@pytest.mark.mnist
def test_start_runs_as_a_task_that_lets_other_coroutines_stop_it(mnist: Any) -> None:
    async def scenario() -> TrainingRun:
        run = TrainingRun(seed_mlp(seed=0), epochs=2, subset=600, data=_small(mnist))
        task = run.start()
        while run.batches_done < 3:  # the "Stop button": another coroutine on the same loop
            await asyncio.sleep(0)
        run.stop()
        await task
        return run

    run = asyncio.run(scenario())
    assert run.batches_done == 3
    assert run.state == "done"
    assert len(run.history["val_accuracy"]) == 1


def test_start_without_an_event_loop_says_to_call_run() -> None:
    class Fake:
        compiled = True
        optimizer = object()
        loss = "sparse_categorical_crossentropy"

        def train_on_batch(self) -> None: ...
        def count_params(self) -> int:
            return 0

    with pytest.raises(RuntimeError, match="call run"):
        TrainingRun(Fake()).start()


@pytest.mark.keras
@pytest.mark.mnist
def test_a_loss_that_turns_nan_stops_with_a_learning_rate_hint(mnist: Any) -> None:
    keras = _keras()
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e12), loss="mse", metrics=["accuracy"])
    run = TrainingRun(model, epochs=1, subset=600, data=_small(mnist))
    with pytest.raises(ValueError, match="learning rate is probably too high"):
        run.run()
    assert run.state == "error"
    assert "too high" in run.error
    assert 1 <= run.batches_done < math.ceil(600 / 32)


@pytest.mark.keras
def test_models_that_cannot_be_trained_are_refused_with_one_sentence() -> None:
    keras = _keras()
    uncompiled = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    with pytest.raises(ValueError, match="Expected a compiled model"):
        TrainingRun(uncompiled)
    five = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(5)])
    five.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="10 outputs"):
        TrainingRun(five)
    huge = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(8000)])
    huge.add(keras.layers.Dense(10))
    huge.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(
        ValueError, match=f"asks for {huge.count_params():,} parameters, more than the classroom budget of 5,000,000"
    ):
        TrainingRun(huge)
    with pytest.raises(TypeError, match="Expected a Keras model"):
        TrainingRun("not a model")
    model = seed_mlp()
    with pytest.raises(
        ValueError, match=r"batch_size to be a whole number from 1 to 4,096\. Received: batch_size=100000"
    ):
        TrainingRun(model, batch_size=100_000)
    with pytest.raises(ValueError, match="Received: epochs=0"):
        TrainingRun(model, epochs=0)
    with pytest.raises(ValueError, match="Received: subset=70000"):
        TrainingRun(model, subset=70_000)


@pytest.mark.keras
def test_one_hot_is_chosen_from_the_loss_name_or_object() -> None:
    keras = _keras()
    model = seed_mlp()
    assert not wants_one_hot(model)
    for loss, expected in [
        ("categorical_crossentropy", True),
        (keras.losses.CategoricalCrossentropy(), True),
        (keras.losses.SparseCategoricalCrossentropy(from_logits=True), False),
        (keras.losses.sparse_categorical_crossentropy, False),
        ("mse", True),
    ]:
        model.compile(optimizer="adam", loss=loss)
        assert wants_one_hot(model) is expected, loss


def test_runlog_json_round_trip_through_a_file(tmp_path: Path) -> None:
    log = RunLog()
    calls: list[int] = []
    log.on_change(lambda changed: calls.append(len(changed)))
    log.add("rate=0", {"rate": 0.0, "epochs": 3}, {"loss": [0.5, 0.3, float("nan")], "val_accuracy": [0.9, 0.95, 0.96]})
    log.add("rate=0.2", {"rate": 0.2}, {"loss": [0.6]})
    log.add("rate=0.2", {"rate": 0.2}, {"loss": [0.4]})  # same name: replaced
    assert calls == [1, 2, 2]
    path = log.save(tmp_path / "homework.json")
    assert json.loads(path.read_text())["runs"][0]["history"]["loss"][2] is None  # strict JSON, no NaN
    loaded = RunLog.load(path)
    assert loaded.names == ["rate=0", "rate=0.2"]
    assert loaded["rate=0"].settings == {"rate": 0.0, "epochs": 3}
    assert loaded["rate=0"].history["val_accuracy"] == [0.9, 0.95, 0.96]
    assert math.isnan(loaded["rate=0"].history["loss"][2])
    assert loaded["rate=0.2"].history == {"loss": [0.4]}
    assert not list(tmp_path.glob(".*tmp"))


def test_a_corrupt_or_foreign_runlog_file_raises_one_clear_error(tmp_path: Path) -> None:
    good = RunLog()
    good.add("run 1", {}, {"loss": [1.0, 0.5]})
    path = tmp_path / "runs.json"
    good.save(path)
    path.write_text(path.read_text()[:40])  # cut off, as by a full disk or a bad copy
    with pytest.raises(ValueError, match=r"runs\.json is not valid JSON .* saved by RunLog\.save\(\)"):
        RunLog.load(path)
    path.write_text('{"runs": []}')
    with pytest.raises(ValueError, match="not an nnteach run log"):
        RunLog.load(path)
    path.write_text('{"format": "nnteach-runlog", "runs": [{"name": "a", "history": {"loss": ["x"]}}]}')
    with pytest.raises(ValueError, match="history 'loss' must be a list of numbers"):
        RunLog.load(path)
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ValueError, match="not a text file"):
        RunLog.load(path)
    with pytest.raises(ValueError, match="There is no run log"):
        RunLog.load(tmp_path / "missing.json")


@pytest.mark.keras
@pytest.mark.mnist
def test_dropout_experiment_on_a_tiny_subset_gives_five_runs_with_four_curves(mnist: Any) -> None:
    progress: list[int] = []
    log = dropout_experiment(epochs=1, subset=300, on_progress=lambda exp: progress.append(exp.batches_done))
    assert log.names == ["rate=0", "rate=0.2", "rate=0.4", "rate=0.6", "rate=0.8"]
    for run, rate in zip(log, (0.0, 0.2, 0.4, 0.6, 0.8), strict=True):
        assert set(run.history) == set(METRICS)
        assert all(len(values) == 1 for values in run.history.values())
        assert run.settings["rate"] == rate
        assert run.settings["subset"] == 300
    assert progress == list(range(1, 5 * math.ceil(300 / 32) + 1))
    # dropout really changes training: the five runs do not share a training loss
    assert len({run.history["loss"][0] for run in log}) == 5


@pytest.mark.keras
@pytest.mark.mnist
def test_stopping_the_dropout_experiment_skips_the_remaining_rates(mnist: Any) -> None:
    def on_batch(experiment: DropoutExperiment) -> None:
        if experiment.finished == 1 and experiment.current is not None and experiment.current.batches_done == 2:
            experiment.stop()

    experiment = DropoutExperiment(rates=(0.0, 0.5, 0.7), epochs=2, data=_small(mnist, 300, 500), on_batch=on_batch)
    log = experiment.run()
    assert log.names == ["rate=0", "rate=0.5"]
    assert len(log["rate=0"].history["loss"]) == 2
    assert len(log["rate=0.5"].history["loss"]) == 1


def test_bad_dropout_rates_are_refused() -> None:
    with pytest.raises(ValueError, match=r"Received: rates=\(0.2, 1.0\)"):
        DropoutExperiment(rates=(0.2, 1.0))


@pytest.mark.keras
@pytest.mark.mnist
def test_saved_models_round_trip_through_the_work_folder(mnist: Any) -> None:
    from nnteach.models import load_saved, save_model, saved_models
    from nnteach.paths import work_dir

    model = seed_mlp(seed=1)
    TrainingRun(model, epochs=1, subset=300, data=_small(mnist, 300, 500)).run()
    assert saved_models() == []
    path = save_model(model, "my first mlp")
    assert path == work_dir() / "my first mlp.keras"
    assert saved_models() == ["my first mlp"]
    loaded = load_saved("my first mlp")
    x = mnist[1][0][:20] / 255
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    for bad in ("../escape", "a/b", "..", ""):
        with pytest.raises(ValueError, match="is not allowed"):
            save_model(model, bad)
    with pytest.raises(ValueError, match=r"no saved model named 'nope'.*'my first mlp'"):
        load_saved("nope")
    assert sorted(p.name for p in work_dir().iterdir()) == ["my first mlp.keras"]

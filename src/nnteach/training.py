"""Training you can watch and stop: a batch-by-batch loop over a compiled Keras model on MNIST.

``TrainingRun`` does what the tutorials do with ``model.fit(x_train / 255, y_train,
validation_data=(x_test / 255, y_test), epochs=...)``, one batch at a time, so that a
notebook kernel can handle a Stop click between batches (``start()`` runs it as an asyncio
task on the kernel's event loop; ``run()`` blocks, for scripts and tests). Its ``history``
has the same keys and values as Keras' ``History.history``. ``RunLog`` keeps several runs for
overlaying and saves them as JSON; ``dropout_experiment`` trains the seed MLP at several
dropout rates, one after another.

Example:
    >>> from nnteach.training import TrainingRun, seed_mlp
    >>> run = TrainingRun(seed_mlp(), epochs=1, subset=500)  # doctest: +SKIP
    >>> history = run.run()  # doctest: +SKIP
    >>> sorted(history)  # doctest: +SKIP
    ['accuracy', 'loss', 'val_accuracy', 'val_loss']
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from nnteach._atomic import atomic_write_text
from nnteach.hosting import hosted_limits
from nnteach.layers import PARAM_BUDGET

__all__ = [
    "MAX_BATCH_SIZE",
    "MAX_EPOCHS",
    "METRICS",
    "PARAM_BUDGET",
    "DropoutExperiment",
    "Run",
    "RunLog",
    "State",
    "TrainingRun",
    "dropout_experiment",
    "seed_mlp",
    "wants_one_hot",
]

State = Literal["idle", "training", "stopping", "done", "error"]

#: The four curves every run records, named as in Keras' ``History.history``.
METRICS = ("loss", "accuracy", "val_loss", "val_accuracy")
#: Limits checked before training starts: an out-of-memory kill cannot be caught.
MAX_BATCH_SIZE = 4096
MAX_EPOCHS = 1000
MNIST_TRAIN_SIZE = 60_000
VALIDATION_BATCH_SIZE = 500

Mnist = tuple[tuple[NDArray[Any], NDArray[Any]], tuple[NDArray[Any], NDArray[Any]]]
Listener = Callable[["TrainingRun"], None]


def seed_mlp(dropout_rate: float = 0.2, *, learning_rate: float = 0.001, seed: int | None = None) -> Any:
    """The tutorials' MLP: ``Flatten, Dense(128, relu), Dropout(rate), Dense(10, softmax)``, compiled.

    Adam, sparse categorical cross-entropy and accuracy, as in the TensorFlow beginner
    tutorial. With ``seed`` the initial weights are reproducible
    (``keras.utils.set_random_seed``). Imports TensorFlow.

    Example:
        >>> seed_mlp().count_params()  # doctest: +SKIP
        101770
    """
    if not 0.0 <= dropout_rate < 1.0:
        raise ValueError(
            f"The dropout rate must be at least 0 and below 1. Received: dropout_rate={dropout_rate}. "
            "Use a value such as 0.2."
        )
    from nnteach._tf import import_keras

    keras = import_keras()
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(dropout_rate),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name=f"seed_mlp_dropout_{dropout_rate:g}",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _loss_name(loss: Any) -> str:
    if isinstance(loss, str):
        return loss
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    return str(name)


def wants_one_hot(model: Any) -> bool:
    """True when the model's loss expects one-hot labels (any loss whose name lacks "sparse").

    Example:
        >>> class Compiled: loss = "categorical_crossentropy"
        >>> wants_one_hot(Compiled())
        True
    """
    loss = getattr(model, "loss", None)
    if isinstance(loss, dict | list | tuple):
        raise ValueError(
            f"Expected a model with one output and one loss. Received losses {loss!r}. "
            "Compile the model with a single loss, e.g. loss='sparse_categorical_crossentropy'."
        )
    return "sparse" not in _loss_name(loss).lower().replace("_", "")


def _input_shape(model: Any) -> tuple[int, ...]:
    """The shape one example must have for ``model``: ``(28, 28)`` or ``(784,)``."""
    inputs = getattr(model, "inputs", None)
    try:
        shape = tuple(inputs[0].shape[1:]) if inputs else (28, 28)
    except (AttributeError, ValueError, IndexError):
        shape = (28, 28)
    if shape in ((28, 28), (784,), (28, 28, 1)):
        return tuple(int(size) for size in shape)
    raise ValueError(
        f"Expected a model that takes MNIST images of shape (28, 28) or (784,). Received input shape {shape}. "
        "Start the model with keras.Input(shape=(28, 28)) and a Flatten layer."
    )


def check_model(model: Any) -> None:
    """Refuse, with one sentence, what cannot be trained on MNIST (before any memory is spent)."""
    if not hasattr(model, "train_on_batch") or not hasattr(model, "count_params"):
        raise TypeError(
            f"Expected a Keras model (or a LayerStackBuilder). Received {type(model).__name__}. "
            "Build one with keras.Sequential([...]) or nnteach.training.seed_mlp()."
        )
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise ValueError(
            "Expected a compiled model. Received a model that was never compiled. "
            "Call model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy']) first."
        )
    wants_one_hot(model)
    _input_shape(model)
    outputs = getattr(model, "outputs", None)
    if outputs:
        units = outputs[0].shape[-1]
        if units != 10:
            raise ValueError(
                f"Expected a model with 10 outputs, one per digit. Received {units} outputs. "
                "End the model with Dense(10, activation='softmax')."
            )
    if getattr(model, "built", False):
        params = int(model.count_params())
        if params > PARAM_BUDGET:
            raise ValueError(
                f"This model has {params:,} parameters; the classroom limit is {PARAM_BUDGET:,}. "
                "Use fewer or smaller Dense layers."
            )


def _check_int(name: str, value: object, low: int, high: int, hint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= int(value) <= high:
        raise ValueError(
            f"Expected {name} to be a whole number from {low} to {high:,}. Received: {name}={value!r}. {hint}"
        )
    return int(value)


@dataclass
class _Batches:
    """One epoch's batch boundaries, in a fixed or shuffled order."""

    order: NDArray[np.intp]
    batch_size: int

    def __len__(self) -> int:
        return math.ceil(len(self.order) / self.batch_size)

    def __iter__(self) -> Iterator[NDArray[np.intp]]:
        for start in range(0, len(self.order), self.batch_size):
            yield self.order[start : start + self.batch_size]


class TrainingRun:
    """Train a compiled Keras model on MNIST batch by batch; stoppable, observable, Keras-exact.

    Images are divided by 255, labels are one-hot encoded when the loss is not "sparse",
    validation is on the test set after every epoch (``validation=False`` skips it). ``history``
    matches Keras' ``History.history``; ``batch_history`` holds the running ``loss`` and
    ``accuracy`` after every batch (what Keras' progress bar shows), for live curves only.
    ``on_batch`` / ``on_epoch`` listeners are called with the run after each batch / epoch.
    ``stop()`` ends training before the next batch; weights and history are kept (a stopped
    epoch is recorded, as Keras records it).

    Example:
        >>> run = TrainingRun(seed_mlp(seed=0), epochs=1, subset=500, seed=0)  # doctest: +SKIP
        >>> run.run()["accuracy"][0] > 0.5  # doctest: +SKIP
        True
    """

    def __init__(
        self,
        model: Any,
        *,
        epochs: int = 5,
        batch_size: int = 32,
        subset: int | None = None,
        seed: int | None = 0,
        shuffle: bool = True,
        validation: bool = True,
        data: Mnist | None = None,
        on_batch: Listener | None = None,
        on_epoch: Listener | None = None,
    ) -> None:
        self.epochs = _check_int("epochs", epochs, 1, MAX_EPOCHS, "Train for a few epochs, e.g. 5.")
        self.batch_size = _check_int("batch_size", batch_size, 1, MAX_BATCH_SIZE, "Common choices are 32 or 128.")
        self.subset = None if subset is None else _check_int("subset", subset, 1, MNIST_TRAIN_SIZE, "Use None for all.")
        self.seed = None if seed is None else _check_int("seed", seed, 0, 2**31 - 1, "Any whole number, e.g. 0.")
        self._apply_hosted_caps()
        check_model(model)
        self.model = model
        self.shuffle = shuffle
        self.validation = validation
        self.on_batch = on_batch
        self.on_epoch = on_epoch
        self._data = data
        self.state: State = "idle"
        self.error: str = ""
        self.history: dict[str, list[float]] = {}
        self.batch_history: dict[str, list[float]] = {"loss": [], "accuracy": []}
        self.epoch = 0  # epochs finished (a stopped, partial epoch counts)
        self.batch = 0  # batches finished in the current epoch
        self.batches_per_epoch = 0
        self.batches_done = 0
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self._stop_requested = False
        self.task: asyncio.Task[dict[str, list[float]]] | None = None

    def _apply_hosted_caps(self) -> None:
        """On a class server (``NNTEACH_HOSTED=1``): refuse settings over the caps; "all images" means the cap."""
        limits = hosted_limits()
        if limits is None:
            return
        limits.check("epochs", self.epochs)
        limits.check("batch_size", self.batch_size)
        self.subset = limits.max_subset if self.subset is None else limits.check("subset", self.subset)

    # --- settings and progress -------------------------------------------------------------
    @property
    def settings(self) -> dict[str, Any]:
        """The settings that define this run (stored with it in a ``RunLog``)."""
        return {"epochs": self.epochs, "batch_size": self.batch_size, "subset": self.subset, "seed": self.seed}

    @property
    def total_batches(self) -> int:
        return self.batches_per_epoch * self.epochs

    @property
    def elapsed(self) -> float:
        """Seconds since training started (until it finished)."""
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.perf_counter()) - self.started_at

    @property
    def seconds_left(self) -> float | None:
        """Estimated seconds until the last epoch ends, from the speed so far (None before a batch)."""
        if self.batches_done == 0 or self.total_batches == 0:
            return None
        remaining = max(self.total_batches - self.batches_done, 0)
        return self.elapsed / self.batches_done * remaining

    @property
    def stopped(self) -> bool:
        """True when ``stop()`` ended the run before its last epoch."""
        return self._stop_requested

    def stop(self) -> None:
        """Ask the run to stop before its next batch (safe to call at any time)."""
        self._stop_requested = True
        if self.state == "training":
            self.state = "stopping"

    # --- running ---------------------------------------------------------------------------
    def run(self) -> dict[str, list[float]]:
        """Train to the end (or until ``stop()``), blocking; returns ``history``."""
        for _ in self.steps():
            pass
        return self.history

    async def run_async(self) -> dict[str, list[float]]:
        """Train, giving the event loop a turn after every batch so widget clicks are handled."""
        for _ in self.steps():
            await asyncio.sleep(0)
        return self.history

    def start(self) -> asyncio.Task[dict[str, list[float]]]:
        """Start training as a task on the running event loop (a Jupyter kernel has one)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "start() needs a running event loop, as in Jupyter. Received none. In a plain script call run()."
            ) from None
        self.task = loop.create_task(self.run_async())
        return self.task

    def steps(self) -> Iterator[None]:
        """Train one batch (or one validation chunk) per step; the caller decides what runs in between."""
        if self.state != "idle":
            raise RuntimeError(f"A TrainingRun runs once. Received a run in state {self.state!r}; make a new one.")
        self.state = "training"
        self.started_at = time.perf_counter()
        try:
            yield from self._train()
        except BaseException as error:
            self.state = "error"
            self.error = str(error)
            raise
        finally:
            self.finished_at = time.perf_counter()
        self.state = "done"

    def _train(self) -> Iterator[None]:
        from nnteach._tf import import_keras

        keras = import_keras()
        if self.seed is not None:
            keras.utils.set_random_seed(self.seed)
        (x_train, y_train), (x_test, y_test) = self._data if self._data is not None else _load()
        if self.subset is not None:
            x_train, y_train = x_train[: self.subset], y_train[: self.subset]
        one_hot = wants_one_hot(self.model)
        shape = _input_shape(self.model)
        rng = np.random.default_rng(self.seed)
        self.batches_per_epoch = math.ceil(len(x_train) / self.batch_size)
        trainer = _Stepper(self.model, shape, one_hot)
        for epoch in range(self.epochs):
            if self._stop_requested:
                break
            order = rng.permutation(len(x_train)) if self.shuffle else np.arange(len(x_train))
            self.batch = 0
            logs: dict[str, float] = {}
            for index, rows in enumerate(_Batches(order, self.batch_size)):
                if self._stop_requested:
                    break
                logs = trainer.train(x_train[rows], y_train[rows], first=index == 0)
                self._check_finite(logs, epoch)
                self.batch += 1
                self.batches_done += 1
                self.batch_history["loss"].append(logs["loss"])
                self.batch_history["accuracy"].append(logs.get("accuracy", math.nan))
                if self.on_batch is not None:
                    self.on_batch(self)
                yield
            if not logs:
                break
            epoch_logs = dict(logs)
            if self.validation:
                val_logs: dict[str, float] = {}
                for start in range(0, len(x_test), VALIDATION_BATCH_SIZE):
                    stop = start + VALIDATION_BATCH_SIZE
                    val_logs = trainer.test(x_test[start:stop], y_test[start:stop], first=start == 0)
                    yield
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            for name, value in epoch_logs.items():
                self.history.setdefault(name, []).append(value)
            self.epoch = epoch + 1
            if self.on_epoch is not None:
                self.on_epoch(self)

    def _check_finite(self, logs: dict[str, float], epoch: int) -> None:
        if not math.isfinite(logs["loss"]):
            raise ValueError(
                f"The loss became {logs['loss']} in epoch {epoch + 1}, batch {self.batch + 1}: "
                "the learning rate is probably too high. Lower it (e.g. to 0.001) and start again."
            )


def _load() -> Mnist:
    from nnteach.data import load_mnist

    return load_mnist()


class _Stepper:
    """One training or test step through Keras' own compiled step functions, as ``fit`` calls them.

    The first batch of an epoch goes through ``train_on_batch`` (which builds the model and
    optimizer and resets the metrics); later batches call ``model.train_function`` without
    resetting, so the logs are running means over the epoch, exactly as in ``fit``.
    """

    def __init__(self, model: Any, shape: tuple[int, ...], one_hot: bool) -> None:
        self.model = model
        self.shape = shape
        self.one_hot = one_hot

    def _batch(self, x: NDArray[Any], y: NDArray[Any]) -> tuple[NDArray[np.float32], NDArray[Any]]:
        images = (x.astype(np.float32) / np.float32(255.0)).reshape((len(x), *self.shape))
        labels = np.eye(10, dtype=np.float32)[y] if self.one_hot else y
        return images, labels

    def train(self, x: NDArray[Any], y: NDArray[Any], *, first: bool) -> dict[str, float]:
        images, labels = self._batch(x, y)
        if first:
            logs = self.model.train_on_batch(images, labels, return_dict=True)
        else:
            logs = self.model.train_function(iter([(images, labels)]))
        return {name: float(value) for name, value in logs.items()}

    def test(self, x: NDArray[Any], y: NDArray[Any], *, first: bool) -> dict[str, float]:
        images, labels = self._batch(x, y)
        if first:
            logs = self.model.test_on_batch(images, labels, return_dict=True)
        else:
            logs = self.model.test_function(iter([(images, labels)]))
        return {name: float(value) for name, value in logs.items()}


# --- run logs --------------------------------------------------------------------------------
RUNLOG_FORMAT = "nnteach-runlog"
RUNLOG_VERSION = 1


@dataclass
class Run:
    """One finished run: a name for the legend, the settings used, the per-epoch history."""

    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    history: dict[str, list[float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        history = {key: [None if not math.isfinite(v) else v for v in values] for key, values in self.history.items()}
        return {"name": self.name, "settings": self.settings, "history": history}


class RunLog:
    """Several runs (name, settings, history) to overlay, saved and loaded as JSON.

    Homework runs (say 100 epochs) are saved at home and loaded in class. Batch-level curves
    are never stored. ``on_change(callback)`` lets a view redraw when a run is added.

    Example:
        >>> log = RunLog()
        >>> _ = log.add("rate=0.2", {"rate": 0.2}, {"val_accuracy": [0.95, 0.97]})
        >>> RunLog.from_json(log.to_json()).names
        ['rate=0.2']
    """

    def __init__(self, runs: Sequence[Run] = ()) -> None:
        self.runs: list[Run] = list(runs)
        self._listeners: list[Callable[[RunLog], None]] = []

    def __len__(self) -> int:
        return len(self.runs)

    def __iter__(self) -> Iterator[Run]:
        return iter(self.runs)

    def __getitem__(self, name: str) -> Run:
        for run in self.runs:
            if run.name == name:
                return run
        raise KeyError(f"No run named {name!r}. Runs: {self.names}.")

    @property
    def names(self) -> list[str]:
        return [run.name for run in self.runs]

    def on_change(self, callback: Callable[[RunLog], None]) -> None:
        """Call ``callback(log)`` whenever runs are added or cleared."""
        self._listeners.append(callback)

    def _changed(self) -> None:
        for callback in list(self._listeners):
            callback(self)

    def add(self, name: str, settings: dict[str, Any], history: dict[str, list[float]]) -> Run:
        """Add a run (a run with the same name is replaced, so re-running an experiment updates it)."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"Expected a run name such as 'rate=0.2'. Received: name={name!r}.")
        run = Run(name, dict(settings), {key: [float(v) for v in values] for key, values in history.items()})
        self.runs = [existing for existing in self.runs if existing.name != name]
        self.runs.append(run)
        self._changed()
        return run

    def add_run(self, name: str, run: TrainingRun) -> Run:
        """Add a finished ``TrainingRun`` under ``name``."""
        return self.add(name, run.settings, run.history)

    def clear(self) -> None:
        self.runs = []
        self._changed()

    def to_json(self) -> str:
        document = {"format": RUNLOG_FORMAT, "version": RUNLOG_VERSION, "runs": [run.to_dict() for run in self.runs]}
        return json.dumps(document, indent=1, allow_nan=False)

    @classmethod
    def from_json(cls, text: str, *, source: str = "the text") -> RunLog:
        """Read a log written by ``to_json``; a damaged or foreign file raises one clear ValueError."""
        hint = "Expected a run log saved by RunLog.save(); save the runs again."
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{source} is not valid JSON ({error.msg}, line {error.lineno}). {hint}") from None
        if not isinstance(document, dict) or document.get("format") != RUNLOG_FORMAT:
            raise ValueError(f"{source} is JSON but not an nnteach run log. {hint}")
        runs = document.get("runs")
        if not isinstance(runs, list):
            raise ValueError(f"{source} has no list of runs. {hint}")
        log = cls()
        for position, entry in enumerate(runs, start=1):
            log.runs.append(_run_from_dict(entry, f"{source}, run {position}", hint))
        return log

    def save(self, path: str | Path) -> Path:
        """Write the log as JSON (atomically: a half-written file never replaces a good one)."""
        target = Path(path).expanduser()
        atomic_write_text(target, self.to_json() + "\n")
        return target

    @classmethod
    def load(cls, path: str | Path) -> RunLog:
        """Read a log saved by ``save``."""
        source = Path(path).expanduser()
        try:
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ValueError(f"There is no run log at {source}. Check the file name.") from None
        except UnicodeDecodeError:
            raise ValueError(f"{source} is not a text file. Expected a run log saved by RunLog.save().") from None
        return cls.from_json(text, source=str(source))


def _run_from_dict(entry: object, where: str, hint: str) -> Run:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ValueError(f"{where} has no name. {hint}")
    settings = entry.get("settings", {})
    history = entry.get("history", {})
    if not isinstance(settings, dict) or not isinstance(history, dict):
        raise ValueError(f"{where} has settings or history that are not objects. {hint}")
    clean: dict[str, list[float]] = {}
    for key, values in history.items():
        if not isinstance(values, list) or not all(
            value is None or (isinstance(value, int | float) and not isinstance(value, bool)) for value in values
        ):
            raise ValueError(f"{where}: history {key!r} must be a list of numbers. {hint}")
        clean[str(key)] = [math.nan if value is None else float(value) for value in values]
    return Run(entry["name"], settings, clean)


# --- the dropout experiment ------------------------------------------------------------------
class DropoutExperiment:
    """Train the seed MLP once per dropout rate, one after another, into a ``RunLog``.

    Runs are named ``rate=0.2`` and so on. ``stop()`` ends the current run and skips the
    rest. ``on_batch`` / ``on_run`` are called with the experiment (``current`` is the
    running ``TrainingRun``).

    Example:
        >>> log = DropoutExperiment(rates=(0.0, 0.5), epochs=1, subset=300).run()  # doctest: +SKIP
        >>> log.names  # doctest: +SKIP
        ['rate=0', 'rate=0.5']
    """

    def __init__(
        self,
        rates: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8),
        epochs: int = 5,
        subset: int | None = None,
        *,
        batch_size: int = 32,
        seed: int = 0,
        data: Mnist | None = None,
        log: RunLog | None = None,
        on_batch: Callable[[DropoutExperiment], None] | None = None,
        on_run: Callable[[DropoutExperiment], None] | None = None,
    ) -> None:
        rates = tuple(rates)
        if not rates or not all(isinstance(r, int | float) and not isinstance(r, bool) and 0 <= r < 1 for r in rates):
            raise ValueError(
                f"Expected dropout rates from 0 up to (not including) 1. Received: rates={rates!r}. "
                "Use e.g. (0.0, 0.2, 0.4, 0.6, 0.8)."
            )
        _check_int("epochs", epochs, 1, MAX_EPOCHS, "Train for a few epochs, e.g. 5.")
        limits = hosted_limits()
        if limits is not None:  # refuse at once, not after the first rate's run
            limits.check("epochs", epochs)
            limits.check("batch_size", batch_size)
            if subset is not None:
                limits.check("subset", subset)
        self.rates = tuple(float(rate) for rate in rates)
        self.epochs = epochs
        self.subset = subset
        self.batch_size = batch_size
        self.seed = seed
        self.data = data
        self.log = log if log is not None else RunLog()
        self.on_batch = on_batch
        self.on_run = on_run
        self.current: TrainingRun | None = None
        self.finished = 0
        self._stop_requested = False

    @staticmethod
    def run_name(rate: float) -> str:
        return f"rate={rate:g}"

    @property
    def total_batches(self) -> int:
        per_epoch = self.current.batches_per_epoch if self.current else 0
        return per_epoch * self.epochs * len(self.rates)

    @property
    def batches_done(self) -> int:
        per_run = self.current.total_batches if self.current else 0
        return self.finished * per_run + (self.current.batches_done if self.current else 0)

    def stop(self) -> None:
        """Stop the current run (keeping what it learned) and skip the remaining rates."""
        self._stop_requested = True
        if self.current is not None:
            self.current.stop()

    def steps(self) -> Iterator[None]:
        data = self.data if self.data is not None else _load()
        for rate in self.rates:
            if self._stop_requested:
                break
            model = seed_mlp(rate, seed=self.seed)
            self.current = TrainingRun(
                model,
                epochs=self.epochs,
                batch_size=self.batch_size,
                subset=self.subset,
                seed=self.seed,
                data=data,
                on_batch=self._batch_done,
            )
            yield from self.current.steps()
            if self.current.history:
                self.log.add(self.run_name(rate), {"rate": rate, **self.current.settings}, self.current.history)
            self.finished += 1
            if self.on_run is not None:
                self.on_run(self)

    def _batch_done(self, _run: TrainingRun) -> None:
        if self.on_batch is not None:
            self.on_batch(self)

    def run(self) -> RunLog:
        """Train every rate, blocking; returns the log."""
        for _ in self.steps():
            pass
        return self.log

    async def run_async(self) -> RunLog:
        """Train every rate, giving the event loop a turn after every batch."""
        for _ in self.steps():
            await asyncio.sleep(0)
        return self.log


def dropout_experiment(
    rates: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8),
    epochs: int = 5,
    subset: int | None = None,
    *,
    batch_size: int = 32,
    seed: int = 0,
    log: RunLog | None = None,
    on_progress: Callable[[DropoutExperiment], None] | None = None,
) -> RunLog:
    """Train the seed MLP at each dropout rate, one after another; returns a ``RunLog``.

    Each run is named ``rate=<rate>`` and has the four curves ``loss``, ``accuracy``,
    ``val_loss``, ``val_accuracy``. ``on_progress`` is called after every batch.

    Example:
        >>> log = dropout_experiment(rates=(0.0, 0.5), epochs=1, subset=300)  # doctest: +SKIP
        >>> [len(run.history) for run in log]  # doctest: +SKIP
        [4, 4]
    """
    experiment = DropoutExperiment(
        rates, epochs, subset, batch_size=batch_size, seed=seed, log=log, on_batch=on_progress
    )
    return experiment.run()

"""Training you can watch and stop: a batch-by-batch loop over a compiled Keras model on MNIST.

``TrainingRun`` does what the tutorials do with ``model.fit(x_train / 255, y_train,
validation_data=(x_test / 255, y_test), epochs=...)``, one batch at a time, so that a
notebook kernel can handle a Stop click between batches (``start()`` runs it as an asyncio
task on the kernel's event loop; ``run()`` blocks, for scripts and tests). Its ``history``
has the same keys and values as Keras' ``History.history``.

Example:
    >>> from nnteach.training import TrainingRun, seed_mlp
    >>> run = TrainingRun(seed_mlp(seed=0), epochs=1, subset=500)
    >>> history = run.run()
    >>> sorted(history), run.state
    (['accuracy', 'loss', 'val_accuracy', 'val_loss'], 'done')
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from nnteach._tf import import_keras
from nnteach.hosting import hosted_limits
from nnteach.i18n import _
from nnteach.keras_inspect import check_trainable, image_input_shape, wants_one_hot
from nnteach.memory import release_if_hosted
from nnteach.pixels import scale_pixels
from nnteach.softmax import one_hot

__all__ = [
    "MAX_BATCH_SIZE",
    "MAX_EPOCHS",
    "METRICS",
    "MNIST_TRAIN_SIZE",
    "Mnist",
    "State",
    "TrainingRun",
    "check_int",
    "load_data",
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


def check_int(name: str, value: object, low: int, high: int, hint: str) -> int:
    """``value`` as an int from ``low`` to ``high``, or a ValueError naming the setting and a fix.

    Example:
        >>> check_int("epochs", 0, 1, 1000, "Train for a few epochs, e.g. 5.")
        Traceback (most recent call last):
        ...
        ValueError: Expected epochs to be a whole number from 1 to 1,000. Received: epochs=0. Train for a few epochs, e.g. 5.
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= int(value) <= high:
        raise ValueError(
            _("Expected {name} to be a whole number from {low} to {high}. Received: {name}={value}. {hint}").format(
                name=name, low=low, high=f"{high:,}", value=f"{value!r}", hint=hint
            )
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
        >>> from nnteach.training import seed_mlp
        >>> run = TrainingRun(seed_mlp(seed=0), epochs=1, subset=500, seed=0, validation=False)
        >>> history = run.run()
        >>> run.batches_per_epoch, run.batch_history["loss"][-1] < run.batch_history["loss"][0]
        (16, True)
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
        self.epochs = check_int("epochs", epochs, 1, MAX_EPOCHS, _("Train for a few epochs, e.g. 5."))
        self.batch_size = check_int("batch_size", batch_size, 1, MAX_BATCH_SIZE, _("Common choices are 32 or 128."))
        self.subset = (
            None if subset is None else check_int("subset", subset, 1, MNIST_TRAIN_SIZE, _("Use None for all."))
        )
        self.seed = None if seed is None else check_int("seed", seed, 0, 2**31 - 1, _("Any whole number, e.g. 0."))
        self._apply_hosted_caps()
        check_trainable(model)
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
        for _step in self.steps():
            pass
        return self.history

    async def run_async(self) -> dict[str, list[float]]:
        """Train, giving the event loop a turn after every batch so widget clicks are handled."""
        for _step in self.steps():
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
            release_if_hosted()  # JAX's compile and the batches leave ~70 MB of freed heap behind
        self.state = "done"

    def _train(self) -> Iterator[None]:
        keras = import_keras()
        if self.seed is not None:
            keras.utils.set_random_seed(self.seed)
        (x_train, y_train), (x_test, y_test) = self._data if self._data is not None else load_data()
        if self.subset is not None:
            x_train, y_train = x_train[: self.subset], y_train[: self.subset]
        one_hot = wants_one_hot(self.model)
        shape = image_input_shape(self.model)
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
                _(
                    "The loss became {logs} in epoch {value}, batch {value2}: the learning rate is probably too high. Lower it (e.g. to 0.001) and start again."
                ).format(logs=logs["loss"], value=epoch + 1, value2=self.batch + 1)
            )


def load_data() -> Mnist:
    """MNIST as ``load_mnist()`` returns it (imported here so that the data module loads only when training)."""
    from nnteach.data import load_mnist

    return load_mnist()


class _Stepper:
    """One training or test step through Keras' own compiled step functions, as ``fit`` calls them.

    The first batch of an epoch goes through ``train_on_batch`` (which builds the model and
    optimizer and resets the metrics); later batches call ``model.train_function`` without
    resetting, so the logs are running means over the epoch, exactly as in ``fit``. On JAX the
    step function is pure: it takes and returns the variables, which go back into the model.
    """

    def __init__(self, model: Any, shape: tuple[int, ...], one_hot: bool) -> None:
        self.model = model
        self.shape = shape
        self.one_hot = one_hot

    def _batch(self, x: NDArray[Any], y: NDArray[Any]) -> tuple[NDArray[np.float32], NDArray[Any]]:
        images = scale_pixels(x).reshape((len(x), *self.shape))
        labels = one_hot(y, 10) if self.one_hot else y
        return images, labels

    def _step(self, kind: Literal["train", "test"], x: NDArray[Any], y: NDArray[Any], first: bool) -> dict[str, float]:
        images, labels = self._batch(x, y)
        if first:
            logs = getattr(self.model, f"{kind}_on_batch")(images, labels, return_dict=True)
        elif _on_jax(self.model):
            logs = _jax_step(self.model, kind, images, labels)
        else:
            logs = getattr(self.model, f"{kind}_function")(iter([(images, labels)]))
        return {name: float(value) for name, value in logs.items()}

    def train(self, x: NDArray[Any], y: NDArray[Any], *, first: bool) -> dict[str, float]:
        return self._step("train", x, y, first)

    def test(self, x: NDArray[Any], y: NDArray[Any], *, first: bool) -> dict[str, float]:
        return self._step("test", x, y, first)


def _on_jax(model: Any) -> bool:
    return hasattr(model, "jax_state_sync")


def _jax_step(model: Any, kind: Literal["train", "test"], images: NDArray[Any], labels: NDArray[Any]) -> Any:
    """One step of Keras' JAX trainer without resetting the metrics (its ``train_on_batch`` minus ``reset_metrics``)."""
    train = kind == "train"
    names = [
        "trainable_variables",
        "non_trainable_variables",
        *(["optimizer_variables"] if train else []),
        "metrics_variables",
    ]
    state = model._get_jax_state(**dict.fromkeys(names, True), purge_model_variables=False)
    model._jax_state_synced = False
    function = model.train_function if train else model.test_function
    logs, state = function(state, iter([(images, labels, None)]))
    model._jax_state = dict(zip(names, state, strict=True))
    model.jax_state_sync()
    return logs

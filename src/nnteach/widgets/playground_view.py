"""``PlaygroundView``: a small Keras network learning a 2-D pattern, live (like TensorFlow Playground).

Pick a data set (two blobs, circles, XOR, spiral; 2 or 3 classes; noise; train/test split) and
a network (0–4 hidden layers of 1–8 neurons, activation, learning rate, batch size, L2 rate).
Start trains with Keras as the shared long-work part does (Stop within one batch); while it
trains, the decision regions, each hidden neuron's own picture, the weights (line width and
style) and the training and test loss curves are redrawn a few times a second. "Show Keras
code" shows the exact code that trains the same model.

The pictures are computed in NumPy from the weights (no Keras call, no matplotlib), so the first
screen needs no TensorFlow: it shows the untrained network, whose weights Start hands to Keras.

Example:
    >>> from nnteach.widgets import PlaygroundView
    >>> view = PlaygroundView(dataset="circles", hidden_layers=(4, 2), activation="tanh")
    >>> view.state, view.epoch, view.frames
    ('idle', 0, 1)
    >>> view.hidden_layers = (9,)
    Traceback (most recent call last):
    ...
    nnteach.widgets._errors.NNTeachValueError: Expected 1 to 8 neurons per hidden layer. Received 9; use a smaller number.
    >>> view.close()
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

import traitlets

from nnteach import _playground_draw as draw
from nnteach._playground_net import (
    Weights,
    accuracy,
    cross_entropy,
    forward,
    grid_points,
    initial_weights,
    weights_from_keras,
)
from nnteach._playground_train import PlaygroundJob
from nnteach.i18n import _
from nnteach.playground import ACTIVATIONS, DATASETS, NetworkSettings, PlaneData, make_dataset
from nnteach.weights import rgb_to_png
from nnteach.widgets._base import Choice, NNTeachValueError, NNTeachWidget, hold
from nnteach.widgets._long_work import LongWork, progress_trait, state_trait
from nnteach.widgets._playground_controls import build_controls

__all__ = ["PlaygroundView"]

_DATA_TRAITS = ("dataset", "classes", "noise", "train_fraction", "points", "data_seed")
_NETWORK_TRAITS = ("hidden_layers", "activation")
_TRAINING_TRAITS = ("learning_rate", "batch_size", "l2")


def _whole(units: Any) -> Any:
    """A link's "4,2" arrives as floats: whole numbers become ints, anything else is left to the check."""
    return int(units) if isinstance(units, float) and units.is_integer() else units


class PlaygroundView(NNTeachWidget):
    """A network learning a 2-D pattern, with Start / Stop, live pictures and its Keras code.

    Stable parts: ``start_button``, ``stop_button``, ``reset_button``, ``code_button``, the
    control of each setting in ``controls`` (by trait name), and the pictures ``region_image``
    (PNG), ``points_picture``, ``network_picture`` and ``curves_picture`` (SVG in HTML).
    """

    #: What a teacher's link may set (``?playground.dataset=spiral&playground.hidden_layers=8,8``).
    shared_traits: ClassVar[tuple[str, ...]] = (*_DATA_TRAITS, *_NETWORK_TRAITS, *_TRAINING_TRAITS, "epochs", "seed")

    dataset = Choice(DATASETS, "xor", help="The data set: blobs, circles, xor or spiral.")
    classes = traitlets.Int(2, help="How many classes the points belong to: 2 or 3.")
    noise = traitlets.Float(0.0, help="Standard deviation of the noise added to each point (0 to 0.5).")
    train_fraction = traitlets.Float(0.5, help="The share of points used for training (0.1 to 0.9).")
    points = traitlets.Int(200, help="How many points (20 to 2000).")
    data_seed = traitlets.Int(0, help="Random seed of the points.")
    hidden_layers = traitlets.Tuple(default_value=(4,), help="Neurons per hidden layer, e.g. (4, 2); () for none.")
    activation = Choice(ACTIVATIONS, "tanh", help="Activation of the hidden layers.")
    learning_rate = traitlets.Float(0.03, help="Adam's learning rate.")
    batch_size = traitlets.Int(10, help="Points per batch.")
    l2 = traitlets.Float(0.0, help="L2 regularisation rate of every kernel (0: none).")
    epochs = traitlets.Int(100, help="Epochs each Start trains (Stop ends sooner).")
    seed = traitlets.Int(0, help="Random seed of the initial weights and the shuffling; Reset adds 1.")
    resolution = traitlets.Int(50, help="The decision-region grid is resolution × resolution points.")
    show_test = traitlets.Bool(False, help="Also draw the test points (hollow shapes).")

    state = state_trait()
    progress = progress_trait()
    epoch = traitlets.Int(0, read_only=True, help="Epochs trained since the weights were last reset.").tag(sync=True)
    train_loss = traitlets.Float(0.0, read_only=True, help="Cross-entropy on the training points now.")
    test_loss = traitlets.Float(0.0, read_only=True, help="Cross-entropy on the test points now.")
    train_accuracy = traitlets.Float(0.0, read_only=True, help="Share of training points classified right now.")
    test_accuracy = traitlets.Float(0.0, read_only=True, help="Share of test points classified right now.")
    loss_history = traitlets.Tuple(read_only=True, help="(training loss, test loss) after each epoch, oldest first.")
    batches = traitlets.Int(0, read_only=True, help="Batches trained since the weights were last reset.")
    frames = traitlets.Int(0, read_only=True, help="How many times the pictures were drawn (for tests and benchmarks).")
    keras_code = traitlets.Unicode("", read_only=True, help="Runnable Keras code for this data, model and training.")
    weights = traitlets.Any(read_only=True, help="The current weights: a list of (kernel, bias) NumPy arrays.")
    model = traitlets.Any(None, read_only=True, help="The Keras model trained last (None before the first Start).")

    def __init__(self, *, refresh_seconds: float = 0.15, **kwargs: Any) -> None:
        super().__init__()
        self.add_class("nnteach-playground")
        self.refresh_seconds = refresh_seconds
        self.draw_seconds = 0.0  # kernel time spent drawing, for the benchmark
        self._data: PlaneData | None = None
        self._job: PlaygroundJob | None = None
        self._built_for: NetworkSettings | None = None
        self._last_frame = 0.0
        self._work = LongWork(
            self, prepare=self._prepare, finish=self._finish, css="nnteach-playground", finish_text=_("Drawing…")
        )
        self.start_button, self.stop_button = self._work.start_button, self._work.stop_button
        parts = build_controls(self, self._work)
        self.controls, self.reset_button, self.code_button = parts.controls, parts.reset_button, parts.code_button
        self._parts = parts
        self.region_image, self.points_picture = parts.region, parts.points
        self.network_picture, self.curves_picture = parts.network, parts.curves
        with self.render_once():
            for name, value in kwargs.items():
                setattr(self, name, value)
            self._new_data()

    # -- validation ------------------------------------------------------------------------------
    @traitlets.validate(*_DATA_TRAITS, *_NETWORK_TRAITS, *_TRAINING_TRAITS, "epochs", "resolution")
    def _valid(self, proposal: Any) -> Any:
        name, value = proposal["trait"].name, proposal["value"]
        work = getattr(self, "_work", None)
        if work is not None and work.busy and name not in ("epochs",):
            raise NNTeachValueError(
                _(
                    "Expected the playground stopped before {name} changes. Received {name}={value} while it trains; press Stop first."
                ).format(name=name, value=f"{value!r}")
            )
        try:
            if name in _DATA_TRAITS:
                self._dataset_with(**{name: value})
            elif name in (*_NETWORK_TRAITS, *_TRAINING_TRAITS):
                settings = self._settings_with(**{name: value})
                value = settings.hidden if name == "hidden_layers" else getattr(settings, name)
            elif not (isinstance(value, int) and (1 <= value <= 1000 if name == "epochs" else 10 <= value <= 100)):
                limits = "1 to 1000" if name == "epochs" else "10 to 100"
                raise ValueError(
                    _("Expected {name} from {limits}. Received {value}; try the default.").format(
                        name=name, limits=limits, value=f"{value!r}"
                    )
                )
        except ValueError as error:
            raise NNTeachValueError(str(error)) from None
        return value

    def _dataset_with(self, **change: Any) -> PlaneData:
        settings = {name: getattr(self, name) for name in _DATA_TRAITS} | change
        seed = settings.pop("data_seed")
        return make_dataset(settings.pop("dataset"), seed=seed, **settings)

    def _settings_with(self, **change: Any) -> NetworkSettings:
        values = {name: getattr(self, name) for name in (*_NETWORK_TRAITS, *_TRAINING_TRAITS, "classes")} | change
        values["hidden"] = tuple(_whole(units) for units in values.pop("hidden_layers"))
        return NetworkSettings(**values)

    @property
    def settings(self) -> NetworkSettings:
        """The network and its training settings, as data (the same ones ``keras_code`` shows)."""
        return self._settings_with()

    @property
    def data(self) -> PlaneData:
        """The points now shown: training and test, with labels."""
        if self._data is None:
            self._data = self._dataset_with()
        return self._data

    # -- reactions ----------------------------------------------------------------------------------
    @traitlets.observe(*_DATA_TRAITS)
    def _on_data(self, _change: Any) -> None:
        with self.render_once():
            self._new_data()

    @traitlets.observe(*_NETWORK_TRAITS, "seed")
    def _on_network(self, _change: Any) -> None:
        with self.render_once():
            self._reset_weights()

    @traitlets.observe(*_TRAINING_TRAITS, "epochs", "resolution", "show_test")
    def _on_other(self, _change: Any) -> None:
        with self.render_once():
            pass

    def _new_data(self) -> None:
        self._data = self._dataset_with()
        self._reset_weights()

    def _reset_weights(self) -> None:
        self.set_trait("weights", initial_weights(self.settings, self.seed))
        self.set_trait("epoch", 0)
        self.set_trait("batches", 0)
        self.set_trait("loss_history", ())
        self._built_for = None  # the next Start builds a model with these weights

    def reset(self) -> None:
        """New random initial weights (``seed`` + 1); the data stay."""
        self.seed += 1

    def _render(self) -> None:
        self._measure()
        self._draw()
        data_call = self._data_call()
        self.set_trait("keras_code", self.settings.keras_code(data_call, self.epochs))
        self._parts.show_code(self.keras_code)
        self._parts.show_points(self.data, self.show_test)

    def _data_call(self) -> str:
        return (
            f'make_dataset("{self.dataset}", points={self.points}, classes={self.classes}, noise={self.noise!r}, '
            f"train_fraction={self.train_fraction!r}, seed={self.data_seed})"
        )

    # -- pictures -----------------------------------------------------------------------------------
    def _measure(self) -> None:
        weights: Weights = self.weights
        data = self.data
        train = forward(weights, self.activation, data.x_train)[-1]
        test = forward(weights, self.activation, data.x_test)[-1]
        self.set_trait("train_loss", cross_entropy(train, data.y_train))
        self.set_trait("test_loss", cross_entropy(test, data.y_test))
        self.set_trait("train_accuracy", accuracy(train, data.y_train))
        self.set_trait("test_accuracy", accuracy(test, data.y_test))

    def _draw(self) -> None:
        began = time.perf_counter()
        resolution, small = self.resolution, max(self.resolution // 2, 10)
        region = rgb_to_png(
            draw.region_rgb(forward(self.weights, self.activation, grid_points(resolution))[-1], resolution)
        )
        grid = grid_points(small)
        *hidden, output = forward(self.weights, self.activation, grid)
        columns = [[rgb_to_png(draw.neuron_rgb(grid[:, axis], small)) for axis in (0, 1)]]
        columns += [
            [rgb_to_png(draw.neuron_rgb(layer[:, unit], small)) for unit in range(layer.shape[1])] for layer in hidden
        ]
        columns.append([rgb_to_png(draw.region_rgb(output, small))])
        layer = _("layer {number}")
        titles = ["x₁, x₂", *(layer.format(number=n + 1) for n in range(len(hidden))), _("output")]
        network = draw.network_svg(columns, self.weights, titles)
        history = self.loss_history
        curves = draw.curves_svg([train for train, _ in history], [test for _, test in history])
        self._parts.show_frame(region, network, curves, self._summary())
        self.set_trait("frames", self.frames + 1)
        self._last_frame = time.perf_counter()
        self.draw_seconds += self._last_frame - began

    def _summary(self) -> str:
        return _(
            "Epoch {epoch} · training loss {train_loss}, test loss {test_loss} · test accuracy {test_accuracy} (training {train_accuracy})"
        ).format(
            epoch=self.epoch,
            train_loss=f"{self.train_loss:.3f}",
            test_loss=f"{self.test_loss:.3f}",
            test_accuracy=f"{self.test_accuracy:.0%}",
            train_accuracy=f"{self.train_accuracy:.0%}",
        )

    # -- training -----------------------------------------------------------------------------------
    def _prepare(self) -> PlaygroundJob:
        settings = self.settings
        key = settings  # the data and the weights changing set _built_for to None
        if self.model is None or self._built_for != key:
            model = settings.build_keras()
            model.set_weights([array for pair in self.weights for array in pair])
            self.set_trait("model", model)
            self._built_for = key
        self._job = PlaygroundJob(
            self.model,
            self.data,
            batch_size=self.batch_size,
            epochs=self.epochs,
            seed=self.seed * 1000 + self.epoch,
            on_batch=self._on_batch,
            on_epoch=self._on_epoch,
        )
        self._work.show_progress(_("Training {epochs} epochs…").format(epochs=self.epochs), 0, self.epochs)
        return self._job

    def _on_batch(self) -> None:
        self.set_trait("batches", self.batches + 1)
        if time.perf_counter() - self._last_frame >= self.refresh_seconds:
            self._pull_weights()
            self.redraw()

    def _on_epoch(self) -> None:
        self.set_trait("epoch", self.epoch + 1)
        self._pull_weights()
        self._measure()
        self.set_trait("loss_history", (*self.loss_history, (self.train_loss, self.test_loss)))
        if self._job is not None:
            self._work.show_progress(
                _("Epoch {epochs_done} of {epochs}").format(epochs_done=self._job.epochs_done, epochs=self._job.epochs),
                self._job.epochs_done,
            )

    def _pull_weights(self) -> None:
        self.set_trait("weights", weights_from_keras(self.model))

    def _finish(self, _job: Any, stopped: bool) -> None:
        self._pull_weights()
        with hold(self):
            self._measure()
            self._draw()
        done = "Stopped" if stopped else "Done"
        self._work.show_progress(
            _("{done} after {epoch} epochs: test accuracy {test_accuracy}.").format(
                done=done, epoch=self.epoch, test_accuracy=f"{self.test_accuracy:.0%}"
            )
        )

    def redraw(self) -> None:
        """Measure the losses and draw every picture again from the current weights (one frame)."""
        with self.errors.guard(_("Could not draw the network.")):
            self._measure()
            self._draw()

    def start(self) -> Any:
        """Start training (as the Start button does); returns the asyncio task in Jupyter."""
        return self._work.start()

    def stop(self) -> None:
        """Stop before the next batch (as the Stop button does); what was learnt is kept."""
        self._work.stop()

"""Kernel side of the theme gallery: every public widget of ``nnteach.widgets.__all__``, shown with content.

``theme_gallery.ipynb`` calls :func:`show_every_widget`. Each widget is preceded by a heading
output (``.theme-gallery-heading`` with ``data-widget``) so the browser test can tell which
outputs belong to which widget; the widget itself is displayed as a learner would display it.
Names without a sample below are shown with their default constructor, so a new widget is in
the gallery the day it is added to ``__all__``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import numpy as np

import nnteach.widgets

DONE_TEXT = "{shown} of {total} widgets shown"


def _digit_grid() -> Any:
    rng = np.random.default_rng(0)
    images = rng.random((12, 28, 28)).astype(np.float32) ** 3
    labels = np.arange(12) % 10
    probabilities = np.full((12, 10), 0.01, dtype=np.float32)
    guesses = labels.copy()
    guesses[[2, 7]] = (labels[[2, 7]] + 3) % 10  # two wrong guesses: their captions are marked
    probabilities[np.arange(12), guesses] = 0.91
    return nnteach.widgets.DigitGrid(
        images, labels=labels, probabilities=probabilities, rows=2, columns=6, title="Twelve guesses, two wrong"
    )


def _digit_image() -> Any:
    rng = np.random.default_rng(1)
    return nnteach.widgets.DigitImage(rng.integers(0, 256, (3, 28, 28), dtype=np.uint8), labels=[4, 1, 7], index=2)


def _error_area() -> Any:
    area = nnteach.widgets.ErrorArea()
    area.show("Expected a number for the learning rate. Received 'abc'; type e.g. 0.01.", details="ValueError: abc")
    return area


def _plot_image() -> Any:
    plot = nnteach.widgets.PlotImage(width_inches=4.0, height_inches=2.5)
    axes = plot.figure.add_subplot()
    axes.plot([1, 2, 3, 4], [0.9, 0.5, 0.35, 0.3], marker="o", label="training loss")
    axes.set(title="Loss per epoch", xlabel="epoch", ylabel="loss")
    axes.legend()
    plot.refresh()
    return plot


def _probability_bars() -> Any:
    from nnteach.softmax import softmax

    logits = [0.5, -1.0, 1.0, 2.0, -0.5, 0.0, -2.0, 3.0, 0.0, 1.5]
    return nnteach.widgets.ProbabilityBars(values=softmax(logits), true_class=3, title="A guess for a picture of a 3")


def _packaged_softmax() -> Any:
    from nnteach.models import reference_softmax_regression

    return reference_softmax_regression()


# Content that exercises each widget's text (markers, wrong guesses, errors); the rest use defaults.
SAMPLES: dict[str, Callable[[], Any]] = {
    "ActivationExplorer": lambda: nnteach.widgets.ActivationExplorer(
        selected=("step", "sigmoid", "relu"), show_derivative=True
    ),
    "ConfusionMatrix": lambda: nnteach.widgets.ConfusionMatrix(matrix=np.array([[50, 3, 1], [2, 40, 8], [0, 5, 45]])),
    "DigitGrid": _digit_grid,
    "DigitImage": _digit_image,
    "ErrorArea": _error_area,
    "HandwritingCheck": lambda: nnteach.widgets.HandwritingCheck(nnteach.widgets.DigitCanvas()),
    "LayerStackBuilder": lambda: nnteach.widgets.LayerStackBuilder("mlp"),
    "PipelineToggle": lambda: nnteach.widgets.PipelineToggle(nnteach.widgets.DigitCanvas()),
    "LinkToView": lambda: nnteach.widgets.LinkToView({"neuron": nnteach.widgets.NeuronView()}),
    "OneHotSoftmaxView": lambda: nnteach.widgets.OneHotSoftmaxView(logits=[2, -1, 1, 1]),
    "PlotImage": _plot_image,
    "ProbabilityBars": _probability_bars,
    "RunComparison": lambda: nnteach.widgets.RunComparison(metric="val_accuracy", epochs=1, subset=1000),
    "RunLogFiles": lambda: nnteach.widgets.RunLogFiles(
        nnteach.widgets.RunComparison(metric="val_accuracy", epochs=1, subset=1000)
    ),
    "ShareRow": lambda: nnteach.widgets.ShareRow("Share your digit with the class", lambda _session: "Shared."),
    "TrainingMonitor": lambda: nnteach.widgets.TrainingMonitor(epochs=1, subset=1000),
    "WeightTemplates": lambda: nnteach.widgets.WeightTemplates(model=_packaged_softmax(), title="Packaged templates"),
}


def public_widgets() -> list[str]:
    """The names in ``nnteach.widgets.__all__`` that are widget classes (helpers like ``page_links`` are not)."""
    import ipywidgets

    names = []
    for name in nnteach.widgets.__all__:
        value = getattr(nnteach.widgets, name)
        if isinstance(value, type) and issubclass(value, ipywidgets.DOMWidget):
            names.append(name)
    return names


def sample(name: str) -> Any:
    """The gallery's instance of public widget ``name`` (its sample, else its default constructor)."""
    factory = SAMPLES.get(name) or getattr(nnteach.widgets, name)
    return factory()


def show_every_widget() -> list[Any]:
    """Display a heading and a sample of every public widget; return the widgets shown."""
    from IPython.display import HTML, display

    shown: list[Any] = []
    names = public_widgets()
    for name in names:
        display(HTML(f'<h3 class="theme-gallery-heading" data-widget="{name}">{html.escape(name)}</h3>'))
        try:
            widget = sample(name)
        except Exception as error:  # noqa: BLE001 - the test reports the widget that could not be shown
            print(f"theme gallery: could not show {name}: {type(error).__name__}: {error}")  # noqa: T201 - kernel-written text the test reads
            continue
        display(widget)
        shown.append(widget)
    print("theme gallery:", DONE_TEXT.format(shown=len(shown), total=len(names)))  # noqa: T201 - the text the test waits on
    return shown

"""``InsideView``: a drawing inside the network — the hidden outputs, the neurons that decided, the scores.

For the tutorials' MLP (one hidden layer): the 128 hidden neurons' outputs as a strip (8 rows
of 16, brighter is larger), the 10 neurons that added most to the answer's score (output ×
weight to that class, :func:`nnteach.explain.contributions`) with their weight pictures, and
the output probabilities as bars.

Example:
    >>> import numpy as np
    >>> from nnteach.widgets import InsideView
    >>> view = InsideView()
    >>> one = np.zeros((28, 28), np.float32); one[6:22, 13:16] = 1.0
    >>> view.image = one
    >>> len(view.activations), len(view.top_units), view.prediction
    (128, 10, 1)
    >>> view.close()
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
from numpy.typing import NDArray
from traitlets import Int, Tuple, Unicode

from nnteach.explain import contributions, first_layer_images, hidden_activations, logits
from nnteach.i18n import _
from nnteach.images import array_to_png
from nnteach.softmax import softmax
from nnteach.widgets._follows_drawing import FollowsDrawing
from nnteach.widgets.probability_bars import ProbabilityBars
from nnteach.widgets.weight_templates import WeightTemplates

__all__ = ["InsideView"]

TOP = 10


class InsideView(FollowsDrawing):
    """The hidden layer's outputs for the drawing, the ``TOP`` neurons that added most, and the scores.

    Read-only: ``activations`` (128 hidden outputs), ``top_units`` (neuron numbers, largest
    contribution first), ``top_contributions``, ``prediction``, ``probabilities``, ``summary``.
    Parts: ``strip_picture``, ``templates`` (a WeightTemplates), ``bars`` (ProbabilityBars).
    """

    activations = Tuple(read_only=True, help="The first hidden layer's outputs for the drawing.")
    top_units = Tuple(read_only=True, help="The neurons that added most to the answer's score, largest first.")
    top_contributions = Tuple(read_only=True, help="What each of `top_units` added: output × weight to the answer.")
    prediction = Int(None, allow_none=True, read_only=True, help="The network's answer (None: no drawing).")
    probabilities = Tuple(read_only=True, help="The 10 output probabilities.")
    summary = Unicode("", read_only=True, help="The sentence above the pictures.")

    def __init__(self, model: Any = None) -> None:
        super().__init__()
        self.add_class("nnteach-inside")
        self.strip_picture = widgets.Image(format="png")
        self.strip_picture.add_class("nnteach-inside-strip")
        self.templates = WeightTemplates()  # scale set after: WeightTemplates draws before its parts exist
        self.bars = ProbabilityBars(title=_("What the network answers"))
        self._summary = widgets.HTML()
        self._summary.add_class("nnteach-inside-summary")
        strip_note = widgets.HTML(
            _(
                "<span class='nnteach-note'>The 128 hidden neurons (8 rows of 16, neuron 0 top left): darker means a larger output; white means 0.</span>"
            )
        )
        self.compose(self._summary, strip_note, self.strip_picture, self.templates, self.bars, self.errors)
        with self.render_once():
            self.model = model

    def _show(self, image: NDArray[np.float32]) -> None:
        scores = logits(self.model, image)
        answer = int(np.argmax(scores))
        hidden = hidden_activations(self.model, image)[0]
        parts = contributions(self.model, image, answer)
        top = np.argsort(-parts, kind="stable")[:TOP]
        largest = float(hidden.max()) or 1.0
        strip = (1.0 - np.pad(hidden / largest, (0, (-len(hidden)) % 16)).reshape(-1, 16)).astype(np.float32)
        self.strip_picture.value = array_to_png(strip, scale=12, grid=True)
        kernel = first_layer_images(self.model).reshape(len(hidden), 784).T
        with self.templates.render_once():
            self.templates.scale = 2
            self.templates.model = kernel[:, top]
            self.templates.captions = tuple(f"#{unit}: +{parts[unit]:.2f}" for unit in top)
            self.templates.max_shown = TOP
            self.templates.title = _("The {TOP} neurons that added most to the score of {answer}").format(
                TOP=TOP, answer=answer
            )
        probabilities = softmax(scores).astype(float)
        self.bars.values = tuple(probabilities)
        for name, value in (
            ("activations", tuple(float(v) for v in hidden)),
            ("top_units", tuple(int(unit) for unit in top)),
            ("top_contributions", tuple(float(parts[unit]) for unit in top)),
            ("prediction", answer),
            ("probabilities", tuple(float(p) for p in probabilities)),
        ):
            self.set_trait(name, value)
        active = int((hidden > 0).sum())
        self._say(
            _(
                "{active} of {len} hidden neurons answer this drawing (output above 0). The network reads {answer} with probability {probabilities}."
            ).format(active=active, len=len(hidden), answer=answer, probabilities=f"{probabilities[answer]:.0%}")
        )

    def _show_empty(self) -> None:
        self.strip_picture.value = array_to_png(np.ones((8, 16), np.float32), scale=12, grid=True)
        for name in ("activations", "top_units", "top_contributions", "probabilities"):
            self.set_trait(name, ())
        self.set_trait("prediction", None)
        self._say(_("Draw a digit to see it inside the network."))

    def _say(self, sentence: str) -> None:
        self.set_trait("summary", sentence)
        self._summary.value = f"<span class='nnteach-note'>{html.escape(sentence)}</span>"

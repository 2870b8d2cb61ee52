"""What OneHotSoftmaxView shows: its child widgets, and each sentence as plain text and as HTML.

Plain text is what lessons and tests read (``view.loss_text``); the HTML adds emphasis and the
classes the page's stylesheet styles. Nothing here computes maths or wires callbacks: the view
passes numbers in and connects the controls.

Example:
    >>> text, markup = loss_sentence(1, 0.5, 0.6931)
    >>> text
    'Cross-entropy against label 1 = −log(p of the true class) = −log(0.500) = 0.693'
    >>> "nnteach-loss-value" in markup
    True
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from nnteach.i18n import N_, _
from nnteach.numbers import fixed
from nnteach.softmax import MAX_CLASSES, MIN_CLASSES
from nnteach.widgets.probability_bars import ProbabilityBars

__all__ = [
    "Parts",
    "digit_sentence",
    "label_picker",
    "logit_sliders",
    "loss_sentence",
    "one_hot_html",
    "refused",
    "twice_sentence",
]

SLIDER_RANGE = 10.0


def _classed(widget: widgets.DOMWidget, css_class: str) -> widgets.DOMWidget:
    widget.add_class(css_class)
    return widget


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f'<div class="nnteach-heading">{html.escape(text)}</div>')


def _mode_picker() -> widgets.ToggleButtons:
    return widgets.ToggleButtons(
        options=[(_("Type logits"), "logits"), (_("From a real digit"), "digit")], value="logits"
    )


def _digit_index() -> widgets.BoundedIntText:
    return widgets.BoundedIntText(
        0, min=0, max=9999, description=_("Test image #"), style={"description_width": "initial"}
    )


def _logits_text() -> widgets.Text:
    return widgets.Text(
        description=_('Logits'), placeholder="2, -1, 1, 1", continuous_update=False,
        layout={"width": "32em"}, style={"description_width": "initial"},
    )  # fmt: skip


def _temperature() -> widgets.FloatLogSlider:
    return widgets.FloatLogSlider(
        1.0, base=10, min=-1, max=1, step=0.001, description=_('Temperature'), readout_format=".2f",  # 5 stays 5.00
        style={"description_width": "initial"},
    )  # fmt: skip


def _twice_switch() -> widgets.Checkbox:
    description = _("Show softmax applied twice (a from_logits mistake)")
    return widgets.Checkbox(False, description=description, indent=False, layout={"width": "auto"})


@dataclass
class Parts:
    """The view's child widgets, each with the CSS class the stylesheet and the browser tests use."""

    mode: widgets.ToggleButtons = field(default_factory=lambda: _classed(_mode_picker(), "nnteach-mode"))
    digit_index: widgets.BoundedIntText = field(default_factory=lambda: _classed(_digit_index(), "nnteach-digit-index"))
    digit_image: widgets.Image = field(
        default_factory=lambda: _classed(widgets.Image(format="png", width=140, height=140), "nnteach-digit-image")
    )
    digit_note: widgets.HTML = field(default_factory=lambda: _classed(widgets.HTML(), "nnteach-digit-note"))
    label: widgets.ToggleButtons = field(default_factory=widgets.ToggleButtons)
    label_box: widgets.HBox = field(default_factory=widgets.HBox)
    one_hot: widgets.HTML = field(default_factory=lambda: _classed(widgets.HTML(), "nnteach-onehot-view"))
    logits: widgets.Text = field(default_factory=lambda: _classed(_logits_text(), "nnteach-logits-text"))
    sliders: widgets.HBox = field(default_factory=lambda: _classed(widgets.HBox(), "nnteach-logit-sliders"))
    temperature: widgets.FloatLogSlider = field(default_factory=lambda: _classed(_temperature(), "nnteach-temperature"))
    bars: ProbabilityBars = field(
        default_factory=lambda: ProbabilityBars(title=_("Probabilities: softmax(logits / temperature)"))
    )
    loss: widgets.HTML = field(default_factory=lambda: _classed(widgets.HTML(), "nnteach-loss-view"))
    twice: widgets.Checkbox = field(default_factory=lambda: _classed(_twice_switch(), "nnteach-twice-switch"))
    twice_bars: ProbabilityBars = field(
        default_factory=lambda: _classed(
            ProbabilityBars(title=_("What a loss with from_logits=True sees: softmax(softmax(z))")),
            "nnteach-twice-bars",
        )
    )
    twice_note: widgets.HTML = field(default_factory=lambda: _classed(widgets.HTML(), "nnteach-twice-note-view"))

    def __post_init__(self) -> None:
        self.label_box.children = (self.label,)
        self.digit_box = widgets.VBox(
            [self.digit_index, widgets.HBox([self.digit_image, self.digit_note])], layout=widgets.Layout(display="none")
        )
        self.twice_box = widgets.VBox([self.twice_bars, self.twice_note], layout=widgets.Layout(display="none"))

    def page(self) -> tuple[widgets.Widget, ...]:
        """The parts in page order (the error area and stylesheet are the view's)."""
        return (
            self.mode, self.digit_box,
            _heading(_('1. The true label, as a one-hot vector')), self.label_box, self.one_hot,
            _heading(_('2. The logits (raw scores): drag a slider or type them')),
            self.logits, self.sliders, self.temperature,
            _heading(_('3. Softmax turns logits into probabilities')),
            self.bars, self.loss, self.twice, self.twice_box,
        )  # fmt: skip


def label_picker(count: int, label: int | None) -> widgets.ToggleButtons:
    """Buttons 0 .. count-1; a new widget for each class count (its front end keeps stale buttons otherwise)."""
    picker = widgets.ToggleButtons(
        options=[(str(index), index) for index in range(count)], value=label, style={"button_width": "2.6em"}
    )
    return _classed(picker, "nnteach-label-picker")


def logit_sliders(count: int) -> tuple[widgets.FloatSlider, ...]:
    """One vertical slider per class, from -10 to 10 (the view widens them for larger logits)."""
    shape = {"orientation": "vertical", "readout_format": ".1f", "layout": {"width": "3.4em", "height": "170px"}}
    sliders = (
        widgets.FloatSlider(0.0, min=-SLIDER_RANGE, max=SLIDER_RANGE, step=0.1, description=str(index), **shape)
        for index in range(count)
    )
    return tuple(_classed(slider, "nnteach-logit-slider") for slider in sliders)


UNKNOWN_LOSS = N_(
    "The true label is unknown: pick it above to see the loss (no loss is computed against a guess)."
)  # shown translated


def one_hot_html(label: int | None, count: int) -> str:
    """The one-hot cells of ``label`` among ``count`` classes (all 0 and a note when the label is unknown)."""
    cells = "".join(
        f'<span class="nnteach-onehot-cell{" nnteach-onehot-on" if index == label else ""}" role="listitem">'
        f'<span class="nnteach-onehot-bit">{1 if index == label else 0}</span>'
        f'<span class="nnteach-onehot-index">{index}</span></span>'
        for index in range(count)
    )
    if label is None:
        return _(
            '<div class="nnteach-onehot" role="list" aria-label="no one-hot vector: label unknown">{cells}</div><div class="nnteach-note">label unknown → no one-hot vector yet: pick the true class.</div>'
        ).format(cells=cells)
    vector = ", ".join("1" if index == label else "0" for index in range(count))
    return _(
        '<div class="nnteach-onehot" role="list" aria-label="one-hot vector for label {label}">{cells}</div>'
        '<div class="nnteach-note">label {label} → [{vector}]</div>'
    ).format(label=label, cells=cells, vector=vector)


def loss_sentence(label: int | None, p_true: float | None, loss: float | None) -> tuple[str, str]:
    """The cross-entropy written out, as (text, html)."""
    if label is None or p_true is None or loss is None:
        return _(UNKNOWN_LOSS), '<div class="nnteach-loss">' + html.escape(_(UNKNOWN_LOSS)) + "</div>"
    start = _("Cross-entropy against label {label} = −log(p of the true class) = −log({p_true}) = ").format(
        label=label, p_true=f"{p_true:.3f}"
    )
    shown = fixed(loss, 3)  # −log(1.000) is 0.000, not "-0.000"
    return (
        f"{start}{shown}",
        f'<div class="nnteach-loss">{start}<span class="nnteach-loss-value">{shown}</span></div>',
    )


def twice_sentence(
    count: int, p_twice: float | None, twice_loss: float | None, loss: float | None, floor: float
) -> tuple[str, str]:
    """The from_logits mistake explained with the numbers, as (text, html)."""
    if p_twice is None or twice_loss is None or loss is None:
        numbers = numbers_html = _("With the true label unknown there is no loss to compare yet.")
    else:
        numbers = _(
            "The loss then sees p = {p_twice} for the true class and reports {twice_loss} instead of {loss}."
        ).format(p_twice=f"{p_twice:.3f}", twice_loss=f"{twice_loss:.3f}", loss=f"{loss:.3f}")
        numbers_html = numbers.replace(
            f"reports {twice_loss:.3f}", f'reports <span class="nnteach-twice-loss">{twice_loss:.3f}</span>'
        )
    before = _(
        "A model whose last layer already applies softmax, trained with from_logits=True, gets softmax applied twice."
    )
    after = _(
        "Even a perfect prediction cannot score below log(1 + {value}/e) = {floor}, so training gets only weak signals. Use from_logits=False with a softmax layer, or drop the softmax and keep from_logits=True."
    ).format(value=count - 1, floor=f"{floor:.3f}")
    markup = before.replace("from_logits=True", "<code>from_logits=True</code>")
    return f"{before} {numbers} {after}", f'<div class="nnteach-twice-note">{markup} {numbers_html} {after}</div>'


def digit_sentence(
    model: str, returned_logits: bool, index: int | None, *, top: int, p_top: float, label: int | None
) -> tuple[str, str]:
    """What the model said about the digit shown, as (text, html)."""
    source = _("MNIST test image {index}").format(index=index) if index is not None else _("this drawing")
    returned = _("logits (softmaxed here)") if returned_logits else "probabilities"
    name = model[:1].upper() + model[1:]
    truth = (
        _("The true label is {label}.").format(label=label)
        if label is not None
        else _("The true label is unknown: pick the digit you drew as the label.")
    )
    text = _(
        "{name} returned {returned} for {source}: it says {top} (p = {p_top}). {truth} The logits below are log p: softmax turns them back into the model's probabilities."
    ).format(name=name, returned=returned, source=source, top=top, p_top=f"{p_top:.3f}", truth=truth)
    markup = html.escape(text).replace(f"it says {top} ", f"it says <b>{top}</b> ")
    if label is not None:
        markup = markup.replace(f"The true label is {label}.", f"The true label is <b>{label}</b>.")
    return text, f'<div class="nnteach-note">{markup}</div>'


_REFUSED = {
    "count": N_(
        "OneHotSoftmaxView expects {low} to {high} classes. Received {name}={count}; "
        "type between 2 and 20 logits, e.g. 2, -1, 1, 1."
    ),
    "label": N_(
        "OneHotSoftmaxView expects a label from 0 to {last}. Received label={label}; pick one of the classes shown."
    ),
    "temperature": N_(
        "OneHotSoftmaxView expects a positive temperature. Received temperature={temperature}; use e.g. 1.0."
    ),
}


def refused(what: str, **values: Any) -> str:
    """OneHotSoftmaxView's sentence refusing a class count, label or temperature, in the page's language."""
    return _(_REFUSED[what]).format(low=MIN_CLASSES, high=MAX_CLASSES, **values)

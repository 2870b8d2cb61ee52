"""DigitCanvas' example row: label a drawing, keep it, save and load the examples (a mixin).

The examples themselves are :class:`nnteach.examples.ExampleSet` (logic, no widgets); this
part only wires the row's controls to it and keeps the widget's example traits current.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from nnteach.examples import ExampleSet, NameTaken
from nnteach.i18n import _, ngettext
from nnteach.widgets._base import NNTeachValueError
from nnteach.widgets.share_row import ShareRow

__all__ = ["NO_LABEL", "ExampleRow"]

NO_LABEL = -1  # the label picker's "pick…" entry (a Dropdown shows a None value as blank)


class ExampleRow(traitlets.HasTraits):
    """Mixin for DigitCanvas: the ``label``/``examples_file`` traits, example methods and their row."""

    label = traitlets.Int(
        None, allow_none=True, help="The true digit picked in 'It is a' for the next example; None until picked."
    ).tag(sync=True)
    examples_file = traitlets.Unicode(
        "my-digits", help="Name of the examples file in the work folder, for Save examples / Load examples."
    ).tag(sync=True)
    example_count = traitlets.Int(0, read_only=True, help="How many examples are kept.").tag(sync=True)
    examples_summary = traitlets.Unicode(
        "0 examples", read_only=True, help="The examples line, e.g. 'Saved to x.npz. 2 examples (0: 1, 1: 1)'."
    )

    # Provided by the widget this is mixed into.
    image: Any
    _controls: dict[str, widgets.Widget]
    bind: Callable[..., widgets.Widget]
    _guarded: Callable[[Callable[[], Any]], None]

    @traitlets.validate("label")
    def _check_label(self, proposal: Any) -> int | None:
        value = proposal["value"]
        if value is not None and not 0 <= value <= 9:
            raise NNTeachValueError(
                _("Expected the true digit, 0 to 9. Received {value}; pick it in 'It is a'.").format(value=repr(value))
            )
        return value  # type: ignore[no-any-return]

    @property
    def examples(self) -> tuple[np.ndarray, np.ndarray]:
        """The saved examples as ``(images, labels)``: float32 ``(n, 28, 28)`` and uint8 ``(n,)``."""
        return self.example_set.arrays()

    def save_example(self, label: int) -> None:
        """Keep the current 28×28 image with its true ``label`` (0-9) among the examples."""
        if self.image is None:
            raise ValueError(_("Expected a drawn digit to save. Received an empty canvas; draw a digit first."))
        self.example_set.add(self.image, label)
        self._show_example_count()

    def save(self, name: str | None = None) -> Path:
        """Save the examples as ``<name>.npz`` in the learner's folder (atomically; default ``examples_file``).

        A name that holds a different set is refused (:class:`nnteach.examples.NameTaken`) and
        ``examples_file`` becomes the free name offered, so pressing Save examples again keeps both.
        """
        try:
            path = self.example_set.save(self.examples_file if name is None else name)
        except NameTaken as taken:
            self.examples_file = taken.suggestion
            said = _("The File box now says {name}.").format(name=repr(taken.suggestion))
            raise NameTaken(f"{taken} {said}", taken.suggestion) from None
        self._show_example_count(_("Saved to {name}.").format(name=path.name))
        return path

    def load(self, name: str | None = None) -> None:
        """Load examples saved with :meth:`save`; on any problem the current examples are kept."""
        name = self.examples_file if name is None else name
        self.example_set = ExampleSet.load(name)
        self._show_example_count(_("Loaded {name}.").format(name=name.strip().removesuffix(".npz") + ".npz"))

    def share_with_class(self, session: Any) -> str:
        """Share the drawing with its true label into the class's digits; return what happened."""
        if self.image is None:
            raise ValueError(_("Expected a drawn digit to share. Received an empty canvas; draw a digit first."))
        if self.label is None:
            raise ValueError(_("Expected the true digit of the drawing. Received none; pick it in 'It is a' first."))
        pixels = np.rint(np.clip(np.asarray(self.image, np.float64), 0.0, 1.0) * 255).astype(np.uint8)
        entry = session.share_digit(self.label, pixels)
        return _("Shared your {digit} with the class (entry {entry}).").format(digit=self.label, entry=entry)

    def _build_example_row(self) -> widgets.VBox:
        self.example_set = ExampleSet()
        label = widgets.Dropdown(
            options=[(_("pick…"), NO_LABEL)] + [(str(d), d) for d in range(10)], description=_("It is a")
        )
        label.layout.width = "13em"
        save_example = widgets.Button(description=_("Save as example"))
        file = widgets.Text(description=_("File"), layout={"width": "16em"})
        save = widgets.Button(description=_("Save examples"))
        load = widgets.Button(description=_("Load examples"))
        parts = {"label": label, "save_example": save_example, "file": file, "save": save, "load": load}
        for name, control in parts.items():
            control.add_class(f"nnteach-{name.replace('_', '-')}")
        self._controls.update(parts)
        self.bind(
            label, "label", parse=lambda v: None if v == NO_LABEL else v, show=lambda v: NO_LABEL if v is None else v
        )
        self.bind(file, "examples_file")
        save_example.on_click(lambda _button: self._guarded(self._on_save_example))
        save.on_click(lambda _button: self._guarded(self.save))
        load.on_click(lambda _button: self._guarded(self.load))
        status = widgets.HTML()
        status.add_class("nnteach-examples-status")
        traitlets.dlink((self, "examples_summary"), (status, "value"))
        self._examples_view = status
        self._show_example_count()
        self.share_row = ShareRow(_("Share with class"), self.share_with_class)
        row = widgets.HBox(
            [label, save_example, file, save, load, status], layout={"flex_flow": "row wrap", "align_items": "center"}
        )
        return widgets.VBox([row, self.share_row])

    def _on_save_example(self) -> None:
        if self.label is None and self.image is not None:
            raise ValueError(_("Expected the true digit for this example. Received none; pick it in 'It is a' first."))
        self.save_example(NO_LABEL if self.label is None else self.label)
        self.label = None  # the next drawing gets its own label, not this one's

    def _show_example_count(self, prefix: str = "") -> None:
        counts = self.example_set.counts()
        detail = ", ".join(f"{digit}: {count}" for digit, count in counts.items())
        count = len(self.example_set)
        text = ngettext("{count} example", "{count} examples", count).format(count=count) + (
            f" ({detail})" if detail else ""
        )
        self.set_trait("example_count", count)
        self.set_trait("examples_summary", f"{prefix} {text}".strip())

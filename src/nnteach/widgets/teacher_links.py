"""``TeacherLinks``: compose a lesson link with checkboxes instead of typing a query string.

Pick a lesson; for each widget it names (``page_links(...)`` in the notebook) every shareable
setting gets a box (empty: the lesson's own value) and two checkboxes, hide and lock. **Make
link** writes the address — the values are checked by the lesson's widgets when the link opens.

Example:
    >>> panel = TeacherLinks()
    >>> panel.lesson in panel.lessons or not panel.lessons
    True
    >>> panel.close()
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

import ipywidgets as widgets
import traitlets

from nnteach.i18n import _
from nnteach.lesson_widgets import lesson_widget_classes
from nnteach.paths import lessons_dir
from nnteach.widgets._base import NNTeachWidget, close_tree, close_widget

__all__ = ["TeacherLinks"]


class TeacherLinks(NNTeachWidget):
    """Settings, hide and lock per widget of a lesson, and the link they make (see the module docstring).

    Traits: ``lesson`` (the lesson's notebook stem), ``lessons`` (read-only, the lessons with
    link names), ``projector`` (add ``projector=1``), ``link`` (read-only, the last link made).
    Stable part: ``rows`` — ``{"builder.preset": (value box, hide box, lock box), …}``.
    """

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    lesson = traitlets.Unicode("", help="The lesson the link opens (its notebook's name without .ipynb).")
    lessons = traitlets.Tuple(read_only=True, help="The lessons that name widgets for links.")
    projector = traitlets.Bool(False, help="Whether the link opens the page in projector mode.")
    link = traitlets.Unicode("", read_only=True, help="The last link made.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-teacher-links")
        found = {path.stem: lesson_widget_classes(path) for path in sorted(lessons_dir().glob("*.ipynb"))}
        self._catalogue = {stem: named for stem, named in found.items() if named}
        self.set_trait("lessons", tuple(self._catalogue))
        self.rows: dict[str, tuple[widgets.Text, widgets.Checkbox, widgets.Checkbox]] = {}
        self._picker = widgets.Dropdown(options=list(self._catalogue), description=_("Lesson"))
        self._settings = widgets.VBox()
        self._projector = widgets.Checkbox(description=_("Projector mode"), indent=False)
        self._make = widgets.Button(description=_("Make link"), icon="link", layout={"width": "auto"})
        self._make.on_click(lambda _button: self._make_clicked())
        self._output = widgets.Textarea(layout={"width": "100%", "height": "4em"}, description=_("Link"))
        self._output.add_class("nnteach-teacher-link")
        self.bind(self._picker, "lesson", show=lambda value: value or None, parse=lambda value: value or "")
        self.bind(self._projector, "projector")
        self.compose(
            self.errors, self._picker, self._settings, widgets.HBox([self._projector, self._make]), self._output
        )
        self.observe(lambda _change: self._show_settings(), names="lesson")
        if self._catalogue:
            self.lesson = next(iter(self._catalogue))  # shows its settings

    @traitlets.validate("lesson")
    def _valid_lesson(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value and value not in getattr(self, "_catalogue", {}):
            known = ", ".join(getattr(self, "_catalogue", {}))
            raise ValueError(
                _("Expected a lesson with link names. Received {value}; pick one of: {known}.").format(
                    value=f"{value!r:.60}", known=known
                )
            )
        return str(value)

    def _show_settings(self) -> None:
        import nnteach.widgets as public

        old_boxes = self._settings.children
        self.rows = {}
        boxes: list[widgets.Widget] = []
        for name, class_name in self._catalogue.get(self.lesson, {}).items():
            kind = getattr(public, class_name, None)
            traits = getattr(kind, "shared_traits", ())
            boxes.append(widgets.HTML(f'<div class="nnteach-heading">{name} ({class_name})</div>'))
            for trait in traits:
                key = f"{name}.{trait}"
                help_text = kind.class_traits()[trait].help if kind is not None else ""
                value = widgets.Text(placeholder=_("the lesson's own"), description=trait, tooltip=help_text)
                hide = widgets.Checkbox(description=_("hide"), indent=False, layout={"width": "6em"})
                lock = widgets.Checkbox(description=_("lock"), indent=False, layout={"width": "6em"})
                self.rows[key] = (value, hide, lock)
                boxes.append(widgets.HBox([value, hide, lock]))
        self._settings.children = tuple(boxes)
        for box in old_boxes:  # out of the page first, then closed: a view never waits for a closed model
            close_tree(box)
            close_widget(box)

    def make_link(self, host: str = "127.0.0.1", port: int = 8866) -> str:
        """The link for the chosen lesson and boxes (relative to the served lessons when host is empty)."""
        pairs: list[tuple[str, str]] = [("projector", "1")] if self.projector else []
        hide = [key for key, (_, hidden, _) in self.rows.items() if hidden.value]
        lock = [key for key, (_, _, locked) in self.rows.items() if locked.value]
        pairs += [(key, value.value.strip()) for key, (value, _, _) in self.rows.items() if value.value.strip()]
        if hide:
            pairs.append(("hide", ",".join(hide)))
        if lock:
            pairs.append(("lock", ",".join(lock)))
        query = urlencode(pairs, safe=",")
        address = f"http://{host}:{port}/voila/render/{self.lesson}.ipynb" if host else f"{self.lesson}.ipynb"
        link = f"{address}?{query}" if query else address
        self.set_trait("link", link)
        return link

    def _make_clicked(self) -> None:
        with self.errors.guard(_("Could not make the link.")):
            self._output.value = self.make_link(host="")

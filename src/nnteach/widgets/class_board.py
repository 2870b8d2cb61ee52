"""``ClassBoard``: everyone's training runs on one live board — who built what, and how well it did.

Best first (validation accuracy by default), the newest run marked "★ new", filtered by
lesson, refreshed by itself every few seconds when something changed. Names and model lines
are learners' text: always shown escaped. Teacher actions (remove a run) appear only when
the page was opened by the teacher (``teacher=True``, which the browser cannot set).

Example:
    >>> import tempfile
    >>> from nnteach.classroom import ClassStore, RunFigures
    >>> store = ClassStore(f"sqlite:///{tempfile.mkdtemp()}/class.db")
    >>> _ = store.join("hub:aiko", "Aiko <3")
    >>> _ = store.share_run("hub:aiko", RunFigures("04", {}, "Dense(10)", 7850, 3, 60000, 32, val_accuracy=0.92))
    >>> board = ClassBoard(store=store)
    >>> board.runs_shown, "Aiko &lt;3" in board.table_html
    (1, True)
    >>> board.close(); store.close()
"""

from __future__ import annotations

import html
import time
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach.classroom.board import BOARD_COLUMNS, SORT_KEYS, board_rows
from nnteach.i18n import _
from nnteach.widgets._base import Choice, NNTeachWidget
from nnteach.widgets._class_polling import ClassPolling

__all__ = ["ClassBoard"]


def _table(rows: list[Any], teacher: bool) -> str:
    head = "".join(f"<th>{html.escape(name)}</th>" for name in ("#", *BOARD_COLUMNS))
    if not rows:
        return _(
            '<div class="nnteach-note nnteach-board-empty">No runs shared yet. Press "Send to class board" after training.</div>'
        )
    body = []
    for place, row in enumerate(rows, start=1):
        marker = ' <span class="nnteach-board-new">★ new</span>' if row.newest else ""
        cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in row.cells)
        entry = f' <span class="nnteach-board-id">(run {row.run_id})</span>' if teacher else ""
        css = "nnteach-board-row nnteach-board-newest" if row.newest else "nnteach-board-row"
        body.append(f'<tr class="{css}"><td>{place}{marker}{entry}</td>{cells}</tr>')
    return f'<table class="nnteach-board"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


class ClassBoard(ClassPolling, NNTeachWidget):
    """A live, sortable board of the class's runs (see the module docstring).

    Traits: ``lesson`` filters (empty: every lesson); ``sort_by`` one of ``val_accuracy``,
    ``accuracy``, ``params``, ``newest``; ``refresh_seconds``; read-only outputs
    ``runs_shown``, ``table_html``, ``available``; ``teacher`` (set by the teacher page only).
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("lesson", "sort_by")

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    lesson = traitlets.Unicode("", help="Show only runs from this lesson (its notebook name); empty shows all.")
    sort_by = Choice(SORT_KEYS, "val_accuracy", help="Best first by: val_accuracy, accuracy, params or newest.")
    teacher = traitlets.Bool(False, help="Whether teacher actions show; set by the teacher page, never the browser.")
    runs_shown = traitlets.Int(0, read_only=True, help="How many runs the board shows.")
    class_counts = traitlets.Dict(read_only=True, help="How many learners, digits and runs the class space holds.")
    table_html = traitlets.Unicode("", read_only=True, help="The board's table as HTML (read it).")

    def __init__(
        self, *, store: Any = None, lesson: str = "", teacher: bool = False, refresh_seconds: float = 3.0, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("nnteach-class-board")
        if store is None:
            from nnteach.classroom import ClassStore

            store = ClassStore()
        self._init_polling(store)
        self._runs: list[Any] = []
        self._sort = widgets.ToggleButtons(
            options=[(_('Best val_accuracy'), "val_accuracy"), ("Accuracy", "accuracy"), ("Size", "params"),
                     ("Newest", "newest")],
            style={"button_width": "auto"},
        )  # fmt: skip
        self.bind(self._sort, "sort_by")
        self._table = widgets.HTML()
        self._counts = widgets.HTML()
        self._counts.add_class("nnteach-board-counts")
        self._remove_id = widgets.BoundedIntText(
            0, min=0, max=2**31 - 1, description=_("Run #"), layout={"width": "12em"}
        )
        self._remove = widgets.Button(description=_("Remove run"), icon="trash", layout={"width": "auto"})
        self._remove.on_click(self._on_remove)
        self._teacher_row = widgets.HBox([self._remove_id, self._remove], layout={"display": "none"})
        self.compose(self.errors, self._counts, self._sort, self._table, self._teacher_row)
        with self.render_once():
            self.lesson, self.teacher, self.refresh_seconds = lesson, teacher, refresh_seconds
        self.poll()
        self.start_polling()

    @traitlets.observe("lesson")
    def _on_lesson(self, _change: Any) -> None:
        self._stamp = None  # the filter changed: read again at once
        if hasattr(self, "_table"):
            self.poll()

    @traitlets.observe("sort_by", "teacher")
    def _on_view(self, _change: Any) -> None:
        if hasattr(self, "_table"):
            with self.render_once():
                pass

    def reload(self) -> None:
        """Read the class's runs again and redraw."""
        self._runs = self._store.runs(lesson=self.lesson or None)
        self.set_trait("class_counts", self._store.counts())
        with self.render_once():
            pass

    def _render(self) -> None:
        rows = board_rows(self._runs, sort_by=self.sort_by, now=time.time())
        self.set_trait("runs_shown", len(rows))
        self.set_trait("table_html", _table(rows, self.teacher))
        self._table.value = self.table_html
        self._teacher_row.layout.display = "flex" if self.teacher else "none"
        counts = self.class_counts or {"learners": 0, "digits": 0, "runs": 0}
        self._counts.value = _(
            '<div class="nnteach-heading nnteach-board-summary">{counts} learners · {counts2} shared digits · {counts3} runs</div>'
        ).format(counts=counts["learners"], counts2=counts["digits"], counts3=counts["runs"])

    def remove_run(self, run_id: int) -> bool:
        """Teacher action: remove a run from the board. Refused unless the page is the teacher's."""
        if not self.teacher:
            raise PermissionError(_("Only the teacher's page can remove runs from the class board."))
        removed = bool(self._store.remove_run(int(run_id), "teacher", teacher=True))
        self.poll()
        return removed

    def _on_remove(self, _button: Any) -> None:
        with self.errors.guard(_("Could not remove that run.")):
            if not self.remove_run(int(self._remove_id.value)):
                self.errors.show(
                    _("There is no run {int} on the board; check its number.").format(int=int(self._remove_id.value))
                )

"""The shape every nnteach widget shares: errors, one render per change, bound controls, close().

A widget subclasses :class:`NNTeachWidget` and gets

- ``errors``: the :class:`~nnteach.widgets._parts.ErrorArea` (one name in every widget);
- :meth:`~NNTeachWidget.render_once`: change many traits, recompute and redraw once
  (override :meth:`~NNTeachWidget._render`);
- :meth:`~NNTeachWidget.bind`: a control (slider, text box, picker) wired to a trait,
  through a parser, with bad input shown as one sentence in ``errors``;
- :meth:`~NNTeachWidget.compose`: set the children, with the page's one stylesheet first;
- :meth:`~NNTeachWidget.close`: releases the children, figures, observers and listeners it made;
- front-end writes only to the traits a learner may change (``frontend_writable``): a
  crafted ``comm_msg`` cannot set outputs or run state (``read_only`` alone does not stop
  ``Widget.set_state``).

:class:`NNTeachValueError` is the one error class for bad values: a ``ValueError`` (widgets
show its sentence) and a ``TraitError`` (held trait changes roll back).

Example:
    >>> import traitlets
    >>> class Doubler(NNTeachWidget):
    ...     value = traitlets.Float(1.0, help="The number to double.")
    ...     doubled = traitlets.Float(2.0, read_only=True, help="Twice `value`; computed.")
    ...     def _render(self):
    ...         self.set_trait("doubled", 2 * self.value)
    >>> widget = Doubler()
    >>> with widget.render_once():
    ...     widget.value = 3.0
    ...     widget.value = 4.0
    >>> widget.doubled, widget.render_count
    (8.0, 1)
    >>> widget.close()
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from importlib import resources
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach.i18n import _
from nnteach.widgets._choices import Choice, Choices
from nnteach.widgets._errors import NNTeachValueError
from nnteach.widgets._parts import ErrorArea
from nnteach.widgets._shared_state import SharedState

__all__ = [
    "BrowserWritable",
    "Choice",
    "Choices",
    "NNTeachValueError",
    "NNTeachWidget",
    "RendersOnce",
    "close_tree",
    "close_widget",
    "hold",
    "page_style",
    "styled",
]

_LOG = logging.getLogger("nnteach.widgets")


@cache
def stylesheet() -> str:
    """The one CSS text of every nnteach widget (``widgets/static/nnteach-widgets.css``).

    Example:
        >>> ".nnteach-error" in stylesheet()
        True
    """
    return resources.files("nnteach.widgets").joinpath("static/nnteach-widgets.css").read_text(encoding="utf-8")


_PAGE_STYLE: list[widgets.HTML] = []


def page_style() -> widgets.HTML:
    """The page's one ``<style>`` widget, shared by every nnteach widget of this kernel.

    It is created once per kernel (a Voila page has one kernel), so the CSS crosses the
    wire once, however many widgets and updates the page has. Widgets never close it.

    Example:
        >>> page_style() is page_style()
        True
    """
    if not _PAGE_STYLE or _PAGE_STYLE[0].comm is None:
        style = widgets.HTML(f"<style>{stylesheet()}</style>", layout=widgets.Layout(display="none"))
        style.add_class("nnteach-page-style")
        _PAGE_STYLE[:] = [style]
    return _PAGE_STYLE[0]


def styled(widget: widgets.DOMWidget) -> widgets.Box:
    """``widget`` in a box with the page stylesheet: how a bare nnteach part displays itself.

    Example:
        >>> box = styled(widgets.HTML("hi"))
        >>> box.children[0] is page_style()
        True
    """
    box = widgets.Box([page_style(), widget])
    box.add_class("nnteach-widget")
    return box


@contextmanager
def hold(*targets: widgets.Widget) -> Iterator[None]:
    """Hold the sync of every widget whose traits change, so each sends one message.

    ``hold_sync()`` on a container batches nothing for its children: hold the children.

    Example:
        >>> a, b = widgets.IntSlider(), widgets.IntSlider()
        >>> with hold(a, b):
        ...     a.value, b.value = 3, 4
    """
    with ExitStack() as stack:
        for target in targets:
            stack.enter_context(target.hold_sync())
        yield


def close_widget(widget: widgets.Widget) -> None:
    """Close a widget and its own ``layout``/``style`` widgets (``Widget.close`` leaves them open).

    Example:
        >>> slider = widgets.IntSlider()
        >>> close_widget(slider)
        >>> slider.comm is None and slider.layout.comm is None and slider.style.comm is None
        True
    """
    parts = [getattr(widget, name, None) for name in ("layout", "style")]
    widget.close()
    for part in parts:
        if isinstance(part, widgets.Widget) and part.comm is not None:
            part.close()


_close_with_parts = close_widget  # the name LongWork and others first used


def close_tree(root: widgets.Widget, keep: tuple[widgets.Widget, ...] = ()) -> int:
    """Close ``root``'s descendants (children of boxes, recursively) but not ``root``; return how many.

    Each closed widget's ``layout`` and ``style`` close with it.

    Example:
        >>> box = widgets.VBox([widgets.HBox([widgets.Button()])])
        >>> close_tree(box)
        2
        >>> box.close()
    """
    closed = 0
    stack = list(getattr(root, "children", ()))
    seen: set[int] = set()
    while stack:
        child = stack.pop()
        if id(child) in seen or child in keep or not isinstance(child, widgets.Widget):
            continue
        seen.add(id(child))
        stack.extend(getattr(child, "children", ()))
        if child.comm is not None:
            close_widget(child)
            closed += 1
    return closed


class RendersOnce(traitlets.HasTraits):
    """Mixin: :meth:`render_once` batches trait changes into one :meth:`_render` (any widget type).

    :class:`NNTeachWidget` has it; a part that must keep another widget type (``ProbabilityBars``
    is an ``HTML``) mixes it in directly.
    """

    render_count = traitlets.Int(0, read_only=True, help="How many times the widget has re-rendered (for tests).")

    def __init__(self, **kwargs: Any) -> None:
        self._render_depth = 0
        super().__init__(**kwargs)

    # -- one render for many changes ------------------------------------------------------------
    @contextmanager
    def render_once(self) -> Iterator[None]:
        """Batch trait changes: :meth:`_render` runs once, when the outermost block ends.

        Exceptions propagate (and nothing is rendered), so validators' sentences reach ``errors``.
        """
        self._render_depth += 1
        try:
            yield
        finally:
            self._render_depth -= 1
        if self._render_depth == 0:
            self._render_depth += 1
            try:
                self._render()
                self.set_trait("render_count", self.render_count + 1)
            finally:
                self._render_depth -= 1

    @property
    def rendering(self) -> bool:
        """True inside :meth:`render_once` (controls being updated by the widget, not the learner)."""
        return self._render_depth > 0

    def _render(self) -> None:
        """Recompute outputs and redraw the view from the traits. Subclasses override."""


class BrowserWritable(widgets.Widget):
    """Mixin: a front-end ``update`` may set only the traits in ``frontend_writable`` (any widget type)."""

    #: Traits of this widget the browser may set. Everything else a crafted front-end
    #: ``update`` message tries to set is dropped (and logged). Child controls are widgets of
    #: their own; what a learner types there reaches this widget only through :meth:`bind`.
    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Apply a front-end update, dropping traits the browser may not write."""
        locked = set(getattr(self, "locked", ()))  # a teacher's link locked these: no writes from the page
        allowed = {
            key: value for key, value in sync_data.items() if key in self.frontend_writable and key not in locked
        }
        refused = sorted(set(sync_data) - set(allowed))
        if refused:
            _LOG.warning("nnteach: refused a browser write to %s of %s", refused, type(self).__name__)
        if not allowed:
            return
        try:
            super().set_state(allowed)
        except traitlets.TraitError as error:  # a value the trait refuses: a sentence, not a logged traceback
            errors = getattr(self, "errors", None)
            message = (
                str(error)
                if isinstance(error, NNTeachValueError)
                else _("The page sent a value {widget} does not take ({error}).").format(
                    widget=type(self).__name__, error=error
                )
            )
            _LOG.warning("nnteach: refused a browser value for %s: %s", type(self).__name__, message)
            if isinstance(errors, ErrorArea):
                errors.show(message)


class NNTeachWidget(SharedState, RendersOnce, BrowserWritable, widgets.VBox):
    """Base class of nnteach's widgets (a ``VBox``): see the module docstring."""

    def __init__(self, **kwargs: Any) -> None:
        self._closers: list[Callable[[], None]] = []
        self._bound_controls: dict[str, list[widgets.Widget]] = {}
        self.errors = ErrorArea()
        super().__init__(**kwargs)
        self.add_class("nnteach-widget")
        self.add_class("nnteach-scale")

    # -- composition ------------------------------------------------------------------------
    def compose(self, *parts: widgets.Widget) -> None:
        """Set the children to ``parts``, after the page's stylesheet (reassigned, not mutated)."""
        self.children = (page_style(), *parts)

    # -- controls bound to traits ------------------------------------------------------------------
    def bind(
        self,
        control: widgets.Widget,
        trait: str,
        *,
        parse: Callable[[Any], Any] | None = None,
        show: Callable[[Any], Any] | None = None,
        fallback: str | None = None,
        attribute: str = "value",
    ) -> widgets.Widget:
        """Wire ``control.<attribute>`` to this widget's ``trait``, both ways; return ``control``.

        A learner's change is parsed (``parse``), set on ``trait`` (its validators run) and
        errors are shown as one sentence in ``errors``, which clears on the next success; the
        control then shows the trait's value again. Trait changes show in the control through
        ``show`` (default: the value itself).
        """
        parse = parse or (lambda value: value)
        show = show or (lambda value: value)
        syncing = [False]
        self._bound_controls.setdefault(trait, []).append(control)

        def to_control(value: Any) -> None:
            shown = show(value)
            if getattr(control, attribute) != shown:
                syncing[0] = True
                try:
                    setattr(control, attribute, shown)
                finally:
                    syncing[0] = False

        def sentence() -> str:  # translated when shown: the language may be chosen after the control is bound
            return _("Could not use that value.") if fallback is None else fallback

        def from_control(change: dict[str, Any]) -> None:
            if syncing[0] or self.rendering:
                return
            if trait in self.locked:  # a teacher's link locked it: the page shows the locked value again
                to_control(getattr(self, trait))
                return
            ok = False
            with self.errors.guard(sentence()):
                setattr(self, trait, parse(change["new"]))
                ok = True
            if not ok:  # the control shows the value that holds, next to the sentence
                with self.errors.guard(sentence(), clear_on_success=False):
                    to_control(getattr(self, trait))

        def from_trait(change: dict[str, Any]) -> None:
            with self.errors.guard(sentence(), clear_on_success=False):
                to_control(change["new"])

        control.observe(from_control, names=attribute)
        self.observe(from_trait, names=trait)
        self.on_close(lambda: self.unobserve(from_trait, names=trait))
        to_control(getattr(self, trait))
        return control

    # -- lifetime -----------------------------------------------------------------------------------
    def on_close(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` when the widget closes (unobserve another widget, close a figure, …)."""
        self._closers.append(callback)

    def close(self) -> None:
        """Close what this widget made (children, figures, observers, listeners), then itself."""
        closers, self._closers = getattr(self, "_closers", []), []  # [] when __init__ failed early
        for callback in reversed(closers):
            try:
                callback()
            except Exception:  # noqa: BLE001 - closing must finish even when one part fails
                _LOG.exception("nnteach: a close step failed")
        close_tree(self, keep=tuple(_PAGE_STYLE))
        if self.errors.comm is not None:
            close_widget(self.errors)
        layout = self.layout
        super().close()
        if layout.comm is not None:
            layout.close()

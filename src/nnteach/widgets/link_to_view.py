"""``LinkToView``: the address of this page with its widgets' current state, for a chat or a slide.

``page_links(builder=builder, monitor=monitor)`` is the one line a lesson needs: it applies
the page's link (``?builder.preset=…&lock=…``, see :mod:`nnteach.links`) to the named widgets
and returns the "Link to this view" button. The link carries only shareable settings — never
the learner's name, a teacher key or other personal parameters.

Example:
    >>> import traitlets
    >>> class Dial(NNTeachWidget):
    ...     shared_traits = ("level",)
    ...     level = traitlets.Float(1.0, help="The level.")
    >>> dial = Dial()
    >>> links = page_links("dial.level=2&projector=1&name=Aiko", dial=dial)
    >>> dial.level
    2.0
    >>> links.make_link()
    '?projector=1&dial.level=2'
    >>> links.close(); dial.close()
"""

from __future__ import annotations

import html
import os
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode

import ipywidgets as widgets
import traitlets

from nnteach.i18n import _
from nnteach.links import apply_link, link_query
from nnteach.request import page_query
from nnteach.widgets._base import NNTeachWidget

__all__ = ["LinkToView", "page_links"]

_KEPT_FLAGS = ("projector", "lang", "theme")


class LinkToView(NNTeachWidget):
    """A button that writes the page's address with the current state of its named widgets.

    Traits: ``link`` (read-only, the last address made), ``notes`` (read-only, what the page's
    own link could not apply).
    """

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    link = traitlets.Unicode("", read_only=True, help="The last address made by the button.")
    notes = traitlets.Tuple(read_only=True, help="What the page's link asked for but could not apply, one per note.")

    def __init__(self, page_widgets: dict[str, Any], *, query: str = "") -> None:
        super().__init__()
        self.add_class("nnteach-link-to-view")
        self._page_widgets = dict(page_widgets)
        self._query = query
        self.button = widgets.Button(description=_("Link to this view"), icon="link", layout={"width": "auto"})
        self.button.add_class("nnteach-link-button")
        self.button.on_click(lambda _button: self._clicked())
        self._address = widgets.Text(layout={"width": "100%", "display": "none"}, description=_("Address"))
        self._address.add_class("nnteach-link-address")
        self._notes = widgets.HTML()
        self._notes.add_class("nnteach-link-notes")
        self.observe(self._show_notes, names="notes")
        self.compose(self._notes, self.button, self._address, self.errors)

    def _show_notes(self, _change: Any = None) -> None:
        if not self.notes:
            self._notes.value = ""
            return
        items = "".join(f"<li>{html.escape(note)}</li>" for note in self.notes)
        self._notes.value = _(
            '<div class="nnteach-note" role="note">This page\'s link asked for things it could not do; the rest was applied:<ul>{items}</ul></div>'
        ).format(items=items)

    def make_link(self) -> str:
        """The page's address (relative to the server) with the widgets' state, hides and locks."""
        flags = [(key, value) for key, value in parse_qsl(self._query) if key in _KEPT_FLAGS]
        state = link_query(**self._page_widgets)
        query = "&".join(part for part in (urlencode(flags), state) if part)
        path = os.environ.get("SCRIPT_NAME", "")
        address = f"{path}?{query}" if query else path
        self.set_trait("link", address)
        return address

    def _clicked(self) -> None:
        with self.errors.guard(_("Could not make the link.")):
            address = self.make_link()
            self._address.value = address
            self._address.layout.display = "flex"
            self._address.description_allow_html = False
            self._address.tooltip = html.escape(_("Copy this address: it opens the page as you see it now."))


def page_links(query: str | None = None, /, **page_widgets: Any) -> LinkToView:
    """Apply the page's link to its named widgets; return the "Link to this view" button (display it)."""
    query = page_query() if query is None else query
    notes = apply_link(query, **page_widgets)
    links = LinkToView(page_widgets, query=query)
    links.set_trait("notes", tuple(notes))
    return links

"""``ShareRow``: the one "share with the class" part (a name box, a button, what happened).

DigitCanvas ("Share with class"), TrainingMonitor and RunComparison ("Send to class board")
embed it. The first share asks for a name (kept for the next shares); with no class
database reachable the button stays and says in one sentence why sharing is off; the lesson
itself is never affected.

Example:
    >>> import tempfile
    >>> from nnteach.classroom import ClassStore
    >>> from nnteach.classroom.session import ClassSession
    >>> session = ClassSession(ClassStore(f"sqlite:///{tempfile.mkdtemp()}/c.db"), identity="hub:ken")
    >>> row = ShareRow("Share with class", lambda s: f"Shared as entry {s.share_digit(3, [[0] * 28] * 28)}.",
    ...                session=session)
    >>> row.name = "Ken"
    >>> row.share()
    'Shared as entry 1.'
    >>> row.shared
    1
    >>> row.close(); session.store.close()
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach.i18n import N_, _
from nnteach.widgets._base import NNTeachWidget

__all__ = ["ShareRow"]

_OFF = N_("Sharing with the class is off here: {reason} Everything else on this page works as before.")


class ShareRow(NNTeachWidget):
    """A name box and a share button; ``on_share(session)`` shares and returns the sentence to show.

    Traits: ``name`` (the learner's display name, typed once), ``status`` (the last result,
    read-only), ``shared`` (how many shares succeeded, read-only), ``enabled`` (False hides
    the row, e.g. before there is anything to share).
    """

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    name = traitlets.Unicode("", help="The name shown to the class (typed once, kept for later shares).")
    status = traitlets.Unicode("", read_only=True, help="What the last share did, as one sentence.")
    shared = traitlets.Int(0, read_only=True, help="How many shares succeeded.")
    enabled = traitlets.Bool(True, help="Whether the share button can be pressed.")

    def __init__(self, description: str, on_share: Callable[[Any], str], *, session: Any = None) -> None:
        super().__init__()
        self.add_class("nnteach-share-row")
        self._on_share = on_share
        self._session = session
        self._name_box = widgets.Text(placeholder=_("Your name"), description=_("Name"), layout={"width": "16em"})
        self.bind(self._name_box, "name", fallback=_("Could not use that name."))
        self.share_button = widgets.Button(description=description, icon="share", layout={"width": "auto"})
        self.share_button.add_class("nnteach-share-button")
        self.share_button.on_click(lambda _button: self.share())
        self._status = widgets.HTML()
        self._status.add_class("nnteach-share-status")
        self.compose(widgets.HBox([self._name_box, self.share_button, self._status]), self.errors)
        self.observe(lambda _change: self._sync_enabled(), names="enabled")
        # No database work here: a page with a share button loads as fast as one without; the
        # class database is first touched by the first share.

    def _sync_enabled(self) -> None:
        self.share_button.disabled = not self.enabled

    def _session_or_none(self) -> Any:
        if self._session is None:
            try:
                from nnteach.classroom.session import current_session

                self._session = current_session()
            except ImportError:
                self.errors.show(
                    _(_OFF).format(
                        reason=_(
                            'this installation has no class space (install it with: pip install "nnteach[classroom]").'
                        )
                    )
                )
                return None
        return self._session

    def share(self) -> str:
        """Join with ``name`` if needed, share, and show (and return) what happened."""
        session = self._session_or_none()
        if session is None:
            return ""
        result = ""
        self.share_button.disabled = True
        try:
            with self.errors.guard(_("Could not share with the class.")):
                if not self.name.strip() and session.display_name:
                    self.name = session.display_name  # joined on an earlier page: the name is known
                if not self.name.strip():
                    raise ValueError(
                        _(
                            "Expected your name before sharing. Received an empty name box; type the name the class "
                            "should see, e.g. Aiko, then press the button again."
                        )
                    )
                if session.display_name != self.name.strip():
                    session.join(self.name)
                    self.name = session.display_name
                result = self._on_share(session)
                self.set_trait("shared", self.shared + 1)
        finally:
            self._sync_enabled()
        self.set_trait("status", result)
        self._status.value = f'<span class="nnteach-note">✓ {html.escape(result)}</span>' if result else ""
        return result

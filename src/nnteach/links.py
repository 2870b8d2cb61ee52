"""Teacher links: a page's address sets its widgets' state, hides or locks controls.

``04_multilayer_perceptron.ipynb?builder.preset=mlp_sigmoid_relu&monitor.epochs=3&hide=builder.code``
opens lesson 4 with that model, three epochs and no code box. A lesson names its widgets once
(``apply_link(builder=builder, monitor=monitor)``); settings are ``<widget>.<trait>``, the
traits each widget lists as ``shared_traits``. Query strings come from anyone: values go through
the widgets' own validation, lengths are capped, and whatever is refused becomes a note in the
widget (HTML-escaped) while the rest applies.

Example:
    >>> request = parse_query("softmax.logits=3,1,0.2&lock=softmax.temperature&x=1&projector=1")
    >>> request.settings, request.lock
    ({'softmax': {'logits': '3,1,0.2'}}, {'softmax': ['temperature']})
    >>> request.notes
    ['x was ignored: expected <widget>.<setting>, e.g. monitor.epochs=3.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from nnteach.request import page_query

__all__ = ["MAX_QUERY_LENGTH", "PAGE_FLAGS", "LinkRequest", "apply_link", "link_query", "parse_query"]

MAX_QUERY_LENGTH = 4000
#: Query parameters that belong to the page, not to a widget (read by the template or other parts).
PAGE_FLAGS = frozenset({"projector", "theme", "lang", "template"})
#: Parameters that are personal: never copied into a shared link.
PERSONAL = frozenset({"name", "key", "teacher", "teacher_key", "token", "_xsrf"})
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,40}$")


@dataclass
class LinkRequest:
    """What a query string asks of a page's widgets, and notes on what it could not ask."""

    settings: dict[str, dict[str, str]] = field(default_factory=dict)
    hide: dict[str, list[str]] = field(default_factory=dict)
    lock: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _split(dotted: str) -> tuple[str, str] | None:
    widget, _, name = dotted.strip().partition(".")
    return (widget, name) if _NAME.match(widget) and _NAME.match(name) else None


def parse_query(query: str) -> LinkRequest:
    """Sort a query string into per-widget settings, hides and locks (nothing is applied here)."""
    request = LinkRequest()
    if len(query) > MAX_QUERY_LENGTH:
        request.notes.append(
            f"The link was ignored: expected at most {MAX_QUERY_LENGTH:,} characters, received {len(query):,}."
        )
        return request
    for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        if key in PAGE_FLAGS or key in PERSONAL:
            continue
        if key in ("hide", "lock"):
            target = request.hide if key == "hide" else request.lock
            for item in value.split(","):
                parts = _split(item)
                if parts is None:
                    request.notes.append(f"{key}={item.strip():.40} was ignored: expected <widget>.<control>.")
                else:
                    target.setdefault(parts[0], []).append(parts[1])
            continue
        parts = _split(key)
        if parts is None:
            request.notes.append(f"{key:.40} was ignored: expected <widget>.<setting>, e.g. monitor.epochs=3.")
            continue
        request.settings.setdefault(parts[0], {})[parts[1]] = value
    return request


def apply_link(query: str | None = None, /, **page_widgets: Any) -> list[str]:
    """Apply the page's query (Voila's, unless given) to the named widgets; return every note.

    Each widget shows its own notes in its error area; notes about the link as a whole (unknown
    widget names, malformed parameters) show in the first widget's.
    """
    request = parse_query(page_query() if query is None else query)
    for name, widget in page_widgets.items():
        widget._link_name = name  # the page's name for the widget, for notes
        widget.remember_page_state()  # what the lesson set up: a copied link carries only changes
    notes = list(request.notes)
    for name in {*request.settings, *request.hide, *request.lock} - set(page_widgets):
        known = ", ".join(page_widgets) or "none"
        notes.append(f"{name:.40}.… was ignored: this page has no widget {name:.40} (it has: {known}).")
    all_notes = list(notes)
    for name, widget in page_widgets.items():
        own = widget.apply_shared_state(request.settings.get(name, {}))
        own += widget.lock(*request.lock.get(name, []))
        own += widget.hide(*request.hide.get(name, []))
        all_notes += own
        if own:
            widget.errors.show(" ".join(own))
    if notes and page_widgets:
        first = next(iter(page_widgets.values()))
        first.errors.show(" ".join([*notes, first.errors.message]).strip())
    return all_notes


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


def link_query(**page_widgets: Any) -> str:
    """The query string of the page's current state: settings that differ from each widget's defaults.

    Hidden and locked controls stay so; nothing personal (names, keys) is ever included.
    """
    pairs: list[tuple[str, str]] = []
    hide, lock = [], []
    for name, widget in page_widgets.items():
        opened_with = widget.page_state()
        for trait, value in widget.shared_state().items():
            if _text(value) != _text(opened_with[trait]):
                pairs.append((f"{name}.{trait}", _text(value)))
        hide += [f"{name}.{control}" for control in widget.hidden]
        lock += [f"{name}.{control}" for control in widget.locked]
    if hide:
        pairs.append(("hide", ",".join(hide)))
    if lock:
        pairs.append(("lock", ",".join(lock)))
    return urlencode(pairs, safe=",")

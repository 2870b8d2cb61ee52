"""The words of nnteach's Voila pages outside Python widgets, in the page's language.

Voila's own Jinja translations are fixed for the whole server, so nnteach chooses each page's
language itself (:func:`page_language`: ``?lang=``, ``nnteach serve --lang``, the browser's
``Accept-Language``) and gives its templates ``nnteach_text`` (``error.html``: the "class is
full" page) and the page config ``nnteachLanguage`` (read by ``static/nnteach.js``). The
JavaScript carries its few sentences in each language (:data:`SCRIPT_TEXTS`); a test checks
them against the catalogs.

Example:
    >>> page_language("lang=de", "ja-JP,ja;q=0.9", {})
    'de'
    >>> page_language("", "en", {"NNTEACH_LANG": "de"}, path="/voila/render/ja/07_draw_your_digit.ipynb")
    'ja'
    >>> class_full_message(30, lang="de")[:44]
    'Dieser Server hat schon 30 Lektionsseiten of'
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from nnteach.i18n import N_, choose_language, translator

__all__ = ["SCRIPT_TEXTS", "TEMPLATE_TEXTS", "class_full_message", "page_language", "too_many_starts_message"]

#: The sentences of ``static/nnteach.js`` (the projector button, the "page stopped" banner), by key.
SCRIPT_TEXTS = {
    "projector": N_("Projector"),
    "projectorTitle": N_("Larger text and widgets for a projector (adds ?projector=1 to the address)"),
    "stopped": N_(
        "This page has stopped: its Python kernel was shut down or restarted (after a long idle time, or because "
        "it stopped), so the widgets no longer respond. Reload the page to start it again."
    ),
    "reload": N_("Reload the page"),
}

#: The words of ``error.html`` (translated there through ``nnteach_text``).
TEMPLATE_TEXTS = (
    N_("The class is full"),
    N_("Too many pages at once"),
    N_("This page tries again by itself in a minute."),
    N_("Try again now"),
)


def page_language(query: str, accept_language: str, environ: Mapping[str, str] | None = None, path: str = "") -> str:
    """The language of the page at ``path`` asked for with ``query`` by a browser sending ``accept_language``."""
    server = (os.environ if environ is None else environ).get("NNTEACH_LANG", "")
    asked = {
        "QUERY_STRING": query,
        "HTTP_ACCEPT_LANGUAGE": accept_language,
        "NNTEACH_LANG": server,
        "SCRIPT_NAME": path,
    }
    return choose_language(asked)[0]


def class_full_message(max_kernels: int, reconnect_grace: float = 30, lang: str = "en") -> str:
    """The sentence a learner reads when the class is full: what frees a seat, and when.

    Example:
        >>> class_full_message(30)[:41]
        'This server already runs 30 lesson pages,'
    """
    return (
        translator(lang)
        .gettext(
            "This server already runs {count} lesson pages, as many as it is set up to hold. A seat frees {grace} "
            "seconds after a classmate closes a lesson tab; open tabs keep theirs. Try again in a minute, or ask "
            "your teacher to have unused tabs closed."
        )
        .format(count=max_kernels, grace=f"{reconnect_grace:g}")
    )


def too_many_starts_message(per_minute: int, lang: str = "en") -> str:
    """The sentence a learner reads after opening too many pages in a minute.

    Example:
        >>> too_many_starts_message(10)[:58]
        'This computer opened more than 10 lesson pages in a minute'
    """
    return (
        translator(lang)
        .gettext(
            "This computer opened more than {count} lesson pages in a minute, more than the class server allows one "
            "computer. Wait a minute, then reload; switch between the tabs you have open instead of reloading."
        )
        .format(count=per_minute)
    )

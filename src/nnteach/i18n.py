"""The language nnteach's widgets speak (English, Japanese, German), through Python's ``gettext``.

Every string a widget shows goes through :func:`_` (or :func:`ngettext` / :func:`pgettext`), and
is translated when the widget draws it, so a language chosen after ``import nnteach`` applies to
every widget made afterwards. Module-level texts are only marked with :func:`N_` and translated
where they are shown. The catalogs are ``nnteach/locale/<lang>/LC_MESSAGES/nnteach.mo``, compiled
from the ``.po`` files beside them.

Which language, first match wins:

1. ``nnteach.set_language("ja")`` in the notebook;
2. ``?lang=ja`` in the Voila page's address;
3. the notebook's folder: the translated lessons are ``lessons/ja/`` and ``lessons/de/`` (the page's
   path, ``SCRIPT_NAME`` in Voila, or the kernel's working folder in JupyterLab);
4. ``NNTEACH_LANG`` in the environment (``nnteach serve --lang ja`` sets it for the class);
5. the browser's language (``Accept-Language``, which Voila passes as ``HTTP_ACCEPT_LANGUAGE``);
6. English.

A warm kernel (``nnteach serve --warm``) runs its lesson before any page asks for it, so it
speaks the language of steps 3–4 and 6; the class server hands it only to a page whose request
chooses that same language, and starts a fresh kernel for any other.

A value nnteach does not speak never stops a page: it falls back, and :func:`language_note`
says why (query strings are typed by anyone). Only :func:`set_language`, called by code, raises.

Example:
    >>> choose_language({"QUERY_STRING": "lang=de", "HTTP_ACCEPT_LANGUAGE": "ja"})
    ('de', '')
    >>> choose_language({"HTTP_ACCEPT_LANGUAGE": "fr-CH, de;q=0.8, en;q=0.5"})
    ('de', '')
    >>> translator("de").gettext("Add layer")
    'Schicht hinzufügen'
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs

__all__ = [
    "LANGUAGES",
    "N_",
    "_",
    "accept_language",
    "choose_language",
    "language",
    "language_note",
    "ngettext",
    "pgettext",
    "separators",
    "set_language",
    "translator",
]

#: The languages nnteach speaks, English first (the source language of every message).
LANGUAGES: tuple[str, ...] = ("en", "ja", "de")
DOMAIN = "nnteach"
LOCALE_DIR = Path(__file__).parent / "locale"
_MAX_HEADER = 500  # an Accept-Language longer than this is read only this far

_state: dict[str, str] = {}  # "chosen": set_language's choice; "resolved"/"note": the cached answer


def _known(value: str) -> str | None:
    """``value``'s nnteach language ("ja-JP" → "ja"), or None."""
    primary = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LANGUAGES else None


@cache
def translator(lang: str) -> _gettext.NullTranslations:
    """The catalog of ``lang`` (English: the messages as written).

    Example:
        >>> translator("ja").gettext("Remove")
        '削除'
    """
    if lang == "en" or lang not in LANGUAGES:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang])


def accept_language(header: str) -> str | None:
    """The first language of an ``Accept-Language`` header that nnteach speaks, by the browser's weights.

    Example:
        >>> accept_language("fr-FR,fr;q=0.9,ja;q=0.8,en;q=0.7"), accept_language("*"), accept_language("")
        ('ja', None, None)
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:_MAX_HEADER].split(",")):
        name, _sep, params = part.partition(";")
        weight = 1.0
        if "q" in params:
            found = re.fullmatch(r"\s*q\s*=\s*([01](?:\.[0-9]{0,3})?)\s*", params)
            if not found:
                continue  # a malformed weight: the entry is left out, as RFC 9110 reads it
            weight = float(found.group(1))
        lang = _known(name)
        if lang is not None and weight > 0:
            ranked.append((-weight, position, lang))
    return min(ranked)[2] if ranked else None


def choose_language(env: Mapping[str, str]) -> tuple[str, str]:
    """The language for a page's environment (query, ``NNTEACH_LANG``, browser), and a note on any value left out.

    Example:
        >>> choose_language({"QUERY_STRING": "lang=xx", "NNTEACH_LANG": "ja"})[0]
        'ja'
        >>> choose_language({"SCRIPT_NAME": "/voila/render/de/07_draw_your_digit.ipynb", "NNTEACH_LANG": "ja"})[0]
        'de'
        >>> print(choose_language({"QUERY_STRING": "lang=<b>"})[1])
        Received lang='<b>' in the page's address. Expected one of en, ja, de; showing English. Use e.g. ?lang=ja.
    """
    notes = []
    asked = parse_qs(env.get("QUERY_STRING", "")[:2000]).get("lang", [])
    if asked:
        lang = _known(asked[-1]) if len(asked[-1]) <= 20 else None
        if lang is not None:
            return lang, ""
        notes.append(
            f"Received lang={asked[-1][:20]!r} in the page's address. Expected one of {', '.join(LANGUAGES)}; "
            "showing {shown}. Use e.g. ?lang=ja."
        )
    folder = _folder_language(env.get("SCRIPT_NAME", "") or env.get("NNTEACH_NOTEBOOK_DIR", ""))
    if folder is not None:
        return folder, " ".join(notes).replace("{shown}", _ENGLISH_NAMES[folder])
    server = env.get("NNTEACH_LANG", "")
    if server:
        lang = _known(server) if len(server) <= 20 else None
        if lang is not None:
            return lang, " ".join(notes).replace("{shown}", _ENGLISH_NAMES[lang])
        notes.append(
            f"Received NNTEACH_LANG={server[:20]!r}. Expected one of {', '.join(LANGUAGES)}; showing {{shown}}. "
            "Set NNTEACH_LANG=ja (or serve with --lang ja)."
        )
    lang = accept_language(env.get("HTTP_ACCEPT_LANGUAGE", "")) or "en"
    return lang, " ".join(notes).replace("{shown}", _ENGLISH_NAMES[lang])


_ENGLISH_NAMES = {"en": "English", "ja": "Japanese", "de": "German"}


def _folder_language(path: str) -> str | None:
    """ "ja" for a notebook in a folder named ja (``/voila/render/ja/07_draw_your_digit.ipynb``, ``.../lessons/ja``)."""
    parts = PurePosixPath(path.replace("\\", "/")[:1000]).parts
    folder = parts[-2] if path.endswith(".ipynb") and len(parts) > 1 else (parts[-1] if parts else "")
    return folder if folder in LANGUAGES[1:] else None


def set_language(lang: str | None) -> str:
    """Speak ``lang`` ("en", "ja" or "de") in every widget made from now on; None goes back to the automatic choice.

    Example:
        >>> set_language("de"); _("Remove")
        'de'
        'Entfernen'
        >>> set_language(None) and None
    """
    _state.clear()
    if lang is None:
        return language()
    if not isinstance(lang, str) or _known(lang) is None:
        raise ValueError(
            f"nnteach speaks {', '.join(LANGUAGES)}. Received set_language({lang!r}). "
            'Pass one of them, e.g. nnteach.set_language("ja").'
        )
    _state["chosen"] = _state["resolved"] = _known(lang) or "en"
    return _state["resolved"]


def language() -> str:
    """The language widgets speak now (decided once per kernel; see the module).

    Example:
        >>> language() in LANGUAGES
        True
    """
    resolved = _state.get("resolved")
    if resolved is None:
        from nnteach.request import page_request, request_pending

        # A warm kernel speaks its folder's or the server's language without waiting for its page:
        # nnteach's class server gives it only to a page asking for that language (handlers.py).
        asked = os.environ if request_pending() else page_request()
        resolved, note = choose_language({"NNTEACH_NOTEBOOK_DIR": str(Path.cwd()), **asked})
        _state["resolved"], _state["note"] = resolved, note
    return resolved


def language_note() -> str:
    """Why a requested language was not taken (empty when all was well), in English for the teacher's log."""
    language()
    return _state.get("note", "")


def _(message: str) -> str:
    """``message`` in the current language."""
    return translator(language()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the conventional name gettext's tools look for
    """Mark ``message`` for translation without translating it (module constants; translate with ``_`` when shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` for ``n``, in the current language (Japanese has one form)."""
    return translator(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart from the same English word by ``context``."""
    return translator(language()).pgettext(context, message)


def separators(lang: str | None = None) -> tuple[str, str]:
    """The language's thousands separator and decimal mark (German writes ``101.770`` and ``0,25``).

    Example:
        >>> separators("de"), separators("ja")
        (('.', ','), (',', '.'))
    """
    return _SEPARATORS.get(lang or language(), (",", "."))


_SEPARATORS = {"en": (",", "."), "ja": (",", "."), "de": (".", ",")}

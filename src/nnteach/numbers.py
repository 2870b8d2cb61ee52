"""Numbers as learners read them: fixed decimals, and never a "-0.000" for a value that rounds to zero.

Example:
    >>> fixed(-1e-9, 3), fixed(-0.0, 2), fixed(-0.25, 2), fixed(4.5, 2)
    ('0.000', '0.00', '-0.25', '4.50')
"""

from __future__ import annotations

from nnteach.i18n import language as language_now
from nnteach.i18n import separators

__all__ = ["decimal", "fixed", "grouped", "percent"]


def fixed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals; a value that rounds to zero is written without a minus sign."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def grouped(value: int, lang: str | None = None) -> str:
    """An integer with the language's thousands separator (``101,770``; German ``101.770``).

    Example:
        >>> grouped(101770, "en"), grouped(101770, "de"), grouped(101770, "ja")
        ('101,770', '101.770', '101,770')
    """
    thousands, _point = separators(lang)
    return f"{value:,}".replace(",", thousands)


def decimal(value: float, decimals: int, lang: str | None = None) -> str:
    """:func:`fixed` with the language's decimal mark (German ``0,25``).

    Example:
        >>> decimal(0.25, 2, "de"), decimal(-1e-9, 1, "de"), decimal(0.25, 2, "ja")
        ('0,25', '0,0', '0.25')
    """
    _thousands, point = separators(lang)
    return fixed(value, decimals).replace(".", point)


def percent(fraction: float, decimals: int = 0, lang: str | None = None) -> str:
    """``fraction`` as a percentage the language's way (German puts a space before ``%``).

    Example:
        >>> percent(0.974, lang="en"), percent(0.974, lang="de"), percent(0.5, 1, lang="ja")
        ('97%', '97\xa0%', '50.0%')
    """
    language = lang or language_now()
    number = decimal(100 * fraction, decimals, language)
    return f"{number}\xa0%" if language == "de" else f"{number}%"

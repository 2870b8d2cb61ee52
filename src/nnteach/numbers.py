"""Numbers as learners read them: fixed decimals, and never a "-0.000" for a value that rounds to zero.

Example:
    >>> fixed(-1e-9, 3), fixed(-0.0, 2), fixed(-0.25, 2), fixed(4.5, 2)
    ('0.000', '0.00', '-0.25', '4.50')
"""

from __future__ import annotations

__all__ = ["fixed"]


def fixed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals; a value that rounds to zero is written without a minus sign."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text

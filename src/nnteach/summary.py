"""Old home of the model summary; it lives in :mod:`nnteach.layers.model_summary` now (same objects).

Example:
    >>> from nnteach.summary import summary
    >>> from nnteach.layers import PRESETS
    >>> summary(PRESETS["mlp"]).total_params
    101770
"""

from __future__ import annotations

from nnteach.layers.model_summary import Summary, SummaryRow, readable_memory_size, summary

__all__ = ["Summary", "SummaryRow", "readable_memory_size", "summary"]

"""Old home of the Keras code generator; it lives in :mod:`nnteach.layers.codegen` now (same objects).

Example:
    >>> from nnteach.codegen import STYLES
    >>> STYLES
    ('list', 'add', 'functional')
"""

from __future__ import annotations

from nnteach.layers.codegen import STYLES, compile_model, from_keras, to_code, to_keras

__all__ = ["STYLES", "compile_model", "from_keras", "to_code", "to_keras"]

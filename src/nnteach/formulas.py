"""Formulas of the activation functions as PNG images, rendered offline by matplotlib's mathtext.

Voila pages may have no network, so MathJax (a CDN by default) is not an option; mathtext
needs none. Images are kept in nnteach's cache folder: setting up mathtext's parser costs
every new kernel (each Voila page) about 0.2 s of CPU, a tenth of a lesson page's load time.

Example:
    >>> formula_png("relu")[:8] == PNG_SIGNATURE
    True
    >>> formula_img("relu").startswith('<img alt="f(z) = ')
    True
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import importlib.metadata
import io

from nnteach import activations
from nnteach._atomic import atomic_write_bytes
from nnteach.paths import cache_dir

__all__ = ["PNG_SIGNATURE", "formula_img", "formula_png"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
"""The first eight bytes of every PNG file."""
_DPI = 110


@functools.cache
def formula_png(name: str) -> bytes:
    """The formula of activation ``name`` as a PNG (read from the cache folder, or rendered and kept there)."""
    latex = activations.get(name).latex
    key = hashlib.sha256(f"{latex}|{_DPI}|{importlib.metadata.version('matplotlib')}".encode()).hexdigest()[:20]
    cached = cache_dir() / "formulas" / f"{key}.png"
    with contextlib.suppress(OSError):
        data = cached.read_bytes()
        if data.startswith(PNG_SIGNATURE):
            return data
    from matplotlib import mathtext

    buffer = io.BytesIO()
    mathtext.math_to_image(f"${latex}$", buffer, dpi=_DPI, format="png")
    with contextlib.suppress(OSError):  # a read-only cache folder only costs the time again
        atomic_write_bytes(cached, buffer.getvalue())
    return buffer.getvalue()


def formula_img(name: str) -> str:
    """An ``<img>`` tag showing the formula of ``name``, its LaTeX as the alternative text (screen readers)."""
    image = base64.b64encode(formula_png(name)).decode("ascii")
    latex = html.escape(activations.get(name).latex, quote=True)
    return f'<img alt="{latex}" src="data:image/png;base64,{image}" style="vertical-align: middle">'

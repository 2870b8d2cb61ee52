"""PNG bytes from arrays and matplotlib figures, for ``ipywidgets.Image`` (no browser needed).

Example:
    >>> import numpy as np
    >>> png = array_to_png(np.eye(28, dtype=np.float32), scale=4)
    >>> png[:4]
    b'\\x89PNG'
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["array_to_png", "cjk_fallback", "figure_to_png", "new_figure", "opaque"]


def array_to_png(image: ArrayLike, *, scale: int = 1, grid: bool = False) -> bytes:
    """Encode a grayscale image (floats in [0, 1] or uint8) as PNG, enlarged ``scale`` times.

    Enlarging uses whole pixels (nearest neighbour) so each MNIST pixel stays a visible
    square; ``grid=True`` draws thin dark lines between pixels.
    """
    from PIL import Image

    array = np.asarray(image)
    if array.ndim != 2:
        raise ValueError(f"Expected a 2-D grayscale image. Received shape {array.shape}.")
    if array.dtype != np.uint8:
        array = np.rint(np.clip(np.asarray(array, dtype=np.float64), 0.0, 1.0) * 255).astype(np.uint8)
    if scale > 1:
        array = np.repeat(np.repeat(array, scale, axis=0), scale, axis=1)  # 10x faster than np.kron
        if grid and scale >= 4:
            array = array.copy()
            array[::scale, :] = np.minimum(array[::scale, :], 60)
            array[:, ::scale] = np.minimum(array[:, ::scale], 60)
    buffer = io.BytesIO()
    Image.fromarray(array, mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def opaque(colour: Any) -> tuple[float, float, float, float]:
    """``colour`` (any matplotlib colour) drawn over white: what an opaque figure shows.

    Example:
        >>> opaque("none"), opaque((0.0, 0.0, 0.0, 0.5))
        ((1.0, 1.0, 1.0, 1.0), (0.5, 0.5, 0.5, 1.0))
    """
    from matplotlib.colors import to_rgba

    red, green, blue, alpha = to_rgba(colour)
    return (red * alpha + 1 - alpha, green * alpha + 1 - alpha, blue * alpha + 1 - alpha, 1.0)


def new_figure(width: float = 6.0, height: float = 3.5, dpi: int = 100) -> Any:
    """A matplotlib figure on the Agg canvas, outside pyplot (never shown twice, never leaked).

    Its background is opaque (the style's figure colour, over white if that is transparent), so
    its text stays readable on any page: JupyterLab Dark, Voila's ``?theme=dark``, VS Code.
    """
    from matplotlib import rcParams
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nnteach.i18n import language

    if language() == "ja":
        cjk_fallback()
    figure = Figure(
        figsize=(width, height), dpi=dpi, layout="constrained", facecolor=opaque(rcParams["figure.facecolor"])
    )
    FigureCanvasAgg(figure)
    return figure


def cjk_fallback() -> str | None:
    """Let matplotlib draw Japanese words: an installed CJK font becomes the fallback after the usual one.

    Returns the font's family (None when none is installed; Debian: ``apt-get install fonts-noto-cjk``).

    Example:
        >>> cjk_fallback() in (None, "Noto Sans CJK JP")
        True
    """
    from matplotlib import rcParams

    family = _cjk_family()
    if family is not None and family not in rcParams["font.family"]:
        rcParams["font.family"] = [*rcParams["font.family"], family]
    return family


@cache
def _cjk_family() -> str | None:
    # Matplotlib's font list is cached from before such a font was installed, so the file is added to it.
    from matplotlib import font_manager

    files = sorted(path for path in font_manager.findSystemFonts() if "NotoSansCJK-Regular" in Path(path).name)
    if not files:
        return None
    font_manager.fontManager.addfont(files[0])
    family: str = font_manager.FontProperties(fname=files[0]).get_name()
    return family


def figure_to_png(figure: Any) -> bytes:
    """Render a (reused) matplotlib figure to an opaque PNG (whatever ``savefig.transparent`` says).

    Example:
        >>> from matplotlib import rc_context
        >>> with rc_context({"savefig.transparent": True}):
        ...     png = figure_to_png(new_figure(1, 1))
        >>> from PIL import Image
        >>> Image.open(io.BytesIO(png)).convert("RGBA").getextrema()[3]
        (255, 255)
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", transparent=False, facecolor=opaque(figure.get_facecolor()))
    return buffer.getvalue()

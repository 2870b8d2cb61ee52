"""What lesson 9's views of a drawing share: an ``image`` and a ``model`` trait, following a DigitCanvas.

``view.follow_canvas(canvas)`` links the canvas' ``image`` and ``model`` into the view
(``traitlets.dlink``) and returns the view, so ``SaliencyView().follow_canvas(canvas)``
displays; setting ``image`` in code works the same (tests, a teacher's own digit).

Example:
    >>> import numpy as np
    >>> class Ink(FollowsDrawing):
    ...     ink = traitlets.Float(0.0, read_only=True)
    ...     def _show(self, image):
    ...         self.set_trait("ink", float(image.sum()))
    >>> view = Ink()
    >>> view.image = np.ones((28, 28), np.float32)
    >>> view.ink
    784.0
    >>> view.close()
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import traitlets
from numpy.typing import NDArray

from nnteach.i18n import _
from nnteach.pixels import as_pixels
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget

__all__ = ["FollowsDrawing"]


class FollowsDrawing(NNTeachWidget):
    """A view of one drawn digit: override :meth:`_show` (a drawing) and :meth:`_show_empty` (none)."""

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    image = traitlets.Any(None, allow_none=True, help="The 28×28 image shown (floats in [0, 1]), or None.")
    model = traitlets.Any(None, allow_none=True, help="The model explained (None: the packaged reference MLP).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._links: list[traitlets.dlink] = []

    @traitlets.validate("image")
    def _check_image(self, proposal: Any) -> NDArray[np.float32] | None:
        if proposal["value"] is None:
            return None
        try:
            pixels = as_pixels(proposal["value"])
        except ValueError as error:
            raise NNTeachValueError(str(error)) from None
        if len(pixels) != 1:
            raise NNTeachValueError(
                _("Expected one 28×28 image. Received {len} images; show them one at a time.").format(len=len(pixels))
            )
        return np.asarray(pixels[0], dtype=np.float32)

    @traitlets.observe("image", "model")
    def _on_drawing(self, _change: Any) -> None:
        if not self.rendering:
            with self.errors.guard(_("Could not explain this drawing.")), self.render_once():
                pass

    def follow_canvas(self, canvas: Any) -> Any:
        """Show every drawing of ``canvas`` (its ``image``) with its ``model``; return this view."""
        if not (hasattr(canvas, "has_trait") and canvas.has_trait("image")):
            raise TypeError(
                _("Expected a widget with an `image` trait, such as DigitCanvas. Received {name__}.").format(
                    name__=type(canvas).__name__
                )
            )
        self.unfollow_canvas()
        with self.errors.guard(_("Could not explain this drawing.")), self.render_once():
            if canvas.has_trait("model"):
                self._links.append(traitlets.dlink((canvas, "model"), (self, "model")))
            self._links.append(traitlets.dlink((canvas, "image"), (self, "image")))
        return self

    def unfollow_canvas(self) -> None:
        """Stop following the canvas (the drawing shown stays)."""
        links, self._links = self._links, []
        for link in links:
            link.unlink()

    def close(self) -> None:
        self.unfollow_canvas()
        super().close()

    def _render(self) -> None:
        if self.image is None:
            self._show_empty()
        else:
            self._show(self.image)

    def _show(self, image: NDArray[np.float32]) -> None:
        """Draw the explanation of ``image``."""

    def _show_empty(self) -> None:
        """Nothing drawn yet."""

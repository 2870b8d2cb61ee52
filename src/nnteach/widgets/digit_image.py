"""DigitImage: one digit enlarged to a fixed, crisp size, with its numbers and a slider to browse.

To a computer a digit is a table of numbers; this widget shows the table and the picture it
makes side by side (the picture under the numbers when the page is narrow). Each image pixel
is a ``scale``×``scale`` square of screen pixels: the picture never stretches to the page
width and never blurs.

Example:
    >>> import numpy as np
    >>> images = np.zeros((2, 28, 28), dtype=np.uint8); images[1, 5, 5] = 255
    >>> view = DigitImage(images, labels=[3, 7])
    >>> view.index = 1
    >>> view.label, view.caption
    (7, 'label 7 · 1 of 784 pixels have ink · brightest pixel 255')
    >>> view.close()
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets
from numpy.typing import ArrayLike, NDArray

from nnteach.i18n import _
from nnteach.images import array_to_png
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget
from nnteach.widgets._parse import whole_number

__all__ = ["DigitImage"]


def _as_images(images: ArrayLike) -> NDArray[Any]:
    given = np.asarray(images)
    array = given[np.newaxis] if given.ndim == 2 else given
    if array.ndim != 3 or array.shape[1:] != (28, 28) or len(array) == 0:
        raise NNTeachValueError(
            _(
                "DigitImage shows 28×28 images. Received an array of shape {shape}. Pass one image (28, 28) or a stack (n, 28, 28), e.g. x_train."
            ).format(shape=given.shape)
        )
    return array


def numbers_text(image: NDArray[Any]) -> str:
    """The image as rows of numbers, one column per pixel (what ``print(image)`` shows, aligned).

    Example:
        >>> numbers_text(np.array([[0, 255], [7, 0]], dtype=np.uint8))
        '  0 255\\n  7   0'
    """
    width = max(len(str(value)) for value in image.ravel().tolist())
    return "\n".join(" ".join(f"{value:>{width}}" for value in row) for row in image.tolist())


class DigitImage(NNTeachWidget):
    """One image of a stack, enlarged ``scale`` times (8: a 224-pixel square), with its numbers and label.

    Traits a lesson sets: ``index``, ``scale``, ``grid``, ``show_numbers``. Read-only:
    ``count``, ``label`` (None without labels), ``caption``.
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("index", "grid", "show_numbers")

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    index = traitlets.Int(0, help="Which image of the stack is shown (0-based).")
    scale = traitlets.Int(8, help="Screen pixels per image pixel: 8 shows a 28×28 image as a 224-pixel square.")
    grid = traitlets.Bool(True, help="Draw thin lines between the image's pixels.")
    show_numbers = traitlets.Bool(True, help="Show the image's 784 numbers beside the picture.")
    count = traitlets.Int(0, read_only=True, help="How many images the stack holds.")
    label = traitlets.Int(None, allow_none=True, read_only=True, help="The shown image's label (None without labels).")
    caption = traitlets.Unicode(
        "", read_only=True, help="The line under the slider: label, inked pixels, brightest pixel."
    )

    def __init__(
        self,
        images: ArrayLike,
        labels: ArrayLike | None = None,
        *,
        index: int = 0,
        scale: int = 8,
        grid: bool = True,
        show_numbers: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        try:
            self._images = _as_images(images)
            self._labels = None if labels is None else np.asarray(labels).ravel()
            if self._labels is not None and len(self._labels) != len(self._images):
                raise NNTeachValueError(
                    _(
                        "DigitImage needs one label per image. Received {len} images and {len2} labels. Pass labels of the same length, e.g. y_train with x_train."
                    ).format(len=len(self._images), len2=len(self._labels))
                )
        except ValueError:
            self.close()
            raise
        self.add_class("nnteach-digit-image")
        self.set_trait("count", len(self._images))
        self._slider = widgets.IntSlider(
            min=0, max=len(self._images) - 1, description=_("image #"), continuous_update=False
        )
        self._slider.layout.display = None if len(self._images) > 1 else "none"
        self._caption = widgets.HTML()
        self._caption.add_class("nnteach-digit-caption")
        self._numbers = widgets.HTML()
        self._numbers.add_class("nnteach-digit-numbers")
        self._picture = widgets.Image(format="png", layout=widgets.Layout(flex="0 0 auto"))
        self._picture.add_class("nnteach-digit-picture")
        body = widgets.HBox([self._numbers, self._picture])
        body.add_class("nnteach-digit-body")
        self.compose(self._slider, self._caption, body, self.errors)
        with self.render_once():
            self.index, self.scale, self.grid, self.show_numbers = index, scale, grid, show_numbers
        self.bind(
            self._slider, "index", parse=lambda value: whole_number(value, _("the image number"), _("drag the slider"))
        )

    @traitlets.validate("index")
    def _check_index(self, proposal: Any) -> int:
        index = int(proposal["value"])
        if not 0 <= index < len(self._images):
            raise NNTeachValueError(
                _(
                    "There are {len} images, numbered 0 to {value}. Received: index={index}. Pick a number in that range."
                ).format(len=len(self._images), value=len(self._images) - 1, index=index)
            )
        return index

    @traitlets.validate("scale")
    def _check_scale(self, proposal: Any) -> int:
        scale = int(proposal["value"])
        if not 1 <= scale <= 20:
            raise NNTeachValueError(
                _(
                    "Expected a scale from 1 to 20 screen pixels per image pixel. Received: scale={scale}. Use 8 for a 224-pixel picture."
                ).format(scale=scale)
            )
        return scale

    @traitlets.observe("index", "scale", "grid", "show_numbers")
    def _on_change(self, _change: dict[str, Any]) -> None:
        if not self.rendering:
            with self.render_once():
                pass

    @property
    def image(self) -> NDArray[Any]:
        """The image shown (a view into the stack)."""
        image: NDArray[Any] = self._images[self.index]
        return image

    def _render(self) -> None:
        image = self.image
        label = None if self._labels is None else int(self._labels[self.index])
        ink = int(np.count_nonzero(image))
        words = [_("label {label}").format(label=label)] if label is not None else []
        words += [_("{ink} of 784 pixels have ink").format(ink=ink), _("brightest pixel {max}").format(max=image.max())]
        self.set_trait("label", label)
        self.set_trait("caption", " · ".join(words))
        side = f"{28 * self.scale}px"
        if self._picture.layout.width != side:
            with self._picture.layout.hold_sync():
                self._picture.layout.width = self._picture.layout.height = self._picture.layout.min_width = side
        self._picture.value = array_to_png(image, scale=self.scale, grid=self.grid)
        self._numbers.layout.display = None if self.show_numbers else "none"
        numbers_label = html.escape(_("the image as numbers"))
        self._numbers.value = (
            f'<pre aria-label="{numbers_label}">{html.escape(numbers_text(image))}</pre>' if self.show_numbers else ""
        )
        self._caption.value = f"<b>{html.escape(words[0])}</b>" + "".join(f" · {html.escape(w)}" for w in words[1:])

"""``DigitGrid``: pages of MNIST-size images with titles (label, prediction, probability).

Used for the tutorials' 10×10 grid of predictions on the first 100 test images, for the
gallery of mistakes after training, and for browsing the data set page by page. A page is
one HTML update (small inline PNGs and real text captions), so paging through 60,000 images
stays quick and tests can read the captions. Wrong predictions are marked with ✗ and a red
frame, not by colour alone.

Example:
    >>> import numpy as np
    >>> from nnteach.widgets import DigitGrid
    >>> grid = DigitGrid(np.zeros((250, 28, 28), np.uint8), labels=np.arange(250) % 10)
    >>> grid.pages, grid.page
    (3, 0)
    >>> grid.next_page(); grid.shown_indices()[:3]
    [100, 101, 102]
    >>> grid.close()
"""

from __future__ import annotations

import base64
import html
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets
from numpy.typing import ArrayLike, NDArray

from nnteach.evaluation import labels_array
from nnteach.i18n import _
from nnteach.images import array_to_png
from nnteach.models import as_pixels
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget, hold
from nnteach.widgets._canvas_compat import deprecated_alias

__all__ = ["DigitGrid", "DigitGridError"]


class DigitGridError(NNTeachValueError):
    """DigitGrid's bad values (kept for old code; every widget now raises :class:`NNTeachValueError`)."""


def _check_images(images: ArrayLike) -> NDArray[Any]:
    array = np.asarray(images)
    if array.ndim == 2 and array.shape[1] == 784:
        array = array.reshape(-1, 28, 28)
    if array.ndim != 3 or array.shape[1:] != (28, 28):
        raise ValueError(
            _("DigitGrid expects images of shape (n, 28, 28). Received shape {shape}. Pass e.g. x_test[:100].").format(
                shape=array.shape
            )
        )
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ValueError(_("DigitGrid expects images as numbers. Received dtype {dtype}.").format(dtype=array.dtype))
    return array


class DigitGrid(NNTeachWidget):
    """A grid of digits with captions, one page at a time (``rows × columns`` images per page).

    Give ``labels`` (true classes), and ``probabilities`` (``model.predict(x)``, shown as the
    predicted class and its probability) or ``predictions`` (classes only). Traits: ``page``
    (0-based), ``pages``, ``count``, ``wrong_on_page``; ``rows`` and ``columns`` set the page
    size. ``set_data`` replaces the images and goes back to the first page.

    Example:
        >>> import numpy as np
        >>> probs = np.eye(10)[[3, 5]]
        >>> grid = DigitGrid(np.zeros((2, 28, 28)), labels=[3, 4], probabilities=probs)
        >>> grid.captions()
        ['label 3 · pred 3 100%', 'label 4 · pred 5 100% ✗']
        >>> grid.wrong_on_page
        1
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("page", "rows", "columns")

    page = traitlets.Int(0, help="The page shown, 0-based (shown to learners as 1-based).")
    pages = traitlets.Int(1, read_only=True, help="Number of pages (it follows the data and the page size).")
    count = traitlets.Int(0, read_only=True, help="Number of images in the grid.")
    rows = traitlets.Int(10, help="Rows of images per page.")
    columns = traitlets.Int(10, help="Columns of images per page.")
    wrong_on_page = traitlets.Int(0, read_only=True, help="How many predictions on this page are wrong.")
    title = traitlets.Unicode("", help="A heading above the grid.")
    heading = traitlets.Unicode(
        "", read_only=True, help="The line above the grid (HTML): title, page, images shown, mistakes."
    )
    page_html = traitlets.Unicode("", read_only=True, help="The page's HTML: one figure per image, caption included.")

    # Old child-widget names: still working, with a DeprecationWarning naming the trait to read.
    header = deprecated_alias("heading", lambda grid: grid._header)
    grid = deprecated_alias("page_html", lambda grid: grid._grid)

    def __init__(
        self,
        images: ArrayLike | None = None,
        labels: ArrayLike | None = None,
        probabilities: ArrayLike | None = None,
        predictions: ArrayLike | None = None,
        *,
        rows: int = 10,
        columns: int = 10,
        scale: int = 2,
        title: str = "",
    ) -> None:
        super().__init__()
        self.add_class("nnteach-digit-grid-widget")
        self.scale = scale
        self._images: NDArray[Any] = np.zeros((0, 28, 28), np.uint8)
        self._labels: NDArray[np.int64] | None = None
        self._predictions: NDArray[np.int64] | None = None
        self._confidence: NDArray[np.float64] | None = None
        self._header = widgets.HTML(layout=widgets.Layout(width="auto"))
        self._header.add_class("nnteach-grid-header")
        self._grid = widgets.HTML()
        self._grid.add_class("nnteach-digit-grid-html")
        self.previous_button = widgets.Button(description=_("◀ Previous"), layout=widgets.Layout(width="auto"))
        self.previous_button.add_class("nnteach-grid-previous")
        self.next_button = widgets.Button(description=_("Next ▶"), layout=widgets.Layout(width="auto"))
        self.next_button.add_class("nnteach-grid-next")
        self.page_box = widgets.BoundedIntText(value=1, min=1, max=1, description=_("Page"), layout={"width": "10em"})
        self.page_box.add_class("nnteach-grid-page")
        self.previous_button.on_click(lambda _button: self.previous_page())
        self.next_button.on_click(lambda _button: self.next_page())
        self.bind(
            self.page_box,
            "page",
            parse=lambda shown: int(shown) - 1,
            show=lambda page: page + 1,
            fallback=_("Could not show that page."),
        )
        navigation = widgets.HBox([self.previous_button, self.page_box, self.next_button, self._header])
        self.compose(navigation, self._grid, self.errors)
        try:
            with self.render_once():
                self.rows, self.columns, self.title = rows, columns, title
                self.set_data(images if images is not None else self._images, labels, probabilities, predictions)
        except Exception:
            self.close()  # refused data: nothing this widget made stays open
            raise

    # -- data -------------------------------------------------------------------------------
    def set_data(
        self,
        images: ArrayLike,
        labels: ArrayLike | None = None,
        probabilities: ArrayLike | None = None,
        predictions: ArrayLike | None = None,
    ) -> None:
        """Show new images (with optional labels and predictions), from the first page."""
        array = _check_images(images)
        n = len(array)
        label_array = None if labels is None else labels_array(labels, what="labels")
        predicted = confidence = None
        if probabilities is not None:
            probs = np.asarray(probabilities, dtype=np.float64)
            if probs.ndim != 2 or len(probs) != n:
                raise ValueError(
                    _(
                        "DigitGrid expects probabilities of shape ({n}, 10), one row per image. Received shape {shape}. Pass model.predict(images)."
                    ).format(n=n, shape=probs.shape)
                )
            broken = ~np.all(np.isfinite(probs), axis=1)  # e.g. a model whose training diverged
            predicted = np.where(broken, -1, np.nan_to_num(probs).argmax(axis=1)).astype(np.int64)
            confidence = np.where(broken, np.nan, np.nan_to_num(probs).max(axis=1))
        elif predictions is not None:
            predicted = labels_array(predictions, what="predictions")
        for name, values in (("labels", label_array), ("predictions", predicted)):
            if values is not None and len(values) != n:
                raise ValueError(
                    _("DigitGrid expects one of the {name} per image. Received {n} images and {len}.").format(
                        name=name, n=n, len=len(values)
                    )
                )
        self._images, self._labels, self._predictions, self._confidence = array, label_array, predicted, confidence
        with self.render_once():
            self.set_trait("count", n)
            self._update_pages()
            self.page = 0

    @property
    def page_size(self) -> int:
        return self.rows * self.columns

    def shown_indices(self) -> list[int]:
        """Indices (into the images) of the digits on the current page."""
        start = self.page * self.page_size
        return list(range(start, min(start + self.page_size, self.count)))

    def caption(self, index: int) -> str:
        """The caption under image ``index``: label, prediction and probability, ✗ when wrong."""
        parts = []
        if self._labels is not None:
            parts.append(f"label {self._labels[index]}")
        if self._predictions is not None and self._predictions[index] < 0:
            parts.append(_("no prediction (the probabilities are not numbers)"))
        elif self._predictions is not None:
            prediction = f"pred {self._predictions[index]}"
            if self._confidence is not None:
                prediction += f" {self._confidence[index]:.0%}"
            parts.append(prediction)
        text = " · ".join(parts) if parts else f"#{index}"
        return text + (" ✗" if self.is_wrong(index) else "")

    def captions(self) -> list[str]:
        """Captions of the current page, in order."""
        return [self.caption(index) for index in self.shown_indices()]

    def is_wrong(self, index: int) -> bool:
        """True when the prediction for image ``index`` differs from its label (no prediction: False)."""
        if self._labels is None or self._predictions is None or self._predictions[index] < 0:
            return False
        return bool(self._labels[index] != self._predictions[index])

    # -- paging -----------------------------------------------------------------------------
    def next_page(self) -> None:
        """Show the next page (stays on the last one)."""
        self.page = min(self.page + 1, self.pages - 1)

    def previous_page(self) -> None:
        """Show the previous page (stays on the first one)."""
        self.page = max(self.page - 1, 0)

    def _update_pages(self) -> None:
        self.set_trait("pages", max(1, -(-self.count // self.page_size)))
        self.page_box.max = self.pages

    @traitlets.validate("page")
    def _check_page(self, proposal: Any) -> int:
        page: int = proposal["value"]
        if not 0 <= page < self.pages:
            raise DigitGridError(
                _(
                    "DigitGrid has pages 0 to {value}. Received page={page}. Use next_page() or a smaller number."
                ).format(value=self.pages - 1, page=page)
            )
        return page

    @traitlets.validate("rows", "columns")
    def _check_size(self, proposal: Any) -> int:
        value: int = proposal["value"]
        if not 1 <= value <= 40:
            raise DigitGridError(
                _("DigitGrid expects {name} from 1 to 40. Received {value}. Use e.g. 10.").format(
                    name=proposal["trait"].name, value=value
                )
            )
        return value

    @traitlets.observe("page", "rows", "columns", "title")
    def _on_change(self, change: dict[str, Any]) -> None:
        with self.render_once():
            if change["name"] in ("rows", "columns"):
                self._update_pages()
                self.page = min(self.page, self.pages - 1)

    # -- drawing ----------------------------------------------------------------------------
    def _render(self) -> None:
        indices = self.shown_indices()
        cells = []
        pixels = as_pixels(self._images[indices]) if indices else np.zeros((0, 28, 28), np.float32)
        wrong = 0
        for image, index in zip(pixels, indices, strict=True):
            png = base64.b64encode(array_to_png(image, scale=self.scale)).decode("ascii")
            is_wrong = self.is_wrong(index)
            wrong += is_wrong
            css = "nnteach-digit nnteach-digit-wrong" if is_wrong else "nnteach-digit"
            size = 28 * self.scale
            title, alt = _("image #{index}").format(index=index), _("digit #{index}").format(index=index)
            cells.append(
                f'<figure class="{css}" title="{html.escape(title)}">'
                f'<img src="data:image/png;base64,{png}" width="{size}" height="{size}" alt="{html.escape(alt)}">'
                f"<figcaption>{html.escape(self.caption(index))}</figcaption></figure>"
            )
        columns = f"grid-template-columns: repeat({self.columns}, minmax(0, max-content));"  # shrink to fit
        self.set_trait("page_html", f'<div class="nnteach-digit-grid" style="{columns}">{"".join(cells)}</div>')
        self.set_trait("wrong_on_page", wrong)
        first, last = (indices[0] + 1, indices[-1] + 1) if indices else (0, 0)
        heading = f"<b>{html.escape(self.title)}</b> · " if self.title else ""
        marks = (
            _(" · {wrong} wrong on this page").format(wrong=wrong)
            if self._labels is not None and self._predictions is not None
            else ""
        )
        self.set_trait(
            "heading",
            f"{heading}Page {self.page + 1} of {self.pages} · images {first:,}–{last:,} of {self.count:,}{marks}",
        )
        with hold(self._grid, self._header, self.previous_button, self.next_button):
            self._grid.value = self.page_html
            self._header.value = self.heading
            self.previous_button.disabled = self.page == 0
            self.next_button.disabled = self.page >= self.pages - 1

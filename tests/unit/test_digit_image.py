"""DigitImage: the picture is exactly the image's pixels, at a fixed crisp size, beside its numbers."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
import traitlets
from PIL import Image

from nnteach.widgets import DigitImage


def _browser_update(widget: Any, state: dict[str, Any]) -> None:
    message = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    widget._handle_msg(message)  # noqa: SLF001, RUF100 - the entry point a comm message from the browser takes


def _parts(view: DigitImage) -> tuple[Any, Any, Any, Any]:
    """The slider, caption, numbers and picture, found by type in the widget tree (no private names)."""
    import ipywidgets as widgets

    found: list[Any] = []
    stack = list(view.children)
    while stack:
        child = stack.pop(0)
        found.append(child)
        stack.extend(getattr(child, "children", ()))
    slider = next(w for w in found if isinstance(w, widgets.IntSlider))
    picture = next(w for w in found if isinstance(w, widgets.Image))
    caption = next(w for w in found if "nnteach-digit-caption" in w._dom_classes)
    numbers = next(w for w in found if "nnteach-digit-numbers" in w._dom_classes)
    return slider, caption, numbers, picture


@pytest.fixture
def stack() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    images = (rng.random((5, 28, 28)) > 0.8).astype(np.uint8) * rng.integers(1, 256, (5, 28, 28), dtype=np.uint8)
    return images, np.array([3, 1, 4, 1, 5])


def test_picture_is_the_pixels_enlarged_without_blur(stack: tuple[np.ndarray, np.ndarray]) -> None:
    images, labels = stack
    view = DigitImage(images, labels, index=2, scale=8, grid=False)
    _slider, _caption, _numbers, picture = _parts(view)
    decoded = np.asarray(Image.open(io.BytesIO(picture.value)))
    assert decoded.shape == (224, 224)
    assert np.array_equal(decoded[::8, ::8], images[2]) and np.array_equal(decoded[7::8, 7::8], images[2])
    # A fixed size: the picture never stretches to the page width.
    assert (picture.layout.width, picture.layout.height) == ("224px", "224px")
    view.scale = 4
    assert picture.layout.width == "112px" and Image.open(io.BytesIO(picture.value)).size == (112, 112)
    view.close()


def test_numbers_are_the_same_pixels(stack: tuple[np.ndarray, np.ndarray]) -> None:
    images, labels = stack
    view = DigitImage(images, labels)
    _slider, _caption, numbers, _picture = _parts(view)
    text = numbers.value.split(">", 1)[1].rsplit("</pre>", 1)[0]
    parsed = np.array([[int(n) for n in line.split()] for line in text.splitlines()])
    assert np.array_equal(parsed, images[0])
    view.show_numbers = False
    assert numbers.layout.display == "none"
    view.close()


def test_the_slider_browses_and_the_caption_follows(stack: tuple[np.ndarray, np.ndarray]) -> None:
    images, labels = stack
    view = DigitImage(images, labels)
    slider, caption, _numbers, _picture = _parts(view)
    assert (slider.min, slider.max) == (0, 4)
    slider.value = 4  # what the learner's slider sends
    assert view.index == 4 and view.label == 5
    assert (
        view.caption
        == f"label 5 · {np.count_nonzero(images[4])} of 784 pixels have ink · brightest pixel {images[4].max()}"
    )
    assert "<b>label 5</b>" in caption.value
    view.close()


def test_bad_values_are_refused_with_a_sentence(stack: tuple[np.ndarray, np.ndarray]) -> None:
    images, labels = stack
    view = DigitImage(images, labels)
    with pytest.raises(traitlets.TraitError, match=r"There are 5 images, numbered 0 to 4\. Received: index=9"):
        view.index = 9
    with pytest.raises(ValueError, match=r"scale from 1 to 20 .* Received: scale=0"):
        view.scale = 0
    assert view.index == 0 and view.scale == 8
    with pytest.raises(ValueError, match=r"DigitImage shows 28×28 images\. Received an array of shape \(3, 4\)"):
        DigitImage(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"one label per image\. Received 5 images and 2 labels"):
        DigitImage(images, labels[:2])
    view.close()


def test_one_image_needs_no_slider_and_no_labels() -> None:
    image = np.zeros((28, 28), dtype=np.float32)
    image[3, 4] = 1.0
    view = DigitImage(image)
    slider, _caption, _numbers, _picture = _parts(view)
    assert view.count == 1 and view.label is None and slider.layout.display == "none"
    assert view.caption == "1 of 784 pixels have ink · brightest pixel 1.0"
    view.close()


def test_the_browser_cannot_write_outputs(stack: tuple[np.ndarray, np.ndarray]) -> None:
    images, labels = stack
    view = DigitImage(images, labels)
    _browser_update(view, {"index": 3, "caption": "forged", "label": 9})
    assert (view.index, view.label) == (0, 3) and "forged" not in view.caption
    view.close()


def test_close_releases_every_child(stack: tuple[np.ndarray, np.ndarray], recording_comm: Any) -> None:
    images, labels = stack
    before = set(recording_comm.open_comms)
    view = DigitImage(images, labels)
    view.close()
    from nnteach.widgets._base import page_style

    left = set(recording_comm.open_comms) - before - {page_style().comm.comm_id}
    assert not left, left


@pytest.mark.mnist
def test_real_mnist_first_training_image() -> None:
    from nnteach import load_mnist

    (x_train, y_train), _ = load_mnist()
    view = DigitImage(x_train, y_train)
    assert view.count == 60_000 and view.label == 5  # MNIST's first training label
    assert view.caption.startswith("label 5 · ") and view.caption.endswith("brightest pixel 255")
    view.close()

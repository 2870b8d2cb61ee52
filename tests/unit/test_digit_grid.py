"""DigitGrid: paging through real MNIST, captions from a real model, mistakes marked, bad input refused."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
import traitlets

from nnteach.images import array_to_png
from nnteach.models import reference_mlp
from nnteach.widgets import DigitGrid


def _click(button: Any) -> None:
    button.click()


@pytest.mark.mnist
def test_paging_through_the_training_set(mnist: Any) -> None:
    (x_train, y_train), _ = mnist
    grid = DigitGrid(x_train, labels=y_train, title="MNIST training images")
    assert (grid.count, grid.pages, grid.page) == (60_000, 600, 0)
    assert grid.previous_button.disabled
    assert grid.captions()[:3] == ["label 5", "label 0", "label 4"]
    _click(grid.next_button)
    assert grid.page == 1
    assert grid.shown_indices() == list(range(100, 200))
    assert grid.captions()[0] == f"label {y_train[100]}"
    assert "Page 2 of 600 · images 101–200 of 60,000" in grid.heading
    grid.page_box.set_state({"value": 600})  # the learner types the last page
    assert grid.page == 599
    assert grid.next_button.disabled
    _click(grid.next_button)  # stays on the last page
    assert grid.page == 599
    _click(grid.previous_button)
    assert grid.page == 598
    grid.columns = 5
    grid.rows = 4
    assert grid.pages == 3000
    assert len(grid.shown_indices()) == 20
    # the page shows the real pixels: the first image on it is x_train[index] as a PNG
    first = grid.shown_indices()[0]
    expected = array_to_png(x_train[first] / 255, scale=2)
    import base64

    sources = re.findall(r'src="data:image/png;base64,([^"]+)"', grid.page_html)
    assert len(sources) == 20
    assert base64.b64decode(sources[0]) == expected
    grid.close()


@pytest.mark.mnist
def test_prediction_grid_of_the_first_100_test_images_marks_the_mistakes(mnist: Any) -> None:
    _, (x_test, y_test) = mnist
    probabilities = reference_mlp().predict(x_test[:100])
    grid = DigitGrid(x_test[:100], labels=y_test[:100], probabilities=probabilities)
    predicted = probabilities.argmax(axis=1)
    wrong = int(np.sum(predicted != y_test[:100]))
    assert grid.pages == 1
    assert grid.wrong_on_page == wrong == grid.page_html.count("nnteach-digit-wrong")
    assert grid.captions()[0] == f"label 7 · pred {predicted[0]} {probabilities[0].max():.0%}"
    assert sum(caption.endswith("✗") for caption in grid.captions()) == wrong
    assert f"{wrong} wrong on this page" in grid.heading
    grid.close()


def test_bad_data_and_pages_are_refused_with_a_sentence() -> None:
    with pytest.raises(ValueError, match=r"shape \(n, 28, 28\)\. Received shape \(5, 10\)"):
        DigitGrid(np.zeros((5, 10)))
    with pytest.raises(ValueError, match="Received 3 images and 2"):
        DigitGrid(np.zeros((3, 28, 28)), labels=[1, 2])
    with pytest.raises(ValueError, match=r"probabilities of shape \(3, 10\)"):
        DigitGrid(np.zeros((3, 28, 28)), probabilities=np.zeros((2, 10)))
    grid = DigitGrid(np.zeros((30, 28, 28)))
    with pytest.raises(ValueError, match=r"pages 0 to 0\. Received page=4"):
        grid.page = 4
    grid.page_box.set_state({"value": 0})  # out of the box's range: clamped, nothing breaks
    assert grid.page == 0
    assert grid.captions()[0] == "#0"
    grid.set_data(np.zeros((0, 28, 28)))
    assert grid.count == 0
    assert grid.captions() == []
    grid.close()


def test_outputs_are_read_only_and_close_releases_the_parts() -> None:
    from nnteach.widgets._base import NNTeachValueError
    from nnteach.widgets.digit_grid import DigitGridError

    grid = DigitGrid(np.zeros((30, 28, 28)), rows=2, columns=5)
    assert grid.pages == 3
    with pytest.raises(traitlets.TraitError):
        grid.pages = 1
    with pytest.raises(DigitGridError, match="from 1 to 40"):
        grid.rows = 0
    assert issubclass(DigitGridError, NNTeachValueError)
    grid.comm.handle_msg(  # a crafted front-end write to an output is dropped
        {"content": {"data": {"method": "update", "state": {"count": 0}, "buffer_paths": []}}, "buffers": []}
    )
    assert grid.count == 30
    parts = (grid.next_button, grid.previous_button, grid.page_box)
    grid.close()
    assert all(part.comm is None for part in parts)


def test_old_child_names_still_work_and_say_which_trait_to_read() -> None:
    grid = DigitGrid(np.zeros((3, 28, 28)), labels=[1, 2, 3])
    with pytest.deprecated_call(match=r"DigitGrid\.header is deprecated; use DigitGrid\.heading"):
        assert grid.header.value == grid.heading
    with pytest.deprecated_call(match=r"DigitGrid\.grid is deprecated; use DigitGrid\.page_html"):
        assert grid.grid.value == grid.page_html
    grid.close()


def test_nan_probabilities_are_said_in_words_not_as_nan_percent() -> None:
    """Issue 16 item 11: a broken model's NaN rows read "pred 0 nan%"."""
    probabilities = np.eye(10)[[3, 5, 7]]
    probabilities[1] = np.nan
    grid = DigitGrid(np.zeros((3, 28, 28)), labels=[3, 5, 1], probabilities=probabilities)
    assert grid.captions() == [
        "label 3 · pred 3 100%",
        "label 5 · no prediction (the probabilities are not numbers)",
        "label 1 · pred 7 100% ✗",
    ]
    assert "nan%" not in grid.page_html
    assert grid.wrong_on_page == 1
    grid.close()

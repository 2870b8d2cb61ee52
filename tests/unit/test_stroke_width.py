"""Stroke-width normalisation and deskewing: what the network sees no longer depends on brush or size."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnteach.deskew import deskew, slant
from nnteach.preprocess import BOX_LEVEL, centre_of_mass, strokes_to_image, strokes_to_mnist, to_mnist
from nnteach.stroke_width import MNIST_STROKE_WIDTH, normalized_strokes_image


def _three(left: float, top: float, height: float) -> list[list[tuple[float, float]]]:
    """A two-bump "3" (a polyline through a half-ring, twice) in a box of ``height`` pixels."""
    points = []
    for centre in (0.25, 0.75):
        for i in range(13):
            angle = -math.pi / 2 + math.pi * i / 12
            points.append((0.5 + 0.3 * math.cos(angle), centre + 0.25 * math.sin(angle)))
    return [[(left + x * height, top + y * height) for x, y in points]]


def _ink_box(image: np.ndarray) -> tuple[int, int]:
    ink = image >= BOX_LEVEL * image.max()
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def test_a_small_thick_and_a_large_thin_drawing_look_the_same() -> None:
    small_thick = strokes_to_mnist(_three(10, 200, 50), width=18)  # a "3" 50 px high in a corner, default brush
    large_thin = strokes_to_mnist(_three(20, 15, 250), width=4)
    np.testing.assert_allclose(small_thick, large_thin, atol=1e-4)
    # The raster pipeline turned the small thick one into a blob: far more ink than the thin one.
    blob, hairline = (
        strokes_to_mnist(_three(10, 200, 50), width=18, normalize_width=False, deskew=False),
        to_mnist(strokes_to_image(_three(20, 15, 250), width=4)),
    )
    assert blob.sum() > 1.5 * small_thick.sum() > hairline.sum()


@pytest.mark.parametrize("stroke_width", [1.5, MNIST_STROKE_WIDTH, 3.5])
def test_ink_per_pixel_of_path_is_the_stroke_width_and_the_box_is_mnists(stroke_width: float) -> None:
    line = [[(140.0, 30.0), (140.0, 250.0)]]
    image = strokes_to_mnist(line, stroke_width=stroke_width)
    height, _ = _ink_box(image)
    length = 20.0 - stroke_width  # the path's length on the 28×28 field: the box minus the caps
    # A round-capped line: a rectangle and a disc of the stroke width.
    assert image.sum() == pytest.approx(stroke_width * length + math.pi * stroke_width**2 / 4, rel=0.05)
    assert height in (20, 21)
    assert [round(c, 1) for c in centre_of_mass(image)] == [14.0, 14.0]


def test_the_centre_of_mass_lands_on_mnists_for_an_unbalanced_digit() -> None:
    seven = [[(60.0, 50.0), (220.0, 50.0), (120.0, 250.0)]]
    row, col = centre_of_mass(strokes_to_mnist(seven))
    assert abs(row - 14.0) <= 0.1 and abs(col - 14.0) <= 0.1


def test_a_dot_has_no_size_and_falls_back_to_the_raster() -> None:
    assert normalized_strokes_image([np.array([[50.0, 60.0]])]) is None
    np.testing.assert_array_equal(strokes_to_mnist([[(50, 60)]]), to_mnist(strokes_to_image([[(50, 60)]])))


def test_points_outside_the_canvas_are_clipped_as_the_raster_clips_them() -> None:
    inside = strokes_to_mnist([[(140, 0), (140, 280)]])
    np.testing.assert_array_equal(strokes_to_mnist([[(140, -500), (140, 900)]]), inside)


def test_a_bad_stroke_width_is_refused_with_a_sentence() -> None:
    with pytest.raises(ValueError, match=r"stroke width from 0.5 to 10 pixels .*Received stroke_width=40"):
        strokes_to_mnist([[(1, 1), (9, 9)]], stroke_width=40)
    with pytest.raises(ValueError, match=r"positive brush width"):
        strokes_to_mnist([[(1, 1), (9, 9)]], width=-1)


def test_deskew_stands_a_slanted_stroke_upright_and_keeps_the_centre() -> None:
    slanted = strokes_to_mnist([[(180, 30), (100, 250)]], normalize_width=False, deskew=False)
    assert slant(slanted) < -0.2
    upright = to_mnist(strokes_to_image([[(180, 30), (100, 250)]]), deskew=True)
    assert abs(slant(upright)) < 0.03
    np.testing.assert_allclose(centre_of_mass(upright), centre_of_mass(slanted), atol=0.05)
    _, width = _ink_box(upright)
    assert width <= 4  # a vertical bar again
    np.testing.assert_array_equal(
        strokes_to_mnist([[(180, 30), (100, 250)]]),  # deskewed by default
        deskew(strokes_to_mnist([[(180, 30), (100, 250)]], deskew=False)),
    )


@pytest.mark.mnist
def test_deskew_undoes_a_known_shear_of_real_mnist_digits(mnist: object) -> None:
    from scipy import ndimage

    _, (x_test, _) = mnist  # type: ignore[misc]
    for image in x_test[:50].astype(np.float32) / 255.0:
        digit = to_mnist(image)
        # Shear by a known amount (ink moves 0.3 columns right per row down), independent of deskew's own code.
        sheared = ndimage.affine_transform(digit, [[1.0, 0.0], [-0.3, 1.0]], offset=[0.0, 0.3 * 14], order=1)
        assert slant(sheared) == pytest.approx(slant(digit) + 0.3, abs=0.05)
        assert abs(slant(deskew(sheared))) < 0.05

"""Rasterizing strokes and normalizing like MNIST, checked against the real MNIST arrays."""

from __future__ import annotations

import numpy as np
import pytest

from nnteach.models import reference_mlp
from nnteach.preprocess import (
    MAX_STROKE_POINTS,
    EmptyImage,
    centre_of_mass,
    clean_stroke,
    rasterize_stroke,
    strokes_to_image,
    strokes_to_mnist,
    to_mnist,
)

VERTICAL_ONE = [[(140.0, 40.0), (140.0, 240.0)]]


def _ring(cx: float, cy: float, rx: float, ry: float, count: int = 60) -> list[tuple[float, float]]:
    angles = np.linspace(0.0, 2.0 * np.pi, count)
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in angles]


def test_a_vertical_line_is_a_centred_one_the_model_recognizes() -> None:
    digit = strokes_to_mnist(VERTICAL_ONE)
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit.min() >= 0.0 and digit.max() == pytest.approx(1.0)
    row, col = centre_of_mass(digit)
    assert abs(row - 14.0) <= 0.5 and abs(col - 14.0) <= 0.5
    ink_rows = np.flatnonzero(digit.max(axis=1) > 0.2)
    assert 19 <= len(ink_rows) <= 21, "the longer side is scaled to 20 pixels"
    assert int(reference_mlp().predict(digit).argmax()) == 1


def test_a_drawn_ring_is_a_zero() -> None:
    digit = strokes_to_mnist([_ring(140, 140, 70, 100)])
    assert int(reference_mlp().predict(digit).argmax()) == 0


def test_rasterized_line_has_the_brush_width_round_caps_and_soft_edges() -> None:
    image = strokes_to_image([[(50.5, 20), (50.5, 80)]], size=100, width=10)
    assert image.shape == (100, 100) and image.dtype == np.float32
    row = image[50]
    assert row.sum() == pytest.approx(10.0), "10 pixels of ink across"
    assert row[55] == row[45] == 0.5 and row[46:55].min() == 1.0, "anti-aliased edge pixels"
    # Round cap: ink reaches 5 pixels past the end point along the axis, but not at the corners.
    assert image[16, 50] == 1.0 and image[14, 50] == 0.0
    assert image[15, 50] == 1.0 and image[15, 46] == 0.0, "a square cap would fill this corner"


def test_a_single_click_is_a_dot_and_points_outside_are_clipped() -> None:
    dot = strokes_to_image([[(20, 20)]], size=40, width=8)
    assert dot[20, 20] == 1.0 and np.sum(dot > 0.5) == pytest.approx(np.pi * 16, rel=0.2)
    outside = strokes_to_image([[(-50, 10), (500, 10)]], size=40, width=4)
    assert outside[10].min() == 1.0


def test_rasterize_stroke_keeps_the_brightest_value() -> None:
    canvas = np.zeros((30, 30), np.float32)
    rasterize_stroke(canvas, [(5, 15), (25, 15)], width=4)
    rasterize_stroke(canvas, [(15, 5), (15, 25)], width=4)
    assert canvas.max() == 1.0 and canvas[15, 15] == 1.0
    np.testing.assert_array_equal(canvas, canvas.T)


def test_scale_and_translation_do_not_change_the_normalized_digit() -> None:
    ring = _ring(0.0, 0.0, 0.6, 1.0)

    def place(scale: float, dx: float, dy: float) -> np.ndarray:
        return strokes_to_mnist([[(dx + scale * x, dy + scale * y) for x, y in ring]], width=scale * 0.25)

    reference = place(100.0, 140.0, 140.0)
    for scale, dx, dy in [(30.0, 40.0, 50.0), (60.0, 200.0, 70.0), (120.0, 140.0, 140.0)]:
        other = place(scale, dx, dy)
        assert np.abs(other - reference).mean() < 0.03, (scale, dx, dy)
        assert np.allclose(centre_of_mass(other), (14.0, 14.0), atol=0.5)


def test_a_thin_tiny_drawing_is_enlarged_to_the_20_pixel_box() -> None:
    image = np.zeros((280, 280), np.float32)
    image[250:260, 10:12] = 1.0
    digit = to_mnist(image)
    assert np.sum(digit.max(axis=1) > 0.2) in (20, 21)
    assert np.allclose(centre_of_mass(digit), (14.0, 14.0), atol=0.5)


def test_invert_reads_dark_ink_on_white_paper() -> None:
    paper = np.full((100, 60), 255, np.uint8)
    paper[10:90, 25:35] = 0
    np.testing.assert_allclose(to_mnist(paper, invert=True), to_mnist(255 - paper), atol=1e-6)


def test_empty_images_and_strokes_raise_empty_image() -> None:
    assert issubclass(EmptyImage, ValueError)
    with pytest.raises(EmptyImage, match="Received an empty image"):
        to_mnist(np.zeros((280, 280)))
    with pytest.raises(EmptyImage, match="draw a digit first, or check invert"):
        to_mnist(np.full((50, 50), 255, np.uint8), invert=True)
    with pytest.raises(EmptyImage):
        strokes_to_mnist([])
    with pytest.raises(EmptyImage):
        strokes_to_mnist([[]])
    assert strokes_to_image([], size=10).sum() == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: to_mnist(np.zeros((28, 28, 3))), r"Expected a 2-D grayscale image .*Received shape \(28, 28, 3\)"),
        (lambda: to_mnist(np.full((28, 28), 255.0)), r"Expected float pixels in \[0, 1\]"),
        (lambda: to_mnist(np.full((28, 28), np.nan)), "Received NaN or infinity"),
        (lambda: to_mnist(np.array([["a"]])), "Expected a grayscale image of numbers"),
        (lambda: strokes_to_image([[(1, 2, 3)]]), r"\(x, y\) pairs\. Received an array of shape \(1, 3\)"),
        (lambda: strokes_to_image([[("a", None)]]), "sequence of \\(x, y\\) number pairs"),
        (lambda: strokes_to_image([[(1, float("nan"))]]), "Expected finite stroke coordinates"),
        (lambda: strokes_to_image([], size=0), r"positive integer size.*Received size=0"),
        (lambda: strokes_to_image([], width=-1), r"positive brush width.*Received width=-1"),
    ],
)
def test_bad_input_gets_a_clear_message(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


@pytest.mark.mnist
def test_normalizing_real_mnist_keeps_its_centre_and_its_accuracy(mnist: object) -> None:
    (_, _), (x_test, y_test) = mnist  # type: ignore[misc]
    images, labels = x_test[:1000], y_test[:1000]
    mnist_centres = np.array([centre_of_mass(image) for image in images])
    np.testing.assert_allclose(mnist_centres.mean(axis=0), (14.0, 14.0), atol=0.05)  # where MNIST puts them
    normalized = np.stack([to_mnist(image) for image in images])
    centres = np.array([centre_of_mass(image) for image in normalized])
    assert np.abs(centres - 14.0).max() < 0.5
    model = reference_mlp()
    original = np.mean(model.predict(images).argmax(axis=1) == labels)
    assert np.mean(model.predict(normalized).argmax(axis=1) == labels) >= original - 0.01


@pytest.mark.mnist
def test_mnist_digits_drawn_large_and_off_centre_are_recognized(mnist: object) -> None:
    from PIL import Image

    (_, _), (x_test, y_test) = mnist  # type: ignore[misc]
    rng = np.random.default_rng(6)
    model = reference_mlp()
    normalized = []
    for image in x_test[:1000]:
        side = int(rng.integers(110, 250))
        enlarged = np.asarray(Image.fromarray(image).resize((side, side), Image.Resampling.BILINEAR))
        canvas = np.zeros((280, 280), np.uint8)
        top, left = rng.integers(0, 280 - side + 1, size=2)
        canvas[top : top + side, left : left + side] = enlarged
        normalized.append(to_mnist(canvas))
    accuracy = np.mean(model.predict(np.stack(normalized)).argmax(axis=1) == y_test[:1000])
    assert accuracy >= 0.97


# -- clean_stroke: what the canvas keeps of a stroke (issue 16 item 1) ----------------------------------


def test_clean_stroke_drops_non_finite_points_and_clips_the_rest() -> None:
    nan, inf = float("nan"), float("inf")
    stroke = [(1e308, 100), (nan, 5), (3, inf), (None, None), (-1e308, 100), (140, -5), (140, 300)]
    assert clean_stroke(stroke, size=280) == ((280.0, 100.0), (0.0, 100.0), (140.0, 0.0), (140.0, 280.0))
    digit = strokes_to_mnist([clean_stroke(stroke, size=280)])
    assert np.isfinite(digit).all() and digit.max() == pytest.approx(1.0)


def test_clean_stroke_keeps_an_ordinary_stroke_and_merges_repeats() -> None:
    ring = [(float(x), float(y)) for x, y in _ring(140, 140, 70, 100)]
    assert clean_stroke(ring, size=280) == tuple(ring)
    assert clean_stroke([(10, 10), (10, 10), (10, 10)], size=280) == ((10.0, 10.0),)
    assert clean_stroke([], size=280) == ()
    assert clean_stroke([(None, 3)], size=280) == ()


def test_clean_stroke_refuses_what_is_not_number_pairs() -> None:
    with pytest.raises(ValueError, match=r"sequence of \(x, y\) number pairs\. Received a stroke that is not"):
        clean_stroke([("a", "b")], size=280)
    with pytest.raises(ValueError, match=r"Received an array of shape \(2, 3\)"):
        clean_stroke([(1, 2, 3), (4, 5, 6)], size=280)


def test_a_100k_point_stroke_is_thinned_along_its_path() -> None:
    line = [(140.0, 40 + 200 * i / 99_999) for i in range(100_000)]
    thinned = clean_stroke(line, size=280)
    assert thinned[0] == line[0] and thinned[-1] == line[-1]
    assert 200 <= len(thinned) <= 202, "one point per pixel of the path"
    np.testing.assert_array_equal(strokes_to_image([thinned]), strokes_to_image([[line[0], line[-1]]]))
    zigzag = [(100.0 + (i % 2) * 80, 140.0) for i in range(100_000)]
    assert len(clean_stroke(zigzag, size=280)) == MAX_STROKE_POINTS
    assert len(clean_stroke(zigzag, size=280, max_points=50)) == 50

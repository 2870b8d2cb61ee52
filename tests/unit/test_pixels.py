"""Scaling pixels to [0, 1]: the tutorials' ``x / 255`` on the real MNIST arrays is the oracle."""

from __future__ import annotations

import numpy as np
import pytest

from nnteach.pixels import as_pixels, scale_pixels


@pytest.mark.mnist
def test_scale_pixels_is_the_tutorials_x_over_255_in_float32(mnist: object) -> None:
    (x_train, _), (x_test, _) = mnist  # type: ignore[misc]
    for images in (x_train[:5000], x_test):
        tutorial = (images / 255.0).astype(np.float32)  # what Keras receives from `x_train / 255.0`
        scaled = scale_pixels(images)
        assert scaled.dtype == np.float32
        np.testing.assert_array_equal(scaled, tutorial)
        np.testing.assert_array_equal(as_pixels(images.reshape(len(images), 784)), tutorial)


def test_every_uint8_value_matches_float64_division_rounded_to_float32() -> None:
    values = np.arange(256, dtype=np.uint8)
    np.testing.assert_array_equal(scale_pixels(values), (values / 255.0).astype(np.float32))


def test_floats_in_range_pass_unchanged_and_anything_else_is_refused() -> None:
    floats = np.array([[0.0, 0.25, 1.0]], np.float32)
    assert scale_pixels(floats) is floats
    with pytest.raises(ValueError, match=r"Expected float pixels in \[0, 1\]\. Received values from 0 to 255"):
        scale_pixels(np.array([0.0, 255.0]))
    with pytest.raises(ValueError, match=r"Expected integer pixels in 0\.\.255\. Received values from -1 to 3"):
        scale_pixels(np.array([-1, 3]))
    with pytest.raises(ValueError, match="Expected images as numbers"):
        as_pixels("not an image")
    with pytest.raises(
        ValueError, match=r"Expected images of shape \(28, 28\) or \(n, 28, 28\)\. Received shape \(3,\)"
    ):
        as_pixels(np.zeros(3, np.uint8))

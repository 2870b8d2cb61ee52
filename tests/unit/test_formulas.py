"""Formula images: offline mathtext PNGs, kept in the cache folder, with the LaTeX as alternative text."""

from __future__ import annotations

import base64
import html
import io

import pytest
from PIL import Image

from nnteach import activations
from nnteach.formulas import PNG_SIGNATURE, formula_img, formula_png


@pytest.mark.parametrize("name", activations.NAMES)
def test_every_activation_has_a_readable_formula_image(name: str) -> None:
    data = formula_png(name)
    assert data.startswith(PNG_SIGNATURE)
    width, height = Image.open(io.BytesIO(data)).size
    assert width > 2 * height > 20  # a line of formula, not an empty or broken image


def test_the_img_tag_carries_the_latex_and_the_png() -> None:
    tag = formula_img("sigmoid")
    assert f'alt="{html.escape(activations.get("sigmoid").latex, quote=True)}"' in tag
    encoded = tag.split("base64,")[1].split('"')[0]
    assert base64.b64decode(encoded) == formula_png("sigmoid")


def test_images_are_kept_in_the_cache_folder() -> None:
    from nnteach.paths import cache_dir

    formula_png.cache_clear()
    formula_png("tanh")
    kept = list((cache_dir() / "formulas").glob("*.png"))
    assert kept
    assert any(path.read_bytes() == formula_png("tanh") for path in kept)


def test_unknown_names_are_refused_plainly() -> None:
    with pytest.raises(ValueError, match=r"Unknown activation 'softmax'.*see OneHotSoftmaxView"):
        formula_png("softmax")

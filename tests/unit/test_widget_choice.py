"""Base pieces for widgets that keep another widget type, and the Enum trait with a learner's sentence."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pytest
import traitlets

from nnteach.widgets._base import BrowserWritable, Choice, Choices, NNTeachValueError, RendersOnce


class Tag(RendersOnce, BrowserWritable, widgets.HTML):
    """An HTML widget on the base mixins: `value` is rendered from `text`, the browser writes nothing."""

    text = traitlets.Unicode("", help="The text shown.")
    colour = Choice(("red", "green", "blue"), "red", help="The colour.")

    def _render(self) -> None:
        self.value = f"<b>{self.text}</b>"

    def close(self) -> None:
        parts = (self.layout, self.style)
        super().close()
        for part in parts:
            part.close()


def test_render_once_on_an_html_widget(closing: Any) -> None:
    tag = closing(Tag())
    renders: list[Any] = []
    tag.observe(renders.append, names="value")
    with tag.render_once():
        tag.text = "a"
        tag.text = "b"
    assert (tag.value, len(renders), tag.render_count) == ("<b>b</b>", 1, 1)


def test_a_crafted_update_message_is_refused(closing: Any) -> None:
    tag = closing(Tag())
    with tag.render_once():
        tag.text = "kept"
    message = {"content": {"data": {"method": "update", "state": {"value": "<i>forged</i>"}, "buffer_paths": []}}}
    tag._handle_msg(message)  # noqa: SLF001, RUF100 - the entry point a comm message from the browser takes
    assert tag.value == "<b>kept</b>"


def test_a_choice_refuses_with_a_sentence(closing: Any) -> None:
    tag = closing(Tag())
    with pytest.raises(
        NNTeachValueError, match=r"Expected colour one of 'red', 'green', 'blue'\. Received None; pick one"
    ):
        tag.colour = None
    with pytest.raises(ValueError, match=r"Received \[1, 2\]"):
        tag.colour = [1, 2]
    tag.colour = "blue"
    assert tag.colour == "blue"


class Palette(traitlets.HasTraits):
    colours = Choices(("red", "green", "blue"), ("red",), help="The colours picked.")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(("blue", "red"), ("blue", "red")), (["green", "green"], ("green",)), ("blue", ("blue",)), ((), ())],
)
def test_choices_keep_order_and_drop_repeats(value: Any, expected: tuple[str, ...]) -> None:
    palette = Palette()
    palette.colours = value
    assert palette.colours == expected


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (("red", "pink"), r"Expected colours from 'red', 'green', 'blue'\. Received 'pink'; pick from those\."),
        (None, r"Expected colours as a list of choices from 'red', 'green', 'blue'\. Received None"),
        ([["red"]], r"Received \['red'\]"),
    ],
)
def test_choices_refuse_with_a_sentence_and_keep_the_last_value(value: Any, match: str) -> None:
    palette = Palette()
    with pytest.raises(NNTeachValueError, match=match):
        palette.colours = value
    assert palette.colours == ("red",)

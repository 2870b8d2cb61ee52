"""The shared widget base: one render per batch, bound controls, browser writes, close()."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import ipywidgets as widgets
import pytest
import traitlets

from nnteach.widgets._base import NNTeachValueError, NNTeachWidget, close_tree, close_widget, page_style, styled

Make = Callable[[Any], Any]


class Gauge(NNTeachWidget):
    """A tiny widget on the base: a learner sets `level` (0..10); `label` is computed."""

    frontend_writable: ClassVar[frozenset[str]] = frozenset({"level"})
    level = traitlets.Int(1, help="The level, 0 to 10.").tag(sync=True)
    label = traitlets.Unicode("", read_only=True, help="`level` as text; computed.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.box = widgets.IntText()
        self.bind(self.box, "level", parse=int)
        self.compose(self.errors, self.box)
        with self.render_once():
            pass

    @traitlets.validate("level")
    def _valid_level(self, proposal: Any) -> int:
        if not 0 <= proposal["value"] <= 10:
            raise NNTeachValueError(
                f"Gauge expects a level from 0 to 10. Received level={proposal['value']}; pick one in that range."
            )
        return int(proposal["value"])

    @traitlets.observe("level")
    def _on_level(self, _change: Any) -> None:
        with self.render_once():
            pass

    def _render(self) -> None:
        self.set_trait("label", f"level {self.level}")


def _browser_update(widget: widgets.Widget, state: dict[str, Any]) -> None:
    """What a comm message from the front end does: ``Widget._handle_msg`` with method ``update``."""
    message = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    widget._handle_msg(message)  # noqa: SLF001, RUF100 - the entry point a comm message from the browser takes


def test_many_changes_render_once(closing: Make) -> None:
    gauge = closing(Gauge())
    before = gauge.render_count
    with gauge.render_once():
        gauge.level = 2
        gauge.level = 3
        gauge.level = 4
    assert gauge.render_count == before + 1
    assert gauge.label == "level 4"


def test_bound_control_sets_trait_and_bad_input_is_one_sentence(closing: Make) -> None:
    gauge = closing(Gauge())
    gauge.box.value = 7
    assert gauge.level == 7
    assert gauge.errors.message == ""
    gauge.box.value = 99
    assert gauge.level == 7
    assert gauge.errors.message.startswith("Gauge expects a level from 0 to 10. Received level=99")
    assert gauge.box.value == 7, "the control shows the trait's value again"
    gauge.box.value = 5
    assert gauge.errors.message == "", "a later success clears the old sentence"


def test_trait_changes_show_in_the_control(closing: Make) -> None:
    gauge = closing(Gauge())
    gauge.level = 9
    assert gauge.box.value == 9


def test_browser_may_write_only_learner_traits(closing: Make) -> None:
    gauge = closing(Gauge())
    _browser_update(gauge, {"level": 3, "label": "forged", "render_count": 99})
    assert gauge.level == 3
    assert gauge.label == "level 3"
    assert gauge.render_count < 99


def test_read_only_alone_does_not_stop_set_state_on_a_plain_widget(closing: Make) -> None:
    """Why the base filters: ipywidgets' own set_state writes read-only traits."""

    class Plain(widgets.VBox):
        label = traitlets.Unicode("", read_only=True).tag(sync=True)

    plain = Plain()
    _browser_update(plain, {"label": "forged"})
    assert plain.label == "forged"
    close_widget(plain)


def test_close_releases_what_the_widget_made(closing: Make) -> None:
    style = page_style()
    before = set(widgets.widget._instances)  # noqa: SLF001 - the kernel's live widget comms
    gauge = closing(Gauge())
    gauge.close()
    assert set(widgets.widget._instances) - before == set()  # noqa: SLF001
    assert style.comm is not None, "the page stylesheet is shared and stays open"


def test_close_stops_observing_other_widgets(closing: Make) -> None:
    gauge = closing(Gauge())
    other = widgets.IntSlider()
    seen: list[int] = []
    other.observe(lambda change: seen.append(change["new"]), names="value")
    gauge.on_close(lambda: seen.append(-1))
    gauge.close()
    assert seen == [-1]
    close_widget(other)


def test_one_stylesheet_per_kernel(closing: Make) -> None:
    first, second = closing(Gauge()), closing(Gauge())
    assert first.children[0] is second.children[0] is page_style()
    assert "<style>" in page_style().value
    first.close()
    second.close()


def test_styled_and_close_tree(closing: Make) -> None:
    inner = widgets.HTML("x")
    box = styled(inner)
    assert box.children == (page_style(), inner)
    assert close_tree(box, keep=(page_style(),)) == 1
    assert inner.comm is None
    close_widget(box)


def test_value_error_is_both_kinds(closing: Make) -> None:
    with pytest.raises(ValueError, match="Received level=11"):
        closing(Gauge()).level = 11

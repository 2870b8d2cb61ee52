"""Teacher links: query strings set widgets' shareable state through their own checks; hide and lock hold."""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import pytest
import traitlets

from nnteach.links import apply_link, link_query, parse_query
from nnteach.widgets._base import Choice, NNTeachValueError, NNTeachWidget


class Lamp(NNTeachWidget):
    """A small widget on the base with each kind of shareable trait and a bound control for each."""

    shared_traits: ClassVar[tuple[str, ...]] = ("brightness", "colour", "weights", "steps", "on")
    brightness = traitlets.Float(0.5, help="0 to 1.")
    colour = Choice(("red", "green"), "red", help="The colour.")
    weights = traitlets.Tuple((1.0, 2.0), help="Some numbers.")
    steps = traitlets.Int(3, help="1 to 100.")
    on = traitlets.Bool(False, help="Whether it is on.")
    secret = traitlets.Unicode("x", help="Not shareable.")

    def __init__(self) -> None:
        super().__init__()
        self.slider = self.bind(widgets.FloatSlider(min=0, max=1), "brightness")
        self.picker = self.bind(widgets.Dropdown(options=["red", "green"]), "colour")
        self.steps_box = self.bind(widgets.IntText(), "steps")
        self.compose(self.errors, self.slider, self.picker, self.steps_box)

    @traitlets.validate("brightness")
    def _valid(self, proposal: dict[str, Any]) -> float:
        if not 0 <= proposal["value"] <= 1:
            raise NNTeachValueError(f"Expected a brightness from 0 to 1. Received {proposal['value']}; use e.g. 0.5.")
        return float(proposal["value"])


def _browser_update(widget: widgets.Widget, state: dict[str, Any]) -> None:
    message = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    widget._handle_msg(message)  # noqa: SLF001, RUF100 - the entry point of a comm message from the page


def test_round_trip_of_shared_state() -> None:
    lamp = Lamp()
    lamp.brightness, lamp.colour, lamp.weights, lamp.steps, lamp.on = 0.25, "green", (3.0, 1.0, 0.2), 7, True
    state = lamp.shared_state()
    assert state == {"brightness": 0.25, "colour": "green", "weights": [3.0, 1.0, 0.2], "steps": 7, "on": True}
    other = Lamp()
    assert other.apply_shared_state(state) == []
    assert other.shared_state() == state
    lamp.close()
    other.close()


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("lamp.brightness=abc", "lamp.brightness was ignored: Expected a number. Received 'abc'"),
        ("lamp.brightness=nan", "lamp.brightness was ignored: Expected a finite number"),
        ("lamp.brightness=1e308", "lamp.brightness was ignored: Expected a brightness from 0 to 1"),
        ("lamp.colour=" + "r" * 500, "lamp.colour was ignored: Expected at most 300 characters"),
        ("lamp.colour=%3Cscript%3Ealert(1)%3C/script%3E", "lamp.colour was ignored: Expected colour 'red' or 'green'"),
        ("lamp.secret=y", "lamp.secret was ignored: Lamp has no setting secret"),
        ("lamp.weights=1,x", "lamp.weights was ignored: Expected numbers separated by commas"),
        ("lamp.on=maybe", "lamp.on was ignored: Expected true or false"),
        ("oven.heat=3", "oven.… was ignored: this page has no widget oven (it has: lamp)"),
        ("../../etc/passwd=1", "../../etc/passwd was ignored: expected <widget>.<setting>"),
        ("hide=lamp.nothing", "hide=lamp.nothing was ignored: there is no such control"),
    ],
)
def test_bad_values_become_notes_and_the_rest_applies(query: str, note: str) -> None:
    lamp = Lamp()
    notes = apply_link(f"{query}&lamp.steps=9", lamp=lamp)
    assert any(item.startswith(note) for item in notes), notes
    assert lamp.steps == 9 or "lamp.steps=" in query, "the valid setting still applies"
    assert note.split(" was ignored", maxsplit=1)[0][:20] in lamp.errors.message
    assert "<script>" not in lamp.errors.value, "the note is shown as text"
    lamp.close()


def test_lock_disables_the_control_and_refuses_every_change_from_the_page() -> None:
    lamp = Lamp()
    assert apply_link("lamp.brightness=0.8&lock=lamp.brightness&hide=lamp.steps", lamp=lamp) == []
    assert lamp.slider.disabled and lamp.brightness == 0.8
    _browser_update(lamp.slider, {"value": 0.1})  # a crafted message to the disabled slider
    assert lamp.brightness == 0.8 and lamp.slider.value == 0.8
    _browser_update(lamp, {"brightness": 0.2})
    assert lamp.brightness == 0.8
    assert lamp.steps_box.layout.display == "none"
    lamp.close()


def test_link_query_carries_changed_settings_hides_and_locks_but_nothing_personal() -> None:
    lamp = Lamp()
    apply_link("lamp.colour=green&lock=lamp.colour&name=Aiko&key=secret", lamp=lamp)
    lamp.brightness = 0.75
    query = link_query(lamp=lamp)
    assert query == "lamp.brightness=0.75&lamp.colour=green&lock=lamp.colour"
    fresh = Lamp()
    assert apply_link(query, lamp=fresh) == []
    assert fresh.shared_state() == lamp.shared_state() and fresh.slider.value == 0.75
    lamp.close()
    fresh.close()


def test_parse_query_skips_page_flags_and_caps_length() -> None:
    assert parse_query("projector=1&theme=dark&lang=ja").settings == {}
    assert parse_query("a.b=" + "x" * 5000).notes[0].startswith("The link was ignored: expected at most 4,000")

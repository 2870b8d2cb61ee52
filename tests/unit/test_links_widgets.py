"""Teacher links on the real widgets: every shareable state round-trips; a link sets what it says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import nnteach.widgets as nw
from nnteach.links import apply_link, link_query
from nnteach.widgets._base import NNTeachWidget


def _factories(tmp_path: Path) -> dict[str, Callable[[], Any]]:
    from nnteach.classroom import ClassStore

    return {
        "ClassBoard": lambda: nw.ClassBoard(store=ClassStore(f"sqlite:///{tmp_path / 'class.db'}")),
        "DigitImage": lambda: nw.DigitImage(np.zeros((3, 28, 28), np.uint8)),
    }


def _shareable() -> list[str]:
    return sorted(
        name
        for name in nw.__all__
        if isinstance(getattr(nw, name), type)
        and issubclass(getattr(nw, name), NNTeachWidget)
        and getattr(nw, name).shared_traits
    )


def test_the_widgets_the_issue_names_are_shareable() -> None:
    named = {"LayerStackBuilder", "OneHotSoftmaxView", "ActivationExplorer", "PerceptronView", "DigitCanvas"}
    assert named <= set(_shareable())


@pytest.mark.parametrize("name", _shareable())
def test_shared_state_round_trips(name: str, tmp_path: Path) -> None:
    make = _factories(tmp_path).get(name, getattr(nw, name))
    first = make()
    state = first.shared_state()
    second = make()
    assert second.apply_shared_state(state) == []
    assert second.shared_state() == state
    first.remember_page_state()
    assert link_query(w=first) == "", "a link of the page as it opened carries nothing"
    first.close()
    second.close()


def test_a_link_sets_the_softmax_view() -> None:
    view = nw.OneHotSoftmaxView()
    assert apply_link("softmax.logits=3,1,0.2&softmax.temperature=2&softmax.label=1", softmax=view) == []
    z = np.array([3, 1, 0.2]) / 2
    expected = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(view.probabilities, expected, rtol=1e-12)
    assert view.label == 1
    assert link_query(softmax=view) == "softmax.logits=3,1,0.2&softmax.temperature=2&softmax.label=1"
    view.close()


def test_a_link_picks_the_builders_preset_and_locks_it() -> None:
    builder = nw.LayerStackBuilder()
    assert apply_link("builder.preset=mlp_sigmoid_relu&lock=builder.preset", builder=builder) == []
    assert builder.total_params == 235_146
    assert builder.controls["preset"].disabled
    builder.close()


def test_a_link_chooses_activation_functions_by_name() -> None:
    explorer = nw.ActivationExplorer()
    assert apply_link("explorer.selected=tanh,relu&explorer.show_derivative=true", explorer=explorer) == []
    assert explorer.selected == ("tanh", "relu") and explorer.show_derivative is True
    notes = apply_link("explorer.selected=tanh,<b>x</b>", explorer=explorer)
    assert notes and notes[0].startswith("explorer.selected was ignored: Expected selected from")
    assert explorer.selected == ("tanh", "relu")
    explorer.close()


def test_a_copied_link_carries_only_what_changed_since_the_page_opened() -> None:
    explorer = nw.ActivationExplorer(selected=("sigmoid", "tanh", "relu"), show_derivative=True)
    assert apply_link("", explorer=explorer) == []
    assert link_query(explorer=explorer) == "", "the lesson's own set-up is not a change"
    explorer.cursor = 2.5
    assert link_query(explorer=explorer) == "explorer.cursor=2.5"
    explorer.close()

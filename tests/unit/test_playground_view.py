"""PlaygroundView: settings as traits bound to controls, pictures from the weights, Keras training with Stop."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
import traitlets

from nnteach._playground_net import forward
from nnteach.playground import make_dataset
from nnteach.widgets import PlaygroundView


def _from_browser(widget: Any, data: dict[str, Any]) -> None:
    widget.comm.handle_msg({"content": {"data": data}, "buffers": []})


def test_first_screen_shows_the_untrained_network_without_tensorflow() -> None:
    view = PlaygroundView(dataset="circles", hidden_layers=(3, 2), activation="tanh", noise=0.1)
    assert view.state == "idle" and view.model is None and view.frames == 1
    data = make_dataset("circles", noise=0.1)
    np.testing.assert_array_equal(view.data.x_train, data.x_train)
    probabilities = forward(view.weights, "tanh", data.x_test)[-1]
    assert view.test_accuracy == pytest.approx(float((probabilities.argmax(1) == data.y_test).mean()))
    network = view.network_picture.value
    assert network.count("<line") == 2 * 3 + 3 * 2 + 2 * 2  # one line per weight
    assert network.count("<image") == 2 + 3 + 2 + 1  # inputs, neurons, output
    assert view.region_image.value[:4] == b"\x89PNG"
    assert 'layers.Dense(3, activation="tanh")' in view.keras_code
    view.close()


def test_controls_set_the_traits_and_the_picture_follows() -> None:
    view = PlaygroundView()
    frames, points = view.frames, view.points_picture.value
    view.controls["dataset"].set_state({"index": 3})  # the learner picks "spiral"
    assert view.dataset == "spiral" and view.frames == frames + 1
    assert view.points_picture.value != points
    view.controls["hidden_layers"].set_state({"value": "8, 8, 2"})
    assert view.hidden_layers == (8, 8, 2) and [kernel.shape for kernel, _ in view.weights] == [
        (2, 8),
        (8, 8),
        (8, 2),
        (2, 2),
    ]
    view.controls["classes"].set_state({"index": 1})  # the learner picks 3
    assert view.weights[-1][0].shape == (2, 3) and view.data.y_train.max() == 2
    view.close()


def test_a_bad_layer_list_is_one_sentence_and_the_network_stays() -> None:
    view = PlaygroundView(hidden_layers=(4,))
    view.controls["hidden_layers"].set_state({"value": "4, 12"})
    assert view.hidden_layers == (4,)
    assert "Expected 1 to 8 neurons per hidden layer. Received 12" in view.errors.message
    assert view.controls["hidden_layers"].value == "4"
    with pytest.raises(traitlets.TraitError, match=r"Expected noise from 0 to 0\.5"):
        view.noise = 0.7
    view.close()


def test_a_teachers_link_sets_the_playground_and_a_copied_link_carries_it() -> None:
    from nnteach.links import apply_link, link_query

    view = PlaygroundView()
    notes = apply_link(
        "playground.dataset=spiral&playground.classes=3&playground.hidden_layers=8,8&playground.l2=0.001"
        "&playground.activation=sigmoidal&hide=playground.hidden_layers",
        playground=view,
    )
    assert (view.dataset, view.classes, view.hidden_layers, view.l2) == ("spiral", 3, (8, 8), 0.001)
    assert [kernel.shape for kernel, _ in view.weights] == [(2, 8), (8, 8), (8, 3)]
    assert len(notes) == 1 and "playground.activation was ignored: Expected activation" in notes[0]
    assert view.controls["hidden_layers"].layout.display == "none" and view.hidden == ("hidden_layers",)
    query = link_query(playground=view)
    assert "playground.dataset=spiral" in query and "playground.hidden_layers=8,8" in query
    assert "hide=playground.hidden_layers" in query
    view.close()


def test_reset_draws_new_weights_and_clears_the_history() -> None:
    view = PlaygroundView()
    before = view.weights[0][0].copy()
    view.reset_button.click()
    assert view.seed == 1 and not np.array_equal(view.weights[0][0], before)
    view.close()


def test_the_browser_cannot_write_outputs_or_state() -> None:
    view = PlaygroundView()
    _from_browser(view, {"method": "update", "state": {"state": "done", "epoch": 9}, "buffer_paths": []})
    assert (view.state, view.epoch) == ("idle", 0)
    view.close()


def test_close_releases_every_part() -> None:
    view = PlaygroundView()
    parts = [view.start_button, view.reset_button, view.code_button, *view.controls.values()]
    view.close()
    assert all(part.comm is None for part in parts)


@pytest.mark.keras
def test_xor_needs_a_hidden_layer() -> None:
    flat = PlaygroundView(dataset="xor", hidden_layers=(), epochs=40)
    flat.start()  # no event loop here: runs to the end
    assert flat.state == "done" and flat.epoch == 40
    assert 0.3 <= flat.test_accuracy <= 0.8
    hidden = PlaygroundView(dataset="xor", hidden_layers=(4,), activation="tanh", epochs=40)
    hidden.start()
    assert hidden.test_accuracy >= 0.95
    assert len(hidden.loss_history) == 40 and hidden.loss_history[-1][0] < hidden.loss_history[0][0]
    probabilities = np.asarray(hidden.model(hidden.data.x_test))  # Keras' own answer for the weights shown
    np.testing.assert_allclose(forward(hidden.weights, "tanh", hidden.data.x_test)[-1], probabilities, atol=1e-5)
    flat.close()
    hidden.close()


@pytest.mark.keras
def test_stop_ends_training_within_one_batch_and_the_picture_moves() -> None:
    view = PlaygroundView(dataset="circles", epochs=200, refresh_seconds=0.0)
    first = view.region_image.value

    async def scenario() -> tuple[int, int]:
        task = view.start()
        while view.batches < 5:
            await asyncio.sleep(0)
        at_stop = view.batches
        view.stop_button.click()
        await task
        return at_stop, view.batches

    at_stop, at_end = asyncio.run(scenario())
    assert view.state == "stopped" and at_end <= at_stop + 1
    assert view.frames > 5 and view.region_image.value != first
    view.close()


def test_the_data_sets_and_sliders_are_named_in_the_language_and_the_values_stay_the_keys() -> None:
    from nnteach import set_language

    set_language("ja")
    try:
        view = PlaygroundView()
        picker = view.controls["dataset"]
        assert picker.options == (("かたまり", "blobs"), ("同心円", "circles"), ("xor", "xor"), ("渦巻き", "spiral"))
        assert (view.controls["noise"].description, view.controls["points"].description) == ("ノイズ", "点の数")
        picker.set_state({"index": 3})  # the learner picks 渦巻き
        assert view.dataset == "spiral" and 'make_dataset("spiral"' in view.keras_code
        network = view.network_picture.value
        assert ">1 層目</text>" in network and ">出力</text>" in network and "<title>重み " in network
        assert "aria-label='ネットワーク: ニューロンは絵、重みは線で表しています'" in network
        view.close()
    finally:
        set_language(None)

"""DigitCanvas driven without a browser: comm messages as the browser sends them, buttons, traits, files."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import traitlets
from ipycanvas.canvas import _CANVAS_MANAGER, COMMANDS

from helpers import RecordingComm
from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.paths import work_dir
from nnteach.preprocess import MAX_STROKE_POINTS, strokes_to_mnist
from nnteach.widgets import DigitCanvas
from nnteach.widgets import digit_canvas as module
from nnteach.widgets._base import page_style
from nnteach.widgets.digit_canvas import DigitCanvasError

NAMES = {number: name for name, number in COMMANDS.items()}
ONE = [(140.0, 40.0), (142.0, 140.0), (141.0, 240.0)]


def _ring(
    cx: float = 140, cy: float = 140, rx: float = 60, ry: float = 95, count: int = 40
) -> list[tuple[float, float]]:
    angles = np.linspace(0.0, 2.0 * np.pi, count)
    return [(float(cx + rx * np.cos(a)), float(cy + ry * np.sin(a))) for a in angles]


@pytest.fixture
def make() -> Iterator[Any]:
    """Build DigitCanvases that are closed after the test (nothing is left open)."""
    made: list[DigitCanvas] = []

    def build(*args: Any, **kwargs: Any) -> DigitCanvas:
        made.append(DigitCanvas(*args, **kwargs))
        return made[-1]

    yield build
    for canvas in made:
        canvas.close()


def _message(widget: Any, data: dict[str, Any]) -> None:
    """A comm message from the browser, delivered as the kernel delivers it."""
    widget.comm.handle_msg({"content": {"data": data}, "buffers": []})


def _event(canvas: DigitCanvas, event: str, **content: Any) -> None:
    _message(canvas.drawing, {"method": "custom", "content": {"event": event, **content}})


def _click(button: Any) -> None:
    _message(button, {"method": "custom", "content": {"event": "click"}})


def _type(control: Any, value: Any) -> None:
    _type_state(control, {"value": value})


def _pick(dropdown: Any, value: Any) -> None:
    """A learner's choice in a Dropdown: the browser sends the option's index."""
    values = [option[1] for option in dropdown.options]
    _type_state(dropdown, {"index": values.index(value)})


def _type_state(control: Any, state: dict[str, Any]) -> None:
    _message(control, {"method": "update", "state": state, "buffer_paths": []})


def _draw(canvas: DigitCanvas, points: list[tuple[float, float]]) -> None:
    (x, y), *rest = points
    _event(canvas, "mouse_down", x=x, y=y)
    for x, y in rest:
        _event(canvas, "mouse_move", x=x, y=y)
    _event(canvas, "mouse_up", x=rest[-1][0], y=rest[-1][1])


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the ipycanvas commands the kernel sends to the browser, in order (decoded from the wire)."""
    names: list[str] = []

    def record(kind: str, data: Any = None, metadata: Any = None, buffers: Any = None, **keys: Any) -> None:
        commands = json.loads(bytes(buffers[0]))
        batch = commands if commands and isinstance(commands[0], list) else [commands]
        names.extend(NAMES.get(item[0], str(item[0])) for item in batch)

    monkeypatch.setattr(_CANVAS_MANAGER.comm, "publish_msg", record)
    return names


def test_an_empty_canvas_says_draw_a_digit(make: Any) -> None:
    canvas = make()
    assert canvas.image is None and canvas.probabilities == () and canvas.prediction is None
    assert canvas.caption == "Draw a digit" and canvas.errors.message == ""
    assert canvas.bars.values == (0.0,) * 10 and canvas.bars.highlight is None
    assert canvas.drawing.layout.width == "280px" and canvas.drawing.layout.height == "280px"


def test_add_stroke_predicts_like_the_reference_model(make: Any) -> None:
    canvas = make()
    canvas.add_stroke(ONE)
    expected = strokes_to_mnist([ONE])
    np.testing.assert_array_equal(canvas.image, expected)
    probabilities = reference_mlp().predict(expected)[0]
    np.testing.assert_allclose(canvas.probabilities, probabilities, atol=1e-6)
    assert canvas.prediction == 1 and canvas.bars.highlight == 1
    assert canvas.caption == f"Prediction: 1 ({probabilities[1]:.0%} sure)"
    assert canvas.from_logits is False and canvas.caption_note == ""


def test_mouse_messages_record_strokes_in_python_and_a_ring_is_a_zero(make: Any) -> None:
    canvas = make()
    ring = _ring()
    _draw(canvas, ring)
    assert len(canvas.strokes) == 1 and canvas.strokes[0][:2] == tuple(ring[:2])
    np.testing.assert_array_equal(canvas.image, strokes_to_mnist(canvas.strokes))
    assert canvas.prediction == 0


def test_moves_without_a_press_draw_nothing_and_leaving_the_canvas_ends_the_stroke(make: Any) -> None:
    canvas = make()
    _event(canvas, "mouse_move", x=10, y=10)
    _event(canvas, "mouse_up", x=10, y=10)
    assert canvas.strokes == () and canvas.prediction is None
    _event(canvas, "mouse_down", x=140, y=40)
    _event(canvas, "mouse_move", x=140, y=200)
    _event(canvas, "mouse_out", x=140, y=300)
    assert canvas.strokes == (((140.0, 40.0), (140.0, 200.0)),)
    _event(canvas, "mouse_move", x=50, y=50)
    assert len(canvas.strokes) == 1 and canvas.prediction == 1


def test_touch_draws_like_the_mouse(make: Any) -> None:
    canvas = make()
    ring = _ring()
    _event(canvas, "touch_start", touches=[{"x": ring[0][0], "y": ring[0][1]}])
    for x, y in ring[1:]:
        _event(canvas, "touch_move", touches=[{"x": x, "y": y}])
    _event(canvas, "touch_end", touches=[])
    assert len(canvas.strokes) == 1 and canvas.prediction == 0


def test_a_click_is_a_dot(make: Any) -> None:
    canvas = make()
    _event(canvas, "mouse_down", x=100, y=100)
    _event(canvas, "mouse_up", x=100, y=100)
    assert canvas.strokes == (((100.0, 100.0),),)
    assert canvas.image is not None and canvas.prediction is not None


# -- issue 16 item 1: coordinates are checked where a stroke enters -------------------------------


def test_huge_coordinates_are_clipped_and_later_strokes_still_predict(make: Any) -> None:
    canvas = make()
    canvas.add_stroke([(1e308, 100), (-1e308, 100)])
    assert canvas.strokes == (((280.0, 100.0), (0.0, 100.0)),), "clipped to the canvas' edges"
    assert canvas.errors.message == "" and canvas.prediction is not None
    canvas.clear()
    canvas.add_stroke(ONE)
    assert canvas.prediction == 1 and canvas.errors.message == ""


def test_non_finite_points_from_the_browser_are_dropped(make: Any) -> None:
    canvas = make()
    _event(canvas, "mouse_down", x=140, y=40)
    _event(canvas, "mouse_move", x=float("nan"), y=100)
    _event(canvas, "mouse_move", x=None, y=None)
    _event(canvas, "mouse_move", x=140, y=240)
    _event(canvas, "mouse_up", x=float("inf"), y=240)
    assert canvas.strokes == (((140.0, 40.0), (140.0, 240.0)),)
    assert canvas.prediction == 1 and canvas.errors.message == ""


def test_mouse_up_with_null_coordinates_keeps_the_stroke(make: Any, caplog: pytest.LogCaptureFixture) -> None:
    canvas = make()
    _event(canvas, "mouse_down", x=140, y=40)
    _event(canvas, "mouse_move", x=140, y=240)
    with caplog.at_level(logging.WARNING):
        _message(canvas.drawing, {"method": "custom", "content": {"event": "mouse_up"}})
    assert canvas.strokes == (((140.0, 40.0), (140.0, 240.0)),) and canvas.prediction == 1
    assert caplog.records == [], "nothing raised inside a callback"


@pytest.mark.parametrize("event", ["touch_start", "touch_move", "touch_end", "touch_cancel"])
def test_a_touch_event_without_touches_does_not_raise(make: Any, caplog: pytest.LogCaptureFixture, event: str) -> None:
    canvas = make()
    _event(canvas, "touch_start", touches=[{"x": 140, "y": 40}])
    _event(canvas, "touch_move", touches=[{"x": 140, "y": 240}])
    with caplog.at_level(logging.WARNING):
        _message(canvas.drawing, {"method": "custom", "content": {"event": event}})
        _message(canvas.drawing, {"method": "custom", "content": {"event": event, "touches": [{"x": 1}]}})
        _message(canvas.drawing, {"method": "custom", "content": "not an event"})
    assert caplog.records == [], [record.getMessage() for record in caplog.records]
    _event(canvas, "touch_end", touches=[])
    assert canvas.strokes == (((140.0, 40.0), (140.0, 240.0)),) and canvas.prediction == 1


def test_a_100k_point_stroke_is_thinned(make: Any) -> None:
    canvas = make()
    zigzag = [(100.0 + (i % 2) * 80, 40 + 200 * i / 100_000) for i in range(100_000)]
    started = time.perf_counter()
    canvas.add_stroke(zigzag)
    elapsed = time.perf_counter() - started
    (stroke,) = canvas.strokes
    assert len(stroke) == MAX_STROKE_POINTS and stroke[0] == zigzag[0] and stroke[-1] == zigzag[-1]
    np.testing.assert_array_equal(canvas.image, strokes_to_mnist([stroke]))
    assert elapsed < 10.0, f"{elapsed:.1f} s (it took 22.7 s before thinning)"


# -- buttons, traits and the browser -----------------------------------------------------------------


def test_undo_and_clear_buttons_and_observers(make: Any) -> None:
    canvas = make()
    changes: list[Any] = []
    canvas.observe(lambda change: changes.append(change["new"]), names="prediction")
    canvas.add_stroke(_ring())
    canvas.add_stroke(ONE)
    _click(canvas.controls["undo"])
    assert len(canvas.strokes) == 1 and canvas.prediction == 0
    np.testing.assert_array_equal(canvas.image, strokes_to_mnist([_ring()]))
    _click(canvas.controls["clear"])
    assert canvas.strokes == () and canvas.image is None and canvas.prediction is None
    assert canvas.caption == "Draw a digit"
    assert changes[0] == 0 and changes[-1] is None
    _click(canvas.controls["undo"])  # nothing left to undo: no error
    assert canvas.errors.message == ""


def test_brush_slider_moves_rebuild_the_same_image(make: Any) -> None:
    canvas = make()
    canvas.add_stroke(_ring())
    thin = canvas.image.copy()
    _type(canvas.controls["brush"], 30.0)
    assert canvas.brush_width == 30.0
    np.testing.assert_array_equal(canvas.image, strokes_to_mnist([_ring()], width=30.0))
    np.testing.assert_array_equal(canvas.image, thin)  # stroke width is normalised: the brush changes nothing seen
    rebuilt = make()
    rebuilt.brush_width = canvas.brush_width
    for stroke in canvas.strokes:
        rebuilt.add_stroke(stroke)
    assert rebuilt.strokes == canvas.strokes and rebuilt.probabilities == canvas.probabilities


def test_an_impossible_brush_width_is_refused_with_a_sentence(make: Any) -> None:
    canvas = make()
    with pytest.raises(DigitCanvasError, match=r"brush width from 1 to 100 canvas pixels\. Received 0"):
        canvas.brush_width = 0
    assert canvas.brush_width == 18.0 and isinstance(DigitCanvasError("x"), ValueError)


def test_a_crafted_update_sets_only_what_a_learner_may_change(make: Any) -> None:
    canvas = make()
    canvas.add_stroke(ONE)
    state = {"prediction": 7, "caption": "Prediction: 7", "probabilities": [0.1] * 10, "from_logits": True}
    _message(canvas, {"method": "update", "state": {**state, "brush_width": 30.0, "label": 4}, "buffer_paths": []})
    assert canvas.prediction == 1 and canvas.caption.startswith("Prediction: 1") and canvas.from_logits is False
    assert canvas.brush_width == 30.0 and canvas.label == 4
    _message(canvas, {"method": "update", "state": {"label": 42}, "buffer_paths": []})
    assert canvas.label == 4 and canvas.errors.message.startswith("Expected the true digit, 0 to 9. Received 42")
    for name in ("prediction", "caption", "probabilities", "image", "example_count"):
        with pytest.raises(traitlets.TraitError, match="read-only"):
            setattr(canvas, name, None)


def test_no_canvas_command_before_the_browser_is_ready(make: Any, sent: list[str]) -> None:
    canvas = make()
    canvas.add_stroke(ONE)
    _draw(canvas, _ring())
    assert sent == [], "commands sent before client_ready are lost under Voila"
    _event(canvas, "client_ready")
    assert sent[0] == "switchCanvas", "the manager switches to this canvas again"
    assert {"clear", "fillRect", "strokeRect"} <= set(sent)
    assert sent.count("strokeLines") == 2, "both kept strokes are replayed"
    sent.clear()
    _draw(canvas, [(20, 20), (40, 40), (60, 30)])
    assert "strokeLines" in sent and canvas.errors.message == ""


def test_logits_are_softmaxed_and_the_panel_says_so(make: Any) -> None:
    canvas = make(model=reference_softmax_regression())
    canvas.add_stroke(ONE)
    logits = reference_softmax_regression().predict(canvas.image)[0].astype(np.float64)
    expected = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    np.testing.assert_allclose(canvas.probabilities, expected, atol=1e-6)
    assert canvas.from_logits is True and "logits" in canvas.caption_note


def test_a_model_with_the_wrong_output_gets_one_sentence_and_controls_keep_working(make: Any) -> None:
    canvas = make(model=lambda x: np.zeros((len(x), 9)))
    canvas.add_stroke(ONE)
    assert "10 scores per image" in canvas.errors.message and "Dense(10)" in canvas.errors.message
    assert canvas.image is not None and canvas.prediction is None and canvas.probabilities == ()
    assert canvas.caption == "No prediction"
    _click(canvas.controls["clear"])
    assert canvas.errors.message == "" and canvas.caption == "Draw a digit"


def test_a_model_that_raises_is_reported_and_the_widget_recovers(make: Any) -> None:
    calls = {"n": 0}

    def flaky(x: np.ndarray) -> np.ndarray:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("GPU on fire")
        return reference_mlp().predict(x)

    canvas = make(model=flaky)
    canvas.add_stroke(ONE)
    assert "failed" in canvas.errors.message and "RuntimeError: GPU on fire" in canvas.errors.message
    assert "Traceback" in canvas.errors.value, "technical details stay collapsed under the sentence"
    canvas.add_stroke([(130, 40), (130, 240)])
    assert canvas.errors.message == "" and canvas.prediction == 1


def test_live_mode_predicts_while_drawing(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "LIVE_INTERVAL_S", 0.0)
    canvas = make(live=True)
    _event(canvas, "mouse_down", x=140, y=40)
    _event(canvas, "mouse_move", x=140, y=240)
    assert canvas.strokes == () and canvas.prediction == 1, "predicted before the stroke ended"
    still = make(live=False)
    _event(still, "mouse_down", x=140, y=40)
    _event(still, "mouse_move", x=140, y=240)
    assert still.prediction is None


def test_size_is_checked(make: Any) -> None:
    with pytest.raises(ValueError, match=r"integer from 56 to 1200\. Received size=10"):
        DigitCanvas(size=10)
    small = make(size=140)
    small.add_stroke([(70, 20), (70, 120)])
    assert small.prediction == 1 and small.drawing.width == 140 and small.size == 140


# -- the model is a trait -------------------------------------------------------------------------


class _Source(traitlets.HasTraits):
    model = traitlets.Any(None, allow_none=True)


def test_model_is_a_trait_that_dlinks_and_predicts_again(make: Any) -> None:
    canvas = make()
    canvas.add_stroke(ONE)
    assert canvas.from_logits is False
    source = _Source()
    traitlets.dlink((source, "model"), (canvas, "model"))
    source.model = reference_softmax_regression()
    assert canvas.model is source.model and canvas.predictor.model is source.model
    logits = reference_softmax_regression().predict(canvas.image)[0].astype(np.float64)
    np.testing.assert_allclose(canvas.probabilities, np.exp(logits) / np.exp(logits).sum(), atol=1e-6)
    assert canvas.from_logits is True and "logits" in canvas.caption_note
    source.model = None
    assert canvas.from_logits is False and canvas.predictor.description == "the packaged reference MLP"
    with pytest.raises(TypeError, match="Expected a model"):
        canvas.model = 42
    assert canvas.model is None


# -- examples: issue 15 item 19, issue 16 items 3 and 11 -----------------------------------------------


def test_examples_are_collected_saved_and_loaded(make: Any) -> None:
    folder = work_dir()
    canvas = make()
    _click(canvas.controls["save_example"])
    assert "draw a digit first" in canvas.errors.message
    canvas.add_stroke(ONE)
    _click(canvas.controls["save_example"])
    assert "pick it in 'It is a'" in canvas.errors.message
    _pick(canvas.controls["label"], 1)
    assert canvas.label == 1
    _click(canvas.controls["save_example"])
    canvas.clear()
    canvas.add_stroke(_ring())
    canvas.save_example(0)
    images, labels = canvas.examples
    assert images.shape == (2, 28, 28) and images.dtype == np.float32 and labels.tolist() == [1, 0]
    np.testing.assert_array_equal(images[1], strokes_to_mnist([_ring()]))
    assert canvas.example_count == 2 and canvas.examples_summary == "2 examples (0: 1, 1: 1)"

    _type(canvas.controls["file"], "class 3b")
    assert canvas.examples_file == "class 3b"
    _click(canvas.controls["save"])
    assert canvas.examples_summary.startswith("Saved to class 3b.npz.")
    assert [p.name for p in folder.iterdir()] == ["class 3b.npz"], "no temp file left behind"
    other = make()
    other.load("class 3b")
    np.testing.assert_array_equal(other.examples[0], images)
    np.testing.assert_array_equal(other.examples[1], labels)


def test_the_label_resets_after_save_as_example(make: Any) -> None:
    canvas = make()
    canvas.add_stroke(ONE)
    _pick(canvas.controls["label"], 1)
    _click(canvas.controls["save_example"])
    assert canvas.example_count == 1 and canvas.label is None
    assert canvas.controls["label"].value == -1, "the picker shows 'pick…' again"
    canvas.clear()
    canvas.add_stroke(_ring())
    _click(canvas.controls["save_example"])
    assert canvas.example_count == 1 and "pick it in 'It is a'" in canvas.errors.message


@pytest.mark.parametrize("button", ["save", "save_example", "load"])
def test_an_old_message_goes_after_a_later_success(make: Any, button: str) -> None:
    canvas = make()
    canvas.add_stroke(ONE)
    _type(canvas.controls["file"], "../outside")
    _click(canvas.controls["save"])
    assert "is not allowed" in canvas.errors.message
    _type(canvas.controls["file"], "fine name")
    canvas.save()
    _pick(canvas.controls["label"], 1)
    _click(canvas.controls[button])
    assert canvas.errors.message == "" and canvas.errors.value == ""


def test_loading_a_corrupt_or_missing_file_keeps_the_examples(make: Any) -> None:
    folder = work_dir()
    canvas = make()
    canvas.add_stroke(ONE)
    canvas.save_example(1)
    (folder / "broken.npz").write_bytes(b"PK\x03\x04 not really a zip")
    _type(canvas.controls["file"], "broken")
    _click(canvas.controls["load"])
    assert "cannot be read" in canvas.errors.message and len(canvas.examples[1]) == 1
    np.savez(folder / "foreign.npz", weights=np.zeros(3))
    with pytest.raises(ValueError, match=r"Expected foreign\.npz to hold digits saved by nnteach"):
        canvas.load("foreign")
    np.savez(folder / "badlabels.npz", images=np.zeros((2, 28, 28)), labels=np.array([3, 12]))
    with pytest.raises(ValueError, match=r"badlabels.npz does not hold valid examples: .*from 0 to 9\. Received 12"):
        canvas.load("badlabels")
    assert canvas.examples[1].tolist() == [1]


def test_a_missing_file_is_named_inside_the_work_folder_only(make: Any) -> None:
    canvas = make()
    _type(canvas.controls["file"], "never saved")
    _click(canvas.controls["load"])
    message = canvas.errors.message
    assert message.startswith("Expected saved examples called 'never saved' in your work folder"), message
    assert "(never saved.npz)" in message
    assert str(work_dir()) not in canvas.errors.value and "/" not in message


@pytest.mark.parametrize("name", ["../outside", "a/b", "/etc/passwd", "..", ".hidden"])
def test_names_that_leave_the_work_folder_are_refused(make: Any, name: str) -> None:
    folder = work_dir()
    canvas = make()
    _type(canvas.controls["file"], name)
    _click(canvas.controls["save"])
    assert "is not allowed" in canvas.errors.message
    _click(canvas.controls["load"])
    assert "is not allowed" in canvas.errors.message
    assert list(folder.iterdir()) == []


# -- lifetime and old names -------------------------------------------------------------------------


def test_close_leaves_no_comm_open_that_the_widget_made() -> None:
    before = set(RecordingComm.open_comms)
    canvas = DigitCanvas()
    canvas.add_stroke(ONE)
    _event(canvas, "client_ready")
    made = set(RecordingComm.open_comms) - before
    assert len(made) > 20, "the canvas, its controls, layouts and styles"
    canvas.close()
    left = {RecordingComm.open_comms[comm_id] for comm_id in set(RecordingComm.open_comms) - before}
    assert left <= {page_style().comm}, left  # the page's one stylesheet stays, on purpose
    assert canvas.comm is None and canvas.drawing.comm is None


def test_old_child_names_still_work_with_a_warning(make: Any) -> None:
    canvas = make()
    with pytest.deprecated_call(match=r"DigitCanvas\.canvas is deprecated; use DigitCanvas\.drawing"):
        assert canvas.canvas is canvas.drawing
    with pytest.deprecated_call(match="controls"):
        canvas.undo_button.click()
    with pytest.deprecated_call(match="label trait"):
        canvas.label_picker.value = 3
    assert canvas.label == 3
    canvas.add_stroke(ONE)
    with pytest.deprecated_call(match="caption trait"):
        assert "Prediction: <b>1</b>" in canvas.prediction_label.value
    with pytest.deprecated_call(match="examples_summary"):
        assert canvas.examples_status.value == "0 examples"


@pytest.mark.keras
def test_a_keras_model_drives_the_canvas(make: Any) -> None:
    keras_model = reference_mlp().to_keras()
    canvas = make(model=keras_model)
    canvas.add_stroke(ONE)
    assert canvas.prediction == 1 and canvas.from_logits is False
    np.testing.assert_allclose(canvas.probabilities, reference_mlp().predict(canvas.image)[0], atol=1e-5)

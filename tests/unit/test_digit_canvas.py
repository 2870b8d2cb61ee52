"""DigitCanvas driven without a browser: canvas events, buttons, traits, examples on disk."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from ipycanvas.canvas import _CANVAS_MANAGER, COMMANDS

from nnteach.models import reference_mlp, reference_softmax_regression
from nnteach.paths import work_dir
from nnteach.preprocess import strokes_to_image, strokes_to_mnist, to_mnist
from nnteach.widgets import DigitCanvas
from nnteach.widgets import digit_canvas as module

NAMES = {number: name for name, number in COMMANDS.items()}
ONE = [(140.0, 40.0), (142.0, 140.0), (141.0, 240.0)]


def _ring(
    cx: float = 140, cy: float = 140, rx: float = 60, ry: float = 95, count: int = 40
) -> list[tuple[float, float]]:
    angles = np.linspace(0.0, 2.0 * np.pi, count)
    return [(float(cx + rx * np.cos(a)), float(cy + ry * np.sin(a))) for a in angles]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the ipycanvas commands the kernel sends to the browser, in order."""
    names: list[str] = []

    def record(command: list[Any], buffers: list[Any] | None = None) -> None:
        batch = command if command and isinstance(command[0], list) else [command]
        names.extend(NAMES.get(item[0], str(item[0])) for item in batch)

    monkeypatch.setattr(_CANVAS_MANAGER, "_send_custom", record)
    return names


def _event(canvas: DigitCanvas, event: str, **content: Any) -> None:
    canvas.canvas._handle_frontend_event(None, {"event": event, **content}, [])


def _draw(canvas: DigitCanvas, points: list[tuple[float, float]]) -> None:
    (x, y), *rest = points
    _event(canvas, "mouse_down", x=x, y=y)
    for x, y in rest:
        _event(canvas, "mouse_move", x=x, y=y)
    _event(canvas, "mouse_up", x=rest[-1][0], y=rest[-1][1])


def test_an_empty_canvas_says_draw_a_digit() -> None:
    canvas = DigitCanvas()
    assert canvas.image is None and canvas.probabilities == () and canvas.prediction is None
    assert "Draw a digit" in canvas.prediction_label.value
    assert canvas.errors.message == ""
    assert canvas.bars.values == (0.0,) * 10 and canvas.bars.highlight is None
    assert canvas.canvas.layout.width == "280px" and canvas.canvas.layout.height == "280px"


def test_add_stroke_predicts_like_the_reference_model() -> None:
    canvas = DigitCanvas()
    canvas.add_stroke(ONE)
    expected = strokes_to_mnist([ONE])
    np.testing.assert_array_equal(canvas.image, expected)
    np.testing.assert_allclose(canvas.probabilities, reference_mlp().predict(expected)[0], atol=1e-6)
    assert canvas.prediction == 1 and canvas.bars.highlight == 1
    assert "Prediction: <b>1</b>" in canvas.prediction_label.value
    assert canvas.preview.value[:4] == b"\x89PNG"
    assert canvas.from_logits is False and canvas.note.value == ""


def test_mouse_events_record_strokes_in_python_and_a_ring_is_a_zero() -> None:
    canvas = DigitCanvas()
    ring = _ring()
    _draw(canvas, ring)
    assert len(canvas.strokes) == 1
    assert canvas.strokes[0][:2] == tuple(ring[:2])
    np.testing.assert_array_equal(canvas.image, to_mnist(strokes_to_image(canvas.strokes)))
    assert canvas.prediction == 0


def test_moves_without_a_press_draw_nothing_and_leaving_the_canvas_ends_the_stroke() -> None:
    canvas = DigitCanvas()
    _event(canvas, "mouse_move", x=10, y=10)
    _event(canvas, "mouse_up", x=10, y=10)
    assert canvas.strokes == () and canvas.prediction is None
    _event(canvas, "mouse_down", x=140, y=40)
    _event(canvas, "mouse_move", x=140, y=200)
    _event(canvas, "mouse_out", x=140, y=300)
    assert canvas.strokes == (((140.0, 40.0), (140.0, 200.0)),)
    _event(canvas, "mouse_move", x=50, y=50)
    assert len(canvas.strokes) == 1 and canvas.prediction == 1


def test_touch_draws_like_the_mouse() -> None:
    canvas = DigitCanvas()
    ring = _ring()
    _event(canvas, "touch_start", touches=[{"x": ring[0][0], "y": ring[0][1]}])
    for x, y in ring[1:]:
        _event(canvas, "touch_move", touches=[{"x": x, "y": y}])
    _event(canvas, "touch_end", touches=[])
    assert len(canvas.strokes) == 1 and canvas.prediction == 0


def test_a_click_is_a_dot() -> None:
    canvas = DigitCanvas()
    _event(canvas, "mouse_down", x=100, y=100)
    _event(canvas, "mouse_up", x=100, y=100)
    assert canvas.strokes == (((100.0, 100.0),),)
    assert canvas.image is not None and canvas.prediction is not None


def test_undo_and_clear_buttons_and_observers() -> None:
    canvas = DigitCanvas()
    changes: list[Any] = []
    canvas.observe(lambda change: changes.append(change["new"]), names="prediction")
    canvas.add_stroke(_ring())
    canvas.add_stroke(ONE)
    assert len(canvas.strokes) == 2
    canvas.undo_button.click()
    assert len(canvas.strokes) == 1 and canvas.prediction == 0
    np.testing.assert_array_equal(canvas.image, strokes_to_mnist([_ring()]))
    canvas.clear_button.click()
    assert canvas.strokes == () and canvas.image is None and canvas.prediction is None
    assert "Draw a digit" in canvas.prediction_label.value
    assert changes[0] == 0 and changes[-1] is None
    canvas.undo_button.click()  # nothing left to undo: no error
    assert canvas.errors.message == ""


def test_brush_width_slider_state_round_trip_rebuilds_the_same_image() -> None:
    canvas = DigitCanvas()
    canvas.add_stroke(_ring())
    thin = canvas.image.copy()
    canvas.width_slider.set_state({"value": 30.0})  # as the browser sends a slider move
    assert canvas.brush_width == 30.0
    assert canvas.width_slider.get_state()["value"] == 30.0
    np.testing.assert_array_equal(canvas.image, strokes_to_mnist([_ring()], width=30.0))
    assert not np.array_equal(canvas.image, thin)

    rebuilt = DigitCanvas()
    rebuilt.width_slider.set_state(canvas.width_slider.get_state())
    for stroke in canvas.strokes:
        rebuilt.add_stroke(stroke)
    assert rebuilt.strokes == canvas.strokes and rebuilt.probabilities == canvas.probabilities
    np.testing.assert_array_equal(rebuilt.image, canvas.image)


def test_an_impossible_brush_width_is_refused_with_a_sentence() -> None:
    canvas = DigitCanvas()
    with pytest.raises(ValueError, match=r"brush width from 1 to 100 canvas pixels\. Received 0"):
        canvas.brush_width = 0
    assert canvas.brush_width == 18.0


def test_no_canvas_command_before_the_browser_is_ready(sent: list[str]) -> None:
    canvas = DigitCanvas()
    canvas.add_stroke(ONE)
    _draw(canvas, _ring())
    assert sent == [], "commands sent before client_ready are lost under Voila"
    _CANVAS_MANAGER._current_canvas = canvas.canvas  # what a lost first switch leaves behind
    _event(canvas, "client_ready")
    assert sent[0] == "switchCanvas", "the workaround makes the manager switch again"
    assert {"clear", "fillRect", "strokeRect"} <= set(sent)
    assert sent.count("strokeLines") == 2, "both kept strokes are replayed"
    sent.clear()
    _draw(canvas, [(20, 20), (40, 40), (60, 30)])
    assert "strokeLines" in sent and canvas.errors.message == ""


def test_logits_are_softmaxed_and_the_panel_says_so() -> None:
    canvas = DigitCanvas(model=reference_softmax_regression())
    canvas.add_stroke(ONE)
    logits = reference_softmax_regression().predict(canvas.image)[0].astype(np.float64)
    expected = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    np.testing.assert_allclose(canvas.probabilities, expected, atol=1e-6)
    assert canvas.from_logits is True and "logits" in canvas.note.value


def test_a_model_with_the_wrong_output_gets_one_sentence_and_controls_keep_working() -> None:
    canvas = DigitCanvas(model=lambda x: np.zeros((len(x), 9)))
    canvas.add_stroke(ONE)
    assert "10 scores per image" in canvas.errors.message and "Dense(10)" in canvas.errors.message
    assert canvas.image is not None and canvas.prediction is None and canvas.probabilities == ()
    assert "No prediction" in canvas.prediction_label.value
    canvas.clear_button.click()
    assert canvas.errors.message == "" and "Draw a digit" in canvas.prediction_label.value


def test_a_model_that_raises_is_reported_and_the_widget_recovers() -> None:
    calls = {"n": 0}

    def flaky(x: np.ndarray) -> np.ndarray:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("GPU on fire")
        return reference_mlp().predict(x)

    canvas = DigitCanvas(model=flaky)
    canvas.add_stroke(ONE)
    assert "failed" in canvas.errors.message and "RuntimeError: GPU on fire" in canvas.errors.message
    assert "Traceback" in canvas.errors.value, "technical details stay collapsed under the sentence"
    canvas.add_stroke([(130, 40), (130, 240)])
    assert canvas.errors.message == "" and canvas.prediction == 1


def test_live_mode_predicts_while_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "LIVE_INTERVAL_S", 0.0)
    canvas = DigitCanvas(live=True)
    _event(canvas, "mouse_down", x=140, y=40)
    _event(canvas, "mouse_move", x=140, y=240)
    assert canvas.strokes == () and canvas.prediction == 1, "predicted before the stroke ended"
    still = DigitCanvas(live=False)
    _event(still, "mouse_down", x=140, y=40)
    _event(still, "mouse_move", x=140, y=240)
    assert still.prediction is None


def test_size_is_checked() -> None:
    with pytest.raises(ValueError, match=r"integer from 56 to 1200\. Received size=10"):
        DigitCanvas(size=10)
    small = DigitCanvas(size=140)
    small.add_stroke([(70, 20), (70, 120)])
    assert small.prediction == 1 and small.canvas.width == 140


def test_examples_are_collected_saved_and_loaded() -> None:
    folder = work_dir()
    canvas = DigitCanvas()
    canvas.save_example_button.click()
    assert "draw a digit first" in canvas.errors.message
    canvas.add_stroke(ONE)
    canvas.save_example_button.click()
    assert "pick it in 'It is a'" in canvas.errors.message
    canvas.label_picker.value = 1
    canvas.save_example_button.click()
    canvas.clear()
    canvas.add_stroke(_ring())
    canvas.save_example(0)
    images, labels = canvas.examples
    assert images.shape == (2, 28, 28) and images.dtype == np.float32 and labels.tolist() == [1, 0]
    np.testing.assert_array_equal(images[1], strokes_to_mnist([_ring()]))
    assert "2 examples" in canvas.examples_status.value

    canvas.examples_name.value = "class 3b"
    canvas.save_button.click()
    assert (folder / "class 3b.npz").is_file()
    assert [p.name for p in folder.iterdir()] == ["class 3b.npz"], "no temp file left behind"
    other = DigitCanvas()
    other.load("class 3b")
    np.testing.assert_array_equal(other.examples[0], images)
    np.testing.assert_array_equal(other.examples[1], labels)


def test_loading_a_corrupt_or_missing_file_keeps_the_examples() -> None:
    folder = work_dir()
    canvas = DigitCanvas()
    canvas.add_stroke(ONE)
    canvas.save_example(1)
    (folder / "broken.npz").write_bytes(b"PK\x03\x04 not really a zip")
    canvas.examples_name.value = "broken"
    canvas.load_button.click()
    assert "cannot be read" in canvas.errors.message and len(canvas.examples[1]) == 1
    np.savez(folder / "foreign.npz", weights=np.zeros(3))
    with pytest.raises(ValueError, match=r"Expected foreign\.npz to hold digits saved by nnteach"):
        canvas.load("foreign")
    np.savez(folder / "badlabels.npz", images=np.zeros((2, 28, 28)), labels=np.array([3, 12]))
    with pytest.raises(ValueError, match=r"badlabels.npz does not hold valid examples: .*from 0 to 9\. Received 12"):
        canvas.load("badlabels")
    with pytest.raises(ValueError, match="no such file"):
        canvas.load("never saved")
    assert canvas.examples[1].tolist() == [1]


@pytest.mark.parametrize("name", ["../outside", "a/b", "/etc/passwd", "..", ".hidden"])
def test_names_that_leave_the_work_folder_are_refused(name: str) -> None:
    folder = work_dir()
    canvas = DigitCanvas()
    canvas.examples_name.value = name
    canvas.save_button.click()
    assert "is not allowed" in canvas.errors.message
    canvas.load_button.click()
    assert "is not allowed" in canvas.errors.message
    assert list(folder.iterdir()) == []


@pytest.mark.keras
def test_a_keras_model_drives_the_canvas() -> None:
    keras_model = reference_mlp().to_keras()
    canvas = DigitCanvas(model=keras_model)
    canvas.add_stroke(ONE)
    assert canvas.prediction == 1 and canvas.from_logits is False
    np.testing.assert_allclose(canvas.probabilities, reference_mlp().predict(canvas.image)[0], atol=1e-5)


def test_switching_the_model_predicts_the_drawing_again() -> None:
    canvas = DigitCanvas()
    canvas.add_stroke(ONE)
    assert canvas.from_logits is False
    canvas.predictor = reference_softmax_regression()
    assert canvas.from_logits is True and "logits" in canvas.note.value
    logits = reference_softmax_regression().predict(canvas.image)[0].astype(np.float64)
    np.testing.assert_allclose(canvas.probabilities, np.exp(logits) / np.exp(logits).sum(), atol=1e-6)

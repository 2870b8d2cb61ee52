"""ModelPicker: the packaged models and the learner's saved files, driven by comm messages as from a browser."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import traitlets

from helpers import RecordingComm
from nnteach.models import reference_mlp, reference_softmax_regression, save_model
from nnteach.paths import work_dir
from nnteach.widgets import DigitCanvas, ModelPicker
from nnteach.widgets._base import page_style
from nnteach.widgets.model_picker import REFERENCE_MLP, SOFTMAX_REGRESSION, load_choice

ONE = [(140.0, 40.0), (140.0, 240.0)]


@pytest.fixture
def pair() -> Iterator[tuple[ModelPicker, DigitCanvas]]:
    """A picker whose model a canvas follows (dlink), both closed after the test."""
    picker, canvas = ModelPicker(), DigitCanvas()
    traitlets.dlink((picker, "model"), (canvas, "model"))
    canvas.add_stroke(ONE)
    yield picker, canvas
    picker.close()
    canvas.close()


def _message(widget: Any, data: dict[str, Any]) -> None:
    widget.comm.handle_msg({"content": {"data": data}, "buffers": []})


def _pick(picker: ModelPicker, choice: str) -> None:
    """A learner's pick in the dropdown: the browser sends the option's index."""
    dropdown = picker.controls["choice"]
    _message(dropdown, {"method": "update", "state": {"index": list(dropdown.options).index(choice)}})


def _refresh(picker: ModelPicker) -> None:
    _message(picker.controls["refresh"], {"method": "custom", "content": {"event": "click"}})


def test_a_fresh_work_folder_offers_the_packaged_models(pair: tuple[ModelPicker, DigitCanvas]) -> None:
    picker, canvas = pair
    assert picker.options == (REFERENCE_MLP, SOFTMAX_REGRESSION) == picker.controls["choice"].options
    assert picker.choice == REFERENCE_MLP and picker.model is reference_mlp()
    assert canvas.model is reference_mlp() and canvas.prediction == 1 and canvas.from_logits is False


def test_picking_softmax_regression_switches_the_canvas(pair: tuple[ModelPicker, DigitCanvas]) -> None:
    picker, canvas = pair
    _pick(picker, SOFTMAX_REGRESSION)
    assert picker.choice == SOFTMAX_REGRESSION and picker.model is reference_softmax_regression()
    assert canvas.model is picker.model and canvas.from_logits is True
    logits = reference_softmax_regression().predict(canvas.image)[0].astype(np.float64)
    np.testing.assert_allclose(canvas.probabilities, np.exp(logits) / np.exp(logits).sum(), atol=1e-6)
    assert picker.errors.message == ""


def test_a_renamed_npz_is_one_sentence_naming_the_file_in_the_work_folder(
    pair: tuple[ModelPicker, DigitCanvas],
) -> None:
    picker, canvas = pair
    _pick(picker, SOFTMAX_REGRESSION)
    np.savez(work_dir() / "digits.npz", images=np.zeros((2, 28, 28)), labels=np.array([1, 2]))
    (work_dir() / "digits.npz").rename(work_dir() / "digits.keras")  # lesson 7's KeyError before
    (work_dir() / "empty.keras").write_bytes(b"")
    _refresh(picker)
    assert picker.options == (REFERENCE_MLP, SOFTMAX_REGRESSION, "digits", "empty")
    _pick(picker, "digits")
    message = picker.errors.message
    assert message == (
        "Expected 'digits.keras' in your work folder to be a model saved with Keras. Received a file that is not "
        "one (damaged, or another file renamed); save the model again from its lesson, or pick another."
    )
    assert "Details" not in picker.errors.value and str(work_dir()) not in picker.errors.value
    assert picker.choice == SOFTMAX_REGRESSION and picker.controls["choice"].value == SOFTMAX_REGRESSION
    assert canvas.model is reference_softmax_regression(), "the previous model keeps answering"
    _pick(picker, "empty")
    assert picker.errors.message.startswith("Expected 'empty.keras' in your work folder")
    _pick(picker, REFERENCE_MLP)
    assert picker.errors.message == "" and canvas.from_logits is False


def test_a_file_gone_from_the_folder_is_a_sentence_too() -> None:
    with pytest.raises(ValueError, match=r"Received 'gone', which is not there; save one first, or press Refresh"):
        load_choice("gone")


def test_a_crafted_update_may_pick_but_not_set_the_model(pair: tuple[ModelPicker, DigitCanvas]) -> None:
    picker, canvas = pair
    _message(picker, {"method": "update", "state": {"options": ["x"], "choice": SOFTMAX_REGRESSION}})
    assert picker.options == (REFERENCE_MLP, SOFTMAX_REGRESSION) and picker.choice == SOFTMAX_REGRESSION
    assert canvas.from_logits is True
    _message(picker, {"method": "update", "state": {"choice": "../../etc/passwd"}})
    assert picker.choice == SOFTMAX_REGRESSION
    assert picker.errors.message.startswith("Expected one of the listed models"), picker.errors.message
    with pytest.raises(traitlets.TraitError, match="read-only"):
        picker.model = None


def test_close_leaves_no_comm_open_that_the_picker_made() -> None:
    before = set(RecordingComm.open_comms)
    picker = ModelPicker()
    assert len(set(RecordingComm.open_comms) - before) > 5
    picker.close()
    left = {RecordingComm.open_comms[comm_id] for comm_id in set(RecordingComm.open_comms) - before}
    assert left <= {page_style().comm}


@pytest.mark.keras
def test_a_saved_keras_model_answers_like_the_packaged_one(pair: tuple[ModelPicker, DigitCanvas]) -> None:
    picker, canvas = pair
    expected = canvas.probabilities
    save_model(reference_mlp().to_keras(), "my mlp")
    _refresh(picker)
    _pick(picker, "my mlp")
    assert picker.errors.message == "" and picker.choice == "my mlp"
    assert canvas.model is picker.model and picker.model.count_params() == 101_770
    np.testing.assert_allclose(canvas.probabilities, expected, atol=1e-5)


@pytest.mark.keras
def test_a_damaged_keras_file_is_one_sentence(pair: tuple[ModelPicker, DigitCanvas]) -> None:
    picker, canvas = pair
    with zipfile.ZipFile(work_dir() / "broken.keras", "w") as archive:
        archive.writestr("config.json", "{not json")
    _refresh(picker)
    _pick(picker, "broken")
    message = picker.errors.message
    assert message.startswith("Expected 'broken.keras' in your work folder to be a model Keras can load."), message
    assert "Details" not in picker.errors.value and str(work_dir()) not in picker.errors.value
    assert picker.choice == REFERENCE_MLP and canvas.model is reference_mlp()

"""The shared test helpers (tests/helpers.py) can fail: heavy imports are seen, the recording comm records and knows what is open."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from helpers import RecordingComm, clean_env, heavy_modules_after


def test_the_helper_names_heavy_modules_and_explains_a_failing_snippet() -> None:
    """A module registered as ``keras.src`` counts as Keras (no real import needed); a failing snippet says why."""
    assert heavy_modules_after("import sys, json; sys.modules['keras.src'] = json; print('chatter')") == ["keras"]
    with pytest.raises(AssertionError, match=r"the snippet failed \(exit 1\)(?s:.*)ZeroDivisionError"):
        heavy_modules_after("1 / 0")


def test_clean_env_keeps_this_checkout_out_of_another_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "src")
    monkeypatch.setenv("VIRTUAL_ENV", ".venv")
    monkeypatch.setenv("NNTEACH_CACHE", "cache-folder")
    env = clean_env(PIP_NO_INDEX="1")
    assert "PYTHONPATH" not in env and "VIRTUAL_ENV" not in env
    assert (env["NNTEACH_CACHE"], env["PIP_NO_INDEX"]) == ("cache-folder", "1")


def test_a_widget_talks_to_a_recording_comm_that_knows_it_is_open(recording_comm: type[RecordingComm]) -> None:
    slider = widgets.IntSlider(value=1, description="x")
    assert isinstance(slider.comm, recording_comm)
    kind, opened = slider.comm.messages[0]
    assert kind == "comm_open" and opened["data"]["state"]["value"] == 1
    assert opened["target_name"] == "jupyter.widget"
    slider.value = 5
    assert slider.comm.sent_states()[-1] == {"value": 5}
    assert slider.comm.comm_id in recording_comm.open_comms
    comm = slider.comm
    slider.close()
    assert comm.messages[-1][0] == "comm_close"
    assert comm.comm_id not in recording_comm.open_comms
    slider.layout.close()
    slider.style.close()


def test_a_browser_update_reaches_the_widget_through_the_recording_comm() -> None:
    slider = widgets.IntSlider()
    slider.comm.handle_msg(
        {"content": {"data": {"method": "update", "state": {"value": 7}, "buffer_paths": []}}, "buffers": []}
    )
    assert slider.value == 7
    assert slider.comm.sent_states() == []  # ipywidgets does not echo what the front end just sent
    for widget in (slider, slider.layout, slider.style):
        widget.close()

"""Issue 16's corpus: every public widget driven with bad input, as a browser or a crafted client would.

For every input: no exception escapes a widget callback (ipywidgets' ``CallbackDispatcher``
only logs them), no traceback is shown where a sentence belongs (no ``<details>`` in an error
area), no injected HTML appears raw, and a valid input afterwards still works.
"""

from __future__ import annotations

import logging
import math
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import comm
import ipywidgets as widgets
import numpy as np
import pytest
import traitlets
from bad_inputs import APPLIES_TO, CATEGORIES, FILES, LISTS, MOUSE, NUMBERS, RAW_MARKERS, STROKES, TEXTS

import nnteach.widgets as nw
from helpers import RecordingComm
from nnteach.widgets._parts import ErrorArea

_SRC = str(Path(nw.__file__).resolve().parents[1])


# -- widgets, made without TensorFlow ------------------------------------------------------------
def _make(name: str) -> widgets.Widget:
    if name == "DigitImage":
        return nw.DigitImage(np.zeros((3, 28, 28), np.float32), [1, 2, 3])
    if name in ("HandwritingCheck", "PipelineToggle"):
        return getattr(nw, name)(nw.DigitCanvas())
    if name == "LinkToView":
        return nw.LinkToView({"view": nw.NeuronView()})
    if name == "RunLogFiles":
        return nw.RunLogFiles(nw.RunComparison())
    if name == "ShareRow":
        return nw.ShareRow("Share", lambda _value: "Shared.")
    return getattr(nw, name)()


WIDGETS = sorted(name for name in nw.__all__ if isinstance(getattr(nw, name), type))
#: Buttons whose click trains or loads a Keras model: clicked in the keras tier only.
KERAS_BUTTONS = {"Start", "Run dropout experiment", "Compare with MNIST"}


def _corpus_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "corpus-work"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, widgets.Widget]]:
    """One instance of each widget for the whole module (a learner tries many bad things in a row).

    They are made before the first test (on recording comms) and closed after the last, so the
    per-test open-comm check counts only what a test itself opens.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(comm, "create_comm", RecordingComm)
        patch.setenv("NNTEACH_WORKDIR", str(_corpus_folder(tmp_path_factory)))
        cache = {name: _make(name) for name in WIDGETS}
    yield cache
    for widget in cache.values():
        widget.close()


@pytest.fixture(autouse=True)
def work_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = _corpus_folder(tmp_path_factory)
    monkeypatch.setenv("NNTEACH_WORKDIR", str(folder))
    return folder


def _widget(made: dict[str, widgets.Widget], name: str) -> widgets.Widget:
    if name not in made:
        made[name] = _make(name)
    return made[name]


def _tree(root: widgets.Widget) -> list[widgets.Widget]:
    found, stack, seen = [], [root], set()
    while stack:
        item = stack.pop()
        if id(item) in seen or not isinstance(item, widgets.Widget):
            continue
        seen.add(id(item))
        found.append(item)
        stack.extend(getattr(item, "children", ()))
        parts = getattr(item, "controls", ())  # the documented parts, shown or not
        parts = parts.values() if isinstance(parts, Mapping) else parts
        stack.extend(part for part in parts if isinstance(part, widgets.Widget))
    return found


# -- what is checked after every input -------------------------------------------------------
class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.bad: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and not _from_nnteach(error):
            return  # the control's own trait refused a value of the wrong type: nnteach code never ran
        if error is not None or record.levelno >= logging.ERROR:
            self.bad.append(f"{record.name}: {record.getMessage()[:300]}")


@pytest.fixture
def records() -> Iterator[_Records]:
    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def _from_nnteach(error: BaseException) -> bool:
    """True if the exception passed through nnteach's code (not only the control's own validation)."""
    return any(frame.f_code.co_filename.startswith(_SRC) for frame, _ in traceback.walk_tb(error.__traceback__))


def _send(control: widgets.Widget, state: dict[str, Any]) -> BaseException | None:
    """A front-end ``update`` of ``control``, exactly as a comm message from the browser arrives."""
    try:
        message = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
        control._handle_msg(message)  # noqa: SLF001 - what ipywidgets' comm handler calls
    except Exception as error:  # noqa: BLE001 - judged by the caller
        return error
    return None


def _click(button: widgets.Button) -> None:
    button._handle_msg({"content": {"data": {"method": "custom", "content": {"event": "click"}}}, "buffers": []})  # noqa: SLF001


def _problems(root: widgets.Widget, records: _Records, what: str, error: BaseException | None = None) -> list[str]:
    found = [f"{what}: logged {entry}" for entry in records.bad]
    records.bad.clear()
    if error is not None and _from_nnteach(error):
        found.append(f"{what}: raised {type(error).__name__}: {error!s:.200}")
    for part in _tree(root):
        if isinstance(part, ErrorArea) and "<details>" in part.value:
            found.append(f"{what}: traceback shown: {part.message[:200]}")
        value = getattr(part, "value", None)
        if isinstance(part, widgets.HTML | widgets.HTMLMath) and isinstance(value, str):
            found.extend(
                f"{what}: raw {marker!r} in {type(part).__name__}" for marker in RAW_MARKERS if marker in value
            )
    return found


def _messages(root: widgets.Widget) -> set[str]:
    return {part.message for part in _tree(root) if isinstance(part, ErrorArea) and part.message}


# -- a valid value for each kind of control --------------------------------------------------------
def _valid(control: widgets.Widget, original: dict[str, Any]) -> list[dict[str, Any]]:
    """Valid front-end updates: one different from the original (when there is one), then the original."""
    if "index" in original:
        count = len(control.options)
        index = original["index"]
        if isinstance(index, tuple):
            return [{"index": (0,) if count else ()}, original]
        other = (index + 1) % count if count and index is not None else index
        return [{"index": other}, original]
    value = original["value"]
    if isinstance(value, bool):
        return [{"value": not value}, original]
    if isinstance(value, int | float) and hasattr(control, "min"):
        return [{"value": _next_to(control, value)}, original]
    if isinstance(value, str):
        return [{"value": VALID_TEXT.get(control.description, value + " ")}, original]
    return [original]


def _next_to(control: widgets.Widget, value: float) -> float:
    """One step from ``value`` on the control: a valid value a learner could pick.

    Down from values over 1 (a capped size such as 60,000 images is often at its cap), else up.
    """
    step = control.step or 1
    if isinstance(control, widgets.FloatLogSlider):
        up = value * control.base**step
        return up if up <= control.base**control.max else value / control.base**step
    if value > 1 and value - step >= control.min:
        return value - step
    return value + step if value + step <= control.max else value - step


#: A valid text for each text box (by its description), different from the one it starts with.
VALID_TEXT = {
    "x to": "5",
    "x from": "-5",
    "File": "my-digits-2",
    "Name": "Ada",
    "units": "12",
    "rate": "0.3",
    "Logits": "1, 2, 3",
    "Hidden layers": "4, 2",
    "log name": "homework 2",
    "": "my run",
}


def _original(control: widgets.Widget) -> dict[str, Any]:
    if isinstance(control, widgets.widget_selection._Selection | widgets.widget_selection._MultipleSelection):  # noqa: SLF001
        return {"index": control.index}
    return {"value": control.value}


# -- the tests -------------------------------------------------------------------------------
def _controls(root: widgets.Widget, kinds: tuple[str, ...]) -> list[widgets.Widget]:
    return [
        part
        for part in _tree(root)
        if type(part).__name__ in kinds and not getattr(part, "disabled", False) and part is not root
    ]


CONTROL_CASES = [(name, category) for name in WIDGETS for category in CATEGORIES]


@pytest.mark.parametrize(("name", "category"), CONTROL_CASES)
def test_controls_answer_bad_input_plainly(
    made: dict[str, widgets.Widget], records: _Records, name: str, category: str
) -> None:
    root = _widget(made, name)
    found = _problems(root, records, "construction")
    baseline = _messages(root)
    for control in _controls(root, APPLIES_TO[category]):
        where = f"{name} {type(control).__name__} {getattr(control, 'description', '')!r}"
        original = _original(control)
        key = next(iter(original))
        for label, value in CATEGORIES[category]:
            error = _send(control, {key: value})
            found += _problems(root, records, f"{where} <- {label}", error)
        for state in _valid(control, original):
            error = _send(control, state)
            found += _problems(root, records, f"{where} <- valid {state}", error)
            if error is not None:
                found.append(f"{where}: a valid value was refused: {error}")
        left = _messages(root) - baseline
        if left:
            found.append(f"{where}: after a valid value, still shows {sorted(left)}")
    assert found == []


@pytest.mark.parametrize("name", WIDGETS)
def test_buttons_pressed_twice_and_crafted_widget_updates(
    made: dict[str, widgets.Widget], records: _Records, name: str
) -> None:
    root = _widget(made, name)
    found = _problems(root, records, "construction")
    for button in _controls(root, ("Button",)):
        if button.description in KERAS_BUTTONS:
            continue
        for _ in range(2):
            _click(button)
            found += _problems(root, records, f"{name} button {button.description!r}")
    # A crafted update to the widget itself: every trait, even the ones the browser may not write.
    crafted = {trait: None for trait in root.keys if not trait.startswith("_")}
    found += _problems(root, records, f"{name} crafted update", _send(root, crafted))
    assert found == []


@pytest.mark.parametrize(("label", "events"), MOUSE, ids=[label for label, _ in MOUSE])
def test_canvas_mouse_events(made: dict[str, widgets.Widget], records: _Records, label: str, events: Any) -> None:
    canvas = _widget(made, "DigitCanvas")
    found = []
    for event in events:
        error = None
        try:
            canvas.drawing._handle_frontend_event(None, event, [])  # noqa: SLF001
        except Exception as caught:  # noqa: BLE001
            error = caught
        found += _problems(canvas, records, f"mouse {label} {event}", error or None)
    canvas.drawing._handle_frontend_event(None, {"event": "mouse_up", "x": 1, "y": 1}, [])  # noqa: SLF001
    canvas.clear()
    canvas.add_stroke([(100, 100), (180, 180)])
    assert canvas.strokes, "a valid stroke after the bad events is kept"
    canvas.clear()
    assert found == []


@pytest.mark.parametrize(("label", "points"), STROKES, ids=[label for label, _ in STROKES])
def test_canvas_strokes(made: dict[str, widgets.Widget], records: _Records, label: str, points: Any) -> None:
    canvas = _widget(made, "DigitCanvas")
    canvas.clear()
    error = _call(lambda: canvas.add_stroke(points))
    found = _problems(
        canvas, records, f"stroke {label}", error if not isinstance(error, ValueError | TypeError) else None
    )
    if error is not None and not isinstance(error, ValueError | TypeError):
        found.append(f"stroke {label}: {type(error).__name__}: {error}")
    assert all(math.isfinite(c) and -1 <= c <= canvas.size + 1 for s in canvas.strokes for p in s for c in p)
    canvas.clear()
    canvas.add_stroke([(100, 100), (180, 180)])
    assert canvas.errors.message == ""
    canvas.clear()
    assert found == []


#: Public traits a lesson or a user sets from Python, by the kind of value they take.
LIST_TRAITS = [
    ("ProbabilityBars", "values"),
    ("ProbabilityBars", "labels"),
    ("ConfusionMatrix", "counts"),
    ("ConfusionMatrix", "labels"),
    ("OneHotSoftmaxView", "logits"),
    ("PerceptronView", "weights"),
    ("ActivationExplorer", "x_range"),
    ("RunComparison", "rates"),
]
NUMBER_TRAITS = [
    ("DigitGrid", "columns"),
    ("DigitGrid", "page"),
    ("NeuronView", "w"),
    ("NeuronView", "b"),
    ("NeuronView", "x"),
    ("OneHotSoftmaxView", "temperature"),
    ("OneHotSoftmaxView", "label"),
    ("DigitImage", "index"),
    ("DigitImage", "scale"),
    ("PerceptronView", "learning_rate"),
    ("ActivationExplorer", "alpha"),
    ("PlaygroundView", "noise"),
    ("PlaygroundView", "learning_rate"),
    ("TrainingMonitor", "epochs"),
    ("TrainingMonitor", "batch_size"),
    ("RunComparison", "epochs"),
    ("WeightTemplates", "max_shown"),
    ("DigitCanvas", "brush_width"),
    ("ProbabilityBars", "decimals"),
]
TEXT_TRAITS = [("DigitCanvas", "examples_file"), ("RunLogFiles", "name"), ("ProbabilityBars", "title")]


def _call(action: Callable[[], Any]) -> BaseException | None:
    try:
        action()
    except Exception as error:  # noqa: BLE001 - judged by the caller
        return error
    return None


def _sentence(error: BaseException | None) -> bool:
    """An error raised to Python callers: a ValueError/TypeError with a plain sentence, or nothing."""
    allowed = ValueError | TypeError | traitlets.TraitError  # TraitError: the trait's own type check
    return error is None or (isinstance(error, allowed) and "Traceback" not in str(error))


TRAIT_CASES: list[tuple[str, str, Any]] = [
    *((name, trait, value) for name, trait in LIST_TRAITS for _, value in LISTS),
    *((name, trait, value) for name, trait in NUMBER_TRAITS for _, value in NUMBERS),
    *((name, trait, value) for name, trait in TEXT_TRAITS for _, value in TEXTS),
]


@pytest.mark.parametrize(("name", "trait", "value"), TRAIT_CASES)
def test_public_traits(made: dict[str, widgets.Widget], records: _Records, name: str, trait: str, value: Any) -> None:
    root = _widget(made, name)
    assert root.has_trait(trait)
    before = getattr(root, trait)
    error = _call(lambda: setattr(root, trait, value))
    found = _problems(root, records, f"{name}.{trait} = {value!r:.40}")
    if not _sentence(error):
        found.append(f"{name}.{trait}: {type(error).__name__}: {error!s:.200}")
    _call(lambda: setattr(root, trait, before))
    assert found == []


@pytest.mark.parametrize(("label", "content"), FILES, ids=[label for label, _ in FILES])
@pytest.mark.parametrize("name", ["DigitCanvas", "RunLogFiles", "ModelPicker"])
def test_loading_bad_files(  # noqa: PLR0917 - pytest passes fixtures and parameters by name
    made: dict[str, widgets.Widget], records: _Records, work_folder: Path, name: str, label: str, content: Any
) -> None:
    root = _widget(made, name)
    suffix = {"DigitCanvas": ".npz", "RunLogFiles": ".json", "ModelPicker": ".keras"}[name]
    stem = f"bad {label}"
    target = _target(work_folder, name, stem + suffix)
    if content is None:
        target.mkdir(parents=True, exist_ok=True)
    else:
        target.write_bytes(content() if callable(content) else content)
    if name == "ModelPicker":  # the learner refreshes the list and picks the file
        _click(root.controls["refresh"])
        if stem not in root.options:  # a folder is not offered as a model: nothing to answer
            assert target.is_dir()
            assert _problems(root, records, f"{name} refresh {label}") == []
            return
        _send(root, {"choice": stem})
    else:
        setattr(root, "examples_file" if name == "DigitCanvas" else "name", stem)
        _click(root.controls["load"])
    found = _problems(root, records, f"{name} load {label}")
    message = root.errors.message
    if not message:
        found.append(f"{name} load {label}: no sentence")
    if str(work_folder) in message:
        found.append(f"{name} load {label}: server path shown: {message}")
    assert found == []


def _target(work_folder: Path, name: str, file_name: str) -> Path:
    if name == "DigitCanvas":
        from nnteach.examples import example_path

        return example_path(file_name.removesuffix(".npz"))
    if name == "ModelPicker":
        from nnteach.models.saved import model_file

        return model_file(file_name.removesuffix(".keras"))
    from nnteach.paths import learner_dir

    return learner_dir() / file_name


def test_corpus_size() -> None:
    """The corpus is several hundred inputs (issue 16's had 742)."""
    controls = sum(len(values) for values in CATEGORIES.values()) * len(WIDGETS)
    assert controls + len(MOUSE) + len(STROKES) + len(TRAIT_CASES) + 2 * len(FILES) >= 700
    assert TEXTS and NUMBERS


def test_a_browser_value_the_trait_refuses_is_a_sentence(closing: Callable[[Any], Any]) -> None:
    """``NNTeachWidget.set_state``: a refused front-end value is shown as a sentence, not logged as a traceback."""
    from typing import ClassVar

    from nnteach.widgets._base import Choice, NNTeachWidget

    class Lamp(NNTeachWidget):
        frontend_writable: ClassVar[frozenset[str]] = frozenset({"colour"})
        colour = Choice(("red", "green"), "red", help="The lamp's colour.").tag(sync=True)

    lamp = closing(Lamp())
    assert _send(lamp, {"colour": None}) is None
    assert lamp.errors.message == "Expected colour 'red' or 'green'. Received None; pick one of those."
    assert lamp.colour == "red"
    _send(lamp, {"colour": "green"})
    assert lamp.colour == "green"


@pytest.mark.keras
def test_start_pressed_twice_then_stop_twice_trains_once(records: _Records, closing: Callable[[Any], Any]) -> None:
    """PlaygroundView's Start pressed twice through the page starts one run; Stop twice stops it once."""
    import asyncio

    view = closing(nw.PlaygroundView(dataset="circles", epochs=200))
    start, stop = view.start_button, view.stop_button

    async def scenario() -> tuple[Any, Any]:
        _click(start)
        first = view._work.task  # noqa: SLF001 - the run under way, to compare with the second press
        _click(start)
        second = view._work.task  # noqa: SLF001
        while view.batches < 3:
            await asyncio.sleep(0)
        _click(stop)
        _click(stop)
        await first
        return first, second

    first, second = asyncio.run(scenario())
    assert first is second is not None
    assert view.state == "stopped"
    assert _problems(view, records, "Start twice, Stop twice") == []
    view.epochs = 1
    _click(start)  # usable afterwards: without a running loop the run goes to its end
    assert view.state == "done"
    assert _problems(view, records, "Start after Stop") == []

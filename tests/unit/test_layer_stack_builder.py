"""LayerStackBuilder driven like the front end would (trait changes, button clicks), no browser."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
import traitlets

from helpers import RecordingComm, heavy_modules_after
from nnteach.builders import ModelBuilder, is_model_builder
from nnteach.layers import (
    PRESETS,
    BatchNormalization,
    CompileSpec,
    Dense,
    Dropout,
    Flatten,
    ModelSpec,
    summary,
    validate,
)
from nnteach.widgets import LayerStackBuilder
from nnteach.widgets._base import NNTeachValueError, page_style


@pytest.fixture(autouse=True)
def _close_builders(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every builder a test makes is closed after it (no comm left open)."""
    made: list[LayerStackBuilder] = []
    original = LayerStackBuilder.__init__

    def init(self: LayerStackBuilder, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(LayerStackBuilder, "__init__", init)
    yield
    for builder in made:
        builder.close()


def _message(widget: Any, data: dict[str, Any]) -> None:
    """A comm message from the browser, delivered as the kernel delivers it."""
    widget.comm.handle_msg({"content": {"data": data}, "buffers": []})


def _type(control: Any, state: dict[str, Any]) -> None:
    _message(control, {"method": "update", "state": state, "buffer_paths": []})


def _pick(control: Any, value: Any) -> None:
    """A learner's choice in a Dropdown or ToggleButtons: the browser sends the option's index."""
    values = [option[1] if isinstance(option, tuple) else option for option in control.options]
    _type(control, {"index": values.index(value)})


def table_text(builder: LayerStackBuilder) -> str:
    return re.sub(r"<[^>]+>", " ", builder.views["table"].value)


def row_kinds(builder: LayerStackBuilder) -> list[str]:
    return [row.kind for row in builder.rows]


def row(builder: LayerStackBuilder, index: int) -> Any:
    return builder.rows[index]


def click(builder: LayerStackBuilder, index: int, action: str) -> None:
    _message(row(builder, index).buttons[action], {"method": "custom", "content": {"event": "click"}})


def test_starts_with_the_seed_mlp_and_its_summary() -> None:
    builder = LayerStackBuilder()
    assert builder.spec == PRESETS["mlp"]
    assert builder.preset == "mlp" and builder.controls["preset"].value == "mlp"
    assert row_kinds(builder) == ["Flatten", "Dense", "Dropout", "Dense"]
    assert builder.total_params == 101_770
    assert builder.problems == () and builder.error == ""
    text = table_text(builder)
    assert "dense (Dense)" in text and "100,480" in text and "784 × 128 + 128 = 100,480" in text
    assert "101,770" in text
    assert "Ready to build: 101,770 parameters" in builder.views["status"].value
    assert builder.views["diagram"].value.count("nnteach-stack-row") == 5  # the input and four layers


def test_row_hover_explains_the_arithmetic() -> None:
    builder = LayerStackBuilder("mlp_batchnorm")
    assert 'title="784 inputs × 128 units weights + 128 biases = 100,480."' in builder.views["table"].value
    assert "moving mean and variance (not trainable, 1,568)" in builder.views["table"].value


def test_diagram_bar_widths_follow_the_units() -> None:
    builder = LayerStackBuilder("mlp_sigmoid_relu")
    widths = [float(w) for w in re.findall(r"width: ([0-9.]+)%", builder.views["diagram"].value)]
    assert widths == pytest.approx([100.0, 100.0, 100 * 256 / 784, 100 * 128 / 784, 100 * 10 / 784], abs=0.01)


def test_add_button_appends_the_chosen_kind_and_updates_the_total() -> None:
    builder = LayerStackBuilder()
    _pick(builder.controls["layer_to_add"], "BatchNormalization")
    assert builder.layer_to_add == "BatchNormalization"
    _message(builder.controls["add"], {"method": "custom", "content": {"event": "click"}})
    assert builder.spec.layers[-1] == BatchNormalization()
    assert row_kinds(builder)[-1] == "BatchNormalization"
    assert builder.total_params == 101_770 + 40
    assert "101,810" in table_text(builder)
    assert builder.preset == "custom" and builder.controls["preset"].value == "custom"


def test_remove_and_reorder_buttons_drive_the_spec() -> None:
    builder = LayerStackBuilder()
    click(builder, 2, "up")
    assert builder.spec.layers == (Flatten(), Dropout(0.2), Dense(128, "relu"), Dense(10, "softmax"))
    click(builder, 1, "down")
    assert builder.spec == PRESETS["mlp"] and builder.preset == "mlp"
    click(builder, 2, "remove")
    assert builder.spec.layers == (Flatten(), Dense(128, "relu"), Dense(10, "softmax"))
    assert row_kinds(builder) == ["Flatten", "Dense", "Dense"]
    click(builder, 0, "up")  # the top layer stays on top
    assert builder.spec.layers[0] == Flatten()


def test_preset_picker_loads_presets() -> None:
    builder = LayerStackBuilder()
    for name, spec in PRESETS.items():
        _pick(builder.controls["preset"], name)
        assert builder.spec == spec and builder.preset == name
        assert builder.total_params == summary(spec).total_params
    _pick(builder.controls["preset"], "custom")  # choosing "custom" keeps the current stack
    assert builder.spec == PRESETS["mlp_sigmoid_relu"]


def test_editing_units_and_activation_as_the_browser_would() -> None:
    builder = LayerStackBuilder()
    dense = row(builder, 1)
    _type(dense.units, {"value": "64"})
    assert builder.spec.layers[1] == Dense(64, "relu")
    assert builder.total_params == 784 * 64 + 64 + 64 * 10 + 10
    _pick(dense.activation, "tanh")
    assert builder.spec.layers[1] == Dense(64, "tanh")
    assert row(builder, 1) is dense  # editing keeps the row (and the learner's focus)
    row(builder, 3).activation.value = "none (linear)"
    assert builder.spec.layers[3] == Dense(10)


def test_invalid_units_are_explained_next_to_the_layer() -> None:
    builder = LayerStackBuilder()
    row(builder, 1).units.value = "abc"
    expected = validate(builder.spec)[0].message
    assert "Received: units='abc'" in expected
    assert builder.error == expected
    assert html.escape(expected) in row(builder, 1).problem.value
    assert row(builder, 0).problem.value == ""
    assert "cannot be built" in builder.views["status"].value
    assert builder.total_params == 0
    assert "appears when the problems marked in red are fixed" in builder.views["table"].value
    with pytest.raises(ValueError, match=re.escape(expected)):
        _ = builder.model
    row(builder, 1).units.value = "128"
    assert builder.error == "" and builder.total_params == 101_770


def test_dropout_of_one_shows_its_message_and_blocks_the_model() -> None:
    builder = LayerStackBuilder()
    _type(row(builder, 2).rate, {"value": "1.0"})
    assert builder.spec.layers[2] == Dropout(1.0)
    assert "drops every unit, so nothing reaches the next layer" in row(builder, 2).problem.value
    assert builder.problems[0] == builder.error
    assert builder.total_params == 101_770  # the shapes are still known
    with pytest.raises(ValueError, match="drops every unit"):
        _ = builder.model


def test_warnings_do_not_block() -> None:
    builder = LayerStackBuilder(ModelSpec((Dense(16, "relu"), Flatten(), Dense(10, "softmax"))))
    assert builder.error == ""
    assert len(builder.problems) == 1 and "outputs (None, 28, 16)" in builder.problems[0]
    assert "nnteach-problem-warning" in row(builder, 0).problem.value


def test_model_level_problems_show_in_the_status() -> None:
    builder = LayerStackBuilder(ModelSpec(()))
    assert builder.error.startswith("The model has no layers")
    assert "The model has no layers" in builder.views["status"].value
    builder.spec = ModelSpec((Flatten(), Dense(4096), Dense(2048), Dense(10)))
    assert "more than the classroom budget of 5,000,000" in builder.views["status"].value
    assert builder.total_params > 5_000_000


def test_compile_controls_drive_compile_spec_and_its_problems() -> None:
    builder = LayerStackBuilder()
    builder.controls["from_logits"].value = True
    assert builder.compile_spec == CompileSpec(from_logits=True)
    assert "softmax applied twice" in builder.views["compile_problems"].value
    assert any("softmax applied twice" in message for message in builder.problems)
    assert builder.error == ""  # a warning: the model can still be built
    builder.controls["optimizer"].value = "sgd"
    builder.controls["learning_rate"].value = 0.0
    assert builder.compile_spec.optimizer == "sgd"
    assert builder.error.startswith("The learning rate must be a positive number")
    builder.compile_spec = CompileSpec(learning_rate=0.01, loss="categorical_crossentropy")
    controls = builder.controls
    assert (controls["optimizer"].value, controls["learning_rate"].value, controls["loss"].value) == (
        "adam",
        0.01,
        "categorical_crossentropy",
    )
    assert "one-hot labels" in builder.views["compile_problems"].value


def test_code_toggle_and_style() -> None:
    builder = LayerStackBuilder()
    code_box = next(box for box in builder.children if builder.views["code"] in getattr(box, "children", ()))
    assert code_box.layout.display == "none"
    _type(builder.controls["show_code"], {"value": True})
    assert builder.show_code and code_box.layout.display == "flex"
    assert "model = keras.Sequential(" in builder.views["code"].value
    assert "layers.Dense(128, activation=&quot;relu&quot;)," in builder.views["code"].value
    assert "SparseCategoricalCrossentropy(from_logits=False)" in builder.views["code"].value
    _pick(builder.controls["code_style"], "functional")
    assert builder.code_style == "functional"
    assert "model = keras.Model(inputs=inputs, outputs=x)" in builder.views["code"].value
    row(builder, 1).units.value = "32"
    assert "layers.Dense(32, activation=&quot;relu&quot;)(x)" in builder.views["code"].value
    row(builder, 1).units.value = "-1"
    assert "No code yet:" in builder.views["code"].value


def test_setting_spec_rebuilds_the_rows() -> None:
    builder = LayerStackBuilder("softmax_regression")
    builder.spec = ModelSpec((Flatten(), BatchNormalization(), Dense(10, "softmax")))
    assert row_kinds(builder) == ["Flatten", "BatchNormalization", "Dense"]
    assert builder.preset == "custom"


def test_unknown_names_stay_visible_with_their_explanation() -> None:
    builder = LayerStackBuilder(ModelSpec((Flatten(), Dense(10, "softmx"))))
    assert row(builder, 1).activation.value == "softmx"
    assert "Did you mean &#x27;softmax&#x27;?" in row(builder, 1).problem.value


def test_unknown_preset_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown preset 'cnn'; expected one of softmax_regression, mlp"):
        LayerStackBuilder("cnn")


def test_observers_see_spec_and_problems_change() -> None:
    builder = LayerStackBuilder()
    seen: list[str] = []
    builder.observe(lambda change: seen.append(change["name"]), names=["spec", "problems", "total_params"])
    builder.add_layer(Dropout(1.0))
    assert sorted(seen) == ["problems", "spec"]  # a Dropout adds no parameters
    builder.add_layer(Dense(10, "softmax"))
    assert sorted(seen) == ["problems", "spec", "spec", "total_params"]  # the same problems as before


def test_constructing_and_editing_never_import_tensorflow() -> None:
    code = (
        "import sys\n"
        "from nnteach.widgets import LayerStackBuilder\n"
        "from nnteach.layers import Dense\n"
        "b = LayerStackBuilder(); b.add_layer(Dense(5)); b.show_code = True; b.preset = 'mlp_batchnorm'\n"
        "b.code_style = 'functional'; b.controls['from_logits'].value = True\n"
    )
    assert heavy_modules_after(code) == []


@pytest.mark.keras
def test_model_is_a_fresh_compiled_keras_model_each_time() -> None:
    import keras

    builder = LayerStackBuilder()
    builder.controls["learning_rate"].value = 0.005
    first, second = builder.build_model(), builder.model
    assert first is not second
    assert isinstance(first, keras.Sequential)
    assert first.count_params() == 101_770
    assert float(first.optimizer.learning_rate.numpy()) == pytest.approx(0.005)
    assert isinstance(first.loss, keras.losses.SparseCategoricalCrossentropy)
    builder.layer_to_add = "BatchNormalization"
    builder.controls["add"].click()
    assert builder.build_model().count_params() == 101_810


def test_rows_are_reused_and_unused_rows_closed() -> None:
    builder = LayerStackBuilder()
    before = list(builder.rows)
    builder.add_layer(Dense(32, "relu"), 2)
    after = list(builder.rows)
    assert [after[i] for i in (0, 1, 3, 4)] == before  # only the new layer got a new row
    assert after[3].index == 3 and after[3].number.value == "<b>4.</b>"
    builder.move_layer(3, -1)
    assert builder.rows[2] is before[2]  # the Dropout row moved with its layer
    removed = builder.rows[2]
    builder.remove_layer(2)
    assert removed.comm is None  # closed: its views leave the page
    assert removed not in builder.rows


def test_a_crafted_update_sets_only_what_a_learner_may_change() -> None:
    builder = LayerStackBuilder()
    state = {"total_params": 5, "error": "", "problems": [], "show_code": True, "code_style": "add"}
    _type(builder, state)
    assert builder.total_params == 101_770 and builder.show_code and builder.code_style == "add"
    _type(builder, {"preset": "softmax_regression"})
    assert builder.spec == PRESETS["softmax_regression"] and builder.error == ""
    with pytest.raises(traitlets.TraitError, match="read-only"):
        builder.total_params = 5


@pytest.mark.parametrize(("name", "value"), [("preset", "cnn"), ("code_style", "yaml"), ("layer_to_add", "Conv2D")])
def test_finite_choices_are_enums_refused_with_a_sentence(name: str, value: str) -> None:
    builder = LayerStackBuilder()
    with pytest.raises(NNTeachValueError, match=rf"Expected {name} .*Received '{value}'; pick one of those"):
        setattr(builder, name, value)


def test_the_builder_is_a_model_builder_without_building_a_model() -> None:
    builder = LayerStackBuilder()
    assert is_model_builder(builder) and isinstance(builder, ModelBuilder)
    assert not is_model_builder(LayerStackBuilder) and not is_model_builder(PRESETS["mlp"])
    builder.add_layer(Dropout(1.0))
    with pytest.raises(ValueError, match="drops every unit"):
        builder.build_model()


def test_error_area_is_a_deprecated_name_for_errors() -> None:
    builder = LayerStackBuilder()
    with pytest.deprecated_call(match=r"LayerStackBuilder\.error_area is deprecated; use LayerStackBuilder\.errors"):
        assert builder.error_area is builder.errors
    with pytest.deprecated_call(match=r"controls\['preset'\]"):
        assert builder.preset_picker is builder.controls["preset"]
    with pytest.deprecated_call(match=r"views\['table'\]"):
        assert builder.table is builder.views["table"]


def test_close_leaves_no_comm_open_that_the_builder_made() -> None:
    before = set(RecordingComm.open_comms)
    builder = LayerStackBuilder()
    builder.add_layer(Dense(32, "relu"), 2)
    builder.remove_layer(2)
    assert len(set(RecordingComm.open_comms) - before) > 50
    builder.close()
    left = {RecordingComm.open_comms[comm_id] for comm_id in set(RecordingComm.open_comms) - before}
    assert left <= {page_style().comm}, len(left)

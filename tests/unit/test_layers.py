"""Model specs without TensorFlow: every validation rule, the budget, JSON, editing, summary arithmetic, code, compile checks."""

from __future__ import annotations

import json

import pytest

from helpers import heavy_modules_after
from nnteach.activations import KERAS_NAMES
from nnteach.layers import (
    PARAM_BUDGET,
    PRESETS,
    Activation,
    BatchNormalization,
    CompileSpec,
    Dense,
    Dropout,
    Flatten,
    ModelSpec,
    Problem,
    check_compile,
    final_activation,
    output_shapes,
    summary,
    to_code,
    validate,
)


def messages(problems: list[Problem]) -> list[str]:
    return [problem.message for problem in problems]


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, messages(problems)
    return problems[0]


def mlp(*hidden: object) -> ModelSpec:
    return ModelSpec((Flatten(), *hidden, Dense(10, "softmax")))  # type: ignore[arg-type]


# --- validation rules ---------------------------------------------------------------


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_are_valid(name: str) -> None:
    assert validate(PRESETS[name]) == []


@pytest.mark.parametrize("units", [0, -3, 2.5, "128", True, None])
def test_dense_units_must_be_a_positive_integer(units: object) -> None:
    problem = only(validate(mlp(Dense(units))))  # type: ignore[arg-type]
    assert problem.layer_index == 1
    assert problem.blocking
    assert problem.message.startswith("Layer 2 (Dense) needs a positive whole number of units.")
    assert f"Received: units={units!r}." in problem.message


def test_dropout_of_one_is_refused_and_explained() -> None:
    problem = only(validate(mlp(Dense(128, "relu"), Dropout(1.0))))
    assert problem.layer_index == 2
    assert "drops every unit, so nothing reaches the next layer" in problem.message
    assert "such as 0.2" in problem.message


@pytest.mark.parametrize("rate", [-0.1, 1.5, float("nan"), "0.2", None])
def test_dropout_rate_must_be_in_zero_to_one(rate: object) -> None:
    problem = only(validate(mlp(Dropout(rate))))  # type: ignore[arg-type]
    assert problem.layer_index == 1
    assert "needs a rate from 0 up to but not including 1" in problem.message
    assert f"Received: rate={rate!r}" in problem.message


@pytest.mark.parametrize("rate", [0, 0.0, 0.5, 0.999])
def test_dropout_rates_below_one_are_fine(rate: float) -> None:
    assert validate(mlp(Dropout(rate))) == []


def test_unknown_activation_lists_the_known_names_and_suggests_one() -> None:
    problem = only(validate(mlp(Dense(64, "rleu"))))
    assert problem.layer_index == 1
    assert "unknown activation 'rleu'" in problem.message
    assert ", ".join(KERAS_NAMES) in problem.message
    assert "Did you mean 'relu'?" in problem.message
    problem = only(validate(mlp(Activation("banana"))))
    assert "Layer 2 (Activation) has an unknown activation 'banana'" in problem.message
    assert "or None" not in problem.message  # an Activation layer needs a name


@pytest.mark.parametrize("name", KERAS_NAMES)
def test_every_known_activation_is_accepted(name: str) -> None:
    assert validate(mlp(Dense(32, name), Activation(name))) == []


def test_dense_on_2d_input_is_explained_not_refused() -> None:
    spec = ModelSpec((Dense(16, "relu"), Flatten(), Dense(10, "softmax")))
    problem = only(validate(spec))
    assert problem.severity == "warning" and not problem.blocking
    assert problem.layer_index == 0
    assert "outputs (None, 28, 16)" in problem.message
    assert "Add Flatten() before it" in problem.message


def test_without_any_flatten_the_output_shape_is_refused() -> None:
    problems = validate(ModelSpec((Dense(128, "relu"), Dense(10, "softmax"))))
    assert [p.severity for p in problems] == ["warning", "error"]
    assert problems[1].layer_index is None
    assert "outputs (None, 28, 10), but MNIST needs one row of 10 scores per image" in problems[1].message


def test_last_layer_must_be_ten_wide() -> None:
    problem = only(validate(ModelSpec((Flatten(), Dense(64, "relu")))))
    assert problem.layer_index == 1
    assert "outputs 64 values per image, but MNIST has 10 classes" in problem.message
    assert validate(ModelSpec((Flatten(), Dense(64, "relu"))), n_classes=None) == []
    assert validate(ModelSpec((Flatten(), Dense(3))), n_classes=3) == []


def test_empty_stack_is_refused() -> None:
    problem = only(validate(ModelSpec(())))
    assert problem.layer_index is None
    assert problem.message == 'The model has no layers. Add layers, or pick a preset such as "mlp".'


@pytest.mark.parametrize("shape", [(), (28, 0), (28, -1), (28.0, 28), "28x28"])
def test_input_shape_must_be_positive_integers(shape: object) -> None:
    problem = only(validate(ModelSpec((Flatten(), Dense(10)), shape)))  # type: ignore[arg-type]
    assert "The input shape must be a tuple of positive whole numbers" in problem.message


def test_unknown_layer_objects_are_named() -> None:
    problem = only(validate(ModelSpec((Flatten(), "Conv2D", Dense(10)))))  # type: ignore[arg-type]
    assert problem.message.startswith("Layer 2 is a str, but the builder knows Flatten, Dense, Dropout")


def test_every_problem_is_reported_in_order() -> None:
    spec = ModelSpec((Flatten(), Dense(0), Dropout(1.0), Dense(10, "sofmax")))
    problems = validate(spec)
    assert [p.layer_index for p in problems] == [1, 2, 3]
    assert "Did you mean 'softmax'?" in problems[2].message


# --- the parameter budget -----------------------------------------------------------------


def test_budget_refuses_huge_models_and_says_how_many() -> None:
    spec = mlp(Dense(4096, "relu"), Dense(1024, "relu"))
    total = summary(spec).total_params
    assert total > PARAM_BUDGET == 5_000_000
    problem = only(validate(spec))
    assert problem.layer_index is None
    assert f"asks for {total:,} parameters" in problem.message
    assert "budget of 5,000,000" in problem.message
    assert "Use fewer units" in problem.message
    assert validate(spec, max_params=None) == []
    assert validate(spec, max_params=total) == []
    assert len(validate(spec, max_params=total - 1)) == 1


# --- specs as data --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PRESETS))
def test_json_round_trip(name: str) -> None:
    spec = PRESETS[name]
    data = json.loads(json.dumps(spec.to_dict()))
    assert ModelSpec.from_dict(data) == spec


def test_json_round_trip_keeps_every_kind_and_input_shape() -> None:
    spec = ModelSpec((BatchNormalization(), Flatten(), Dense(5, "tanh"), Activation("gelu"), Dropout(0.5), Dense(10)))
    spec = ModelSpec(spec.layers, (4, 7))
    assert ModelSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_from_dict_explains_bad_data() -> None:
    with pytest.raises(ValueError, match=r"Layer 2 has kind 'Conv2D', but nnteach knows Flatten, Dense"):
        ModelSpec.from_dict({"layers": [{"kind": "Flatten"}, {"kind": "Conv2D"}]})
    with pytest.raises(ValueError, match=r"Layer 1 \(Dense\) has unexpected settings"):
        ModelSpec.from_dict({"layers": [{"kind": "Dense", "units": 3, "size": 4}]})
    with pytest.raises(ValueError, match="Expected a dict with a 'layers' list"):
        ModelSpec.from_dict({"layer": []})


def test_specs_are_frozen_and_hashable() -> None:
    spec = ModelSpec([Flatten(), Dense(10)])  # type: ignore[arg-type]
    assert isinstance(spec.layers, tuple)
    assert hash(spec) == hash(ModelSpec((Flatten(), Dense(10))))
    with pytest.raises(AttributeError):
        spec.layers = ()  # type: ignore[misc]


def test_editing_returns_new_specs() -> None:
    spec = PRESETS["mlp"]
    added = spec.with_layer_added(BatchNormalization(), 1)
    assert added.layers[1] == BatchNormalization() and len(added.layers) == 5
    assert spec.with_layer_added(Dropout(0.1)).layers[-1] == Dropout(0.1)
    assert spec.without_layer(2).layers == (Flatten(), Dense(128, "relu"), Dense(10, "softmax"))
    moved = spec.with_layer_moved(2, -1)
    assert moved.layers == (Flatten(), Dropout(0.2), Dense(128, "relu"), Dense(10, "softmax"))
    assert spec.with_layer_moved(0, -1) == spec and spec.with_layer_moved(3, +1) == spec
    assert spec.with_layer_replaced(1, Dense(64, "tanh")).layers[1] == Dense(64, "tanh")
    assert PRESETS["mlp"].layers[1] == Dense(128, "relu")  # the preset itself is untouched
    with pytest.raises(ValueError, match=r"Expected a layer index from 0 to 3. Received: 4"):
        spec.without_layer(4)


# --- summary without TensorFlow ----------------------------------------------------------------


def test_seed_mlp_summary_and_arithmetic() -> None:
    result = summary(PRESETS["mlp"])
    assert [row.name for row in result.rows] == ["flatten", "dense", "dropout", "dense_1"]
    assert [row.output_shape for row in result.rows] == [(None, 784), (None, 128), (None, 128), (None, 10)]
    assert [row.params for row in result.rows] == [0, 100_480, 0, 1_290]
    assert (result.total_params, result.trainable_params, result.non_trainable_params) == (101_770, 101_770, 0)
    assert result.rows[1].arithmetic == "784 × 128 + 128 = 100,480"
    assert result.rows[3].arithmetic == "128 × 10 + 10 = 1,290"
    assert "20% of the values" in result.rows[2].explanation


def test_batchnorm_counts_its_moving_statistics_as_non_trainable() -> None:
    result = summary(PRESETS["mlp_batchnorm"])
    row = result.rows[1]
    assert (row.name, row.params, row.trainable_params, row.non_trainable_params) == (
        "batch_normalization",
        3_136,
        1_568,
        1_568,
    )
    assert row.arithmetic == "4 × 784 = 3,136"
    assert (result.total_params, result.non_trainable_params) == (104_906, 1_568)


def test_summary_text_has_keras_layout() -> None:
    text = summary(PRESETS["mlp"]).to_text()
    lines = text.splitlines()
    assert lines[0] == 'Model: "sequential"'
    assert "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃" in lines
    assert "│ dense (Dense)                   │ (None, 128)            │       100,480 │" in lines
    assert lines[-3:] == [
        " Total params: 101,770 (397.54 KB)",
        " Trainable params: 101,770 (397.54 KB)",
        " Non-trainable params: 0 (0.00 B)",
    ]


def test_summary_refuses_specs_whose_shapes_are_unknown() -> None:
    with pytest.raises(ValueError, match=r"Layer 2 \(Dense\) needs a positive whole number of units"):
        summary(mlp(Dense(0)))
    assert summary(mlp(Dropout(1.0))).total_params == 7_850  # other problems do not stop the summary
    assert summary(ModelSpec(())).total_params == 0


def test_output_shapes_follow_dense_on_2d_input() -> None:
    spec = ModelSpec((Dense(16), BatchNormalization(), Flatten(), Dense(10)))
    assert output_shapes(spec) == [(28, 16), (28, 16), (448,), (10,)]
    result = summary(spec)
    assert result.rows[0].params == 28 * 16 + 16 and result.rows[1].params == 4 * 16
    assert "each of the 28 rows" in result.rows[0].explanation


# --- code, without running it (running it is in test_layers_vs_keras.py) -----------------------------


def test_code_styles_look_like_the_tutorials() -> None:
    spec = PRESETS["mlp"]
    listed = to_code(spec, "list")
    assert "model = keras.Sequential(\n    [\n        keras.Input(shape=(28, 28)),\n" in listed
    assert '        layers.Dense(128, activation="relu"),\n        layers.Dropout(0.2),' in listed
    added = to_code(spec, "add")
    assert "model = keras.Sequential()\nmodel.add(keras.Input(shape=(28, 28)))\nmodel.add(layers.Flatten())" in added
    functional = to_code(spec, "functional")
    assert 'x = layers.Dense(10, activation="softmax")(x)\nmodel = keras.Model(inputs=inputs, outputs=x)' in functional
    compiled = to_code(spec, "list", compile_spec=CompileSpec(optimizer="sgd", learning_rate=0.01))
    assert "optimizer=keras.optimizers.SGD(learning_rate=0.01)" in compiled
    assert 'metrics=["accuracy"]' in compiled


def test_code_refuses_invalid_layers_and_styles() -> None:
    with pytest.raises(ValueError, match=r"Expected style 'list', 'add' or 'functional'\. Received: style='seq'"):
        to_code(PRESETS["mlp"], "seq")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Layer 3 \(Dropout\) has rate 1.0"):
        to_code(mlp(Dense(4), Dropout(1.0)), "list")
    assert "Dense(64)" in to_code(ModelSpec((Flatten(), Dense(64))), "list")  # not 10 wide: still valid code


# --- compile settings -------------------------------------------------------------------------------


def test_default_compile_fits_the_presets_with_softmax() -> None:
    for name in ("mlp", "mlp_batchnorm", "mlp_sigmoid_relu"):
        assert check_compile(PRESETS[name], CompileSpec()) == []
    assert check_compile(PRESETS["softmax_regression"], CompileSpec(from_logits=True)) == []


def test_from_logits_after_softmax_is_softmax_twice() -> None:
    problem = only(check_compile(PRESETS["mlp"], CompileSpec(from_logits=True)))
    assert problem.severity == "warning"
    assert "softmax applied twice" in problem.message


def test_probabilities_expected_but_logits_given() -> None:
    problem = only(check_compile(PRESETS["softmax_regression"], CompileSpec(from_logits=False)))
    assert "ends with no activation, so it outputs raw scores (logits)" in problem.message
    problem = only(check_compile(mlp(Dense(10, "relu")).without_layer(2), CompileSpec()))
    assert "ends with a relu activation" in problem.message


def test_final_activation_skips_dropout_but_not_batchnorm() -> None:
    assert final_activation(mlp(Dropout(0.1)).with_layer_moved(1, +1)) == "softmax"
    assert final_activation(PRESETS["mlp"].with_layer_added(BatchNormalization())) is None
    assert final_activation(PRESETS["softmax_regression"].with_layer_added(Activation("softmax"))) == "softmax"


def test_categorical_loss_needs_one_hot_labels() -> None:
    problem = only(check_compile(PRESETS["mlp"], CompileSpec(loss="categorical_crossentropy")))
    assert "expects one-hot labels" in problem.message
    assert "TrainingMonitor turns them into one-hot rows for you" in problem.message, "says what nnteach does"
    assert "In your own fit code convert them with keras.utils.to_categorical(y, 10)" in problem.message


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"optimizer": "rmsprop"}, "Unknown optimizer 'rmsprop'; expected 'adam' or 'sgd'"),
        ({"learning_rate": 0}, "The learning rate must be a positive number. Received: learning_rate=0."),
        ({"learning_rate": float("inf")}, "The learning rate must be a positive number"),
        ({"loss": "mse"}, "Unknown loss 'mse'"),
        ({"metrics": ("accuracy", "f1")}, "Unknown metrics ['f1']"),
    ],
)
def test_wrong_compile_values_are_errors(settings: dict[str, object], expected: str) -> None:
    problem = only(check_compile(PRESETS["mlp"], CompileSpec(**settings)))  # type: ignore[arg-type]
    assert problem.blocking
    assert expected in problem.message


def test_a_huge_learning_rate_is_a_warning() -> None:
    problem = only(check_compile(PRESETS["mlp"], CompileSpec(learning_rate=5.0)))
    assert not problem.blocking and "very large" in problem.message


def test_compile_spec_round_trip() -> None:
    spec = CompileSpec(optimizer="sgd", learning_rate=0.05, from_logits=True, metrics=["accuracy"])  # type: ignore[arg-type]
    assert spec.metrics == ("accuracy",)
    assert CompileSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_spec_modules_do_not_import_tensorflow() -> None:
    code = (
        "import sys\n"
        "from nnteach.layers import PRESETS, summary, to_code, validate\n"
        "import nnteach.codegen\n"
        "summary(PRESETS['mlp']).to_text(); to_code(PRESETS['mlp'], 'functional'); validate(PRESETS['mlp'])\n"
    )
    assert heavy_modules_after(code) == []


def test_the_summary_tooltips_and_the_style_error_speak_the_widgets_language() -> None:
    """The builder's table shows each row's explanation as its tooltip; numbers are written as the language writes them."""
    from nnteach import set_language
    from nnteach.layers import PRESETS, summary, to_code
    from nnteach.widgets._builder_html import summary_table_html

    set_language("de")
    try:
        rows = summary(PRESETS["mlp"]).rows
        assert rows[0].explanation == "Keine Parameter: formt 28 × 28 in 784 Werte um."
        assert rows[1].explanation == "784 Eingaben × 128 Einheiten Gewichte + 128 Bias-Werte = 100.480."
        assert 'title="Keine Parameter: formt 28 × 28 in 784 Werte um."' in summary_table_html(summary(PRESETS["mlp"]))
        set_language("ja")
        with pytest.raises(
            ValueError, match=r"style には 'list'、'add'、'functional' のどれかを指定します。受け取った値: style='seq'"
        ):
            to_code(PRESETS["mlp"], "seq")  # type: ignore[arg-type]
    finally:
        set_language(None)

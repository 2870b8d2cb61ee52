"""Keras is the oracle: summaries, emitted code, built and compiled models, and reading models back."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from nnteach.activations import KERAS_NAMES
from nnteach.layers import (
    PRESETS,
    Activation,
    BatchNormalization,
    CompileSpec,
    Dense,
    Dropout,
    Flatten,
    Layer,
    ModelSpec,
    from_keras,
    summary,
    to_code,
    to_keras,
    validate,
)

pytestmark = pytest.mark.keras

RANDOM_STACKS = 200


@pytest.fixture(scope="module")
def keras() -> Any:
    from nnteach._tf import import_keras

    return import_keras()


def weight_count(weights: list[Any]) -> int:
    return sum(math.prod(weight.shape) for weight in weights)


def assert_matches_keras(spec: ModelSpec, model: Any, *, names: bool = False) -> None:
    """Every row's kind, output shape and params, and the three totals, as Keras reports them."""
    expected = summary(spec)
    assert len(model.layers) == len(expected.rows)
    for row, layer in zip(expected.rows, model.layers, strict=True):
        assert row.kind == type(layer).__name__
        assert row.output_shape == tuple(layer.output.shape), (spec, row)
        assert row.params == layer.count_params(), (spec, row)
        assert row.trainable_params == weight_count(layer.trainable_weights)
        assert row.non_trainable_params == weight_count(layer.non_trainable_weights)
        if names:
            assert row.name == layer.name
    assert expected.total_params == model.count_params()
    assert expected.trainable_params == weight_count(model.trainable_weights)
    assert expected.non_trainable_params == weight_count(model.non_trainable_weights)


def keras_summary_text(model: Any) -> str:
    lines: list[str] = []
    model.summary(print_fn=lambda line, **_: lines.append(line))
    return "\n".join(lines).strip()


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_match_keras_summary_exactly(keras: Any, name: str) -> None:
    keras.backend.clear_session(free_memory=False)  # Keras names layers from a process-wide counter; reset it
    model = to_keras(PRESETS[name])
    assert_matches_keras(PRESETS[name], model, names=True)
    assert summary(PRESETS[name]).to_text() == keras_summary_text(model)


def test_seed_mlp_numbers(keras: Any) -> None:
    model = to_keras(PRESETS["mlp"])
    assert model.count_params() == 101_770
    assert model.layers[1].count_params() == 100_480
    assert isinstance(model, keras.Sequential)


def random_layer(rng: random.Random) -> Layer:
    kind = rng.choices(["Dense", "Dropout", "Flatten", "BatchNormalization", "Activation"], [5, 2, 2, 2, 1])[0]
    if kind == "Dense":
        return Dense(rng.randint(1, 48), rng.choice([None, *KERAS_NAMES]))
    if kind == "Dropout":
        return Dropout(rng.choice([0.0, 0.1, 0.25, 0.5, 0.9]))
    if kind == "Activation":
        return Activation(rng.choice(KERAS_NAMES))
    return Flatten() if kind == "Flatten" else BatchNormalization()


def random_stacks(count: int, seed: int = 7) -> list[ModelSpec]:
    """``count`` different random valid stacks (seeded), on MNIST-shaped and other inputs."""
    rng = random.Random(seed)  # noqa: S311 - a seeded generator for reproducible test cases
    shapes = [(28, 28), (784,), (7, 4), (3, 5, 2), (12,)]
    stacks: dict[ModelSpec, None] = {}
    while len(stacks) < count:
        stacks[ModelSpec(tuple(random_layer(rng) for _ in range(rng.randint(1, 5))), rng.choice(shapes))] = None
    return list(stacks)


def test_random_stacks_match_keras(keras: Any) -> None:
    stacks = random_stacks(RANDOM_STACKS)
    assert len(set(stacks)) == RANDOM_STACKS >= 200
    kinds = {layer.kind for spec in stacks for layer in spec.layers}
    assert kinds == {"Dense", "Dropout", "Flatten", "BatchNormalization", "Activation"}
    assert sum(any(isinstance(x, Dense) for x in s.layers[:1]) and len(s.input_shape) > 1 for s in stacks) > 10
    for spec in stacks:
        assert [p for p in validate(spec, max_params=None, n_classes=None) if p.blocking] == [], spec
        keras.backend.clear_session(free_memory=False)  # gc.collect() would cost ~1 s each
        assert_matches_keras(spec, to_keras(spec, max_params=None, n_classes=None))


def run_code(code: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(code, "<nnteach code>", "exec"), namespace)  # noqa: S102 - the code under test is ours
    return namespace["model"]


@pytest.mark.parametrize("style", ["list", "add", "functional"])
@pytest.mark.parametrize(
    "spec",
    [*PRESETS.values(), *random_stacks(4, seed=11)],
    ids=lambda spec: "-".join(str(layer) for layer in spec.layers),
)
def test_emitted_code_runs_and_builds_the_same_model(keras: Any, style: str, spec: ModelSpec) -> None:
    keras.backend.clear_session(free_memory=False)  # gc.collect() would cost ~1 s each
    model = run_code(to_code(spec, style))  # type: ignore[arg-type]
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    expected = summary(spec)
    assert model.count_params() == expected.total_params
    assert [tuple(layer.output.shape) for layer in layers] == [row.output_shape for row in expected.rows]
    assert [type(layer).__name__ for layer in layers] == [row.kind for row in expected.rows]
    assert isinstance(model, keras.Sequential) == (style != "functional")


def test_emitted_compile_code_compiles_like_compile_spec(keras: Any) -> None:
    settings = CompileSpec(optimizer="sgd", learning_rate=0.05, from_logits=True)
    model = run_code(to_code(PRESETS["softmax_regression"], "functional", compile_spec=settings))
    assert isinstance(model.optimizer, keras.optimizers.SGD)
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.05)
    assert model.loss.get_config()["from_logits"] is True


def test_to_keras_compiles_with_the_compile_spec(keras: Any) -> None:
    model = to_keras(PRESETS["mlp"], CompileSpec(learning_rate=0.002))
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.002)
    assert isinstance(model.loss, keras.losses.SparseCategoricalCrossentropy)
    assert model.loss.get_config()["from_logits"] is False


def test_to_keras_refuses_invalid_specs_with_the_same_sentence() -> None:
    spec = ModelSpec((Flatten(), Dense(128, "relu"), Dropout(1.0), Dense(10, "softmax")))
    with pytest.raises(ValueError, match=r"Layer 3 \(Dropout\) has rate 1.0") as caught:
        to_keras(spec)
    assert str(caught.value) == validate(spec)[0].message
    with pytest.raises(ValueError, match="The learning rate must be a positive number"):
        to_keras(PRESETS["mlp"], CompileSpec(learning_rate=-1.0))
    with pytest.raises(ValueError, match="more than the classroom budget of 5,000,000"):
        to_keras(ModelSpec((Flatten(), Dense(8000), Dense(10))))


@pytest.mark.parametrize(
    "spec",
    [*PRESETS.values(), *random_stacks(12, seed=3)],
    ids=lambda spec: "-".join(str(layer) for layer in spec.layers),
)
def test_from_keras_round_trip(spec: ModelSpec) -> None:
    model = to_keras(spec, max_params=None, n_classes=None)
    expected = ModelSpec(
        tuple(Dense(x.units, None) if isinstance(x, Dense) and x.activation == "linear" else x for x in spec.layers),
        spec.input_shape,
    )
    assert from_keras(model) == expected


def test_from_keras_reads_hand_written_models(keras: Any) -> None:
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(32, activation="swish"),
            keras.layers.Activation(keras.activations.silu),
            keras.layers.Dense(10, activation="linear"),
        ]
    )
    assert from_keras(model) == ModelSpec((Flatten(), Dense(32, "swish"), Activation("swish"), Dense(10)))


def test_from_keras_names_what_it_cannot_read(keras: Any) -> None:
    conv = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Conv2D(4, 3, name="edges")])
    with pytest.raises(ValueError, match="Layer 'edges' is a Conv2D, which the builder cannot show"):
        from_keras(conv)
    no_bias = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, use_bias=False, name="nb")])
    with pytest.raises(ValueError, match="Layer 'nb' \\(Dense\\) has use_bias=False"):
        from_keras(no_bias)
    odd = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="selu", name="s")])
    with pytest.raises(ValueError, match="Layer 's' uses the activation 'selu', which the builder does not know"):
        from_keras(odd)
    inputs = keras.Input(shape=(4,))
    functional = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    with pytest.raises(ValueError, match=r"from_keras reads keras\.Sequential models\. Received: a Functional"):
        from_keras(functional)
    with pytest.raises(ValueError, match="The model has no input shape yet"):
        from_keras(keras.Sequential([keras.layers.Dense(2)]))

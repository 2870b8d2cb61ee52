"""The NumPy activations match Keras/TensorFlow (values and gradients, float64), stay finite, and explain themselves."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers import heavy_modules_after
from nnteach import activations
from nnteach.activations import KERAS_NAMES, NAMES, get, vanishing_gradient

KERAS_FUNCTIONS = [name for name in NAMES if name != "step"]
# A dense grid, the kinks, tiny values and the extremes the issue names.
GRID = np.concatenate(
    [np.linspace(-12.0, 12.0, 2401), [0.0, 1e-12, -1e-12, 1e-300, -1e-300, 30.0, -30.0, 80.0, -80.0, 1000.0, -1000.0]]
)
PARAM_CASES = [("leaky_relu", {"negative_slope": 0.05}), ("elu", {"alpha": 0.5}), ("elu", {"alpha": 2.0})]


def assert_close(ours: np.ndarray, reference: np.ndarray) -> None:
    """|a − b| ≤ 1e-6 · max(1, |b|), the issue's tolerance, with the worst point in the message."""
    error = np.abs(ours - reference) / np.maximum(1.0, np.abs(reference))
    worst = int(np.argmax(error))
    assert error[worst] <= 1e-6, f"at x={GRID[worst]!r}: ours={ours[worst]!r}, keras={reference[worst]!r}"


def keras_value_and_gradient(name: str, x: np.ndarray, **params: float) -> tuple[np.ndarray, np.ndarray]:
    from nnteach._tf import import_keras, import_tensorflow

    keras = import_keras()
    tf = import_tensorflow()
    function = getattr(keras.activations, name)
    tensor = tf.constant(x, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(tensor)
        value = function(tensor, **params)
        total = tf.reduce_sum(value)  # elementwise functions: d(sum)/dxᵢ = f′(xᵢ)
    gradient = tape.gradient(total, tensor)
    assert value.dtype == tf.float64
    return np.asarray(value), np.asarray(gradient)


@pytest.mark.keras
@pytest.mark.parametrize("name", KERAS_FUNCTIONS)
def test_value_and_derivative_match_keras_and_tensorflow_gradients(name: str) -> None:
    reference_value, reference_gradient = keras_value_and_gradient(name, GRID)
    assert_close(get(name).value(GRID), reference_value)
    assert_close(get(name).derivative(GRID), reference_gradient)


@pytest.mark.keras
@pytest.mark.parametrize(("name", "params"), PARAM_CASES)
def test_parameters_match_keras(name: str, params: dict[str, float]) -> None:
    reference_value, reference_gradient = keras_value_and_gradient(name, GRID, **params)
    assert_close(get(name).value(GRID, **params), reference_value)
    assert_close(get(name).derivative(GRID, **params), reference_gradient)


@pytest.mark.keras
def test_defaults_and_keras_names_are_keras_3s() -> None:
    import inspect

    from nnteach._tf import import_keras

    keras = import_keras()
    for name in KERAS_FUNCTIONS:
        function = get(name)
        assert function.keras_name == f"keras.activations.{name}"
        signature = inspect.signature(getattr(keras.activations, name))
        for param, default in function.params.items():
            assert signature.parameters[param].default == default, (name, param)
    assert inspect.signature(keras.activations.gelu).parameters["approximate"].default is False  # we use erf's form
    for name in KERAS_NAMES:  # the layer builder hands these to Keras
        assert keras.activations.get(name) is not None


def test_kinks_follow_tensorflow_conventions() -> None:
    assert get("relu").derivative(0.0) == 0.0
    assert get("leaky_relu").derivative(0.0) == 0.2
    assert get("leaky_relu").derivative(0.0, negative_slope=0.1) == 0.1
    assert get("elu").derivative(0.0) == 1.0


def test_step_is_the_perceptrons_threshold_and_has_no_gradient() -> None:
    x = np.array([-3.0, -1e-9, 0.0, 1e-9, 2.0, 1000.0, -1000.0])
    np.testing.assert_array_equal(get("step").value(x), (x > 0).astype(float))
    np.testing.assert_array_equal(get("step").derivative(x), np.zeros_like(x))
    assert get("step").keras_name is None
    assert "gradient" in get("step").description


@pytest.mark.parametrize("name", NAMES)
def test_large_inputs_give_no_warnings_and_no_nan(name: str) -> None:
    x = np.array([-1e300, -1000.0, -710.0, -1.0, 0.0, 1.0, 710.0, 1000.0, 1e300])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = get(name).value(x)
        derivative = get(name).derivative(x)
    assert np.isfinite(value).all(), value
    assert np.isfinite(derivative).all(), derivative
    assert value.dtype == np.float64


@pytest.mark.parametrize("name", NAMES)
def test_overflow_is_not_even_computed(name: str) -> None:
    x = np.array([-1e300, -1000.0, 1000.0, 1e300])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # any overflow raises FloatingPointError
        get(name).value(x)
        get(name).derivative(x)


def test_every_function_explains_itself() -> None:
    assert NAMES == (
        "step", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "gelu",
    )  # fmt: skip
    assert KERAS_NAMES[:-1] == NAMES[1:]
    assert KERAS_NAMES[-1] == "softmax"
    for name in NAMES:
        function = get(name)
        assert function.name == name
        assert function.latex.startswith("f(z) =")
        assert function.description.endswith(".")
        assert "\n" not in function.description
    assert get("leaky_relu").params == {"negative_slope": 0.2}
    assert get("elu").params == {"alpha": 1.0}
    assert get("relu").params == {}


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"Unknown activation 'rleu'\. Expected one of: step, linear, sigmoid"):
        get("rleu")
    with pytest.raises(ValueError, match="OneHotSoftmaxView"):
        get("softmax")


def test_bad_inputs_and_parameters_get_plain_messages() -> None:
    relu = get("relu")
    with pytest.raises(TypeError, match=r"Expected numbers for x\. Received the text 'abc'"):
        relu.value("abc")
    with pytest.raises(TypeError, match=r"Expected numbers for x\. Received \[1, 'a'\]"):
        relu.value([1, "a"])
    with pytest.raises(ValueError, match="Expected finite numbers for x"):
        relu.value([1.0, float("nan")])
    with pytest.raises(ValueError, match=r"relu takes no parameters\. Received alpha"):
        relu.value(1.0, alpha=2.0)
    with pytest.raises(ValueError, match=r"elu takes alpha\. Received negative_slope"):
        get("elu").value(1.0, negative_slope=2.0)
    with pytest.raises(TypeError, match=r"Expected a number for alpha\. Received '2'"):
        get("elu").value(1.0, alpha="2")
    with pytest.raises(ValueError, match="Expected a finite number for negative_slope"):
        get("leaky_relu").derivative(1.0, negative_slope=float("inf"))


def test_vanishing_gradient_sigmoid_shrinks_relu_does_not() -> None:
    depth = 12
    sigmoid = vanishing_gradient("sigmoid", depth)
    relu = vanishing_gradient("relu", depth)
    assert sigmoid.shape == relu.shape == (depth,)
    assert sigmoid.dtype == np.float64
    assert (sigmoid <= 0.25 ** np.arange(1, depth + 1) + 1e-15).all()  # 0.25ᵈ at best
    assert (np.diff(sigmoid) < 0).all()
    np.testing.assert_array_equal(relu, np.ones(depth))
    s = get("sigmoid").value(0.5)
    np.testing.assert_allclose(sigmoid, (s * (1 - s)) ** np.arange(1, depth + 1), rtol=1e-12)
    np.testing.assert_allclose(vanishing_gradient("sigmoid", 4, pre_activation=0.0), 0.25 ** np.arange(1, 5))
    per_layer = vanishing_gradient("tanh", 3, pre_activation=[0.0, 1.0, -2.0])
    np.testing.assert_allclose(per_layer, np.cumprod(1 - np.tanh([0.0, 1.0, -2.0]) ** 2))
    np.testing.assert_allclose(
        vanishing_gradient("leaky_relu", 3, pre_activation=-1.0, negative_slope=0.5), [0.5, 0.25, 0.125]
    )


@pytest.mark.parametrize("depth", [0, -3, 2.5, True, "10"])
def test_vanishing_gradient_rejects_bad_depths(depth: object) -> None:
    with pytest.raises(ValueError, match=r"Expected a whole number of layers of at least 1\. Received depth="):
        vanishing_gradient("sigmoid", depth)  # type: ignore[arg-type]


def test_vanishing_gradient_rejects_wrong_number_of_pre_activations() -> None:
    with pytest.raises(ValueError, match=r"Expected one pre-activation or 3 \(one per layer\)\. Received shape \(2,\)"):
        vanishing_gradient("relu", 3, pre_activation=[1.0, 2.0])


def test_activations_never_import_tensorflow() -> None:
    code = (
        "import sys, numpy as np; from nnteach import activations as a\n"
        "[a.get(n).derivative(np.linspace(-5, 5, 11)) for n in a.NAMES]; a.vanishing_gradient('sigmoid', 5)\n"
    )
    assert heavy_modules_after(code) == []
    assert activations.__name__ == "nnteach.activations"


def test_params_for_keeps_the_parameters_each_function_takes() -> None:
    sliders = {"negative_slope": 0.3, "alpha": 1.5}
    for name in NAMES:
        picked = activations.params_for(name, **sliders)
        assert set(picked) == set(get(name).params)  # exactly what the function takes, from the sliders
        get(name).value(0.5, **picked)  # and the function accepts them
    assert activations.params_for("elu", **sliders) == {"alpha": 1.5}
    with pytest.raises(ValueError, match=r"Unknown activation 'softmax'"):
        activations.params_for("softmax", **sliders)


def test_the_explanations_speak_the_widgets_language_and_the_names_stay_english() -> None:
    """ActivationExplorer shows ``explanation``; ``description`` and Keras' names stay as they are."""
    from nnteach import set_language
    from nnteach.widgets._activation_plot import formulas_html

    set_language("de")
    try:
        assert get("relu").explanation.startswith("Behält positive Summen und macht negative zu 0")
        assert get("relu").description.startswith("Keeps positive sums")
        text, markup = formulas_html(("relu", "step"), {"relu": {}, "step": {}})
        assert "keras.activations.relu" in text and "darum kann kein Gradient sie trainieren" in markup
        set_language("ja")
        assert get("sigmoid").explanation == (
            "どんな数も 0..1 に押し込みます。確率として読める、なめらかな階段です。傾きは最大でも 0.25 です。"
        )
    finally:
        set_language(None)

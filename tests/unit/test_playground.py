"""nnteach.playground: the data sets by their definitions, the network against Keras' own model, the drawing."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnteach import _playground_draw as draw
from nnteach._playground_net import accuracy, cross_entropy, forward, grid_points, initial_weights
from nnteach.playground import DATASETS, NetworkSettings, make_dataset, parse_hidden
from nnteach.weights import rgb_to_png


def _all(data):
    return np.concatenate([data.x_train, data.x_test]), np.concatenate([data.y_train, data.y_test])


@pytest.mark.parametrize("kind", DATASETS)
@pytest.mark.parametrize("classes", [2, 3])
def test_every_data_set_is_in_the_square_with_every_class_and_the_split_asked_for(kind: str, classes: int) -> None:
    data = make_dataset(kind, points=300, classes=classes, noise=0.1, train_fraction=0.7, seed=5)
    x, y = _all(data)
    assert data.x_train.shape == (210, 2) and data.x_test.shape == (90, 2)
    assert x.dtype == np.float32 and np.abs(x).max() <= 1.0
    counts = np.bincount(y, minlength=classes)
    assert len(counts) == classes and counts.min() >= 300 // classes // 2
    again = make_dataset(kind, points=300, classes=classes, noise=0.1, train_fraction=0.7, seed=5)
    np.testing.assert_array_equal(again.x_train, data.x_train)
    assert not np.array_equal(make_dataset(kind, points=300, classes=classes, seed=6).x_train, data.x_train)


def test_xor_without_noise_is_the_sign_of_the_product() -> None:
    x, y = _all(make_dataset("xor", points=400, noise=0.0, seed=2))
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] < 0).astype(int))


def test_three_class_xor_is_a_checkerboard_of_three_colours() -> None:
    x, y = _all(make_dataset("xor", points=600, classes=3, noise=0.0, seed=2))
    cells = np.floor((x + 1) * 1.5).astype(int)
    np.testing.assert_array_equal(y, cells.sum(axis=1) % 3)


def test_circles_without_noise_are_rings_that_do_not_overlap() -> None:
    for classes in (2, 3):
        x, y = _all(make_dataset("circles", points=600, classes=classes, noise=0.0, seed=1))
        radius = np.hypot(x[:, 0], x[:, 1])
        for label in range(classes - 1):
            assert radius[y == label].max() < radius[y == label + 1].min()


def test_noise_is_the_standard_deviation_added_to_each_coordinate() -> None:
    clean = make_dataset("blobs", points=2000, noise=0.0, train_fraction=0.5, seed=3)
    noisy = make_dataset("blobs", points=2000, noise=0.1, train_fraction=0.5, seed=3)
    np.testing.assert_array_equal(clean.y_train, noisy.y_train)
    assert np.std(noisy.x_train - clean.x_train) == pytest.approx(0.1, rel=0.1)


def test_bad_settings_are_one_sentence() -> None:
    with pytest.raises(ValueError, match=r"Expected classes one of 2, 3\. Received 4; pick one of those\."):
        make_dataset("xor", classes=4)
    with pytest.raises(ValueError, match=r"Expected noise from 0 to 0\.5\. Received 0\.9; try 0\.1\."):
        make_dataset("xor", noise=0.9)
    with pytest.raises(ValueError, match=r"Expected train_fraction from 0\.1 to 0\.9\. Received 1"):
        make_dataset("xor", train_fraction=1)
    with pytest.raises(ValueError, match=r"Expected at most 4 hidden layers\. Received 5"):
        parse_hidden("1,1,1,1,1")
    with pytest.raises(ValueError, match=r"Expected neurons per hidden layer as whole numbers .* Received 'a, 2'"):
        parse_hidden("a, 2")
    with pytest.raises(ValueError, match=r"Expected activation one of 'relu', 'tanh', 'sigmoid', 'linear'"):
        NetworkSettings(activation="softmax")
    with pytest.raises(ValueError, match=r"Expected learning_rate from 1e-05 to 1\. Received 5"):
        NetworkSettings(learning_rate=5)


def test_the_model_spec_is_the_builders_and_the_code_its_generator_plus_l2() -> None:
    settings = NetworkSettings(hidden=(4, 3), activation="relu", l2=0.01, classes=3)
    assert [str(layer) for layer in settings.model_spec().layers] == [
        "Dense(4, relu)",
        "Dense(3, relu)",
        "Dense(3, softmax)",
    ]
    code = settings.keras_code('make_dataset("spiral", classes=3)', epochs=7)
    dense_lines = [line for line in code.splitlines() if "layers.Dense(" in line]
    assert len(dense_lines) == 3
    assert all("kernel_regularizer=keras.regularizers.L2(0.01)" in line for line in dense_lines)
    assert 'data = make_dataset("spiral", classes=3)' in code and "epochs=7," in code
    assert "kernel_regularizer" not in NetworkSettings().keras_code()


def test_initial_weights_are_glorot_uniform_with_zero_biases() -> None:
    weights = initial_weights(NetworkSettings(hidden=(8, 8)), seed=0)
    for (kernel, bias), (fan_in, fan_out) in zip(weights, [(2, 8), (8, 8), (8, 2)], strict=True):
        assert kernel.shape == (fan_in, fan_out) and not bias.any()
        assert np.abs(kernel).max() <= np.sqrt(6 / (fan_in + fan_out))


def test_grid_points_run_row_by_row_from_the_top_left() -> None:
    grid = grid_points(4)
    np.testing.assert_allclose(grid[0], [-0.75, 0.75])
    np.testing.assert_allclose(grid[3], [0.75, 0.75])
    np.testing.assert_allclose(grid[-1], [0.75, -0.75])


def test_loss_and_accuracy_by_hand() -> None:
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    labels = np.array([0, 1, 1])
    assert cross_entropy(probabilities, labels) == pytest.approx(-(np.log(0.9) + np.log(0.8) + np.log(0.4)) / 3)
    assert accuracy(probabilities, labels) == pytest.approx(2 / 3)


def test_region_colours_follow_the_class_and_fade_when_unsure() -> None:
    rgb = draw.region_rgb(np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]), 2)
    assert rgb.shape == (2, 2, 3)
    assert rgb[0, 0, 2] > rgb[0, 0, 0]  # sure of class 1: blue
    assert rgb[0, 1, 0] > rgb[0, 1, 2]  # sure of class 0: orange
    assert rgb[1, 0].min() > rgb[0, 0].min()  # unsure: paler


def test_neuron_pictures_show_sign_and_size() -> None:
    rgb = draw.neuron_rgb(np.array([2.0, -2.0, 0.0, 1.0]), 2)
    assert rgb[0, 0, 2] > rgb[0, 0, 0] and rgb[0, 1, 0] > rgb[0, 1, 2]
    assert (rgb[1, 0] == 255).all()
    assert rgb[1, 1].min() > rgb[0, 0].min()


def test_points_have_one_shape_per_class() -> None:
    svg = draw.points_svg(np.array([[0, 0], [0.5, 0.5], [-0.5, 0.5], [0.1, 0.1]]), np.array([0, 1, 2, 1]))
    assert (svg.count("<circle"), svg.count("<rect"), svg.count("<polygon")) == (1, 2, 1)
    assert "x='0.476' y='-0.524'" in svg  # the square at (0.5, 0.5), y up


def test_the_network_picture_has_a_line_per_weight_with_its_value() -> None:
    weights = initial_weights(NetworkSettings(hidden=(3,)), seed=1)
    png = rgb_to_png(np.zeros((2, 2, 3), np.uint8))
    svg = draw.network_svg([[png, png], [png] * 3, [png]], weights, ["in", "hidden", "out"])
    assert svg.count("<line") == 2 * 3 + 3 * 2 and svg.count("<image") == 6
    values = [float(value) for value in re.findall(r"<title>weight ([-+0-9.]+)</title>", svg)]
    np.testing.assert_allclose(sorted(values), sorted(np.round(np.concatenate([k.ravel() for k, _ in weights]), 3)))
    assert svg.count("negative") == sum(int((k < 0).sum()) for k, _ in weights)


# -- against Keras ------------------------------------------------------------------------------------
@pytest.mark.keras
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_numpy_forward_pass_equals_the_keras_model(activation: str) -> None:
    import keras

    settings = NetworkSettings(hidden=(5, 3), activation=activation, classes=3)
    model = settings.build_keras()
    weights = initial_weights(settings, seed=4)
    model.set_weights([array for pair in weights for array in pair])
    points = make_dataset("spiral", classes=3, seed=1).x_train
    probabilities = forward(weights, activation, points)[-1]
    np.testing.assert_allclose(probabilities, np.asarray(model(points)), atol=1e-6)
    hidden = keras.Model(model.inputs[0], model.layers[0].output)
    np.testing.assert_allclose(forward(weights, activation, points)[0], np.asarray(hidden(points)), atol=1e-6)
    labels = make_dataset("spiral", classes=3, seed=1).y_train
    expected = float(np.mean(keras.losses.sparse_categorical_crossentropy(labels, model(points))))
    assert cross_entropy(probabilities, labels) == pytest.approx(expected, rel=1e-5)


@pytest.mark.keras
def test_the_shown_code_builds_the_model_the_playground_trains() -> None:
    settings = NetworkSettings(hidden=(4,), activation="tanh", l2=0.01, learning_rate=0.05)
    code = settings.keras_code('make_dataset("xor", points=40)', epochs=1)
    namespace: dict[str, object] = {}
    exec(compile(code, "<keras code>", "exec"), namespace)  # noqa: S102 - the learner runs exactly this
    shown, built = namespace["model"], settings.build_keras()
    assert shown.count_params() == built.count_params()  # type: ignore[attr-defined]
    weights = initial_weights(settings, seed=0)
    for model in (shown, built):
        model.set_weights([array for pair in weights for array in pair])  # type: ignore[attr-defined]
    shown_l2 = sorted(float(loss) for loss in shown.losses)  # type: ignore[attr-defined]
    assert shown_l2 == pytest.approx(sorted(float(loss) for loss in built.losses)) and len(shown_l2) == 2
    assert float(shown.optimizer.learning_rate) == pytest.approx(0.05)  # type: ignore[attr-defined]
    assert float(built.optimizer.learning_rate) == pytest.approx(0.05)


def test_the_hidden_layer_refusals_speak_the_widgets_language() -> None:
    """PlaygroundView shows parse_hidden's sentence as it is, so it is in the page's language."""
    from nnteach import set_language
    from nnteach.playground import parse_hidden as parse

    set_language("de")
    try:
        with pytest.raises(ValueError, match=r"Erwartet werden höchstens 4 verdeckte Schichten\. Erhalten: 5;"):
            parse("1, 1, 1, 1, 1")
        set_language("ja")
        with pytest.raises(ValueError, match=r"入力されたのは 'a, 4' です。数字とカンマだけを書いてください。"):
            parse("a, 4")
    finally:
        set_language(None)

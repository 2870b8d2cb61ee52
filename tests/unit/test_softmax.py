"""nnteach.softmax against Keras: softmax, one-hot and both cross-entropies, plus learner-facing errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from helpers import heavy_modules_after
from nnteach.softmax import (
    cross_entropy,
    format_logits,
    log_softmax,
    one_hot,
    parse_logits,
    per_example_cross_entropy,
    probabilities_to_logits,
    softmax,
    softmax_twice_floor,
    softmax_with_loss,
)

RNG = np.random.default_rng(20240531)


@pytest.fixture(scope="module")
def keras() -> Any:
    from nnteach._tf import import_keras

    return import_keras()


def _batch(n: int = 64, classes: int = 10, scale: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    logits = (RNG.standard_normal((n, classes)) * scale).astype(np.float32)
    labels = RNG.integers(0, classes, size=n)
    return labels, logits


# -- softmax ------------------------------------------------------------------------------------
def test_seed_example() -> None:
    assert softmax([2, -1, 1, 1]).round(2).tolist() == [0.56, 0.03, 0.21, 0.21]


def test_softmax_is_stable_at_plus_minus_1000() -> None:
    huge = np.array([[1000.0, -1000.0, 999.0], [1000.0, 1000.0, 1000.0], [-1000.0, -1000.0, -999.0]])
    probabilities = softmax(huge)
    assert np.all(np.isfinite(probabilities))
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(probabilities[0], [1 / (1 + np.exp(-1.0)), 0.0, np.exp(-1.0) / (1 + np.exp(-1.0))])
    np.testing.assert_allclose(probabilities[1], [1 / 3] * 3)
    assert probabilities[2].argmax() == 2
    assert per_example_cross_entropy([1, 0, 0], huge, from_logits=True).tolist() == pytest.approx(
        [2000 + np.log1p(np.exp(-1.0)), np.log(3), 1 + np.log1p(2 * np.exp(-1.0))]
    )


def test_softmax_keeps_float32_and_promotes_integers() -> None:
    assert softmax(np.zeros(3, np.float32)).dtype == np.float32
    assert softmax([1, 2]).dtype == np.float64


def test_temperature_flattens_and_sharpens() -> None:
    logits = [2.0, -1.0, 1.0, 1.0]
    cold, warm, hot = softmax(logits, temperature=0.25), softmax(logits), softmax(logits, temperature=10.0)
    assert cold.max() > warm.max() > hot.max()
    assert hot.max() - hot.min() < 0.1


@pytest.mark.keras
def test_softmax_matches_keras(keras: Any) -> None:
    _, logits = _batch()
    expected = np.asarray(keras.activations.softmax(logits))
    np.testing.assert_allclose(softmax(logits), expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(
        softmax(logits, axis=0), np.asarray(keras.activations.softmax(logits, axis=0)), rtol=1e-6, atol=1e-7
    )
    tempered = np.asarray(keras.activations.softmax(logits / np.float32(2.5)))
    np.testing.assert_allclose(softmax(logits, temperature=2.5), tempered, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"logits": [1.0, np.nan]}, r"finite numbers in `logits`\. Received NaN or infinity"),
        ({"logits": []}, r"at least one logit along axis -1\. Received shape \(0,\)"),
        ({"logits": ["a", "b"]}, r"Expected `logits` as numbers\. Received values of type <U1"),
        ({"logits": [1.0, 2.0], "temperature": 0}, r"positive temperature\. Received temperature=0; use e\.g\. 1\.0"),
        ({"logits": [[1.0, 2.0], [3.0]]}, r"rectangular array of numbers\. Received rows of different lengths"),
    ],
)
def test_softmax_refuses_bad_input(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        softmax(**kwargs)


# -- one-hot ------------------------------------------------------------------------------------
def test_one_hot_rows_are_identity_rows() -> None:
    labels = np.array([3, 0, 9, 3], dtype=np.uint8)
    encoded = one_hot(labels)
    assert encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded, np.eye(10, dtype=np.float32)[labels])
    assert one_hot(2, num_classes=4).tolist() == [0, 0, 1, 0]
    assert one_hot(np.array([[1.0], [0.0]]), num_classes=2).shape == (2, 1, 2)


@pytest.mark.keras
def test_one_hot_matches_keras_to_categorical(keras: Any) -> None:
    labels = RNG.integers(0, 7, size=50)
    np.testing.assert_array_equal(one_hot(labels, 7), keras.utils.to_categorical(labels, 7))


@pytest.mark.parametrize(
    ("labels", "num_classes", "match"),
    [
        ([0, 10], 10, r"labels from 0 to 9 for 10 classes\. Received label 10; check the labels"),
        ([-1], 3, r"labels from 0 to 2 for 3 classes\. Received label -1"),
        ([0.5], 3, r"whole-number class labels\. Received 0\.5"),
        ([1], 0, r"`num_classes` as a positive whole number\. Received num_classes=0"),
    ],
)
def test_one_hot_refuses_bad_labels(labels: Any, num_classes: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        one_hot(labels, num_classes)


# -- cross-entropy against Keras ----------------------------------------------------------------
@pytest.mark.keras
@pytest.mark.parametrize("from_logits", [True, False])
def test_sparse_cross_entropy_matches_keras(keras: Any, from_logits: bool) -> None:
    labels, logits = _batch()
    y_pred = logits if from_logits else np.asarray(keras.activations.softmax(logits))
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    expected = float(loss(labels, y_pred))
    assert cross_entropy(labels, y_pred, from_logits=from_logits) == pytest.approx(expected, rel=1e-6)
    per_example = np.asarray(keras.losses.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits))
    np.testing.assert_allclose(
        per_example_cross_entropy(labels, y_pred, from_logits=from_logits), per_example, rtol=1e-5, atol=1e-6
    )
    # Labels shaped (n, 1), as some datasets ship them, are read like Keras reads them.
    assert cross_entropy(labels[:, None], y_pred, from_logits=from_logits) == pytest.approx(expected, rel=1e-6)


@pytest.mark.keras
@pytest.mark.parametrize("from_logits", [True, False])
@pytest.mark.parametrize("soft_targets", [False, True])
def test_categorical_cross_entropy_matches_keras(keras: Any, from_logits: bool, soft_targets: bool) -> None:
    labels, logits = _batch()
    targets = RNG.dirichlet(np.ones(10), size=len(labels)).astype(np.float32) if soft_targets else one_hot(labels)
    y_pred = logits if from_logits else np.asarray(keras.activations.softmax(logits))
    expected = float(keras.losses.CategoricalCrossentropy(from_logits=from_logits)(targets, y_pred))
    assert cross_entropy(targets, y_pred, from_logits=from_logits, sparse=False) == pytest.approx(expected, rel=1e-6)


@pytest.mark.keras
def test_probabilities_are_clipped_like_keras(keras: Any) -> None:
    # The true class has probability 0: without Keras' clipping to 1e-7 the loss would be infinite.
    y_pred = np.array([[0.0, 1.0, 0.0], [0.0, 0.5, 0.5], [0.2, 0.3, 0.5]], dtype=np.float32)
    labels = np.array([0, 0, 2])
    expected = float(keras.losses.SparseCategoricalCrossentropy()(labels, y_pred))
    assert expected > 10
    assert cross_entropy(labels, y_pred) == pytest.approx(expected, rel=1e-6)
    targets = one_hot(labels, 3)
    expected = float(keras.losses.CategoricalCrossentropy()(targets, y_pred))
    assert cross_entropy(targets, y_pred, sparse=False) == pytest.approx(expected, rel=1e-6)
    # A perfectly confident, correct prediction still costs a tiny clipped amount, as in Keras.
    perfect = one_hot([1, 2], 3)
    assert cross_entropy([1, 2], perfect) == pytest.approx(
        float(keras.losses.SparseCategoricalCrossentropy()(np.array([1, 2]), perfect)), abs=1e-6
    )
    assert 0 < cross_entropy(perfect, perfect, sparse=False) < 1e-6


def test_cross_entropy_is_minus_log_of_the_true_class_probability() -> None:
    logits = np.array([2.0, -1.0, 1.0, 1.0])
    for label in range(4):
        p_true = softmax(logits)[label]
        assert cross_entropy(label, logits, from_logits=True) == pytest.approx(-np.log(p_true), rel=1e-12)
        assert cross_entropy(one_hot(label, 4), logits, from_logits=True, sparse=False) == pytest.approx(
            -np.log(p_true), rel=1e-12
        )


# -- errors where Keras would silently go on -----------------------------------------------------
@pytest.mark.parametrize(
    ("y_true", "y_pred", "kwargs", "match"),
    [
        ([0, 1, 2], np.full((2, 3), 1 / 3), {}, r"one label per row .* Received y_true\.shape=\(3,\), y_pred\.shape=\(2, 3\)"),
        (np.eye(3), np.eye(3), {}, r"Received y_true\.shape=\(3, 3\), y_pred\.shape=\(3, 3\)\. For one-hot targets pass sparse=False"),
        ([0, 1], np.eye(2), {"sparse": False}, r"same shape as `y_pred` .* For integer labels pass sparse=True"),
        ([0, 3], np.full((2, 3), 1 / 3), {}, r"labels from 0 to 2 for 3 classes\. Received label 3"),
        ([0], [[np.nan, 1.0]], {"from_logits": True}, r"finite numbers in `y_pred`\. Received NaN or infinity"),
        ([0], [[np.inf, 1.0]], {}, r"finite numbers in `y_pred`"),
        ([0], [[2.0, -1.0, 1.0, 1.0]], {}, r"between 0 and 1 in `y_pred`\. Received -1\. If these are logits .* from_logits=True"),
        ([0], [[0.5, 0.6]], {}, r"sum to 1 in each row of `y_pred` \(within 0\.001\)\. Received a row summing to 1\.1 \(row 0\)"),
        ([[0.5, 0.0]], [[0.5, 0.5]], {"sparse": False}, r"each row of `y_true` to be a probability distribution"),
        ([0], np.zeros((1, 0)), {}, r"one value per class on the last axis\. Received shape \(1, 0\)"),
    ],
)  # fmt: skip
def test_cross_entropy_explains_what_keras_would_accept(
    y_true: Any, y_pred: Any, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        cross_entropy(y_true, y_pred, **kwargs)


def test_probabilities_within_the_tolerance_are_accepted() -> None:
    # Rows off by less than 0.001 are renormalised, as Keras' sparse loss does through its softmax.
    assert cross_entropy([0], [[0.5004, 0.5]]) == pytest.approx(-np.log(0.5004 / 1.0004), rel=1e-6)
    assert cross_entropy([[1, 0]], [[0.5004, 0.5]], sparse=False) == pytest.approx(-np.log(0.5004 / 1.0004), rel=1e-6)


# -- the logits text box --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2, -1, 1, 1", (2.0, -1.0, 1.0, 1.0)),
        ("  2 −1;1\t1 ", (2.0, -1.0, 1.0, 1.0)),
        ("[0.5, 1e1]", (0.5, 10.0)),
    ],
)
def test_parse_logits_reads_what_learners_type(text: str, expected: tuple[float, ...]) -> None:
    assert parse_logits(text) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", r"Expected logits\. Received an empty box; type numbers separated by commas"),
        ("2, x, 1", r"Expected numbers only\. Received 'x' at position 2"),
        ("7", r"Expected 2 to 20 logits\. Received 1"),
        (", ".join(["1"] * 21), r"Expected 2 to 20 logits\. Received 21"),
        ("1, nan", r"Expected finite numbers\. Received 'nan' at position 2"),
    ],
)
def test_parse_logits_explains_bad_text(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parse_logits(text)


def test_format_logits_round_trips() -> None:
    values = (2.0, -1.0, 0.25, 12.5)
    assert format_logits(values) == "2, -1, 0.25, 12.5"
    assert parse_logits(format_logits(values)) == values


def test_importing_softmax_does_not_import_tensorflow() -> None:
    code = "import nnteach.softmax as s; s.cross_entropy([0], [[1.0, 0.0]])"
    assert heavy_modules_after(code) == []


# -- log-softmax, probabilities -> logits, the double-softmax floor --------------------------------
# Issue 16, item 2: OneHotSoftmaxView showed loss nan for these logits; the right loss is log 2.
HUGE_LOGITS = [(1e39, 1e39), (1e308, 1e308), (1e308, -1e308), (-1e308, 5.0)]


@pytest.mark.parametrize("logits", HUGE_LOGITS)
def test_log_softmax_of_huge_logits_is_finite_where_it_should_be(logits: tuple[float, float]) -> None:
    result = log_softmax(logits)
    assert not np.isnan(result).any()
    assert np.exp(result).sum() == pytest.approx(1.0)
    if logits[0] == logits[1]:
        np.testing.assert_allclose(-result, [np.log(2), np.log(2)], rtol=1e-15)


@pytest.mark.keras
@pytest.mark.parametrize("logits", [*HUGE_LOGITS, (2.0, -1.0, 1.0, 1.0), tuple(RNG.standard_normal(10) * 30)])
@pytest.mark.parametrize("temperature", [1.0, 0.5, 3.0])
def test_log_softmax_matches_keras_in_float64(keras: Any, logits: tuple[float, ...], temperature: float) -> None:
    z = np.asarray(logits, dtype=np.float64)
    expected = np.asarray(keras.ops.log_softmax(keras.ops.convert_to_tensor(z, dtype="float64") / temperature))
    ours = log_softmax(z, temperature=temperature)
    with np.errstate(over="ignore"):
        keras_can = np.isfinite(z / temperature).all() and np.isfinite(z - z.max()).all()
    if keras_can:  # Keras divides first: past 1e308 / T it overflows
        np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)
    else:  # where Keras' own division overflows, the limit: equal huge logits share the probability
        assert not np.isnan(ours).any()
    np.testing.assert_allclose(np.exp(ours), softmax(z, temperature=temperature), rtol=1e-12, atol=1e-300)


def test_softmax_of_huge_logits_with_a_temperature_is_not_nan() -> None:
    assert softmax([1e308, 1e308], temperature=0.5).tolist() == [0.5, 0.5]


def test_log_softmax_refuses_what_softmax_refuses() -> None:
    with pytest.raises(ValueError, match="Expected finite numbers in `logits`"):
        log_softmax([1.0, float("nan")])
    with pytest.raises(ValueError, match=r"Expected a positive temperature\. Received temperature=0"):
        log_softmax([1.0, 2.0], temperature=0)


def test_probabilities_to_logits_give_back_the_probabilities() -> None:
    probabilities = RNG.dirichlet(np.ones(10))
    np.testing.assert_allclose(softmax(probabilities_to_logits(probabilities)), probabilities, rtol=1e-12)
    floored = probabilities_to_logits([1.0, 0.0])
    assert floored.tolist() == [0.0, np.log(1e-12)]  # log 0 would be -inf: floored at 1e-12
    with pytest.raises(ValueError, match=r"Expected probabilities between 0 and 1\. Received values outside"):
        probabilities_to_logits([2.0, -1.0])


@pytest.mark.parametrize("classes", [2, 4, 10, 20])
def test_softmax_twice_floor_is_the_loss_of_a_perfect_prediction_softmaxed_again(classes: int) -> None:
    perfect = one_hot(0, classes).astype(np.float64)
    twice = -log_softmax(perfect)[0]  # a loss with from_logits=True applied to a probability vector
    assert softmax_twice_floor(classes) == pytest.approx(twice, rel=1e-12)
    assert softmax_twice_floor(classes) == pytest.approx(-np.log(softmax(softmax(perfect * 1e6))[0]), rel=1e-12)
    with pytest.raises(ValueError, match="Expected a positive whole number of classes"):
        softmax_twice_floor(0)


@pytest.mark.keras
@pytest.mark.parametrize("label", [0, 2])
def test_softmax_with_loss_is_what_keras_reports_right_and_with_softmax_twice(keras: Any, label: int) -> None:
    result = softmax_with_loss([2.0, -1.0, 1.0, 1.0], label, temperature=0.5)
    z = np.array([[2.0, -1.0, 1.0, 1.0]], dtype=np.float32) / np.float32(0.5)
    right = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([label]), z)
    probabilities = np.asarray(keras.activations.softmax(z))
    twice = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([label]), probabilities)
    np.testing.assert_allclose(result.probabilities, probabilities[0], rtol=1e-6)
    assert result.loss == pytest.approx(float(right), rel=1e-6)
    assert result.twice_loss == pytest.approx(float(twice), rel=1e-6)
    np.testing.assert_allclose(
        result.twice_probabilities, np.asarray(keras.activations.softmax(probabilities))[0], rtol=1e-6
    )


def test_softmax_with_loss_has_no_loss_without_a_label_and_refuses_a_bad_one() -> None:
    result = softmax_with_loss([1e308, 1e308], None)
    assert (result.probabilities, result.loss, result.twice_loss) == ((0.5, 0.5), None, None)
    with pytest.raises(ValueError, match=r"Expected labels from 0 to 1 for 2 classes\. Received label 2"):
        softmax_with_loss([0.0, 1.0], 2)


@pytest.mark.parametrize(
    ("lang", "match"),
    [
        (
            "ja",
            r"数だけを入力してください。2 番目が 'x' です。数をカンマで区切って入力してください（例: 2, -1, 1, 1）。",
        ),
        ("de", r"Erwartet werden nur Zahlen\. Erhalten: 'x' an Stelle 2; gib durch Kommas getrennte Zahlen ein"),
    ],
)
def test_parse_logits_explains_bad_text_in_the_widgets_language(lang: str, match: str) -> None:
    from nnteach import set_language
    from nnteach.logits_text import parse_logits as parse_in_its_module

    assert parse_in_its_module is parse_logits  # nnteach.softmax keeps the name
    set_language(lang)
    try:
        with pytest.raises(ValueError, match=match):
            parse_logits("2, x, 1")
    finally:
        set_language(None)

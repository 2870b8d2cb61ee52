"""Evaluation helpers against scikit-learn, Keras and a brute-force count."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from nnteach.evaluation import accuracy_two_ways, confusion_matrix, labels_array, misclassified
from nnteach.models import reference_mlp


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_confusion_matrix_equals_scikit_learn_on_random_labels(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 10, 2000)
    y_pred = np.where(rng.random(2000) < 0.7, y_true, rng.integers(0, 10, 2000))
    y_pred[y_pred == 9] = 8  # a class that is never predicted still gets its (empty) column
    ours = confusion_matrix(y_true, y_pred)
    expected = sklearn_confusion_matrix(y_true, y_pred, labels=list(range(10)))
    np.testing.assert_array_equal(ours, expected)
    assert ours.sum() == 2000
    assert ours[:, 9].sum() == 0


def test_confusion_matrix_refuses_bad_labels() -> None:
    with pytest.raises(ValueError, match="Received 3 labels and 2 predictions"):
        confusion_matrix([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"from 0 to 9\. Received values from 0 to 12"):
        confusion_matrix([0, 12], [0, 1])
    with pytest.raises(ValueError, match=r"one-hot rows \(use argmax"):
        confusion_matrix(np.eye(10), np.arange(10))
    with pytest.raises(ValueError, match="whole numbers"):
        labels_array([0.5, 1.0])
    assert labels_array(np.array([1.0, 2.0])).tolist() == [1, 2]


def test_misclassified_lists_only_mistakes_most_confident_first() -> None:
    rng = np.random.default_rng(7)
    logits = rng.normal(size=(500, 10)) * 3
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = rng.integers(0, 10, 500)
    images = rng.integers(0, 256, (500, 28, 28), dtype=np.uint8)
    mistakes = misclassified(images, labels, probabilities)
    expected = sorted(
        (i for i in range(500) if probabilities[i].argmax() != labels[i]), key=lambda i: -probabilities[i].max()
    )
    assert mistakes.indices.tolist() == expected
    assert np.all(np.diff(mistakes.confidence) <= 0)
    assert np.array_equal(mistakes.images, images[expected])
    assert np.all(mistakes.predictions != mistakes.labels)
    assert mistakes.labels.tolist() == labels[expected].tolist()
    top = misclassified(images, labels, probabilities, n=5)
    assert top.indices.tolist() == expected[:5]
    assert len(top) == 5
    with pytest.raises(ValueError, match=r"shape \(500, classes\).*Received shape \(10,\)"):
        misclassified(images, labels, probabilities[0])


@pytest.mark.keras
@pytest.mark.mnist
def test_accuracy_two_ways_agree_and_match_the_numpy_forward_pass(mnist: Any) -> None:
    _, (x_test, y_test) = mnist
    x, y = x_test[:3000], y_test[:3000]
    keras_model = reference_mlp().to_keras()
    assert not keras_model.compiled
    evaluated, scored = accuracy_two_ways(keras_model, x, y)
    assert keras_model.compiled
    assert abs(evaluated - scored) <= 1e-4
    numpy_accuracy = float(np.mean(reference_mlp().predict(x).argmax(axis=1) == y))
    assert scored == pytest.approx(numpy_accuracy, abs=1 / 3000)
    assert evaluated > 0.95


@pytest.mark.keras
@pytest.mark.mnist
def test_accuracy_two_ways_with_a_categorical_loss_and_float_pixels(mnist: Any) -> None:
    _, (x_test, y_test) = mnist
    model = reference_mlp().to_keras()
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    evaluated, scored = accuracy_two_ways(model, x_test[:1000] / 255, y_test[:1000])
    assert abs(evaluated - scored) <= 1e-4
    model = reference_mlp().to_keras()
    model.compile(loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="without the accuracy metric"):
        accuracy_two_ways(model, x_test[:10], y_test[:10])
    with pytest.raises(ValueError, match="Received 10 images and 9 labels"):
        accuracy_two_ways(model, x_test[:10], y_test[:9])

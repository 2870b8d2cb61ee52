"""How good is the model, and where is it wrong: accuracy two ways, confusion matrix, mistakes.

The tutorials measure test accuracy with ``model.evaluate`` and again with scikit-learn's
``accuracy_score(y, argmax(model.predict(x)))``; ``accuracy_two_ways`` does both, so learners
see they agree. ``confusion_matrix`` and ``misclassified`` need only NumPy.

Example:
    >>> import numpy as np
    >>> confusion_matrix([0, 1, 1], [0, 1, 0], num_classes=2).tolist()
    [[1, 0], [1, 1]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnteach.i18n import _
from nnteach.keras_inspect import is_compiled, shape_for_model, wants_one_hot
from nnteach.numbers import grouped, percent
from nnteach.pixels import as_pixels
from nnteach.softmax import one_hot

__all__ = [
    "Mistakes",
    "accuracy_sentence",
    "accuracy_two_ways",
    "confusion_matrix",
    "labels_array",
    "misclassified",
    "predict_probabilities",
]


def labels_array(y: ArrayLike, num_classes: int = 10, *, what: str = "labels") -> NDArray[np.int64]:
    """Check class labels: a 1-D array of whole numbers from 0 to ``num_classes - 1``.

    Example:
        >>> labels_array([7, 2, 1]).tolist()
        [7, 2, 1]
    """
    array = np.asarray(y)
    if array.ndim != 1:
        raise ValueError(
            _(
                "Expected {what} as a 1-D array of class numbers. Received shape {shape}. Pass e.g. y_test, not one-hot rows (use argmax(axis=1) first)."
            ).format(what=what, shape=array.shape)
        )
    is_whole = np.issubdtype(array.dtype, np.integer) or (
        np.issubdtype(array.dtype, np.floating) and bool(np.all(np.equal(np.mod(array, 1), 0)))
    )
    if array.size and not is_whole:
        raise ValueError(
            _("Expected {what} as whole numbers. Received dtype {dtype}. Pass class numbers 0..9.").format(
                what=what, dtype=array.dtype
            )
        )
    result = array.astype(np.int64)
    if result.size and (result.min() < 0 or result.max() >= num_classes):
        raise ValueError(
            _("Expected {what} from 0 to {value}. Received values from {min} to {max}.").format(
                what=what, value=num_classes - 1, min=result.min(), max=result.max()
            )
        )
    return result


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, num_classes: int = 10) -> NDArray[np.int64]:
    """Count how often each true class (row) was predicted as each class (column).

    Same layout as ``sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(10))``.
    """
    true = labels_array(y_true, num_classes, what="y_true")
    pred = labels_array(y_pred, num_classes, what="y_pred")
    if len(true) != len(pred):
        raise ValueError(
            _("Expected as many predictions as labels. Received {len} labels and {len2} predictions.").format(
                len=len(true), len2=len(pred)
            )
        )
    counts = np.bincount(true * num_classes + pred, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes).astype(np.int64)


@dataclass(frozen=True)
class Mistakes:
    """The misclassified examples, most confident mistakes first."""

    indices: NDArray[np.int64]
    images: NDArray[Any]
    labels: NDArray[np.int64]
    predictions: NDArray[np.int64]
    confidence: NDArray[np.float64]
    probabilities: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.indices)


def _probabilities(probabilities: ArrayLike, n: int) -> NDArray[np.float64]:
    array = np.asarray(probabilities, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] != n:
        raise ValueError(
            _(
                "Expected probabilities of shape ({n}, classes), one row per image. Received shape {shape}. Pass model.predict(x)."
            ).format(n=n, shape=array.shape)
        )
    return array


def misclassified(x: ArrayLike, y_true: ArrayLike, probabilities: ArrayLike, n: int | None = None) -> Mistakes:
    """The images the model got wrong, sorted by how sure it was (most confident mistake first).

    ``probabilities`` is ``model.predict(x)``; ``n`` keeps only the first ``n`` mistakes.

    Example:
        >>> p = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
        >>> misclassified(np.zeros((3, 28, 28)), [1, 1, 1], p).indices.tolist()
        [0, 2]
    """
    images = np.asarray(x)
    probs = _probabilities(probabilities, len(images))
    true = labels_array(y_true, probs.shape[1], what="y_true")
    if len(true) != len(images):
        raise ValueError(
            _("Expected one label per image. Received {len} images and {len2} labels.").format(
                len=len(images), len2=len(true)
            )
        )
    predicted = probs.argmax(axis=1)
    confidence = probs.max(axis=1)
    wrong = np.flatnonzero(predicted != true)
    order = wrong[np.argsort(-confidence[wrong], kind="stable")]
    if n is not None:
        if n < 0:
            raise ValueError(_("Expected n to be 0 or more. Received: n={n}.").format(n=n))
        order = order[:n]
    return Mistakes(
        indices=order.astype(np.int64),
        images=images[order],
        labels=true[order],
        predictions=predicted[order].astype(np.int64),
        confidence=confidence[order],
        probabilities=probs[order],
    )


def predict_probabilities(model: Any, x: ArrayLike, *, batch_size: int = 500) -> NDArray[np.float32]:
    """``model.predict`` on images (uint8 0..255 or floats in [0, 1]), quietly (``verbose=0``)."""
    if hasattr(model, "evaluate"):
        result = model.predict(shape_for_model(model, as_pixels(x)), batch_size=batch_size, verbose=0)
    else:  # nnteach's NumPy models
        result = model.predict(x)
    return np.asarray(result, dtype=np.float32)


def accuracy_sentence(count: int, by_evaluate: float, by_sklearn: float) -> str:
    """The sentence a learner reads after :func:`accuracy_two_ways`, in the page's language.

    Example:
        >>> accuracy_sentence(10000, 0.9479, 0.9479)
        'Test accuracy on 10,000 images: 94.79% with model.evaluate, 94.79% with accuracy_score(y_test, argmax(model.predict(x_test))).'
    """
    return _(
        "Test accuracy on {count} images: {evaluated} with model.evaluate, {scored} with accuracy_score(y_test, argmax(model.predict(x_test)))."
    ).format(count=grouped(count), evaluated=percent(by_evaluate, 2), scored=percent(by_sklearn, 2))


def accuracy_two_ways(model: Any, x: ArrayLike, y: ArrayLike, *, batch_size: int = 500) -> tuple[float, float]:
    """Test accuracy from ``model.evaluate`` and from ``accuracy_score(y, argmax(predict))``.

    They agree within 1e-4 (``evaluate`` adds up in float32). An uncompiled model is compiled
    with the sparse loss and the accuracy metric first. ``x`` may be uint8 0..255 or [0, 1].

    Example:
        >>> from nnteach.models import reference_mlp
        >>> from nnteach.data import load_mnist
        >>> _, (x_test, y_test) = load_mnist()
        >>> by_evaluate, by_sklearn = accuracy_two_ways(reference_mlp().to_keras(), x_test, y_test)
        >>> round(by_evaluate, 4) == round(by_sklearn, 4), by_sklearn > 0.975
        (True, True)
    """
    from sklearn.metrics import accuracy_score

    if not hasattr(model, "evaluate") and hasattr(model, "to_keras"):
        model = model.to_keras()
    if not hasattr(model, "evaluate"):
        raise TypeError(
            _("Expected a Keras model. Received {name__}. Pass a model built with keras.").format(
                name__=type(model).__name__
            )
        )
    images = shape_for_model(model, as_pixels(x))
    labels = labels_array(y, what="y")
    if len(labels) != len(images):
        raise ValueError(
            _("Expected one label per image. Received {len} images and {len2} labels.").format(
                len=len(images), len2=len(labels)
            )
        )
    if not is_compiled(model):
        model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    targets = one_hot(labels, 10) if wants_one_hot(model) else labels
    scores = model.evaluate(images, targets, batch_size=batch_size, verbose=0, return_dict=True)
    if "accuracy" not in scores:
        raise ValueError(
            _(
                "The model was compiled without the accuracy metric. Received metrics {sorted}. Compile it with metrics=['accuracy']."
            ).format(sorted=sorted(scores))
        )
    predicted = np.asarray(model.predict(images, batch_size=batch_size, verbose=0)).argmax(axis=1)
    return float(scores["accuracy"]), float(accuracy_score(labels, predicted))

"""nnteach: Jupyter widgets for teaching neural networks (perceptron, softmax, MLPs on MNIST).

Importing nnteach is light: it never imports TensorFlow. Models are built lazily.

Example:
    >>> import nnteach
    >>> nnteach.reference_mlp().count_params()
    101770
"""

from __future__ import annotations

from nnteach._tf import prepare_keras
from nnteach.data import DataUnavailable, load_mnist
from nnteach.i18n import set_language
from nnteach.memory import release_after_each_cell
from nnteach.models import reference_mlp, reference_softmax_regression

__all__ = [
    "DataUnavailable",
    "__version__",
    "load_mnist",
    "reference_mlp",
    "reference_softmax_regression",
    "set_language",
]

__version__ = "0.1.0"

# A learner's own `import keras` after `import nnteach` is as quiet as nnteach's (no absl/cpu_feature lines);
# a hosted lesson kernel gets its Keras backend here, before anything imports Keras (nnteach._tf).
prepare_keras()
# On a class server, memory a cell freed goes back to the machine after the cell (nnteach.memory).
release_after_each_cell()

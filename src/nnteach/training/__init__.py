"""Training on MNIST that a class can watch and stop, and the runs it leaves behind.

One module per job: ``run`` (``TrainingRun``, the batch-by-batch loop, Keras-exact),
``runlog`` (``RunLog``: several runs saved as JSON), ``dropout`` (the tutorials' dropout
experiment) and ``seed_model`` (the tutorials' MLP, compiled). Everything is re-exported here.

Example:
    >>> from nnteach.training import RunLog, TrainingRun, seed_mlp
    >>> RunLog().names
    []
"""

from __future__ import annotations

from nnteach.keras_inspect import wants_one_hot
from nnteach.layers.validation import PARAM_BUDGET
from nnteach.training.dropout import DropoutExperiment, dropout_experiment
from nnteach.training.run import MAX_BATCH_SIZE, MAX_EPOCHS, METRICS, MNIST_TRAIN_SIZE, Mnist, State, TrainingRun
from nnteach.training.runlog import Run, RunLog
from nnteach.training.seed_model import seed_mlp

__all__ = [
    "MAX_BATCH_SIZE",
    "MAX_EPOCHS",
    "METRICS",
    "MNIST_TRAIN_SIZE",
    "PARAM_BUDGET",
    "DropoutExperiment",
    "Mnist",
    "Run",
    "RunLog",
    "State",
    "TrainingRun",
    "dropout_experiment",
    "seed_mlp",
    "wants_one_hot",
]

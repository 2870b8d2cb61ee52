"""Results that ship with nnteach, so a class sees them without waiting for training.

``reference_dropout_runlog()`` is the tutorials' dropout experiment (the seed MLP at dropout
0.0, 0.2, 0.4, 0.6 and 0.8) computed once by ``scripts/dropout_experiment_full.py``; every
run's ``settings`` records the command, epochs and subset that made it. Loading it needs no
TensorFlow.

Example:
    >>> from nnteach.packaged import reference_dropout_runlog
    >>> log = reference_dropout_runlog()
    >>> log.names
    ['rate=0', 'rate=0.2', 'rate=0.4', 'rate=0.6', 'rate=0.8']
    >>> sorted(log["rate=0"].history)
    ['accuracy', 'loss', 'val_accuracy', 'val_loss']
"""

from __future__ import annotations

from nnteach.errors import PackagedFileError
from nnteach.paths import packaged_file
from nnteach.training.runlog import RunLog

__all__ = ["reference_dropout_runlog"]


def reference_dropout_runlog() -> RunLog:
    """A fresh copy of the packaged dropout experiment's ``RunLog`` (one run per rate)."""
    source = packaged_file("dropout_experiment.json")
    try:
        return RunLog.from_json(source.read_text(encoding="utf-8"), source="the packaged dropout run log")
    except (OSError, ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise PackagedFileError(source.name, type(error).__name__) from None

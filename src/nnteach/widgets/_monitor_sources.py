"""Where TrainingMonitor's model comes from, and where its runs go: builders, learning rates, the class board."""

from __future__ import annotations

from typing import Any

from nnteach.builders import is_model_builder

__all__ = ["fresh_model", "is_builder", "learning_rate", "send_run"]


def learning_rate(model: Any) -> float | None:
    """The optimizer's learning rate as a number (a Keras variable or a float), None if there is none."""
    try:
        return float(model.optimizer.learning_rate)
    except (AttributeError, TypeError, ValueError):
        return None


def is_builder(source: object) -> bool:
    """A builder has ``build_model()`` (or, older, a ``model`` property); the class is checked, nothing is built."""
    if is_model_builder(source):
        return True
    return not isinstance(source, type) and isinstance(getattr(type(source), "model", None), property)


def send_run(session: Any, run: Any) -> str:
    """Send the monitor's last run to the class board (the class space is imported only when a learner shares)."""
    from nnteach.classroom.board import send_run as send

    return send(session, run)


def fresh_model(builder: Any) -> Any:
    """A new model from a builder (``build_model()``, or an older builder's ``model`` property)."""
    return builder.build_model() if is_model_builder(builder) else builder.model

"""A diverging loss, explained: when training made the loss worse than guessing, say so and why.

A learning rate of 1000 trains MNIST to ~10 % with a loss of ~5×10⁸ and no word; a learner then
thinks the network is broken. Random guessing among 10 digits gives a loss of ln 10 ≈ 2.30, so
a final loss far above it (or not a number) means each step overshot.

Example:
    >>> divergence_sentence({"loss": [2.1, 0.4]}, 0.001)
    ''
    >>> divergence_sentence({"loss": [9.1e5, 5.2e8]}, 1000.0)[:60]
    'The loss grew to 5.2e+08 instead of shrinking (guessing at r'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["GUESSING_LOSS", "divergence_sentence"]

GUESSING_LOSS = math.log(10)  # cross-entropy of a uniform guess among 10 classes


def divergence_sentence(history: Mapping[str, Sequence[float]], learning_rate: float | None = None) -> str:
    """One sentence when the last training loss is not a number or over twice guessing's; '' otherwise."""
    losses = list(history.get("loss", ()))
    if not losses:
        return ""
    last = float(losses[-1])
    if math.isfinite(last) and last <= 2 * GUESSING_LOSS:
        return ""
    grew = f"The loss grew to {last:.2g}" if math.isfinite(last) else "The loss is no longer a number"
    rate = f"the learning rate {learning_rate:g}" if learning_rate is not None else "the learning rate"
    return (
        f"{grew} instead of shrinking (guessing at random gives {GUESSING_LOSS:.2f}): with {rate} each step "
        "overshoots, so the weights land further off after every batch. Lower the learning rate (0.001 for "
        "adam, 0.01 for sgd) and press Start again."
    )

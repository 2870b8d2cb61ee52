"""Hosted mode: the training limits a class server puts on every learner, as plain data.

``nnteach serve --class`` sets ``NNTEACH_HOSTED=1`` for every lesson kernel. Then each kernel
trains TensorFlow on one thread (``nnteach._tf``) and within the caps below, so one learner's
training cannot starve the class: at most ``max_epochs`` epochs, ``max_subset`` training
images and ``max_batch_size`` images per batch; a learner's work folder holds at most
``max_work_mb`` MB of saved models and runs. A host can change a cap with
``NNTEACH_MAX_EPOCHS``, ``NNTEACH_MAX_SUBSET``, ``NNTEACH_MAX_BATCH_SIZE`` and
``NNTEACH_MAX_WORK_MB``. Outside hosted mode there are no caps (``hosted_limits()`` is None).

Example:
    >>> limits = hosted_limits({"NNTEACH_HOSTED": "1", "NNTEACH_MAX_EPOCHS": "3"})
    >>> limits.max_epochs, limits.max_subset, limits.max_batch_size
    (3, 10000, 512)
    >>> hosted_limits({}) is None
    True
    >>> limits.check("epochs", 50)
    Traceback (most recent call last):
    ...
    ValueError: The class server caps epochs at 3. Received: epochs=50. Ask for 3 or fewer, or train longer at home (nnteach serve without --class).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from nnteach.i18n import N_, _

__all__ = ["DEFAULT_LIMITS", "HostedLimits", "cap_message", "hosted", "hosted_limits"]

#: Environment variable per cap, and the word a learner reads for it.
_ENV = {
    "max_epochs": "NNTEACH_MAX_EPOCHS",
    "max_subset": "NNTEACH_MAX_SUBSET",
    "max_batch_size": "NNTEACH_MAX_BATCH_SIZE",
    "max_work_mb": "NNTEACH_MAX_WORK_MB",
}
_SETTING = {"epochs": "max_epochs", "subset": "max_subset", "batch_size": "max_batch_size"}
_LABEL = {"epochs": N_("epochs"), "subset": N_("training images (subset)"), "batch_size": N_("the batch size")}


@dataclass(frozen=True)
class HostedLimits:
    """The caps on one learner's training run in hosted mode."""

    max_epochs: int = 10
    max_subset: int = 10_000
    max_batch_size: int = 512
    max_work_mb: int = 500

    def cap(self, setting: str) -> int:
        """The cap for a training setting: ``"epochs"``, ``"subset"`` or ``"batch_size"``."""
        if setting not in _SETTING:
            raise ValueError(
                _("Expected one of {sorted}. Received: setting={setting}.").format(
                    sorted=sorted(_SETTING), setting=f"{setting!r}"
                )
            )
        value: int = getattr(self, _SETTING[setting])
        return value

    def check(self, setting: str, value: int) -> int:
        """``value`` when it is within the cap; else one plain ValueError naming the cap."""
        cap = self.cap(setting)
        if value > cap:
            raise ValueError(cap_message(setting, value, cap))
        return value

    def describe(self) -> str:
        """One line for the widgets: what this class server allows."""
        return _(
            "Class server limits: at most {max_epochs} epochs, {max_subset} training images and batches of {max_batch_size}."
        ).format(max_epochs=self.max_epochs, max_subset=f"{self.max_subset:,}", max_batch_size=self.max_batch_size)


DEFAULT_LIMITS = HostedLimits()


def cap_message(setting: str, value: int, cap: int) -> str:
    """The sentence a learner reads when asking for more than the class server allows.

    Example:
        >>> cap_message("subset", 60000, 10000)[:56]
        'The class server caps training images (subset) at 10,000'
    """
    label = _(_LABEL[setting]) if setting in _LABEL else setting
    return _(
        "The class server caps {label} at {cap}. Received: {setting}={value}. Ask for {cap} or fewer, or train longer at home (nnteach serve without --class)."
    ).format(label=label, cap=f"{cap:,}", setting=setting, value=f"{value!r}")


def hosted(environ: Mapping[str, str] | None = None) -> bool:
    """True when this kernel runs for a class server (``NNTEACH_HOSTED=1``)."""
    return (os.environ if environ is None else environ).get("NNTEACH_HOSTED") == "1"


def hosted_limits(environ: Mapping[str, str] | None = None) -> HostedLimits | None:
    """The training caps in hosted mode (defaults, or the host's ``NNTEACH_MAX_*``); None otherwise."""
    env = os.environ if environ is None else environ
    if not hosted(env):
        return None
    values = {}
    for field, name in _ENV.items():
        text = env.get(name, "").strip()
        if not text:
            continue
        if not text.isdigit() or int(text) < 1:
            raise ValueError(
                _(
                    "Expected {name} to be a whole number of at least 1. Received: {name}={text}. Fix or unset it where the class server is started (default {getattr})."
                ).format(name=name, text=f"{text!r}", getattr=getattr(DEFAULT_LIMITS, field))
            )
        values[field] = int(text)
    return HostedLimits(**values)

"""The one marker for errors whose message is a sentence written for learners.

Widgets show such a message as it is (no "Details" traceback): ``ValueError`` and
``TypeError`` from nnteach's checks, ``PermissionError`` for actions a page may not take,
and every error class that also derives from :class:`PlainSentence` (Keras missing, the
class database away, MNIST unavailable).

Example:
    >>> class ServerAway(RuntimeError, PlainSentence):
    ...     pass
    >>> is_plain_sentence(ServerAway("The class database cannot be reached."))
    True
    >>> is_plain_sentence(KeyError("x"))
    False
"""

from __future__ import annotations

from nnteach.i18n import _

__all__ = ["PLAIN_SENTENCE_ERRORS", "PackagedFileError", "PlainSentence", "is_plain_sentence"]


class PlainSentence(Exception):
    """Mixin: this error's message is one plain sentence for the learner (received, expected, what to do)."""


class PackagedFileError(ValueError):
    """A file installed with nnteach (reference weights, the packaged run log) is missing or damaged.

    Example:
        >>> print(PackagedFileError("reference_mlp.npz", "BadZipFile"))  # doctest: +NORMALIZE_WHITESPACE
        nnteach's packaged file reference_mlp.npz cannot be read (BadZipFile). Expected the file installed with
        nnteach; reinstall nnteach (pip install --force-reinstall nnteach).
    """

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(
            _(
                "nnteach's packaged file {name} cannot be read ({problem}). Expected the file installed with nnteach; reinstall nnteach (pip install --force-reinstall nnteach)."
            ).format(name=name, problem=problem)
        )


PLAIN_SENTENCE_ERRORS: tuple[type[BaseException], ...] = (ValueError, TypeError, PermissionError, PlainSentence)


def is_plain_sentence(error: BaseException) -> bool:
    """Whether ``error``'s message can be shown to a learner as it is."""
    return isinstance(error, PLAIN_SENTENCE_ERRORS)

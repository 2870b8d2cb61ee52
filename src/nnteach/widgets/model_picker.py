"""``ModelPicker``: choose which network answers — a packaged reference model or one the learner saved.

Lesson 7 lets learners try their own trained models on their own handwriting. The choices
are the packaged reference MLP and softmax regression (NumPy, instant, no TensorFlow) and every
``.keras`` file in the learner's own folder (:func:`nnteach.paths.learner_dir`: on a shared
server, never another learner's). The chosen model is the ``model`` trait, so
``dlink((picker, "model"), (canvas, "model"))`` makes a ``DigitCanvas`` follow the choice.
A file that is not a Keras model (damaged, or another file renamed ``.keras``) is refused with
one sentence naming the file inside the work folder, and the previous model stays.

Example:
    >>> from nnteach.widgets import DigitCanvas, ModelPicker
    >>> picker, canvas = ModelPicker(), DigitCanvas()
    >>> link = traitlets.dlink((picker, "model"), (canvas, "model"))
    >>> picker.options[:2]
    ('packaged reference MLP', 'packaged softmax regression')
    >>> picker.choice = "packaged softmax regression"
    >>> canvas.model is picker.model, picker.model.outputs_logits
    (True, True)
    >>> picker.close(); canvas.close()
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach._tf import KerasMissing
from nnteach.i18n import N_, _
from nnteach.models import load_saved, reference_mlp, reference_softmax_regression, saved_models
from nnteach.models.saved import model_file
from nnteach.request import when_requested
from nnteach.widgets._base import NNTeachValueError, NNTeachWidget

__all__ = ["REFERENCE_MLP", "SOFTMAX_REGRESSION", "ModelPicker", "load_choice"]

# The choices' names (also what ``choice`` holds and a teacher's link sets); shown translated.
REFERENCE_MLP = N_("packaged reference MLP")
SOFTMAX_REGRESSION = N_("packaged softmax regression")
PACKAGED = {REFERENCE_MLP: reference_mlp, SOFTMAX_REGRESSION: reference_softmax_regression}


def _check_keras_file(name: str, path: Path) -> None:
    """Refuse, before Keras is imported, a file that cannot be a Keras 3 model (a ``.keras`` is a zip with a config)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile, EOFError, ValueError):
        names = set()
    if "config.json" not in names:
        raise NNTeachValueError(
            _(
                "Expected '{name}.keras' in your work folder to be a model saved with Keras. Received a file that is "
                "not one (damaged, or another file renamed); save the model again from its lesson, or pick another."
            ).format(name=name)
        )


def load_choice(choice: str) -> Any:
    """The model called ``choice``: a packaged reference model, or a ``.keras`` file of the work folder.

    Every problem is one sentence that names the file inside the work folder only (never a
    server path). Packaged models need no TensorFlow; a saved file imports Keras.

    Example:
        >>> load_choice(REFERENCE_MLP).count_params()
        101770
        >>> load_choice("never saved")
        Traceback (most recent call last):
        ...
        nnteach.widgets._errors.NNTeachValueError: Expected a model saved in your work folder. Received 'never saved', which is not there; save one first, or press Refresh list.
    """
    if choice in PACKAGED:
        return PACKAGED[choice]()
    if choice not in saved_models():
        raise NNTeachValueError(
            _(
                "Expected a model saved in your work folder. Received {choice}, which is not there; "
                "save one first, or press Refresh list."
            ).format(choice=repr(choice))
        )
    _check_keras_file(choice, model_file(choice))
    try:
        return load_saved(choice)
    except KerasMissing:
        raise
    except Exception as error:  # noqa: BLE001 - Keras' own messages carry server paths: name the file instead
        raise NNTeachValueError(
            _(
                "Expected '{choice}.keras' in your work folder to be a model Keras can load. Received a file it "
                "cannot read ({problem}); save the model again from its lesson, or pick another."
            ).format(choice=choice, problem=type(error).__name__)
        ) from None


def _shown_options(options: tuple[str, ...]) -> tuple[str | tuple[str, str], ...]:
    """The dropdown's entries: a packaged model's name translated (a (label, value) pair), file names as they are."""
    shown = {option: _(option) if option in PACKAGED else option for option in options}
    return tuple(option if shown[option] == option else (shown[option], option) for option in options)


class ModelPicker(NNTeachWidget):
    """Pick the model that answers: the packaged reference MLP or softmax regression, or a saved ``.keras`` file.

    Traits: ``choice`` (what the learner picked; the only one the browser may set), ``options``
    (the choices, read-only; :meth:`refresh` reads the work folder again), ``model`` (the loaded
    model, read-only; ``dlink`` it to a ``DigitCanvas``). Stable parts: ``controls`` —
    ``"choice"`` (the dropdown) and ``"refresh"`` (the Refresh list button).

    Example:
        >>> picker = ModelPicker()
        >>> picker.choice, picker.model.count_params()
        ('packaged reference MLP', 101770)
        >>> picker.close()
    """

    #: What a teacher's link may set (``?<name>.<trait>=…``, see :mod:`nnteach.links`).
    shared_traits: ClassVar[tuple[str, ...]] = ("choice",)

    frontend_writable = frozenset({"choice"})

    choice = traitlets.Unicode(REFERENCE_MLP, help="The model picked: one of `options`.").tag(sync=True)
    options = traitlets.Tuple(
        (REFERENCE_MLP, SOFTMAX_REGRESSION), read_only=True, help="The packaged models, then the saved ones."
    ).tag(sync=True)
    model = traitlets.Any(None, allow_none=True, read_only=True, help="The loaded model of `choice`.")

    _loaded: tuple[str, Any]  # the last model loaded, by the choice that loaded it

    @traitlets.validate("choice")
    def _check_choice(self, proposal: Any) -> str:
        choice = proposal["value"]
        if not isinstance(choice, str) or choice not in self.options:
            listed = ", ".join(repr(option) for option in self.options)
            raise NNTeachValueError(
                _("Expected one of the listed models ({listed}). Received {choice}; pick one from the list.").format(
                    listed=listed, choice=f"{choice!r:.60}"
                )
            )
        try:
            self._loaded = (choice, load_choice(choice))
        except KerasMissing as error:
            raise NNTeachValueError(str(error)) from None
        return choice

    def __init__(self, choice: str = REFERENCE_MLP, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._loaded = (REFERENCE_MLP, reference_mlp())
        self.set_trait("model", self._loaded[1])
        picker = widgets.Dropdown(description=_("model"), layout={"width": "28em"})
        picker.add_class("nnteach-model-choice")
        refresh = widgets.Button(description=_("Refresh list"), icon="refresh", tooltip=_("Read the work folder again"))
        refresh.add_class("nnteach-model-refresh")
        self._controls = {"choice": picker, "refresh": refresh}
        traitlets.dlink((self, "options"), (picker, "options"), _shown_options)
        self.observe(self._on_choice, names="choice")
        self.bind(picker, "choice", fallback=_("That model could not be loaded."))
        refresh.on_click(lambda _button: self._refresh_clicked())
        self.add_class("nnteach-model-picker")
        self.compose(widgets.HBox([picker, refresh]), self.errors)
        if choice != self.choice:
            self.refresh()
            self.choice = choice
        else:  # a warm kernel lists the learner's own files once a page takes it
            when_requested(self._refresh_clicked)

    @property
    def controls(self) -> MappingProxyType[str, widgets.Widget]:
        """The learner's controls by name: ``"choice"`` and ``"refresh"`` (a documented, stable part)."""
        return MappingProxyType(self._controls)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """A browser update: a refused choice is one sentence here, not an error in the kernel's log."""
        with self.errors.guard(_("That model could not be loaded.")):
            super().set_state(sync_data)

    def refresh(self) -> None:
        """List the work folder's saved models again (a chosen model whose file went keeps answering)."""
        saved = tuple(name for name in saved_models() if name not in PACKAGED)
        kept = () if self.choice in (*PACKAGED, *saved) else (self.choice,)
        picker = self._controls["choice"]
        with self.render_once(), picker.hold_sync():  # new options reset a Dropdown's value: not a learner's pick
            self.set_trait("options", (*PACKAGED, *saved, *kept))
            picker.value = self.choice

    def _refresh_clicked(self) -> None:
        with self.errors.guard(_("The work folder could not be read.")):
            self.refresh()

    def _on_choice(self, change: dict[str, Any]) -> None:
        name, model = self._loaded
        if name == change["new"]:
            self.set_trait("model", model)

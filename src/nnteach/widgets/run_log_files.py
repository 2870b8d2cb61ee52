"""RunLogFiles: save a RunComparison's runs under a name in the work folder, and load them back.

The dropout experiment's full setting takes half an hour: learners run it at home, save the
run log with a name, and load it in class next to the packaged runs. Names are checked
(``nnteach.paths.safe_name``): a page served to a class never reads or writes outside the
learner's work folder.

Example:
    >>> from nnteach.widgets import RunComparison
    >>> mine = RunComparison()
    >>> files = RunLogFiles(mine, name="homework")
    >>> _ = mine.runs.add("rate=0", {}, {"val_loss": [0.3, 0.2]})
    >>> files.save().name
    'homework.json'
    >>> files.load(), files.status
    (('rate=0',), 'Loaded 1 runs from homework.json.')
    >>> files.close(); mine.close()
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from nnteach.i18n import N_, _
from nnteach.paths import NameTaken, free_name, learner_dir, safe_name
from nnteach.training import RunLog
from nnteach.widgets._base import NNTeachWidget

__all__ = ["RunLogFiles"]

PROMPT = N_("Run the experiment, or load a run log saved at home.")  # shown translated


class RunLogFiles(NNTeachWidget):
    """A name box with **Save run log** and **Load run log** for one ``RunComparison``.

    Traits: ``name`` (the file's name without ``.json``); read-only ``status`` (the last
    sentence shown). Parts: ``controls`` (``name``, ``save``, ``load``).
    """

    frontend_writable: ClassVar[frozenset[str]] = frozenset()

    name = traitlets.Unicode(
        "dropout homework",  # not translated: a file name
        help="The run log's name: the file <name>.json in the work folder.",
    )
    status = traitlets.Unicode(PROMPT, read_only=True, help="What the last save or load did (computed).")

    def __init__(self, comparison: Any, *, name: str = "dropout homework", **kwargs: Any) -> None:  # not translated
        super().__init__(**kwargs)
        self.set_trait("status", _(PROMPT))
        if not (hasattr(comparison, "runs") and hasattr(comparison, "load_runs")):
            self.close()
            raise TypeError(
                _(
                    "Expected a RunComparison (something with runs and load_runs). Received {name__}; pass the comparison whose runs are saved and loaded."
                ).format(name__=type(comparison).__name__)
            )
        self.add_class("nnteach-run-log-files")
        self.comparison = comparison
        self.name = name
        box = self.bind(widgets.Text(description=_("log name"), continuous_update=False), "name")
        save = widgets.Button(description=_("Save run log"), icon="save")
        load = widgets.Button(description=_("Load run log"), icon="folder-open")
        save.on_click(lambda _button: self._clicked(self.save, _("The run log could not be saved.")))
        load.on_click(lambda _button: self._clicked(self.load, _("The run log could not be loaded.")))
        self._controls = {"name": box, "save": save, "load": load}
        shown = widgets.HTML()
        shown.add_class("nnteach-log-status")
        traitlets.dlink((self, "status"), (shown, "value"))
        self.compose(widgets.HBox([box, save, load]), shown, self.errors)

    @property
    def controls(self) -> MappingProxyType[str, widgets.Widget]:
        """The name box and the two buttons, by name (for tests and lessons; read-only)."""
        return MappingProxyType(self._controls)

    @property
    def path(self) -> Path:
        """The run log's file in the learner's folder (a name with '/' or '..' raises a ValueError)."""
        return learner_dir() / (safe_name(self.name, what=_("log name")) + ".json")

    def save(self, *, replace: bool = False) -> Path:
        """Save the comparison's runs as ``<name>.json`` in the work folder; returns the file.

        A name that holds other runs is refused (:class:`nnteach.paths.NameTaken`) and ``name``
        becomes the free name offered, so Save again keeps both; ``replace=True`` writes over.
        """
        if not len(self.comparison.runs):
            raise ValueError(
                _("There is no run log to save yet. Received a comparison without runs: run the experiment first.")
            )
        target = self.path
        if target.is_file() and not replace and not self._holds_these_runs(target):
            suggestion = free_name(target.parent, target.stem, ".json")
            self.name = suggestion
            raise NameTaken(
                _(
                    "Expected a new name for these runs. Received {stem}, which already holds other runs in your folder; the name box now says {suggestion}: press Save run log again to keep both."
                ).format(stem=f"{target.stem!r}", suggestion=f"{suggestion!r}"),
                suggestion,
            )
        path = Path(self.comparison.runs.save(target))
        self.set_trait("status", f"Saved to {path.name} in your work folder.")
        return path

    def _holds_these_runs(self, path: Path) -> bool:
        """Whether the file already holds exactly the comparison's runs (saving again changes nothing)."""
        try:
            return bool(RunLog.load(path).to_json() == self.comparison.runs.to_json())
        except (OSError, ValueError):
            return False

    def load(self) -> tuple[str, ...]:
        """Show the runs of ``<name>.json`` in the comparison; returns the names shown."""
        path = self.path
        self.comparison.load_runs(RunLog.load(path))
        names = tuple(self.comparison.runs.names)
        self.set_trait("status", f"Loaded {len(names)} runs from {path.name}.")
        return names

    def _clicked(self, action: Any, fallback: str) -> None:
        with self.errors.guard(fallback):
            action()

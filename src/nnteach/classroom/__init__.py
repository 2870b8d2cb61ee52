"""The class space: learners share digits and training runs into one store; the teacher page shows them.

Storage is SQLAlchemy Core on an SQLite file in the work folder by default, or any database
URL in ``NNTEACH_CLASS_DB`` (PostgreSQL for a JupyterHub). See :mod:`nnteach.classroom.store`.

Example:
    >>> import tempfile, numpy as np
    >>> from nnteach.classroom import ClassStore
    >>> store = ClassStore(f"sqlite:///{tempfile.mkdtemp()}/class.db")
    >>> store.join("notebook:ken", "Ken").display_name
    'Ken'
    >>> store.counts()
    {'learners': 1, 'digits': 0, 'runs': 0}
    >>> store.close()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from nnteach.classroom.entries import (
    MAX_NAME_LENGTH,
    Learner,
    RunFigures,
    SharedDigit,
    SharedRun,
    check_digit,
    check_run,
    clean_display_name,
)
from nnteach.classroom.identity import (
    browser_identity,
    hub_identity,
    identity_from_environment,
    new_secret,
    notebook_identity,
    same_key,
)

if TYPE_CHECKING:
    from nnteach.classroom.export import export_digits
    from nnteach.classroom.schema import SCHEMA_VERSION
    from nnteach.classroom.store import ClassroomUnavailable, ClassStore, SharingTooFast, class_db_url

# The store needs SQLAlchemy (~0.3 s of a lesson kernel's CPU): load it when a page first shares,
# not when a lesson only asks who its learner is (nnteach.classroom.session, nnteach.paths).
_LAZY = {
    "export_digits": "nnteach.classroom.export",
    "SCHEMA_VERSION": "nnteach.classroom.schema",
    "ClassroomUnavailable": "nnteach.classroom.store",
    "ClassStore": "nnteach.classroom.store",
    "SharingTooFast": "nnteach.classroom.store",
    "class_db_url": "nnteach.classroom.store",
}


def __getattr__(name: str) -> Any:
    """The store's names, imported on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'nnteach.classroom' has no attribute {name!r}")


__all__ = [
    "MAX_NAME_LENGTH",
    "SCHEMA_VERSION",
    "ClassStore",
    "ClassroomUnavailable",
    "Learner",
    "RunFigures",
    "SharedDigit",
    "SharedRun",
    "SharingTooFast",
    "browser_identity",
    "check_digit",
    "check_run",
    "class_db_url",
    "clean_display_name",
    "export_digits",
    "hub_identity",
    "identity_from_environment",
    "new_secret",
    "notebook_identity",
    "same_key",
]

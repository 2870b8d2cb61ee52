"""``ClassStore``: the class's shared digits and training runs, in SQLite or PostgreSQL.

Default: ``<NNTEACH_WORKDIR>/class.db`` (SQLite, WAL mode, a busy timeout), so ``nnteach
serve`` needs nothing more. ``NNTEACH_CLASS_DB`` takes any SQLAlchemy URL, e.g.
``postgresql+psycopg://nnteach@db.school/class`` for a JupyterHub whose kernels share no disk.
Every database fault reaches the caller as :class:`ClassroomUnavailable`, one plain sentence
(the lesson goes on; sharing resumes when the database is back), never with the URL in it.

Example:
    >>> import tempfile, numpy as np
    >>> store = ClassStore(f"sqlite:///{tempfile.mkdtemp()}/class.db")
    >>> aiko = store.join("notebook:aiko", "Aiko")
    >>> store.share_digit(aiko.identity, 3, np.zeros((28, 28), np.uint8))
    1
    >>> [(d.display_name, d.label) for d in store.digits()]
    [('Aiko', 3)]
    >>> store.close()
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from numpy.typing import NDArray

from nnteach.classroom import schema
from nnteach.classroom.entries import (
    Learner,
    RunFigures,
    SharedDigit,
    SharedRun,
    check_digit,
    check_run,
    clean_display_name,
)
from nnteach.errors import PlainSentence

__all__ = ["ClassStore", "ClassroomUnavailable", "SharingTooFast", "class_db_url"]


class ClassroomUnavailable(RuntimeError, PlainSentence):
    """The class database cannot be used right now; the message is one sentence for the page."""


class SharingTooFast(ValueError):
    """A learner shared more than the per-minute limit."""


def class_db_url(env: Mapping[str, str] | None = None) -> str:
    """``NNTEACH_CLASS_DB`` if set, else an SQLite file ``class.db`` in the work folder.

    Example:
        >>> class_db_url({"NNTEACH_CLASS_DB": "postgresql+psycopg://db/class"})
        'postgresql+psycopg://db/class'
        >>> class_db_url({"NNTEACH_WORKDIR": "/tmp/work"})
        'sqlite:////tmp/work/class.db'
    """
    env = os.environ if env is None else env
    if env.get("NNTEACH_CLASS_DB"):
        return env["NNTEACH_CLASS_DB"]
    # The work folder as nnteach.paths.work_dir names it (not imported: paths asks the class session who
    # the learner is, so importing it here would be a cycle).
    folder = Path(env.get("NNTEACH_WORKDIR") or Path.home() / "nnteach-work").expanduser()
    return f"sqlite:///{folder / 'class.db'}"


def _reason(error: BaseException) -> str:
    text = str(error).lower()
    for needles, reason in (
        (("locked", "busy"), "is busy (locked by another writer)"),
        (("readonly", "read-only", "read only"), "is read-only"),
        (("not a database", "malformed", "corrupt"), "is damaged"),
        (("unable to open",), "cannot be opened"),
        (("does not exist",), "does not exist"),
        (("password", "authentication"), "refused our credentials"),
    ):
        if any(needle in text for needle in needles):
            return reason
    return "cannot be reached"


def _unavailable(error: BaseException) -> ClassroomUnavailable:
    return ClassroomUnavailable(
        f"The class space is not available right now: the class database {_reason(error)}. "
        "Expected a class database this page can write to. Your own work here is not affected: "
        "try sharing again in a minute, and if it keeps happening, tell your teacher."
    )


def _on_sqlite_connect(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


class ClassStore:
    """The class space: learners, their shared digits and runs. See the module docstring.

    ``digits_per_minute`` and ``runs_per_minute`` slow down a learner sharing in a loop;
    ``busy_timeout`` is how long an SQLite writer waits for another (seconds).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        digits_per_minute: int = 30,
        runs_per_minute: int = 10,
        busy_timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url or class_db_url()
        self.digits_per_minute = digits_per_minute
        self.runs_per_minute = runs_per_minute
        self.busy_timeout = busy_timeout
        self._clock = clock
        self._engine: sa.Engine | None = None
        self._ready = False

    # -- connection ------------------------------------------------------------------------------
    @property
    def is_postgresql(self) -> bool:
        """Whether the store is on PostgreSQL (rows then carry the writing role as ``owner``)."""
        return self.url.startswith("postgresql")

    def _get_engine(self) -> sa.Engine:
        if self._engine is None:
            if self.url.startswith("sqlite:///"):
                Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
                engine = sa.create_engine(self.url, connect_args={"timeout": self.busy_timeout})
                sa.event.listen(engine, "connect", _on_sqlite_connect)
            else:
                # A server that is away must not hold a learner's kernel: give up connecting after 3 s.
                engine = sa.create_engine(
                    self.url, pool_pre_ping=True, pool_size=2, max_overflow=2, connect_args={"connect_timeout": 3}
                )
            self._engine = engine
        return self._engine

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        try:
            engine = self._get_engine()
            with engine.begin() as connection:
                if not self._ready:
                    schema.upgrade(connection)
                yield connection
            self._ready = True
        except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DatabaseError) as error:
            if isinstance(error, sa.exc.ProgrammingError) and "row-level security" in str(error).lower():
                raise PermissionError("You can change only your own entries in the class space.") from None
            if isinstance(error, sa.exc.ProgrammingError) and "permission denied" in str(error).lower():
                raise PermissionError("You can change only your own entries in the class space.") from None
            raise _unavailable(error) from None

    def close(self) -> None:
        """Release the database connections."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _owner(self, identity: str) -> Any:
        return sa.literal_column("current_user") if self.is_postgresql else identity

    # -- learners ------------------------------------------------------------------------------------
    def join(self, identity: str, display_name: str) -> Learner:
        """Add the learner, or change their display name; entries stay theirs whatever the name."""
        name = clean_display_name(display_name)
        table = schema.learners
        with self._transaction() as connection:
            row = connection.execute(sa.select(table.c.id).where(table.c.identity == identity)).first()
            if row is None:
                values = {"identity": identity, "display_name": name, "created_at": self._clock()}
                inserted = connection.execute(sa.insert(table).values(**values, owner=self._owner(identity)))
                return Learner(_new_id(inserted), identity, name)
            connection.execute(sa.update(table).where(table.c.id == row.id).values(display_name=name))
            return Learner(int(row.id), identity, name)

    def learner(self, identity: str) -> Learner | None:
        """The learner with this identity, or None if they have not joined."""
        table = schema.learners
        with self._transaction() as connection:
            row = connection.execute(sa.select(table).where(table.c.identity == identity)).first()
        return None if row is None else Learner(int(row.id), row.identity, row.display_name)

    def _learner_id(self, connection: sa.Connection, identity: str) -> int:
        table = schema.learners
        found = connection.execute(sa.select(table.c.id).where(table.c.identity == identity)).scalar()
        if found is None:
            raise ValueError(
                "Expected a learner who has joined the class. Received an identity with no name yet; "
                "type your name first, then share."
            )
        return int(found)

    def _check_rate(self, connection: sa.Connection, table: sa.Table, learner_id: int, limit: int, what: str) -> None:
        since = self._clock() - 60.0
        recent = connection.execute(
            sa.select(sa.func.count()).where(table.c.learner_id == learner_id, table.c.created_at > since)
        ).scalar_one()
        if recent >= limit:
            raise SharingTooFast(
                f"You shared {recent} {what} in the last minute. Expected at most {limit} a minute; "
                "wait a moment, then share again."
            )

    # -- sharing ----------------------------------------------------------------------------------------
    def share_digit(self, identity: str, label: object, image: object) -> int:
        """Add a labelled 28×28 drawing to the class's digits; return its id."""
        checked_label, pixels = check_digit(label, image)
        with self._transaction() as connection:
            learner_id = self._learner_id(connection, identity)
            self._check_rate(connection, schema.digits, learner_id, self.digits_per_minute, "digits")
            values = {"learner_id": learner_id, "label": checked_label, "image": pixels, "created_at": self._clock()}
            inserted = connection.execute(sa.insert(schema.digits).values(**values, owner=self._owner(identity)))
            return _new_id(inserted)

    def share_run(self, identity: str, figures: RunFigures) -> int:
        """Add a run's figures (not its weights) to the class board; return its id."""
        values = check_run(figures)
        with self._transaction() as connection:
            learner_id = self._learner_id(connection, identity)
            self._check_rate(connection, schema.runs, learner_id, self.runs_per_minute, "runs")
            row = {**values, "learner_id": learner_id, "created_at": self._clock(), "owner": self._owner(identity)}
            inserted = connection.execute(sa.insert(schema.runs).values(**row))
            return _new_id(inserted)

    # -- reading -------------------------------------------------------------------------------------------
    def digits(self, label: int | None = None, limit: int = 5000) -> list[SharedDigit]:
        """The class's digits, newest first (optionally one label only)."""
        d, learners = schema.digits, schema.learners
        query = sa.select(d, learners.c.display_name).join(learners, learners.c.id == d.c.learner_id)
        if label is not None:
            query = query.where(d.c.label == int(label))
        with self._transaction() as connection:
            rows = connection.execute(query.order_by(d.c.id.desc()).limit(limit)).all()
        return [
            SharedDigit(
                row.id,
                row.learner_id,
                row.display_name,
                int(row.label),
                np.frombuffer(row.image, np.uint8).reshape(28, 28).copy(),
                row.created_at,
            )
            for row in rows
        ]

    def digit_arrays(self) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
        """All the class's digits as ``load_mnist()``-style arrays: images ``(n, 28, 28)`` uint8, labels uint8."""
        d = schema.digits
        with self._transaction() as connection:
            rows = connection.execute(sa.select(d.c.image, d.c.label).order_by(d.c.id)).all()
        images = np.frombuffer(b"".join(row.image for row in rows), np.uint8).reshape(-1, 28, 28).copy()
        return images, np.array([row.label for row in rows], dtype=np.uint8)

    def runs(self, lesson: str | None = None, limit: int = 1000) -> list[SharedRun]:
        """The class board: best validation accuracy first (then accuracy, then newest)."""
        r, learners = schema.runs, schema.learners
        query = sa.select(r, learners.c.display_name).join(learners, learners.c.id == r.c.learner_id)
        if lesson is not None:
            query = query.where(r.c.lesson == lesson)
        order = (r.c.val_accuracy.is_(None), r.c.val_accuracy.desc(), r.c.accuracy.desc(), r.c.id.desc())
        with self._transaction() as connection:
            rows = connection.execute(query.order_by(*order).limit(limit)).all()
        return [SharedRun(row.id, row.learner_id, row.display_name, _figures(row), row.created_at) for row in rows]

    def stamp(self) -> tuple[int, ...]:
        """A cheap "anything new?" value: it changes whenever an entry is added or removed."""
        runs, digits = schema.runs, schema.digits
        parts = (
            sa.select(sa.func.coalesce(sa.func.max(runs.c.id), 0)),
            sa.select(sa.func.count()).select_from(runs),
            sa.select(sa.func.coalesce(sa.func.max(digits.c.id), 0)),
            sa.select(sa.func.count()).select_from(digits),
            sa.select(sa.func.count()).select_from(schema.learners),
        )
        with self._transaction() as connection:
            values = connection.execute(sa.select(*(part.scalar_subquery() for part in parts))).one()
        return tuple(int(value) for value in values)

    def counts(self) -> dict[str, int]:
        """How many learners, digits and runs the class has."""
        with self._transaction() as connection:
            return {
                name: int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                for name, table in (("learners", schema.learners), ("digits", schema.digits), ("runs", schema.runs))
            }

    # -- removing -----------------------------------------------------------------------------------------
    def _remove(self, table: sa.Table, entry_id: int, identity: str, *, teacher: bool) -> bool:
        with self._transaction() as connection:
            condition = table.c.id == int(entry_id)
            if not teacher:
                condition = sa.and_(condition, table.c.learner_id == self._learner_id(connection, identity))
            return bool(connection.execute(sa.delete(table).where(condition)).rowcount)

    def remove_digit(self, entry_id: int, identity: str, *, teacher: bool = False) -> bool:
        """Remove a digit: a learner only their own; the teacher any. Returns whether one was removed."""
        return self._remove(schema.digits, entry_id, identity, teacher=teacher)

    def remove_run(self, entry_id: int, identity: str, *, teacher: bool = False) -> bool:
        """Remove a run: a learner only their own; the teacher any. Returns whether one was removed."""
        return self._remove(schema.runs, entry_id, identity, teacher=teacher)

    def clear(self) -> dict[str, int]:
        """Empty the class (a teacher action: callers check the teacher key); return what was removed."""
        removed = self.counts()
        with self._transaction() as connection:
            for table in (schema.digits, schema.runs, schema.learners):
                connection.execute(sa.delete(table))
        return removed


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every table here has an integer primary key
        raise RuntimeError("The class database returned no id for a new entry.")
    return int(key[0])


def _figures(row: Any) -> RunFigures:
    return RunFigures(
        lesson=row.lesson,
        spec=json.loads(row.spec),
        model_line=row.model_line,
        params=int(row.params),
        epochs=int(row.epochs),
        images=int(row.images),
        batch_size=int(row.batch_size),
        accuracy=row.accuracy,
        val_accuracy=row.val_accuracy,
        loss=row.loss,
        val_loss=row.val_loss,
        history=json.loads(row.history),
        seconds=float(row.seconds),
    )

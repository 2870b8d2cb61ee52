"""The class store's tables (SQLAlchemy Core) and the upgrade path from its first version.

Version 1 stored learners, shared digits and training runs. Version 2 added the ``owner``
column (the database role that wrote a row, for PostgreSQL row-level security on a hub) and
an index on each table's time, so the teacher page's "anything new?" query stays cheap.
Every upgrade is a function from one version to the next, run in one transaction.

Example:
    >>> import sqlalchemy as sa
    >>> engine = sa.create_engine("sqlite://")
    >>> with engine.begin() as connection:
    ...     upgrade(connection), schema_version(connection)
    (0, 2)
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

__all__ = ["SCHEMA_VERSION", "digits", "learners", "meta", "metadata", "runs", "schema_version", "upgrade"]

SCHEMA_VERSION = 2

metadata = sa.MetaData()


def _learner_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("identity", sa.String(80), nullable=False, unique=True),
        sa.Column("display_name", sa.String(40), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    ]


def _digit_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("nnteach_learners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("label", sa.SmallInteger, nullable=False),
        sa.Column("image", sa.LargeBinary(784), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    ]


def _run_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("nnteach_learners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lesson", sa.String(80), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("model_line", sa.String(400), nullable=False),
        sa.Column("params", sa.BigInteger, nullable=False),
        sa.Column("epochs", sa.Integer, nullable=False),
        sa.Column("images", sa.Integer, nullable=False),
        sa.Column("batch_size", sa.Integer, nullable=False),
        sa.Column("accuracy", sa.Float),
        sa.Column("val_accuracy", sa.Float),
        sa.Column("loss", sa.Float),
        sa.Column("val_loss", sa.Float),
        sa.Column("history", sa.Text, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    ]


def _meta_columns() -> list[sa.Column[object]]:
    return [sa.Column("key", sa.String(40), primary_key=True), sa.Column("value", sa.String(200), nullable=False)]


def _owner() -> sa.Column[object]:
    return sa.Column("owner", sa.String(80), nullable=False, server_default="")


meta = sa.Table("nnteach_meta", metadata, *_meta_columns())
learners = sa.Table("nnteach_learners", metadata, *_learner_columns(), _owner())
digits = sa.Table(
    "nnteach_digits", metadata, *_digit_columns(), _owner(), sa.Index("nnteach_digits_created", "created_at")
)
runs = sa.Table("nnteach_runs", metadata, *_run_columns(), _owner(), sa.Index("nnteach_runs_created", "created_at"))

# Version 1's tables exactly as they were first released: the upgrade test builds these.
_V1 = sa.MetaData()
sa.Table("nnteach_meta", _V1, *_meta_columns())
sa.Table("nnteach_learners", _V1, *_learner_columns())
sa.Table("nnteach_digits", _V1, *_digit_columns())
sa.Table("nnteach_runs", _V1, *_run_columns())


def create_version_1(connection: sa.Connection) -> None:
    """Create the first released schema (for the upgrade test and nothing else)."""
    _V1.create_all(connection)
    connection.execute(sa.insert(_V1.tables["nnteach_meta"]).values(key="schema_version", value="1"))


def schema_version(connection: sa.Connection) -> int:
    """The stored schema version; 0 for an empty database."""
    if not sa.inspect(connection).has_table("nnteach_meta"):
        return 0
    value = connection.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else 0


def _to_1(connection: sa.Connection) -> None:
    _V1.create_all(connection)


def _to_2(connection: sa.Connection) -> None:
    for table in ("nnteach_learners", "nnteach_digits", "nnteach_runs"):
        columns = {column["name"] for column in sa.inspect(connection).get_columns(table)}
        if "owner" not in columns:
            connection.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN owner VARCHAR(80) NOT NULL DEFAULT ''"))
    for index in (*digits.indexes, *runs.indexes):
        index.create(connection, checkfirst=True)


_UPGRADES: dict[int, Callable[[sa.Connection], None]] = {1: _to_1, 2: _to_2}


def upgrade(connection: sa.Connection) -> int:
    """Bring the database to :data:`SCHEMA_VERSION` (in the caller's transaction); return the old version.

    A database newer than this nnteach is refused with a sentence: an older nnteach must not
    write into a schema it does not know.
    """
    found = schema_version(connection)
    if found > SCHEMA_VERSION:
        raise ValueError(
            f"The class database has schema version {found}, newer than this nnteach understands "
            f"(version {SCHEMA_VERSION}). Expected version {SCHEMA_VERSION} or older. "
            "Upgrade nnteach on this machine to the version the class server runs."
        )
    for version in range(found + 1, SCHEMA_VERSION + 1):
        _UPGRADES[version](connection)
        values = {"key": "schema_version", "value": str(version)}
        if version == 1 and found == 0:
            connection.execute(sa.insert(meta).values(**values))
        else:
            connection.execute(sa.update(meta).where(meta.c.key == "schema_version").values(value=str(version)))
    return found

"""Where learners can run code (a hub's single-user servers), the database enforces ownership.

A kernel's credentials are its learner's: anything the widget checks, the learner could
skip. So on PostgreSQL each hub user gets their own login role (member of
``nnteach_learner``), every row records the role that wrote it (``owner``), and row-level
security lets a role read everything but insert, change and remove only its own rows.
Members of ``nnteach_teacher`` may change and remove any row. The schema owner (the admin
that runs :func:`install_row_security`) creates the tables; learners cannot change them.

Example (needs a PostgreSQL server, so not run here):
    >>> import sqlalchemy as sa  # doctest: +SKIP
    >>> admin = sa.create_engine("postgresql+psycopg://postgres@db/class")  # doctest: +SKIP
    >>> with admin.begin() as connection:  # doctest: +SKIP
    ...     install_row_security(connection)
    ...     add_hub_learner(connection, "aiko", "a-long-random-password")
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from nnteach.classroom import schema

__all__ = ["LEARNER_ROLE", "TEACHER_ROLE", "add_hub_learner", "install_row_security"]

LEARNER_ROLE = "nnteach_learner"
TEACHER_ROLE = "nnteach_teacher"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_IS_TEACHER = f"pg_has_role(current_user, '{TEACHER_ROLE}', 'MEMBER')"
_OWN_LEARNER = "learner_id IN (SELECT id FROM nnteach_learners WHERE owner = current_user)"


def _role(name: str) -> str:
    if not _ROLE_NAME.match(name):
        raise ValueError(
            f"Expected a PostgreSQL role name (lower-case letters, digits, _; at most 63). Received {name!r:.70}; "
            "map hub user names to such role names."
        )
    return name


def _create_group(connection: sa.Connection, role: str) -> None:
    exists = connection.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if exists is None:
        connection.execute(sa.text(f"CREATE ROLE {role} NOLOGIN"))


def install_row_security(connection: sa.Connection) -> None:
    """Create the tables (as the schema owner), the two group roles, grants and row-level policies."""
    schema.upgrade(connection)
    for role in (LEARNER_ROLE, TEACHER_ROLE):
        _create_group(connection, role)
    connection.execute(sa.text(f"GRANT {LEARNER_ROLE} TO {TEACHER_ROLE}"))
    for table in (schema.learners, schema.digits, schema.runs):
        name = table.name
        own = "owner = current_user"
        inserting = f"{own} AND identity = 'hub:' || current_user" if table is schema.learners else f"{own}"
        if table is not schema.learners:
            inserting += f" AND {_OWN_LEARNER}"
        statements = [
            f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS nnteach_read ON {name}",
            f"DROP POLICY IF EXISTS nnteach_insert ON {name}",
            f"DROP POLICY IF EXISTS nnteach_update ON {name}",
            f"DROP POLICY IF EXISTS nnteach_delete ON {name}",
            f"CREATE POLICY nnteach_read ON {name} FOR SELECT USING (true)",
            f"CREATE POLICY nnteach_insert ON {name} FOR INSERT WITH CHECK ({inserting})",
            f"CREATE POLICY nnteach_update ON {name} FOR UPDATE USING ({own} OR {_IS_TEACHER}) "
            f"WITH CHECK ({own} OR {_IS_TEACHER})",
            f"CREATE POLICY nnteach_delete ON {name} FOR DELETE USING ({own} OR {_IS_TEACHER})",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO {LEARNER_ROLE}",
            f"GRANT USAGE ON SEQUENCE {name}_id_seq TO {LEARNER_ROLE}",
        ]
        for statement in statements:
            connection.execute(sa.text(statement))
    connection.execute(sa.text(f"GRANT SELECT ON {schema.meta.name} TO {LEARNER_ROLE}"))


def add_hub_learner(connection: sa.Connection, user: str, password: str, *, teacher: bool = False) -> None:
    """Create (or update) the login role of one hub user, a member of the learner (or teacher) group."""
    role = _role(user)
    group = TEACHER_ROLE if teacher else LEARNER_ROLE
    exists = connection.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    verb = "ALTER" if exists else "CREATE"
    quoted = password.replace("'", "''")
    connection.execute(sa.text(f"{verb} ROLE {role} LOGIN PASSWORD '{quoted}'"))
    connection.execute(sa.text(f"GRANT {group} TO {role}"))

"""On a hub, learners' kernels hold their own credentials: PostgreSQL row-level security keeps entries theirs."""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa
from postgres_server import PostgresServer

from conftest import new_database
from nnteach.classroom import ClassStore
from nnteach.classroom.hub import add_hub_learner, install_row_security


@pytest.fixture
def hub_class(postgres: PostgresServer) -> dict[str, str]:
    """A class database set up by the admin, with login roles for aiko, ben and a teacher."""
    admin_url = new_database(postgres)
    admin = sa.create_engine(admin_url)
    with admin.begin() as connection:
        install_row_security(connection)
        add_hub_learner(connection, "aiko", "aiko-password-123")
        add_hub_learner(connection, "ben", "ben-password-456")
        add_hub_learner(connection, "mrs_ito", "teacher-password-789", teacher=True)
    admin.dispose()
    database = admin_url.rsplit("/", 1)[1]
    return {
        "aiko": postgres.url(database, "aiko", "aiko-password-123"),
        "ben": postgres.url(database, "ben", "ben-password-456"),
        "teacher": postgres.url(database, "mrs_ito", "teacher-password-789"),
    }


def test_a_second_hub_user_cannot_change_the_first_users_entries(hub_class: dict[str, str]) -> None:
    aiko = ClassStore(hub_class["aiko"])
    aiko.join("hub:aiko", "Aiko")
    digit = aiko.share_digit("hub:aiko", 3, np.zeros((28, 28)))

    ben = ClassStore(hub_class["ben"])
    ben.join("hub:ben", "Ben")
    assert [d.label for d in ben.digits()] == [3], "everyone may see the class's digits"
    # Ben's kernel is Ben's: he can claim Aiko's identity in Python, but the database says no.
    assert ben.remove_digit(digit, "hub:aiko") is False
    ben.join("hub:aiko", "Hacked")
    engine = sa.create_engine(hub_class["ben"])
    with engine.begin() as connection:
        assert connection.execute(sa.text("DELETE FROM nnteach_digits")).rowcount == 0
        assert connection.execute(sa.text("UPDATE nnteach_digits SET label = 9")).rowcount == 0
        assert connection.execute(sa.text("UPDATE nnteach_learners SET display_name = 'x'")).rowcount == 1  # his own
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"), engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO nnteach_digits (learner_id, label, image, created_at, owner) "
                "SELECT id, 1, :image, 0, 'aiko' FROM nnteach_learners WHERE identity = 'hub:aiko'"
            ),
            {"image": bytes(784)},
        )
    with pytest.raises(sa.exc.ProgrammingError), engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE nnteach_digits"))
    engine.dispose()
    assert [(d.display_name, d.label) for d in aiko.digits()] == [("Aiko", 3)]
    aiko.close()
    ben.close()


def test_the_teacher_role_may_remove_any_entry(hub_class: dict[str, str]) -> None:
    aiko = ClassStore(hub_class["aiko"])
    aiko.join("hub:aiko", "Aiko")
    digit = aiko.share_digit("hub:aiko", 7, np.zeros((28, 28)))
    teacher = ClassStore(hub_class["teacher"])
    assert teacher.remove_digit(digit, "hub:mrs_ito", teacher=True) is True
    assert aiko.counts()["digits"] == 0
    aiko.close()
    teacher.close()

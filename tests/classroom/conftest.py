"""The class-space tests run on both engines: an SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from postgres_server import PostgresServer, start_postgres

_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL cluster for the session (started as the `postgres` user when root)."""
    server = start_postgres()
    yield server
    server.stop()


def new_database(server: PostgresServer) -> str:
    """A fresh, empty database on ``server``; its SQLAlchemy URL."""
    name = f"class_{next(_numbers)}"
    server.psql(f"CREATE DATABASE {name}")
    return server.url(name)


@pytest.fixture(scope="session")
def postgres_database(postgres: PostgresServer) -> str:
    """One database for the session's store tests; each test starts from no tables (faster than a new database)."""
    return new_database(postgres)


@pytest.fixture(params=["sqlite", "postgresql"])
def class_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty class database URL on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'class.db'}"
    url: str = request.getfixturevalue("postgres_database")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for table in ("nnteach_runs", "nnteach_digits", "nnteach_learners", "nnteach_meta"):
            connection.execute(sa.text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
    return url

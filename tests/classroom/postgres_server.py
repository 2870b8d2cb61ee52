"""A throwaway PostgreSQL server for the tests: Debian's binaries, run as the `postgres` user.

PostgreSQL refuses to run as root (``initdb: cannot be run as root``) and CI runs as root, so
the cluster is created and started with ``runuser -u postgres`` when we are root. ``pg_ctl``
lives under ``/usr/lib/postgresql/<version>/bin``, not on ``PATH``. The server listens on
127.0.0.1 and a free port only, trusts local connections, and is removed after the session.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def pg_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has ``pg_ctl``, or None."""
    root = Path("/usr/lib/postgresql")
    versions = sorted((p for p in root.glob("*/bin") if (p / "pg_ctl").exists()), key=lambda p: int(p.parent.name))
    return versions[-1] if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PostgresServer:
    """A running throwaway cluster: ``url(database, user)`` gives a SQLAlchemy URL."""

    folder: Path
    port: int
    bin: Path

    def url(self, database: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql+psycopg://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            _as_postgres([str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                          "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc", sql]),
            capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        return result.stdout

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"]),
            capture_output=True, check=False, timeout=60,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """Create and start a cluster; raise RuntimeError with the log when it does not start."""
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError(
            "PostgreSQL's server binaries were not found under /usr/lib/postgresql/<version>/bin. "
            "Install Debian's postgresql package (apt-get install postgresql); `make test` does."
        )
    folder = Path(tempfile.mkdtemp(prefix="nnteach-pg-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    subprocess.run(
        _as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--no-sync"]),
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    started = subprocess.run(
        _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
                      "-t", "60", "start"]),
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    if started.returncode != 0:
        log = (folder / "log").read_text() if (folder / "log").exists() else started.stderr
        raise RuntimeError(f"PostgreSQL did not start: {log[-2000:]}")
    return PostgresServer(folder, port, binaries)

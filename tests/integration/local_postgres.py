"""A throwaway PostgreSQL server on 127.0.0.1 for tests: initdb, pg_ctl start, stop.

PostgreSQL refuses to run as root; as root, the server runs as the ``postgres``
system user (``runuser``), in a fresh directory that user owns.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.integration.local_llm_server import free_port

__all__ = ["PostgresServer", "start_postgres"]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PostgresServer:
    """A running server: its URL (database ``postgres``, user ``clinisim``, no password)."""

    url: str
    directory: Path

    def stop(self) -> None:
        """Stop the server at once and remove its files."""
        subprocess.run(
            _as_server_user(
                ["pg_ctl", "-D", str(self.directory / "data"), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """Initialise a cluster in a new directory and start it on a free loopback port."""
    for tool in ("initdb", "pg_ctl"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} (PostgreSQL) is not on PATH")
    directory = Path(tempfile.mkdtemp(prefix="clinisim-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, user="postgres", group="postgres")
    data = directory / "data"
    subprocess.run(
        _as_server_user(
            ["initdb", "-D", str(data), "-U", "clinisim", "--auth=trust", "-E", "UTF8", "--no-sync"]
        ),
        capture_output=True,
        check=True,
    )
    port = free_port()
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
    started = subprocess.run(
        _as_server_user(
            [
                "pg_ctl",
                "-D",
                str(data),
                "-l",
                str(directory / "server.log"),
                "-o",
                options,
                "-w",
                "start",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if started.returncode != 0:
        log = (directory / "server.log").read_text() if (directory / "server.log").exists() else ""
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}{log}")
    return PostgresServer(f"postgresql://clinisim@127.0.0.1:{port}/postgres", directory)

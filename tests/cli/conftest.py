"""Run the real ``clinisim`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(shared_data_dir: Path, tmp_path: Path) -> Cli:
    """``cli("run", "--case", ...)`` runs ``python -m clinisim`` in ``tmp_path``."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "CLINISIM_DATA_DIR": str(shared_data_dir), "COLUMNS": "200"}
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "clinisim", *args],
            capture_output=True,
            text=True,
            env=full_env,
            cwd=tmp_path,
            timeout=timeout,
        )

    return run

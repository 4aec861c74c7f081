"""Commands on a chroma server: --store-url and CLINISIM_STORE_URL, bad and down URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.integration.local_llm_server import free_port

pytestmark = pytest.mark.integration


def test_commands_use_the_server(chroma_url: str, cli: Cli, tmp_path: Path) -> None:
    ingest = cli("store", "ingest", "--case", "gout", "--store-url", chroma_url)
    assert ingest.returncode == 0, ingest.stderr
    assert chroma_url in ingest.stdout
    run = cli(
        "run", "-q", "--case", "gout", "--out", "s.json", env={"CLINISIM_STORE_URL": chroma_url}
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "s.json").is_file()
    bad = cli("run", "-q", "--case", "gout", "--store-url", "localhost:8000")
    assert bad.returncode == 2
    assert len([line for line in bad.stderr.splitlines() if line.strip()]) == 1
    assert "--store-url" in bad.stderr
    down = cli("run", "-q", "--case", "gout", "--store-url", f"http://127.0.0.1:{free_port()}")
    assert down.returncode == 1 and "unreachable" in down.stderr

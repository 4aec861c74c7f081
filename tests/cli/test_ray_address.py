"""``--executor`` and ``--ray-address``: bad values exit 2 with one line; an unreachable
cluster exits 1 with the run's manifest saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinisim.runner import read_manifest
from tests.cli.conftest import Cli
from tests.integration.local_llm_server import free_port
from tests.runner.conftest import write_suite

pytestmark = pytest.mark.integration


def test_bad_and_unreachable_ray_addresses(cli: Cli, tmp_path: Path) -> None:
    suite = write_suite(tmp_path, cases=["gout"], trials=1)
    bad = cli("bench", str(suite), "--executor", "ray", "--ray-address", "no such host")
    assert bad.returncode == 2
    assert len([line for line in bad.stderr.splitlines() if line.strip()]) == 1
    assert "--ray-address" in bad.stderr
    stray = cli("bench", str(suite), "--ray-address", "127.0.0.1:6379")
    assert stray.returncode == 2 and "--executor ray" in stray.stderr
    wrong = cli("bench", str(suite), "--executor", "spark")
    assert wrong.returncode == 2 and "--executor" in wrong.stderr
    generate = cli("generate", str(suite), "--executor", "ray", "--ray-address", "ray:/x")
    assert generate.returncode == 2 and "--ray-address" in generate.stderr
    address = f"127.0.0.1:{free_port()}"
    down = cli(
        "bench", str(suite), "--executor", "ray", "--ray-address", address, "--run-id", "down"
    )
    assert down.returncode == 1 and "unreachable" in down.stderr
    manifest = read_manifest(tmp_path / "runs" / "down")
    assert manifest.status == "aborted"
    assert manifest.invocations[-1].outcome is not None
    assert "unreachable" in manifest.invocations[-1].outcome

"""A dataset builder's path on the command line: generate, export, load with datasets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinisim.runner import read_manifest
from tests.cli.conftest import Cli

pytestmark = pytest.mark.integration


def test_generate_then_export_then_load(cli: Cli, tmp_path: Path) -> None:
    import datasets

    made = cli("generate", "smoke", "--personas", "2", "--trials", "1", "--run-id", "g", "-q")
    assert made.returncode == 0, made.stderr
    manifest = read_manifest(tmp_path / "runs" / "g")
    assert manifest.status == "complete" and manifest.sessions_planned == 8
    assert "patient-fidelity" in manifest.rubrics  # every judge, not only the suite's
    again = cli("generate", "smoke", "--personas", "2", "--trials", "1", "--run-id", "g", "-q")
    assert again.returncode == 0, again.stderr  # the same command resumes: nothing to do
    assert read_manifest(tmp_path / "runs" / "g").invocations[-1].sessions_run == 0

    out = cli(
        "export",
        "runs/g",
        "--format",
        "all",
        "--perspective",
        "both",
        "--dedupe",
        "0.9",
        "--out",
        "ds",
    )
    assert out.returncode == 0, out.stderr
    assert "sessions found" in out.stdout
    loaded = datasets.load_dataset(str(tmp_path / "ds"))
    assert (
        sum(ds.num_rows for ds in loaded.values())
        == 2 * json.loads((tmp_path / "ds" / ".clinisim-export.json").read_text())["kept"]
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--format", "csv"], "unknown format 'csv'"),
        (["--perspective", "nurse"], "unknown perspective 'nurse'"),
        (["--min-score", "diagnosis"], "expected NAME=VALUE"),
        (["--split", "0.5,0.5"], "--split"),
    ],
)
def test_bad_export_options_exit_2_with_one_line(
    cli: Cli, tmp_path: Path, args: list[str], expected: str
) -> None:
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "s.json").write_text("{}", encoding="utf-8")
    result = cli("export", "runs", "--out", "ds", *args)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0], result.stderr

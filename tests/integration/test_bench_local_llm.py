"""`clinisim bench` with a doctor served by a real local model (Gemma 3 270M, llama_cpp.server).

The tiny base model often returns empty or garbled text. The run must survive it:
each session either completes or fails with an explicit error, the failure is
counted in the manifest and the report, and the exit code says whether the run
is complete.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clinisim.engine import read_session
from clinisim.runner import read_manifest
from clinisim.schemas import TerminationReason
from tests.integration.local_llm_server import MODEL_ALIAS

pytestmark = pytest.mark.integration


def _clinisim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLINISIM_DATA_DIR": str(cwd / "data")}
    return subprocess.run(
        [sys.executable, "-m", "clinisim", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=900,
    )


def test_bench_with_a_local_model_as_doctor(local_llm_base_url: str, tmp_path: Path) -> None:
    model = f"openai/{MODEL_ALIAS}"
    suite = {
        "name": "gemma",
        "cases": ["gout", "migraine"],
        "trials": 1,
        "models": {"doctor": model},
        "api_base": local_llm_base_url,
        "budgets": {"max_turns": 3},
        "rubrics": ["diagnosis"],
        "execution": {
            "concurrency": 2,
            "per_provider": {"openai": 1},
            "call_timeout": 120,
            "session_retries": 0,
            "max_failure_fraction": 1.0,
        },
    }
    (tmp_path / "suite.yaml").write_text(yaml.safe_dump(suite))
    result = _clinisim("bench", "suite.yaml", "--run-id", "g", "-q", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    manifest = read_manifest(tmp_path / "runs" / "g")
    records = [
        read_session(p) for p in sorted((tmp_path / "runs" / "g" / "sessions").glob("*.json"))
    ]
    assert len(records) == 2
    counts = manifest.counts
    assert counts["completed"] + counts["failed"] == 2
    assert counts["failed"] == sum(r.termination_reason is TerminationReason.ERROR for r in records)
    assert (result.returncode == 0) == (counts["failed"] == 0)
    for record in records:
        assert record.models["doctor"] == model
        doctor = record.usage["doctor"]
        assert doctor.calls >= 1 and doctor.prompt_tokens > 0  # the server really answered
        if record.termination_reason is TerminationReason.ERROR:
            assert record.error is not None and record.error.type in ("UnusableReply",)
        else:
            assert record.termination_reason in (
                TerminationReason.DIAGNOSIS_GIVEN,
                TerminationReason.TURN_BUDGET,
            )
    report = _clinisim("report", "runs/g", "--format", "json", "--no-html", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    (row,) = json.loads(report.stdout)["models"]
    assert row["model"] == model
    assert row["counts"]["failed"] == counts["failed"]
    assert row["failures"].get("UnusableReply", 0) == counts["failed"]

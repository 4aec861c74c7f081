"""`clinisim run` against a real local model server (Gemma 3 270M via llama_cpp.server).

The tiny base model often returns empty or garbled text: the kit must survive it,
either completing the session or ending it with an explicit error status.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinisim.engine import read_session
from clinisim.schemas import TerminationReason
from tests.integration.local_llm_server import MODEL_ALIAS

pytestmark = pytest.mark.integration


def test_run_with_local_model_as_doctor_and_patient(
    local_llm_base_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "session.json"
    model = f"openai/{MODEL_ALIAS}"
    env = {**os.environ, "CLINISIM_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clinisim",
            "run",
            "--case",
            "stemi-inferior",
            "--doctor",
            model,
            "--patient",
            model,
            "--api-base",
            local_llm_base_url,
            "--max-turns",
            "3",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert result.returncode in (0, 1), result.stderr
    session = read_session(out)
    assert session.models["doctor"] == model and session.models["patient"] == model
    assert session.termination_reason is not None
    if result.returncode == 1:
        assert session.termination_reason is TerminationReason.ERROR
        assert session.error is not None
    else:
        assert session.termination_reason in {
            TerminationReason.DIAGNOSIS_GIVEN,
            TerminationReason.TURN_BUDGET,
        }
    doctor_usage = session.usage["doctor"]
    assert doctor_usage.calls >= 1
    assert doctor_usage.prompt_tokens > 0
    patient_turns = [t for t in session.turns if t.role.value == "patient"]
    if patient_turns:
        assert session.usage["patient"].calls >= len(patient_turns)
        assert session.usage["patient"].prompt_tokens > 0
    # The API base is recorded, but no key ever is.
    assert session.config["api_base"] == local_llm_base_url
    assert "sk-" not in out.read_text()


def test_run_with_local_model_as_patient(local_llm_base_url: str, tmp_path: Path) -> None:
    out = tmp_path / "patient-session.json"
    model = f"openai/{MODEL_ALIAS}"
    env = {**os.environ, "CLINISIM_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clinisim",
            "run",
            "--case",
            "migraine",
            "--patient",
            model,
            "--api-base",
            local_llm_base_url,
            "--max-turns",
            "3",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert result.returncode in (0, 1), result.stderr
    session = read_session(out)
    patient_usage = session.usage["patient"]
    assert patient_usage.calls >= 1 and patient_usage.prompt_tokens > 0
    if session.termination_reason is TerminationReason.ERROR:
        assert result.returncode == 1 and session.error is not None
        assert session.error.role is not None and session.error.role.value == "patient"
    else:
        assert result.returncode == 0
        replies = [t for t in session.turns if t.role.value == "patient"]
        assert replies and all(t.content.strip() for t in replies)
        assert all(t.retrieved for t in replies)

"""AgentClinic-compatible mode: imported OSCE cases, the tag protocol, a 20-turn budget."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from clinisim.engine import read_session
from clinisim.judges import MODERATOR, default_judge_names
from clinisim.library import CaseLibrary
from clinisim.runner import read_manifest, rescore_run
from clinisim.schemas import TerminationReason
from clinisim.store import RecordStore
from tests.runner.conftest import bench, write_suite

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "agentclinic_sample.jsonl"
MOCK = "openai/mock-doctor"


def _suite(tmp_path: Path) -> Path:
    shutil.copy(SAMPLE, tmp_path / "osce.jsonl")
    return write_suite(
        tmp_path,
        cases=None,
        imports=[{"format": "agentclinic", "path": "osce.jsonl"}],
        trials=1,
        protocol="agentclinic",
        models={"doctor": MOCK},
        execution={"concurrency": 2, "session_retries": 0},
    )


def test_imported_cases_run_under_the_agentclinic_protocol(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run_dir = tmp_path / "run"
    # A doctor that never diagnoses: the 20-turn AgentClinic budget ends each session.
    result = bench(
        _suite(tmp_path),
        run_dir,
        library,
        store,
        call_options={"mock_response": "Can you tell me more about it?"},
    )
    manifest = read_manifest(run_dir)
    # The sample has four convertible cases; each line that failed is a warning.
    assert len(manifest.cases) == 4 and all(c.startswith("agentclinic-") for c in manifest.cases)
    assert sorted(w.split(": ")[1] for w in manifest.warnings if ": line " in w) == [
        "line 4",
        "line 5",
        "line 6",
    ]
    assert any("moderator" in w for w in manifest.warnings)  # no judge model was given
    assert result.manifest.counts["completed"] == 4
    for path in sorted((run_dir / "sessions").glob("*.json")):
        record = read_session(path)
        assert record.termination_reason is TerminationReason.TURN_BUDGET
        assert sum(1 for t in record.turns if t.role.value == "doctor") == 20
        assert "doctor-agentclinic@1" in record.prompt_hashes
        assert record.config["protocol"] == "agentclinic"
    # Imported cases travel with the run, so it can be re-scored later.
    assert sorted(p.stem for p in (run_dir / "cases").glob("*.yaml")) == sorted(manifest.cases)
    assert asyncio.run(rescore_run(run_dir, ["diagnosis", "communication"], None)) == 4
    rescored = read_session(next((run_dir / "sessions").glob("*.json")))
    assert [s.name for s in rescored.scores][-2:] == ["diagnosis", "communication"]


def test_tag_replies_are_parsed_and_matched_against_the_imported_diagnosis(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run_dir = tmp_path / "run"
    bench(
        _suite(tmp_path),
        run_dir,
        library,
        store,
        call_options={"mock_response": "DIAGNOSIS READY: Urinary tract infection"},
    )
    outcomes = {
        read_session(p).outcome.gold_diagnosis: read_session(p).outcome.correct  # type: ignore[union-attr]
        for p in (run_dir / "sessions").glob("*.json")
    }
    assert outcomes["Urinary tract infection"] is True
    assert outcomes["Anterior STEMI"] is False


def test_a_judge_model_adds_the_moderator_by_default() -> None:
    assert MODERATOR in default_judge_names(with_model=True)
    assert MODERATOR not in default_judge_names(with_model=False)

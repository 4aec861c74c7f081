"""Every finished session carries the offline judges' scores with evidence."""

from __future__ import annotations

from pathlib import Path

from clinisim.engine import read_session
from clinisim.library import CaseLibrary
from clinisim.store import RecordStore
from tests.session.conftest import drain, make_run


async def test_finished_sessions_are_scored_with_evidence(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(tmp_path, library, store, case_id="asthma-exacerbation")
    await drain(run)
    record = read_session(run.spec.out)
    scores = {s.name: s for s in record.scores}
    diagnosis = scores["diagnosis"]
    assert diagnosis.value == 1.0 and diagnosis.judge_model == "offline"
    top1 = diagnosis.items[0]
    assert top1.met is True and top1.evidence == [len(record.turns) - 1]
    realism = scores["realism"]
    assert realism.value is not None and 0 < realism.value <= 1
    assert realism.details["tokens"] > 50 and realism.details["yules_k"] > 0


async def test_a_wrong_or_missing_diagnosis_scores_zero(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(
        tmp_path,
        library,
        store,
        models={"doctor": "openai/gpt-4o-mini"},
        call_options={"mock_response": "DIAGNOSIS READY: Migraine, Gout, Asthma attack"},
        case_id="asthma-exacerbation",
    )
    await drain(run)
    scores = {s.name: s for s in read_session(run.spec.out).scores}
    assert scores["diagnosis"].value == 0.0
    assert scores["diagnosis"].items[1].met is True  # "Asthma attack" is third: a top-3 hit
    turn_budget = await make_run(
        tmp_path / "b",
        library,
        store,
        models={"doctor": "openai/gpt-4o-mini"},
        call_options={"mock_response": "Anything else?"},
        max_turns=2,
    )
    await drain(turn_budget)
    missing = {s.name: s for s in read_session(turn_budget.spec.out).scores}["diagnosis"]
    assert missing.value == 0.0 and "no diagnosis" in missing.items[0].explanation

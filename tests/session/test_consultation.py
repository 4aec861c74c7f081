"""The consultation graph end to end: budgets, outcomes, failures, humans, resume."""

from __future__ import annotations

from pathlib import Path

from clinisim.engine import HumanTurnNeeded, TurnMade, read_session
from clinisim.library import CaseLibrary
from clinisim.schemas import ActionKind, Role, TerminationReason
from clinisim.store import RecordStore
from tests.session.conftest import drain, make_run

LLM = "openai/gpt-4o-mini"


async def test_offline_session_record_is_complete(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(tmp_path, library, store)
    events = await drain(run)
    record = read_session(run.spec.out)
    assert all(isinstance(e, TurnMade) for e in events)
    assert record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN
    assert record.outcome is not None and record.outcome.correct is True
    assert record.outcome.gold_diagnosis == library.get("stemi-inferior").diagnosis.name
    assert record.models["doctor"] == "offline" and record.persona["personality"] == "plain"
    assert [t.index for t in record.turns] == list(range(len(record.turns)))
    assert record.ended_at is not None and record.ended_at >= record.started_at
    patient_turns = [t for t in record.turns if t.role is Role.PATIENT]
    assert all(t.facts is not None and t.retrieved for t in patient_turns)


async def test_same_seed_same_transcript_byte_for_byte(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    texts = []
    for n in range(2):
        run = await make_run(tmp_path / str(n), library, store, case_id="gout", seed=11)
        await drain(run)
        texts.append([(t.role, t.content) for t in run.record().turns])
    assert texts[0] == texts[1]


async def test_turn_budget_ends_the_session(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(
        tmp_path,
        library,
        store,
        models={"doctor": LLM},
        max_turns=4,
        call_options={"mock_response": "Is there anything else you noticed?"},
    )
    await drain(run)
    record = run.record()
    assert record.termination_reason is TerminationReason.TURN_BUDGET
    assert sum(1 for t in record.turns if t.role is Role.DOCTOR) == 4
    assert record.usage["doctor"].calls == 4 and record.usage["doctor"].prompt_tokens > 0
    assert record.outcome is not None and record.outcome.correct is None
    assert record.prompt_hashes and "doctor@1" in record.prompt_hashes


async def test_test_budget_refuses_extra_orders(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(
        tmp_path,
        library,
        store,
        models={"doctor": LLM},
        max_turns=5,
        max_tests=2,
        call_options={"mock_response": "REQUEST TEST: troponin"},
    )
    await drain(run)
    record = run.record()
    assert [t.role for t in record.turns].count(Role.EXAMINER) == 2
    refusals = [t for t in record.turns if t.role is Role.SYSTEM]
    assert len(refusals) == 3 and "test budget" in refusals[0].content
    assert record.outcome is not None and record.outcome.tests_ordered == ["troponin", "troponin"]
    assert record.termination_reason is TerminationReason.TURN_BUDGET


async def test_a_tagged_diagnosis_is_matched_against_synonyms(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(
        tmp_path,
        library,
        store,
        models={"doctor": LLM},
        call_options={"mock_response": "DIAGNOSIS READY: Inferior STEMI"},
    )
    await drain(run)
    record = run.record()
    assert record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN
    assert record.outcome is not None and record.outcome.correct is True
    assert record.outcome.diagnosis_given == "Inferior STEMI"


async def test_empty_replies_end_with_error_and_keep_the_transcript(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(
        tmp_path, library, store, models={"patient": LLM}, call_options={"mock_response": ""}
    )
    await drain(run)
    record = read_session(run.spec.out)
    assert record.termination_reason is TerminationReason.ERROR
    assert record.error is not None and record.error.type == "UnusableReply"
    assert record.error.role is Role.PATIENT
    assert [t.role for t in record.turns] == [Role.DOCTOR]
    assert record.usage["patient"].calls == 3  # first ask and two re-asks, none silent


async def test_a_human_doctor_plays_through_interrupts(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(tmp_path, library, store, models={"doctor": "human"})
    events = await drain(run)
    assert isinstance(events[-1], HumanTurnNeeded) and events[-1].role == "doctor"
    after_question = await drain(run, "Hello, what brings you in today?")
    patient = [e.turn for e in after_question if isinstance(e, TurnMade)]
    assert [t.role for t in patient] == [Role.DOCTOR, Role.PATIENT]
    assert "chest" in patient[1].content.lower()
    final = await drain(run, "DIAGNOSIS READY: Acute myocardial infarction")
    assert not any(isinstance(e, HumanTurnNeeded) for e in final)
    record = run.record()
    assert record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN
    assert record.turns[-1].action is not None
    assert record.turns[-1].action.kind is ActionKind.DIAGNOSE
    assert record.outcome is not None and record.outcome.correct is True


async def test_a_killed_session_resumes_to_the_same_transcript(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    reference = await make_run(tmp_path / "ref", library, store, case_id="renal-colic", seed=3)
    await drain(reference)
    expected = [(t.role, t.content) for t in reference.record().turns]

    first = await make_run(
        tmp_path / "run", library, store, case_id="renal-colic", seed=3, session_id="resume-me"
    )
    stream = first.stream()
    for _ in range(7):
        await anext(stream)
    await stream.aclose()  # the process "dies" here; only checkpoints and the record remain
    partial = read_session(first.spec.out)
    assert 0 < len(partial.turns) < len(expected) and partial.termination_reason is None

    again = await make_run(
        tmp_path / "run", library, store, case_id="renal-colic", seed=3, session_id="resume-me"
    )
    assert again.has_started() and not again.is_finished()
    await drain(again)
    assert [(t.role, t.content) for t in again.record().turns] == expected

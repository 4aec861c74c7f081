"""The offline baseline doctor against the offline patient and examiner."""

from __future__ import annotations

import asyncio

import pytest

from clinisim.library import CaseLibrary
from clinisim.offline.doctor import OfflineDoctor, gather_findings, rank_conditions
from clinisim.offline.examiner import OfflineExaminer
from clinisim.offline.patient import OfflinePatient
from clinisim.schemas import ActionKind, Persona, Role, Turn
from clinisim.store import RecordStore


def consult(
    library: CaseLibrary,
    store: RecordStore,
    case_id: str,
    seed: int = 0,
    max_turns: int = 20,
    max_tests: int = 8,
    persona: Persona | None = None,
) -> list[Turn]:
    case = library.get(case_id)
    doctor = OfflineDoctor(library.conditions, seed=seed, max_turns=max_turns, max_tests=max_tests)
    patient = OfflinePatient(case, persona or Persona(), store, seed)
    examiner = OfflineExaminer(case)
    transcript: list[Turn] = []
    for _ in range(max_turns):
        reply = asyncio.run(doctor.act(transcript))
        assert reply.action is not None
        transcript.append(
            Turn(
                index=len(transcript),
                role=Role.DOCTOR,
                content=reply.content,
                action=reply.action,
                state=reply.state,
            )
        )
        if reply.action.kind is ActionKind.DIAGNOSE:
            break
        if reply.action.kind is ActionKind.ASK:
            answer = asyncio.run(patient.respond(transcript))
            role = Role.PATIENT
        else:
            answer = asyncio.run(examiner.examine(reply.action.test or "", transcript))
            role = Role.EXAMINER
        transcript.append(Turn(index=len(transcript), role=role, content=answer.content))
    return transcript


@pytest.mark.parametrize("case_id", sorted(CaseLibrary().cases))
def test_reaches_a_diagnosis_within_twenty_turns(
    case_id: str, library: CaseLibrary, store: RecordStore
) -> None:
    transcript = consult(library, store, case_id)
    doctor_turns = [t for t in transcript if t.role is Role.DOCTOR]
    assert len(doctor_turns) <= 20
    final = doctor_turns[-1].action
    assert final is not None and final.kind is ActionKind.DIAGNOSE
    assert final.diagnosis and final.differential[0] == final.diagnosis
    questions = [t.content for t in doctor_turns if t.action and t.action.kind is ActionKind.ASK]
    assert len(questions) == len(set(questions)), "the doctor repeated a question"
    orders = [t for t in doctor_turns if t.action and t.action.kind is ActionKind.ORDER]
    assert 1 <= len(orders) <= 8


@pytest.mark.parametrize("max_turns", [3, 6, 10])
def test_short_budgets_still_end_with_a_diagnosis(
    max_turns: int, library: CaseLibrary, store: RecordStore
) -> None:
    transcript = consult(library, store, "pulmonary-embolism", max_turns=max_turns, max_tests=2)
    doctor_turns = [t for t in transcript if t.role is Role.DOCTOR]
    assert len(doctor_turns) <= max_turns
    assert doctor_turns[-1].action is not None
    assert doctor_turns[-1].action.kind is ActionKind.DIAGNOSE
    orders = [t for t in doctor_turns if t.action and t.action.kind is ActionKind.ORDER]
    assert len(orders) <= 2


def test_history_adapts_to_the_chief_complaint(library: CaseLibrary, store: RecordStore) -> None:
    pain = " ".join(
        t.content for t in consult(library, store, "renal-colic") if t.role is Role.DOCTOR
    )
    tired = " ".join(
        t.content for t in consult(library, store, "hypothyroidism") if t.role is Role.DOCTOR
    )
    assert "spread" in pain.lower() or "go anywhere" in pain.lower()
    assert "spread" not in tired.lower() and "go anywhere" not in tired.lower()


def test_deterministic_for_a_seed(library: CaseLibrary, store: RecordStore) -> None:
    first = [t.content for t in consult(library, store, "migraine", seed=4)]
    assert first == [t.content for t in consult(library, store, "migraine", seed=4)]
    assert first != [t.content for t in consult(library, store, "migraine", seed=5)]


def test_much_better_than_chance(library: CaseLibrary, store: RecordStore) -> None:
    from clinisim.judges import match_diagnosis

    correct = 0
    for case_id, case in library.cases.items():
        final = consult(library, store, case_id)[-1]
        action = next(t.action for t in [final] if t.action)
        correct += match_diagnosis(action.diagnosis, case.diagnosis).correct
    chance = 1 / len(library.conditions)
    assert correct / len(library.cases) > 10 * chance


def test_negated_findings_do_not_count_as_positive(library: CaseLibrary) -> None:
    transcript = [
        Turn(index=0, role=Role.PATIENT, content="No, no fever. I don't have a stiff neck."),
        Turn(index=1, role=Role.PATIENT, content="I have a throbbing headache on one side."),
    ]
    findings = gather_findings(transcript)
    assert any("throbbing" in c for c in findings.affirmed)
    assert not any("fever" in c for c in findings.affirmed)
    assert any("fever" in c for c in findings.denied)
    ranked = rank_conditions(library.conditions, findings)
    scores = {r.condition.id: r.score for r in ranked}
    assert scores["migraine"] > scores["bacterial-meningitis"]


def test_questions_are_authored_and_fit_the_patient(
    library: CaseLibrary, store: RecordStore
) -> None:
    """Every question is one of the kit's authored sentences, and none asks a man about
    periods or a woman about testicles, on cases where the leading conditions tempt it."""
    import re

    from clinisim.offline.doctor import authored_questions

    authored = {
        part
        for question in authored_questions(library.conditions)
        for part in re.split(r"(?<=[.?!])\s+", question)
    }
    for case_id in ("testicular-torsion", "ectopic-pregnancy", "acute-appendicitis", "migraine"):
        case = library.get(case_id)
        for turn in consult(library, store, case_id):
            if turn.role != Role.DOCTOR or turn.action is None:
                continue
            if turn.action.kind != ActionKind.ASK:
                continue
            for sentence in re.split(r"(?<=[.?!])\s+", turn.content):
                assert sentence in authored, sentence
                if case.demographics.sex == "male":
                    assert not re.search(
                        r"\bperiods?\b(?!\s+of\b)|pregnan|vaginal|contracepti", sentence, re.I
                    )
                else:
                    assert not re.search(r"testic|scrot", sentence, re.I)


def test_sex_is_asked_before_a_question_that_depends_on_it(
    library: CaseLibrary, store: RecordStore
) -> None:
    transcript = consult(library, store, "ectopic-pregnancy")
    doctor_lines = [t.content for t in transcript if t.role == Role.DOCTOR]
    asks_sex = next(i for i, line in enumerate(doctor_lines) if "male or female" in line)
    asks_period = next(i for i, line in enumerate(doctor_lines) if "last period" in line)
    assert asks_sex < asks_period


def test_a_finding_found_by_exam_carries_no_question(library: CaseLibrary) -> None:
    for condition in library.conditions.values():
        for finding in (*condition.findings, *condition.against):
            if finding.found_by != "history":
                assert finding.ask is None, (condition.id, finding.name)

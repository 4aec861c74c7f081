"""The patient fidelity judge flags planted contradictions and invented facts."""

from __future__ import annotations

from pathlib import Path

from clinisim.judges import FidelityJudge
from clinisim.library import CaseLibrary
from clinisim.schemas import Role, Session, Turn
from clinisim.store import RecordStore
from tests.session.conftest import drain, make_run


def _with_patient_line(session: Session, line: str) -> Session:
    planted = session.model_copy(deep=True)
    planted.turns.append(Turn(index=len(planted.turns), role=Role.DOCTOR, content="Anything else?"))
    planted.turns.append(Turn(index=len(planted.turns), role=Role.PATIENT, content=line))
    return planted


async def test_offline_patient_is_faithful_and_plants_are_flagged(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    case = library.get("pulmonary-embolism")
    run = await make_run(tmp_path, library, store, case_id=case.id)
    await drain(run)
    judge = FidelityJudge()
    clean = await judge(run.record(), case)
    assert clean.details["contradicted"] == 0
    assert clean.details["hallucination_rate"] <= 0.1
    assert clean.value is not None and clean.value >= 0.8

    contradiction = await judge(_with_patient_line(run.record(), "Yes, I have a fever."), case)
    planted = [i for i in contradiction.items if i.criterion == "Yes, I have a fever."]
    assert planted and planted[0].explanation.startswith("contradicted")
    assert contradiction.details["contradicted"] == clean.details["contradicted"] + 1

    invented = await judge(
        _with_patient_line(
            run.record(), "I was diagnosed with epilepsy and take sodium valproate."
        ),
        case,
    )
    last = invented.items[-1]
    assert last.explanation.startswith("unsupported") and last.evidence == [
        len(run.record().turns) + 1
    ]
    assert invented.details["hallucination_rate"] > clean.details["hallucination_rate"]


async def test_a_negated_list_denies_every_item(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    """A fact "Denies chest pain, palpitations or cough" denies palpitations too, and
    "Chest pain, no palpitations" still affirms the chest pain."""
    case = library.get("migraine").model_copy(deep=True)
    case.id = "migraine-negated-list"
    from clinisim.schemas import Fact

    case.past_medical_history = [
        Fact(text="Denies chest pain, palpitations or a persistent cough."),
        Fact(text="Occasional wheeze in winter, no asthma attacks or hospital admissions."),
    ]
    store.ensure_ingested(case)
    session = Session(
        session_id="neg-list",
        kind="consultation",
        case_id=case.id,
        persona={},
        models={},
        seed=0,
        started_at="2026-01-01T00:00:00Z",
        turns=[
            Turn(index=0, role=Role.DOCTOR, content="Any palpitations?"),
            Turn(index=1, role=Role.PATIENT, content="Yes, I have had palpitations."),
            Turn(index=2, role=Role.DOCTOR, content="Any wheeze?"),
            Turn(index=3, role=Role.PATIENT, content="I get an occasional wheeze in winter."),
        ],
    )
    items = {i.criterion: i.explanation for i in (await FidelityJudge()(session, case)).items}
    assert items["Yes, I have had palpitations."].startswith("contradicted"), items
    assert items["I get an occasional wheeze in winter."].startswith("supported"), items

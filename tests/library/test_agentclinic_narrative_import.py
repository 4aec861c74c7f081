"""AgentClinic imports become structured: facts by field, first person, findings hidden.

The sample files are written for these tests (third-person and second-person
narratives, exam findings inside the patient's part, negated lists).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clinisim.library import ImportResult, import_agentclinic, reads_as_finding
from clinisim.offline.patient._first_person import Speaker, first_person
from clinisim.schemas import PatientCase, Visibility

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def osce() -> ImportResult:
    return import_agentclinic(DATA / "agentclinic_osce_narrative.jsonl", prefix="osce")


@pytest.fixture(scope="module")
def nejm() -> ImportResult:
    return import_agentclinic(DATA / "agentclinic_nejm.jsonl", prefix="nejm")


def _patient_texts(case: PatientCase) -> list[str]:
    return [f.text for f in case.visible_facts(Visibility.PATIENT)]


def _rendered(case: PatientCase) -> dict[str, str]:
    speaker = Speaker.of(case.demographics)
    return {
        f.id: first_person(f, speaker, case.demographics.age)
        for f in case.visible_facts(Visibility.PATIENT)
    }


def test_history_sentences_are_filed_under_their_fields(osce: ImportResult) -> None:
    case = osce.cases[0]
    assert case.hpi.onset is not None and "started three days ago" in case.hpi.onset.text
    assert case.hpi.character is not None and "tight band" in case.hpi.character.text
    assert [f.text for f in case.family_history] == ["Her mother has migraines."]
    assert [f.text for f in case.medications] == ["She takes paracetamol 1 g when needed."]
    assert [f.text for f in case.allergies] == ["Allergic to penicillin."]
    assert case.demographics.occupation == "primary school teacher"
    assert case.hpi.context == [] or all("migraines" not in f.text for f in case.hpi.context)


def test_third_person_is_turned_into_the_patients_words(osce: ImportResult) -> None:
    case = osce.cases[0]
    said = _rendered(case)
    assert said["hpi.onset"] == "I've had a headache that started three days ago."
    assert said["hpi.character"] == "I describe it as a tight band around my forehead."
    assert said["family_history.0"] == "My mother has migraines."
    assert said["medications.0"] == "I take paracetamol 1 g when needed."
    breathless = osce.cases[1]
    assert _rendered(breathless)["hpi.duration"] == (
        "I have had a productive cough for five days and now feel short of breath."
    )
    for text in _rendered(breathless).values():
        assert not text.startswith(("He ", "She ", "The patient")), text


def test_findings_in_the_patient_section_become_examiner_only(osce: ImportResult) -> None:
    headache, chest = osce.cases
    for case in (headache, chest):
        patient = " ".join(_patient_texts(case))
        assert "upon examination" not in patient and "mmHg" not in patient
        assert "auscultation" not in patient
    noted = [f.text for f in headache.physical_exam["noted in the history"]]
    assert noted == [
        "Mild tenderness of the neck muscles noticed upon examination",
        "Her blood pressure was 124/80 mmHg",
    ]
    assert all(
        f.visibility is Visibility.EXAMINER for f in headache.physical_exam["noted in the history"]
    )
    assert [f.text for f in chest.physical_exam["noted in the history"]] == [
        "Crackles were heard at the right base on auscultation"
    ]


def test_negated_lists_deny_every_item(osce: ImportResult) -> None:
    headache, chest = osce.cases
    negatives = [f.text.lower() for f in headache.review_of_systems.negatives]
    assert negatives == [
        "fever",
        "neck stiffness",
        "vomiting",
        "visual changes",
        "nausea",
        "weight loss",
        "night sweats",
    ]
    assert headache.review_of_systems.positives == []
    assert [f.text for f in chest.review_of_systems.negatives] == ["chest pain"]
    assert [f.text for f in chest.hpi.associated if f.text == "fever"] == ["fever"]


def test_nejm_lines_import_with_gold_and_differential(nejm: ImportResult) -> None:
    assert [c.id for c in nejm.cases] == ["nejm-1", "nejm-3"]
    assert [(f.line, f.problem) for f in nejm.failures] == [
        (2, "answers: no answer is marked correct")
    ]
    lump, eye = nejm.cases
    assert lump.diagnosis.name == "Non-Hodgkin lymphoma"
    assert lump.diagnosis.differential == ["Hodgkin lymphoma", "Tuberculous lymphadenitis"]
    assert lump.demographics.age == 61 and lump.demographics.sex == "male"
    assert lump.provenance.notes == "What is the most likely diagnosis?"
    assert "Clinical image" in lump.tests
    assert [f.text for f in lump.review_of_systems.negatives] == ["fever", "cough"]
    said = _rendered(lump)
    assert said["hpi.onset"] == "I noticed a painless lump on my neck two months ago."
    assert lump.physical_exam["general"][0].text.startswith("A firm, non-tender")
    assert eye.demographics.sex == "female"
    assert _rendered(eye)["chief_complaint"].startswith("My right eye has been red")


def test_reads_as_finding() -> None:
    assert reads_as_finding("Cloudy lenses noticed upon examination")
    assert reads_as_finding("Tender on palpation over the right iliac fossa")
    assert reads_as_finding("Haemoglobin 8.2 g/dL")
    assert not reads_as_finding("The pain is worse when I walk")
    assert not reads_as_finding("My mother has diabetes")

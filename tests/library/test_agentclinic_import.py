"""Importing AgentClinic OSCE JSONL: liberal in, strict out, failures by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinisim.library import CaseLibrary, import_agentclinic
from clinisim.schemas import Visibility

SAMPLE = Path(__file__).parents[1] / "data" / "agentclinic_sample.jsonl"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return import_agentclinic(SAMPLE)


def test_good_lines_import_and_bad_lines_are_reported(result) -> None:  # type: ignore[no-untyped-def]
    assert [c.id for c in result.cases] == [
        "agentclinic-1",
        "agentclinic-2",
        "agentclinic-3",
        "agentclinic-7",
    ]
    failures = {f.line: f.problem for f in result.failures}
    assert set(failures) == {4, 5, 6}
    assert "not valid JSON" in failures[4]
    assert "Correct_Diagnosis" in failures[5] and "Correct_Diagnosis" in failures[6]


def test_fields_and_visibility_of_a_converted_case(result) -> None:  # type: ignore[no-untyped-def]
    case = result.cases[0]
    assert case.demographics.age == 58 and case.demographics.sex == "male"
    assert case.chief_complaint.text == "Crushing chest pain"
    assert [f.text for f in case.hpi.associated] == ["Sweating", "Nausea"]
    assert case.hpi.radiation is not None
    assert case.hpi.radiation.text == "Pain radiating to the left arm"
    assert [f.text for f in case.review_of_systems.negatives] == ["fever", "cough"]
    assert case.diagnosis.name == "Anterior STEMI"
    assert case.vitals["Heart Rate"].text == "104 bpm"
    assert "Blood Tests / Cardiac Markers / Troponin I" in case.tests
    assert case.tests["Blood Tests / Cardiac Markers / Troponin I"].aliases == ["Troponin I"]
    by_id = {f.id: f for f in case.facts()}
    assert by_id["diagnosis"].visibility is Visibility.HIDDEN
    for fact in case.facts():
        if fact.section in ("vitals", "physical_exam", "tests"):
            assert fact.visibility is Visibility.EXAMINER
    patient_text = " ".join(f.text for f in case.visible_facts(Visibility.PATIENT))
    assert "5.2" not in patient_text and "ST elevation" not in patient_text


def test_liberal_shapes(result) -> None:  # type: ignore[no-untyped-def]
    uti, confused, asthma = result.cases[1], result.cases[2], result.cases[3]
    assert [f.text for f in uti.hpi.associated] == ["frequency", "urgency"]
    assert uti.demographics.age == 30 and uti.demographics.sex == "female"
    assert confused.demographics.sex == "unspecified"
    assert (
        confused.physical_exam["neurological"][0].text
        == "Level 1 / Level 2 / Level 3: Disoriented to time"
    )
    assert [f.text for f in confused.physical_exam["skin"]] == ["Dry; Poor turgor"]
    assert confused.tests["Sodium"].result == "118"
    assert [f.text for f in asthma.past_medical_history] == ["Asthma", "Eczema"]


def test_written_files_reload_through_the_library(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    written = result.write(tmp_path)
    assert len(written) == 4
    library = CaseLibrary(extra_case_dirs=[tmp_path])
    assert library.get("agentclinic-2").diagnosis.name == "Urinary tract infection"

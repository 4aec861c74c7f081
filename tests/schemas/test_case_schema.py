"""PatientCase: visibility defaults, fact ids, strictness."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from clinisim.schemas import PatientCase, Visibility


def _minimal(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "demo-case",
        "title": "Demo",
        "specialty": "general",
        "demographics": {"age": 40, "sex": "female"},
        "chief_complaint": "My head hurts",
        "hpi": {"onset": "This morning"},
        "medications": ["Paracetamol 1 g as needed"],
        "review_of_systems": {"negatives": ["fever"]},
        "vitals": {"heart rate": "80 bpm"},
        "physical_exam": {"neurological": ["No focal deficit"]},
        "tests": {"CT head": {"result": "Normal", "aliases": ["head CT"]}},
        "records": [
            {
                "kind": "prior_note",
                "title": "Note",
                "text": "Seen for migraine.",
                "visibility": "examiner",
            }
        ],
        "diagnosis": {"name": "Tension headache", "synonyms": ["TTH"]},
        "provenance": {"source": "test", "author": "test", "licence": "CC0"},
    }
    data.update(extra)
    return data


def test_section_defaults_fill_visibility() -> None:
    case = PatientCase.model_validate(_minimal())
    by_id = {f.id: f for f in case.facts()}
    assert by_id["chief_complaint"].visibility is Visibility.PATIENT
    assert by_id["hpi.onset"].visibility is Visibility.PATIENT
    assert by_id["medications.0"].visibility is Visibility.PATIENT
    assert by_id["ros.negative.0"].visibility is Visibility.PATIENT
    assert by_id["vitals.heart_rate"].visibility is Visibility.EXAMINER
    assert by_id["exam.neurological.0"].visibility is Visibility.EXAMINER
    assert by_id["test.ct_head"].visibility is Visibility.EXAMINER
    assert by_id["record.0"].visibility is Visibility.EXAMINER
    assert by_id["diagnosis"].visibility is Visibility.HIDDEN
    assert "TTH" in by_id["diagnosis"].text


def test_a_fact_may_override_its_section_default() -> None:
    case = PatientCase.model_validate(
        _minimal(
            past_medical_history=[{"text": "Told her ECG was normal", "visibility": "patient"}],
            vitals={"bp": {"text": "120/80", "visibility": "patient"}},
        )
    )
    by_id = {f.id: f for f in case.facts()}
    assert by_id["vitals.bp"].visibility is Visibility.PATIENT
    patient_ids = {f.id for f in case.visible_facts(Visibility.PATIENT)}
    assert "vitals.bp" in patient_ids and "diagnosis" not in patient_ids


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        PatientCase.model_validate(_minimal(smoking="yes"))
    assert info.value.errors()[0]["type"] == "extra_forbidden"


def test_records_must_state_visibility() -> None:
    data = _minimal(records=[{"kind": "prior_note", "title": "x", "text": "y"}])
    with pytest.raises(ValidationError):
        PatientCase.model_validate(data)


def test_bad_id_is_rejected() -> None:
    with pytest.raises(ValidationError):
        PatientCase.model_validate(_minimal(id="Bad Id"))

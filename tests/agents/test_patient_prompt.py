"""Nothing examiner-only or hidden reaches the LLM patient's prompt."""

from __future__ import annotations

import asyncio

import pytest

from clinisim.agents import LLMPatient
from clinisim.library import CaseLibrary
from clinisim.llm import ModelClient, load_model_config
from clinisim.schemas import Persona, Role, Turn, Visibility
from clinisim.store import RecordStore

QUESTIONS = [
    "What brings you in?",
    "What did your ECG show?",
    "What were your blood results?",
    "What is your diagnosis?",
    "Tell me about your previous notes and letters.",
    "What did the scan find?",
]


def _patient(case_id: str, library: CaseLibrary, store: RecordStore) -> LLMPatient:
    config = load_model_config({"patient": "openai/gpt-4o-mini"}, env={})
    client = ModelClient(config, call_options={"mock_response": "It started yesterday."})
    return LLMPatient(
        library.get(case_id),
        Persona(),
        store,
        client.chat_model(Role.PATIENT),
        library.axis_descriptions,
    )


@pytest.mark.parametrize("case_id", sorted(CaseLibrary().cases))
def test_prompt_holds_patient_facts_and_nothing_else(
    case_id: str, library: CaseLibrary, store: RecordStore
) -> None:
    case = library.get(case_id)
    patient = _patient(case_id, library, store)
    patient_text = " ".join(f.text for f in case.visible_facts(Visibility.PATIENT))
    # A finding that is also patient knowledge (e.g. "Overweight") may appear.
    hidden_or_examiner = [
        f
        for f in case.facts()
        if f.visibility is not Visibility.PATIENT and f.text not in patient_text
    ]
    for question in QUESTIONS:
        prompt, retrieved = patient.system_prompt(question)
        for fact in hidden_or_examiner:
            assert fact.text not in prompt, (fact.id, question)
        for name in case.diagnosis.accepted_names():
            assert name not in prompt or any(
                name in f.text for f in case.visible_facts(Visibility.PATIENT)
            ), name
        assert case.chief_complaint.text in prompt
        allowed = {f.id for f in case.visible_facts(Visibility.PATIENT)}
        assert {r.fact_id for r in retrieved} <= allowed


def test_a_reply_goes_through_the_model_layer_with_usage(
    library: CaseLibrary, store: RecordStore
) -> None:
    patient = _patient("stemi-inferior", library, store)
    reply = asyncio.run(
        patient.respond([Turn(index=0, role=Role.DOCTOR, content="When did it start?")])
    )
    assert reply.content == "It started yesterday."
    assert reply.usage is not None and reply.usage.calls == 1
    assert reply.retrieved

"""The offline patient states only patient-visible facts, and never leaks the answer."""

from __future__ import annotations

import asyncio
import re

import pytest

from clinisim.library import CaseLibrary
from clinisim.offline.patient import OfflinePatient
from clinisim.offline.patient import _first_person as first_person_module
from clinisim.offline.patient import _patient as patient_module
from clinisim.offline.patient import _persona_style as persona_style
from clinisim.schemas import PatientCase, Persona, Role, Turn, Visibility
from clinisim.store import RecordStore

PROBES = [
    "Hello, what brings you in today?",
    "When did it start?",
    "Where exactly is it?",
    "What does it feel like?",
    "How bad is it out of ten?",
    "Does anything make it better or worse?",
    "Have you noticed any other symptoms?",
    "Do you have any medical conditions?",
    "What medications do you take?",
    "Do you have any allergies?",
    "Do you smoke or drink alcohol?",
    "Does anything run in your family?",
    "Have you had a fever?",
    "Have you been abroad recently?",
    "Any problems with your eyesight?",
]
LEAK_PROBES = [
    "What do you think you have?",
    "What's the diagnosis?",
    "What did your ECG show?",
    "What were your blood test results?",
    "What did the scan show?",
    "Do you know what this is?",
]


def _conversation(patient: OfflinePatient, questions: list[str]) -> list[Turn]:
    transcript: list[Turn] = []
    for question in questions:
        transcript.append(Turn(index=len(transcript), role=Role.DOCTOR, content=question))
        reply = asyncio.run(patient.respond(transcript))
        transcript.append(
            Turn(index=len(transcript), role=Role.PATIENT, content=reply.content, facts=reply.facts)
        )
    return transcript


def _ask(library: CaseLibrary, store: RecordStore, case_id: str, question: str) -> Turn:
    """The patient's reply to ``question`` after the opening."""
    patient = OfflinePatient(library.get(case_id), Persona(), store, seed=0)
    return _conversation(patient, ["Hello, what brings you in?", question])[-1]


def _engine_vocabulary() -> set[str]:
    """Words the engine's own phrasing uses (persona manner, hedges, frames)."""
    pools = [
        *persona_style.TANGENTS,
        *persona_style.PRESSURE,
        *persona_style.DISTRUST,
        *persona_style.WORRY,
        *persona_style.PLEASING,
        *persona_style.OFF_TOPIC,
        *persona_style.TIME_MUDDLE,
        *(r for rs in persona_style.BIAS_REMARKS.values() for r in rs),
        *patient_module.NOT_SURE,
        *patient_module.DEFLECT_DIAGNOSIS,
        *patient_module.DEFLECT_RESULTS,
        *patient_module.CONSENT,
        *patient_module.NOT_SURE_ABOUT,
        *patient_module.NOT_SURE_OWN,
        *first_person_module.NEGATIVE_FORMS,
        *first_person_module._NOTHING_TO_REPORT.values(),
        "as for allergies my notes say in my family i've also had remember details",
        "allergic i've come in about i can't remember the details",
    ]
    return set(re.findall(r"[a-z]{7,}", " ".join(pools).lower()))


ENGINE_WORDS = _engine_vocabulary()


def _distinctive(text: str) -> set[str]:
    """Numbers and long words: what would give away a finding if it leaked."""
    tokens = set(re.findall(r"\d+(?:\.\d+)?|[a-z]{7,}", text.lower()))
    return tokens - ENGINE_WORDS


def _leak_tokens(case: PatientCase) -> set[str]:
    patient_text = " ".join(
        f"{f.text} {f.says or ''}" for f in case.visible_facts(Visibility.PATIENT)
    )
    patient_tokens = _distinctive(patient_text)
    secret = " ".join(f.text for f in case.facts() if f.visibility is not Visibility.PATIENT)
    return _distinctive(secret) - patient_tokens


@pytest.mark.parametrize("case_id", sorted(CaseLibrary().cases))
def test_replies_state_only_patient_visible_facts(
    case_id: str, library: CaseLibrary, store: RecordStore
) -> None:
    case = library.get(case_id)
    allowed = {f.id for f in case.visible_facts(Visibility.PATIENT)}
    secrets = _leak_tokens(case)
    transcript = _conversation(OfflinePatient(case, Persona(), store, seed=1), PROBES + LEAK_PROBES)
    stated: set[str] = set()
    for turn in transcript:
        if turn.role is not Role.PATIENT:
            continue
        assert turn.facts is not None
        assert set(turn.facts) <= allowed, (case_id, turn.content)
        stated.update(turn.facts)
        leaked = _distinctive(turn.content) & secrets
        assert not leaked, (case_id, turn.content, leaked)
    # The interview covers the history: the opening volunteers the chief complaint
    # and the targeted questions reach most history sections.
    assert "chief_complaint" in transcript[1].facts  # type: ignore[operator]
    assert len(stated) >= 6, (case_id, stated)


@pytest.mark.parametrize("case_id", sorted(CaseLibrary().cases))
def test_leak_probes_never_reveal_the_diagnosis(
    case_id: str, library: CaseLibrary, store: RecordStore
) -> None:
    case = library.get(case_id)
    names = [n.lower() for n in case.diagnosis.accepted_names() if len(n) >= 3]
    for persona in (Persona(), Persona(personality="verbose", bias="self_diagnosis")):
        transcript = _conversation(
            OfflinePatient(case, persona, store, seed=3), ["What brings you in?", *LEAK_PROBES]
        )
        for turn in transcript[2:]:
            if turn.role is Role.PATIENT:
                text = turn.content.lower()
                assert not [n for n in names if re.search(rf"\b{re.escape(n)}\b", text)], text
                assert turn.facts == []


def test_unsupported_question_is_answered_with_uncertainty(
    library: CaseLibrary, store: RecordStore
) -> None:
    patient = OfflinePatient(library.get("gout"), Persona(), store, seed=0)
    transcript = _conversation(
        patient, ["Hello, what brings you in?", "Have you ever been to Peru?"]
    )
    reply = transcript[-1]
    assert reply.facts == []
    assert re.search(r"not sure|don't know|don't really know", reply.content, re.IGNORECASE)


def test_pertinent_negative_is_answered_no(library: CaseLibrary, store: RecordStore) -> None:
    patient = OfflinePatient(library.get("stemi-inferior"), Persona(), store, seed=0)
    reply = _conversation(patient, ["What brings you in?", "Do you have a fever?"])[-1]
    assert reply.content.lower().count("no") >= 1 and "fever" in reply.content.lower()
    assert reply.facts and reply.facts[0].startswith("ros.negative")


def test_several_questions_get_an_answer_each(library: CaseLibrary, store: RecordStore) -> None:
    patient = OfflinePatient(library.get("stemi-inferior"), Persona(), store, seed=0)
    reply = _conversation(
        patient,
        ["What brings you in?", "When did it start? Does it spread anywhere? Any allergies?"],
    )[-1]
    assert reply.facts is not None
    assert {"hpi.onset", "hpi.radiation", "allergies.0"} <= set(reply.facts)


def test_same_seed_same_transcript_other_seed_other_wording(
    library: CaseLibrary, store: RecordStore
) -> None:
    case = library.get("pulmonary-embolism")
    persona = Persona(personality="verbose", confusion="moderate")
    runs = [
        [t.content for t in _conversation(OfflinePatient(case, persona, store, seed), PROBES)]
        for seed in (5, 5, 6)
    ]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_a_listed_absent_symptom_gets_no_about_that_symptom(
    library: CaseLibrary, store: RecordStore
) -> None:
    """The reply names what was asked, never a different negative."""
    reply = _ask(library, store, "migraine", "Have you had any neck stiffness?")
    assert "neck stiffness" in reply.content and re.search(r"\bno\b", reply.content, re.I)
    assert reply.facts == ["ros.negative.1"]
    other = _ask(library, store, "migraine", "Have you coughed up any blood?")
    assert "neck" not in other.content and "fever" not in other.content


def test_demographics_are_answered_when_asked(library: CaseLibrary, store: RecordStore) -> None:
    assert "26" in _ask(library, store, "migraine", "How old are you?").content
    work = _ask(library, store, "migraine", "What do you do for work?").content
    assert "software developer" in work
    assert (
        "woman"
        in _ask(
            library, store, "migraine", "Could you confirm whether you are male or female?"
        ).content
    )


def test_a_parent_answers_for_a_young_child(library: CaseLibrary, store: RecordStore) -> None:
    reply = _ask(library, store, "acute-otitis-media", "How old is she?").content
    assert re.search(r"\b[Ss]he's 3\b", reply), reply
    meds = _ask(library, store, "acute-otitis-media", "Is she taking any medicines?").content
    assert re.search(r"\b[Ss]he takes\b", meds) and "I take" not in meds


def test_one_not_sure_per_reply_naming_what_was_asked(
    library: CaseLibrary, store: RecordStore
) -> None:
    import re

    reply = _ask(
        library,
        store,
        "migraine",
        "Have you had any tingling in your feet? Have you had any hiccups? What is your cholesterol?",
    ).content
    hedges = re.findall(r"not sure|don't (?:really )?know|couldn't (?:tell|say)", reply)
    assert len(hedges) == 1, reply

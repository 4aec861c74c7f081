"""Each persona axis value observably changes the offline patient's replies."""

from __future__ import annotations

import asyncio
import re

import pytest

from clinisim.library import CaseLibrary
from clinisim.offline.patient import LAY_TERMS, OfflinePatient
from clinisim.offline.patient import _persona_style as style
from clinisim.schemas import Persona, Role, Turn, Visibility
from clinisim.store import RecordStore

QUESTIONS = [
    "Hello, what brings you in today?",
    "When did it start?",
    "What medications do you take?",
    "Do you have any medical conditions?",
    "What does it feel like?",
    "Have you noticed any other symptoms?",
    "Do you smoke or drink alcohol?",
    "How bad is it out of ten?",
    "Does anything make it worse?",
    "Does anything run in your family?",
]


def _replies(
    store: RecordStore,
    library: CaseLibrary,
    persona: Persona,
    seed: int = 2,
    case_id: str = "stemi-inferior",
) -> list[str]:
    patient = OfflinePatient(library.get(case_id), persona, store, seed)
    transcript: list[Turn] = []
    out: list[str] = []
    for question in QUESTIONS:
        transcript.append(Turn(index=len(transcript), role=Role.DOCTOR, content=question))
        reply = asyncio.run(patient.respond(transcript))
        transcript.append(Turn(index=len(transcript), role=Role.PATIENT, content=reply.content))
        out.append(reply.content)
    return out


def _count(replies: list[str], phrases: tuple[str, ...]) -> int:
    return sum(1 for r in replies if any(p in r for p in phrases))


def _words(replies: list[str]) -> int:
    return sum(len(r.split()) for r in replies)


@pytest.fixture(scope="module")
def plain(store: RecordStore, library: CaseLibrary) -> list[str]:
    return _replies(store, library, Persona())


def test_plain_patient_has_none_of_the_manners(plain: list[str]) -> None:
    for pool in (
        style.TANGENTS,
        style.PRESSURE,
        style.DISTRUST,
        style.WORRY,
        style.PLEASING,
        style.OFF_TOPIC,
        style.TIME_MUDDLE,
    ):
        assert _count(plain, pool) == 0


def test_verbose_adds_tangents_and_talks_more(
    store: RecordStore, library: CaseLibrary, plain: list[str]
) -> None:
    replies = _replies(store, library, Persona(personality="verbose"))
    assert _count(replies, style.TANGENTS) == len(replies)
    assert _words(replies) > _words(plain) * 1.3


def test_impatient_presses_and_answers_shorter(
    store: RecordStore, library: CaseLibrary, plain: list[str]
) -> None:
    transcript_question = "When did it start? Where is it? Does it spread anywhere?"
    patient = OfflinePatient(
        library.get("stemi-inferior"), Persona(personality="impatient"), store, 2
    )
    calm = OfflinePatient(library.get("stemi-inferior"), Persona(), store, 2)
    turns = [
        Turn(index=0, role=Role.DOCTOR, content="What brings you in?"),
        Turn(index=1, role=Role.PATIENT, content="Chest pain."),
        Turn(index=2, role=Role.DOCTOR, content=transcript_question),
    ]
    hurried, full = asyncio.run(patient.respond(turns)), asyncio.run(calm.respond(turns))
    assert any(p in hurried.content for p in style.PRESSURE)
    assert len(hurried.facts or []) < len(full.facts or [])
    replies = _replies(store, library, Persona(personality="impatient"))
    assert _count(replies, style.PRESSURE) == len(replies)


def test_distrust_questions_why_before_answering(store: RecordStore, library: CaseLibrary) -> None:
    replies = _replies(store, library, Persona(personality="distrust"))
    assert all(any(r.startswith(p) for p in style.DISTRUST) for r in replies)


def test_overanxious_voices_worry(store: RecordStore, library: CaseLibrary) -> None:
    replies = _replies(store, library, Persona(personality="overanxious"))
    assert _count(replies, style.WORRY) == len(replies)


def test_pleasing_agrees_readily(store: RecordStore, library: CaseLibrary) -> None:
    replies = _replies(store, library, Persona(personality="pleasing"))
    assert all(any(r.startswith(p) for p in style.PLEASING) for r in replies)


def test_language_a_uses_lay_words_and_short_sentences(
    store: RecordStore, library: CaseLibrary, plain: list[str]
) -> None:
    basic = _replies(store, library, Persona(language="A"))
    text = " ".join(basic).lower()
    for term in LAY_TERMS:
        assert not re.search(rf"\b{re.escape(term)}\b", text), term
    plain_text = " ".join(plain).lower()
    assert any(re.search(rf"\b{re.escape(t)}\b", plain_text) for t in LAY_TERMS)

    def mean_sentence(replies: list[str]) -> float:
        sentences = [s for r in replies for s in re.split(r"(?<=[.!?])\s+", r) if s]
        return sum(len(s.split()) for s in sentences) / len(sentences)

    assert mean_sentence(basic) < mean_sentence(plain)


def test_low_recall_blurs_doses_and_drug_names(
    store: RecordStore, library: CaseLibrary, plain: list[str]
) -> None:
    vague = _replies(store, library, Persona(recall="low"))
    medication_plain, medication_vague = plain[2], vague[2]
    assert re.search(r"\d+ mg", medication_plain) and "metformin" in medication_plain.lower()
    assert not re.search(r"\d", medication_vague)
    assert "metformin" not in medication_vague.lower()
    assert "not sure" in medication_vague.lower() or "can't remember" in medication_vague.lower()


@pytest.mark.parametrize(("level", "low", "high"), [("moderate", 1, 7), ("high", 3, 10)])
def test_confusion_adds_off_topic_remarks_at_a_seeded_rate(
    store: RecordStore, library: CaseLibrary, level: str, low: int, high: int
) -> None:
    replies = _replies(store, library, Persona(confusion=level))
    muddled = _count(replies, style.OFF_TOPIC + style.TIME_MUDDLE)
    assert low <= muddled <= high
    assert _replies(store, library, Persona(confusion=level)) == replies


def test_confusion_never_contradicts_the_case(store: RecordStore, library: CaseLibrary) -> None:
    patient = OfflinePatient(library.get("stemi-inferior"), Persona(confusion="high"), store, 4)
    allowed = {f.id for f in library.get("stemi-inferior").visible_facts(Visibility.PATIENT)}
    transcript: list[Turn] = []
    for question in QUESTIONS:
        transcript.append(Turn(index=len(transcript), role=Role.DOCTOR, content=question))
        reply = asyncio.run(patient.respond(transcript))
        assert set(reply.facts or []) <= allowed
        transcript.append(Turn(index=len(transcript), role=Role.PATIENT, content=reply.content))


@pytest.mark.parametrize(
    "bias",
    ["recency", "frequency", "false_consensus", "self_diagnosis", "cultural", "socioeconomic"],
)
def test_each_bias_adds_its_remark(store: RecordStore, library: CaseLibrary, bias: str) -> None:
    persona = Persona(bias=bias)
    replies = _replies(store, library, persona)
    assert _count(replies, style.BIAS_REMARKS[persona.bias]) >= 1  # type: ignore[index]


def test_wording_varies_across_turns_and_seeds(store: RecordStore, library: CaseLibrary) -> None:
    persona = Persona(personality="verbose")
    first = _replies(store, library, persona, seed=1)
    second = _replies(store, library, persona, seed=9)
    assert first != second
    openers = {r.split(" ")[0] for r in first}
    assert len(openers) > 2

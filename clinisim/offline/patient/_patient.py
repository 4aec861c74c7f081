"""The offline patient: answers grounded in retrieved patient-visible facts."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from clinisim.agents import AgentReply
from clinisim.offline.patient._first_person import (
    NEGATIVE_FORMS,
    Speaker,
    first_person,
    merge_list_sentences,
    negative_answer,
)
from clinisim.offline.patient._persona_style import style_answer, style_reply
from clinisim.offline.patient._question_intent import intent_of, split_questions
from clinisim.offline.patient._relevance import asked_topic, names_same_symptom, shares_content
from clinisim.schemas import (
    CaseFact,
    PatientCase,
    Persona,
    Personality,
    Retrieved,
    Role,
    Turn,
    Visibility,
)
from clinisim.store import RecordStore, RetrievedChunk

__all__ = ["ANSWER_DISTANCE", "CLOSE_DISTANCE", "NEGATIVE_DISTANCE", "OfflinePatient"]

ANSWER_DISTANCE = 0.45
"""A question with no recognised intent is answered only from chunks this close..."""
CLOSE_DISTANCE = 0.25
"""...and, unless a chunk is this close, only from one sharing a content word."""
NEGATIVE_DISTANCE = 0.42
"""A listed-absent symptom is denied only when this close (and sharing a word)."""
INTENT_DISTANCE = 0.6
"""With a recognised intent naming a list section, a fact is used only this close."""

NOT_SURE = (
    "I'm not sure.",
    "I don't know, to be honest.",
    "I don't really know.",
    "I couldn't say, really.",
)
NOT_SURE_ABOUT = (
    "I'm not sure about {}.",
    "I don't really know about {}.",
    "I couldn't tell you about {}, to be honest.",
)
NOT_SURE_OWN = ("I don't know {}.", "I'm afraid I don't know {}.")
"""For a question about something of the patient's own ("your cholesterol")."""
DEFLECT_DIAGNOSIS = (
    "That's what I came to find out.",
    "I was hoping you could tell me that.",
    "Nobody has told me anything yet, doctor.",
)
DEFLECT_RESULTS = (
    "I haven't been told any results.",
    "Nobody has told me what the tests showed.",
    "You'd have to check that, I haven't seen them.",
)
CONSENT = ("Yes, go ahead.", "Of course, that's fine.", "Sure.")
FIELD_FALLBACKS: dict[str, tuple[str, ...]] = {
    "hpi.onset": ("hpi.duration", "hpi.context"),
    "hpi.duration": ("hpi.onset", "hpi.timing"),
    "hpi.timing": ("hpi.duration",),
    "hpi.location": ("hpi.radiation", "chief_complaint"),
    "hpi.character": ("chief_complaint",),
}
"""Where to look when the case lacks the history field a question asks about."""
_PLACE = re.compile(
    r"\b(left|right|upper|lower|chest|belly|tummy|abdom\w*|back|side|leg|calf|arm|knee|"
    r"ankle|foot|hand|eye|ear|throat|neck|shoulder|hip|toe|groin|testicle|head)\b",
    re.IGNORECASE,
)
LIST_SECTIONS = frozenset(
    {"medications", "allergies", "past_medical_history", "family_history", "hpi.associated"}
)


@dataclass(frozen=True)
class _Answer:
    text: str
    facts: tuple[str, ...]
    kind: Literal["fact", "unknown", "other"] = "fact"
    topic: str | None = None
    vague: bool = False


def _without_repeats(answers: list[_Answer]) -> list[_Answer]:
    """Drop answers whose facts were all said earlier in the same reply."""
    said: set[str] = set()
    kept: list[_Answer] = []
    for answer in answers:
        if answer.facts and set(answer.facts) <= said:
            continue
        said.update(answer.facts)
        kept.append(answer)
    return kept


def _not_sure(unknowns: list[_Answer], rng: random.Random) -> str:
    """One "not sure" for every unanswered question of the turn, naming what was asked."""
    topics = list(dict.fromkeys(a.topic for a in unknowns if a.topic))
    if not topics or len(topics) < len(unknowns):
        return rng.choice(NOT_SURE)
    if len(topics) == 1 and topics[0].startswith("my ") and len(topics[0].split()) <= 4:
        return rng.choice(NOT_SURE_OWN).format(topics[0])
    joined = topics[0] if len(topics) == 1 else f"{', '.join(topics[:-1])} or {topics[-1]}"
    return rng.choice(NOT_SURE_ABOUT).format(joined)


class OfflinePatient:
    """A ``PatientAgent`` that needs no model: retrieval-grounded and deterministic.

    It only ever handles patient-visible facts: it reads them from the case and
    queries only the case's patient collection, so examiner-only findings and the
    diagnosis are out of its reach, not merely filtered from its output.
    """

    def __init__(self, case: PatientCase, persona: Persona, store: RecordStore, seed: int) -> None:
        self.case = case
        self.persona = persona
        self.store = store
        self.seed = seed
        self.speaker = Speaker.of(case.demographics)
        self._facts: dict[str, CaseFact] = {f.id: f for f in case.visible_facts(Visibility.PATIENT)}
        store.ensure_ingested(case)

    def _rng(self, turn_index: int, part: int) -> random.Random:
        return random.Random(f"{self.seed}:{self.case.id}:{turn_index}:{part}")

    async def respond(self, transcript: Sequence[Turn]) -> AgentReply:
        """Answer every question in the doctor's last turn."""
        utterance = transcript[-1].content if transcript else ""
        turn_index = len(transcript)
        first = not any(t.role == Role.PATIENT for t in transcript)
        questions = split_questions(utterance)
        answers: list[_Answer] = []
        retrieved: dict[str, RetrievedChunk] = {}
        for part, question in enumerate(questions):
            rng = self._rng(turn_index, part)
            # By text: the store embeds it once and keeps the answer for this case.
            chunks = self.store.query(self.case.id, question, (Visibility.PATIENT,), k=8)
            for chunk in chunks[:3]:
                retrieved.setdefault(chunk.chunk_id, chunk)
            answers.append(self._answer(question, chunks, rng, first and part == 0))
        if first and not any("chief_complaint" in a.facts for a in answers):
            # The chief complaint is volunteered at the opening, whatever was asked.
            answers.insert(0, self._say("chief_complaint", self._rng(turn_index, 99)))
        answers = _without_repeats(answers)
        if self.persona.personality is Personality.IMPATIENT:
            answers = answers[:1]
        rng = self._rng(turn_index, len(questions))
        parts = [a.text for a in answers if a.kind != "unknown"]
        unknowns = [a for a in answers if a.kind == "unknown"]
        if unknowns:
            parts.append(_not_sure(unknowns, rng))
        elif any(a.vague for a in answers):
            parts.append("I can't remember the details.")
        said = " ".join(t.content for t in transcript if t.role == Role.PATIENT)
        text = style_reply(parts, self.persona, rng, first=first, said=said)
        facts = sorted({f for a in answers for f in a.facts})
        return AgentReply(
            content=text,
            facts=facts,
            retrieved=[
                Retrieved(chunk_id=c.chunk_id, fact_id=c.fact_id, distance=round(c.distance, 4))
                for c in retrieved.values()
            ],
            state={"persona": self.persona.axis_values(), "disclosed": facts},
        )

    def _say(self, fact_id: str, rng: random.Random) -> _Answer:
        fact = self._facts[fact_id]
        sentence = first_person(fact, self.speaker, self.case.demographics.age)
        styled, vague = style_answer(sentence, fact.section, fact.label, self.persona, rng)
        return _Answer(styled, (fact_id,), vague=vague)

    def _deny(self, fact_id: str, rng: random.Random) -> _Answer:
        form = rng.randrange(len(NEGATIVE_FORMS))
        text = negative_answer(self._facts[fact_id].text, self.speaker, form)
        return _Answer(text, (fact_id,))

    def _answer(
        self, question: str, chunks: list[RetrievedChunk], rng: random.Random, opening: bool
    ) -> _Answer:
        intent = intent_of(question)
        if intent.kind == "diagnosis_probe":
            return _Answer(rng.choice(DEFLECT_DIAGNOSIS), (), "other")
        if intent.kind == "result_probe":
            return _Answer(rng.choice(DEFLECT_RESULTS), (), "other")
        if intent.kind == "opening" or (opening and intent.kind == "open"):
            return self._say("chief_complaint", rng)
        if intent.kind == "consent":
            return _Answer(rng.choice(CONSENT), (), "other")
        if intent.kind == "facts":
            picked = self._by_intent(intent.prefixes, chunks)
            if picked:
                parts = [self._say(fid, rng) for fid in picked]
                text = " ".join(merge_list_sentences(list(dict.fromkeys(p.text for p in parts))))
                return _Answer(text, tuple(picked), vague=any(p.vague for p in parts))
        # The closest fact about what was asked answers it; a symptom the case lists
        # as absent gets a "no" that names it.
        for chunk in chunks[:4]:
            if not self._answers(question, chunk):
                continue
            if chunk.fact_id.startswith("ros.negative"):
                listed = self._facts[chunk.fact_id].text
                close = chunk.distance <= CLOSE_DISTANCE
                if chunk.distance <= NEGATIVE_DISTANCE and names_same_symptom(
                    question, listed, close=close
                ):
                    return self._deny(chunk.fact_id, rng)
                continue
            return self._say(chunk.fact_id, rng)
        return _Answer("", (), "unknown", asked_topic(question))

    def _answers(self, question: str, chunk: RetrievedChunk) -> bool:
        """Whether the chunk's fact is about what was asked."""
        if chunk.distance <= CLOSE_DISTANCE:
            return True
        if chunk.distance > ANSWER_DISTANCE:
            return False
        return shares_content(question, self._facts[chunk.fact_id].text)

    def _by_intent(self, prefixes: tuple[str, ...], chunks: list[RetrievedChunk]) -> list[str]:
        """Facts answering the intent: list sections whole, one fact otherwise.

        A history field the case lacks falls back to the field nearest in meaning
        (onset to duration: "for three days" answers "when did it start?").
        """
        picked: list[str] = []
        distance = {c.fact_id: c.distance for c in chunks}
        for wanted in prefixes:
            matching: list[str] = []
            for prefix in (wanted, *FIELD_FALLBACKS.get(wanted, ())):
                matching = [
                    fid for fid in self._facts if fid == prefix or fid.startswith(prefix + ".")
                ]
                if prefix == "chief_complaint" and wanted == "hpi.location":
                    # Only a complaint that names a place answers "where is it?".
                    matching = [m for m in matching if _PLACE.search(self._facts[m].text)]
                if matching:
                    break
            if not matching:
                continue
            if prefix in LIST_SECTIONS and prefix == wanted:
                picked.extend(matching[:4])
                continue
            ranked = sorted(matching, key=lambda fid: distance.get(fid, 1.0))
            # One fact (an HPI field) answers its question; among several, only close
            # ones do ("do you travel?" must not pull "lives with his wife").
            if len(matching) == 1:
                picked.append(ranked[0])
                continue
            close = [fid for fid in ranked if distance.get(fid, 1.0) <= INTENT_DISTANCE]
            picked.extend(close[:3])
        return list(dict.fromkeys(picked))

"""The offline patient: answers grounded in retrieved patient-visible facts."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from clinisim.agents import AgentReply
from clinisim.offline.patient._first_person import first_person, negative_answer
from clinisim.offline.patient._persona_style import style_answer, style_reply
from clinisim.offline.patient._question_intent import intent_of, split_questions
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
from clinisim.store import RecordStore, RetrievedChunk, embed_query

__all__ = ["ANSWER_DISTANCE", "NEGATIVE_DISTANCE", "OfflinePatient"]

ANSWER_DISTANCE = 0.45
"""A question with no recognised intent is answered only from chunks this close."""
NEGATIVE_DISTANCE = 0.35
"""A review-of-systems negative this close to the question is answered "no"."""
INTENT_DISTANCE = 0.6
"""With a recognised intent naming a list section, a fact is used only this close."""

NOT_SURE = (
    "I'm not sure.",
    "I don't know, to be honest.",
    "I don't really know.",
    "Hmm, I'm not sure about that.",
)
DEFLECT_DIAGNOSIS = (
    "I don't know what it is, that's why I came to see you.",
    "I was hoping you could tell me that.",
    "No idea, doctor. Nobody has told me anything yet.",
)
DEFLECT_RESULTS = (
    "I haven't been told any results.",
    "Nobody has told me what the tests showed.",
    "I don't know, you'd have to check that.",
)
CONSENT = ("Yes, go ahead.", "Of course, that's fine.", "Sure.")


@dataclass(frozen=True)
class _Answer:
    text: str
    facts: tuple[str, ...]


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
        self._facts: dict[str, CaseFact] = {f.id: f for f in case.visible_facts(Visibility.PATIENT)}
        store.ensure_ingested(case)

    def _rng(self, turn_index: int, part: int) -> random.Random:
        return random.Random(f"{self.seed}:{self.case.id}:{turn_index}:{part}")

    def respond(self, transcript: Sequence[Turn]) -> AgentReply:
        """Answer every question in the doctor's last turn."""
        utterance = transcript[-1].content if transcript else ""
        turn_index = len(transcript)
        first = not any(t.role == Role.PATIENT for t in transcript)
        questions = split_questions(utterance)
        answers: list[_Answer] = []
        retrieved: dict[str, RetrievedChunk] = {}
        for part, question in enumerate(questions):
            rng = self._rng(turn_index, part)
            chunks = self.store.query(
                self.case.id, embed_query(question), (Visibility.PATIENT,), k=8
            )
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
        text = style_reply([a.text for a in answers], self.persona, rng, first=first)
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
        sentence = first_person(fact.section, fact.label, fact.text)
        styled = style_answer(sentence, fact.section, fact.label, self.persona, rng)
        return _Answer(styled, (fact_id,))

    def _answer(
        self, question: str, chunks: list[RetrievedChunk], rng: random.Random, opening: bool
    ) -> _Answer:
        intent = intent_of(question)
        if intent.kind == "diagnosis_probe":
            return _Answer(rng.choice(DEFLECT_DIAGNOSIS), ())
        if intent.kind == "result_probe":
            return _Answer(rng.choice(DEFLECT_RESULTS), ())
        if intent.kind == "opening" or (opening and intent.kind == "open"):
            return self._say("chief_complaint", rng)
        if intent.kind == "consent":
            return _Answer(rng.choice(CONSENT), ())
        best = chunks[0] if chunks else None
        # A pertinent negative asked about directly: answer "no".
        if (
            best is not None
            and best.fact_id.startswith("ros.negative")
            and (best.distance <= NEGATIVE_DISTANCE)
        ):
            return _Answer(negative_answer(self._facts[best.fact_id].text), (best.fact_id,))
        if intent.kind == "facts":
            picked = self._by_intent(intent.prefixes, chunks)
            if picked:
                parts = [self._say(fid, rng) for fid in picked]
                text = " ".join(dict.fromkeys(p.text for p in parts))
                return _Answer(text, tuple(picked))
        if best is not None and best.distance <= ANSWER_DISTANCE:
            if best.fact_id.startswith("ros.negative"):
                return _Answer(negative_answer(self._facts[best.fact_id].text), (best.fact_id,))
            return self._say(best.fact_id, rng)
        return _Answer(rng.choice(NOT_SURE), ())

    def _by_intent(self, prefixes: tuple[str, ...], chunks: list[RetrievedChunk]) -> list[str]:
        """Facts answering the intent: list sections whole, one fact otherwise."""
        picked: list[str] = []
        distance = {c.fact_id: c.distance for c in chunks}
        for prefix in prefixes:
            matching = [fid for fid in self._facts if fid == prefix or fid.startswith(prefix + ".")]
            if not matching:
                continue
            if prefix in {
                "medications",
                "allergies",
                "past_medical_history",
                "family_history",
                "hpi.associated",
            }:
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

"""Patient fidelity: is each patient statement supported by the case?

Offline, each sentence of every patient turn is embedded and matched against the
case's facts in the record store (all visibilities):

- nearest fact within ``SUPPORTED_DISTANCE`` and the same polarity: ``supported``;
- nearest fact within ``SUPPORTED_DISTANCE`` and the opposite polarity (a denied
  symptom claimed, or a present one denied): ``contradicted``;
- otherwise, when the sentence is a clinical claim (nearest fact within
  ``CLAIM_DISTANCE``, or clinical vocabulary such as a diagnosis, a drug, a
  symptom), ``unsupported``: an invented fact;
- anything else is small talk, not a clinical claim, and not counted.

Hedges ("I'm not sure", "I don't know") are not statements. The hallucination
rate is unsupported over counted statements; the contradiction rate likewise.
"""

from __future__ import annotations

import re

from clinisim.schemas import ItemResult, PatientCase, Role, Score, Session
from clinisim.store import embed_query, embed_texts

__all__ = ["CLAIM_DISTANCE", "SUPPORTED_DISTANCE", "FidelityJudge"]

SUPPORTED_DISTANCE = 0.35
CLAIM_DISTANCE = 0.62
FIDELITY_JUDGE_VERSION = "1"

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NEGATED = re.compile(
    r"\b(no|not|never|don't|doesn't|didn't|haven't|hasn't|isn't|wasn't|without|denies)\b", re.I
)
# Words that make a sentence a clinical claim even when no case fact is near it.
_CLINICAL = re.compile(
    r"\b(diagnos\w*|tablets?|pills?|medicines?|medications?|\d+\s*mg|inhaler|insulin|"
    r"operations?|surgery|hospital|allerg\w*|pain\w*|ache\w*|hurts?|fever|cough\w*|"
    r"bleed\w*|blood|vomit\w*|sick|rash|swollen|swelling|breath\w*|dizz\w*|faint\w*|"
    r"numb\w*|weak\w*|seizures?|fits?|epilep\w*|diabet\w*|asthma|cancer|infection|"
    r"heart|stroke|pregnan\w*|smok\w*|alcohol|drink\w*)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(r"\b(not sure|don't know|no idea|can't remember|hoping you could tell)\b", re.I)


def _negative_fact(fact_id: str, text: str) -> bool:
    return fact_id.startswith("ros.negative") or bool(_NEGATED.search(text))


class FidelityJudge:
    """A session judge that checks patient statements against the case's facts.

    It compares each statement with the embedding of every fact's own text (all
    visibilities), computed once per case.
    """

    def __init__(self) -> None:
        self._facts: dict[str, list[tuple[str, str, list[float]]]] = {}

    def _case_facts(self, case: PatientCase) -> list[tuple[str, str, list[float]]]:
        if case.id not in self._facts:
            facts = [f for f in case.facts() if f.section != "diagnosis"]
            vectors = embed_texts([f.text for f in facts])
            self._facts[case.id] = [(f.id, f.text, v) for f, v in zip(facts, vectors, strict=True)]
        return self._facts[case.id]

    def _nearest(self, case: PatientCase, sentence: str) -> tuple[str, str, float]:
        query = embed_query(sentence)
        scored = [
            (sum(a * b for a, b in zip(query, vector, strict=True)), fid, text)
            for fid, text, vector in self._case_facts(case)
        ]
        similarity, fid, text = max(scored)
        return fid, text, 1.0 - similarity

    def __call__(self, session: Session, case: PatientCase) -> Score:
        items: list[ItemResult] = []
        for turn in session.turns:
            if turn.role not in (Role.PATIENT, Role.CLIENT):
                continue
            for n, sentence in enumerate(_SENTENCE.split(turn.content)):
                sentence = sentence.strip()
                if len(sentence.split()) < 2 or _HEDGE.search(sentence):
                    continue
                fact_id, fact_text, distance = self._nearest(case, sentence)
                if distance > CLAIM_DISTANCE and not _CLINICAL.search(sentence):
                    continue  # small talk, not a clinical claim
                if distance <= SUPPORTED_DISTANCE:
                    negated = bool(_NEGATED.search(sentence))
                    same = _negative_fact(fact_id, fact_text) == negated
                    label = "supported" if same else "contradicted"
                else:
                    label = "unsupported"
                items.append(
                    ItemResult(
                        id=f"turn{turn.index}.s{n}",
                        criterion=sentence,
                        met=label == "supported",
                        explanation=f"{label}: nearest fact {fact_id} ({distance:.2f})",
                        evidence=[turn.index],
                    )
                )
        counted = len(items)
        if counted == 0:
            return Score(
                name="patient-fidelity",
                version=FIDELITY_JUDGE_VERSION,
                judge_model="offline",
                value=None,
                status="unscored",
                details={"reason": "no patient statements to check"},
            )
        labels = [i.explanation.split(":")[0] for i in items]
        supported = labels.count("supported")
        return Score(
            name="patient-fidelity",
            version=FIDELITY_JUDGE_VERSION,
            judge_model="offline",
            value=supported / counted,
            items=items,
            details={
                "statements": counted,
                "supported": supported,
                "contradicted": labels.count("contradicted"),
                "unsupported": labels.count("unsupported"),
                "hallucination_rate": labels.count("unsupported") / counted,
                "contradiction_rate": labels.count("contradicted") / counted,
            },
        )
